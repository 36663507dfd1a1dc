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


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file beside ``target``, then rename it into place."""
    folder = target.parent if str(target.parent) else Path(".")
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file owner-only; an export should get the usual permissions
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)  # never leave a hidden half-file behind
        raise EcgError(f"Cannot write {target}: {exc.strerror or exc}.") from exc


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
