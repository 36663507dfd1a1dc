"""The user's data folder, where the clinic's cases live (never inside the installation).

``ECGVIEWER_HOME`` wins, so tests and scripts can use a folder of their own; otherwise
the platform's per-user data folder: %APPDATA%\\ecgviewer on Windows,
~/Library/Application Support/ecgviewer on macOS, $XDG_DATA_HOME/ecgviewer or
~/.local/share/ecgviewer elsewhere.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR = "ecgviewer"


def data_home() -> Path:
    override = os.environ.get("ECGVIEWER_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR
