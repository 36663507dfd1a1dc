"""Saving images (PNG, JPEG, ...) with OpenCV, atomically (see ``atomic``)."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

from ecgviewer.core.atomic import write_atomic
from ecgviewer.core.errors import EcgError


def save_image(path: str | os.PathLike, rgb: np.ndarray) -> None:
    """Write an RGB uint8 image; the format follows the extension (.png, .jpg, ...)."""
    target = Path(path)
    if target.is_dir():
        raise EcgError(f"{target} is a folder; give a file name such as {target / 'ecg.png'}.")
    suffix = target.suffix.lower() or ".png"
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR) if rgb.ndim == 3 else rgb
    try:
        ok, data = cv2.imencode(suffix, bgr)
    except cv2.error:  # OpenCV raises, rather than returns False, for unknown extensions
        ok = False
    if not ok:
        raise EcgError(f"Cannot write images of type {suffix}; use .png or .jpg.")
    write_atomic(target, data.tobytes())
