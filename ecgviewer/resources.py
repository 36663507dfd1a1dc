"""Where the shipped resources live: the PyInstaller bundle, a checkout, or an override.

``ECGVIEWER_RESOURCES`` wins, so tests and clinics can point the app at another folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _shipped_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resources_dir() -> Path:
    override = os.environ.get("ECGVIEWER_RESOURCES")
    if override:
        return Path(override)
    return _shipped_dir()


def model_path() -> Path:
    return resources_dir() / "model" / "encoder.onnx"


def casebase_dir() -> Path:
    return resources_dir() / "casebase"


def sample_path() -> Path:
    return resources_dir() / "samples" / "demo_ecg.hea"


def translations_dir() -> Path:
    """Translations belong to the app, not to the model: an override folder without them
    (a clinic's own case base, a test fixture) still gets the shipped ones."""
    override = resources_dir() / "translations"
    return override if override.is_dir() else _shipped_dir() / "translations"


def icon_path() -> Path:
    """The app icon belongs to the app, like its translations: always the shipped one."""
    return _shipped_dir() / "icons" / "ecgviewer.png"
