"""Writing a file so that it is either the old one or the new one, never half of each.

A power cut or a full disk during a save must not destroy the previous report or image.
Standard library only: the window uses it before numpy or OpenCV are loaded.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ecgviewer.core.errors import EcgError


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
