"""Where the shipped resources live: the PyInstaller bundle, a checkout, or an override.

``ECGVIEWER_RESOURCES`` wins, so tests and clinics can point the app at another folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("ECGVIEWER_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def model_path() -> Path:
    return resources_dir() / "model" / "encoder.onnx"


def casebase_dir() -> Path:
    return resources_dir() / "casebase"


def sample_path() -> Path:
    return resources_dir() / "samples" / "demo_ecg.hea"
