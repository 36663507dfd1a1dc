"""Saving images atomically, so an interrupted export never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import cv2
import numpy as np

from ecgviewer.core.errors import EcgError


def save_image(path: str | os.PathLike, rgb: np.ndarray) -> None:
    """Write an RGB uint8 image; the format follows the extension (.png, .jpg, ...)."""
    target = Path(path)
    suffix = target.suffix.lower() or ".png"
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR) if rgb.ndim == 3 else rgb
    ok, data = cv2.imencode(suffix, bgr)
    if not ok:
        raise EcgError(f"Cannot write images of type {suffix}; use .png or .jpg.")
    write_atomic(target, data.tobytes())


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file beside ``target``, then rename it into place."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise EcgError(f"Cannot write {target}: {exc.strerror or exc}.") from exc
