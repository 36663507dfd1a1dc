"""Format readers behind one registry: ``read(path)`` picks the reader by content and name.

:func:`registry` is an explicit, ordered tuple: the first reader whose ``sniff`` (file
name and first bytes, cheap) accepts a file reads it, so a WFDB ``.dat`` that happens to
start with ``BM`` is WFDB, never a broken BMP. Reader modules are imported on the first
call, never for their side effects, and each imports its library (pydicom, edfio,
sierraecg, OpenCV: slow to import) only when it reads a file of its format.
Images are a separate kind: :func:`read` refuses them, :func:`detect` says
``kind == "image"`` and :func:`ecgviewer.core.readers.image_reader.load_image` loads them.

Every file a reader touches goes through :func:`check_file` first: only regular files
(a named pipe would block forever), readable, and within a size limit, checked before
anything is read.
"""

from __future__ import annotations

import errno
import importlib
import os
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable

from ecgviewer.core.errors import (
    CorruptFileError,
    EcgError,
    MissingFileError,
    UnsupportedFormatError,
)
from ecgviewer.core.readers.limits import excerpt
from ecgviewer.core.record import EcgRecord

#: Signal files larger than this are refused before reading: no ECG is this big.
MAX_SIGNAL_BYTES = 512 * 1024 * 1024
HEAD_BYTES = 4096
#: Reader modules, in the order their ``sniff`` is asked: formats recognised by content
#: and by a companion file first, images (recognised by magic bytes alone) last.
_READER_MODULES = (
    "wfdb_reader",
    "edf_reader",
    "dicom_reader",
    "scp_reader",
    "aecg_reader",
    "muse_reader",
    "philips_reader",
    "csv_reader",
    "image_reader",
)


@dataclass(frozen=True)
class Reader:
    """One file format: ``kind`` is "signal" or "image"; ``extensions`` (lower case, with
    the dot) are what the open-file dialog offers."""

    name: str
    kind: str
    sniff: Callable[[Path, bytes], bool]
    extensions: tuple[str, ...]
    read: Callable[[Path], EcgRecord] | None = None


@cache
def registry() -> tuple[Reader, ...]:
    """Every reader, in the order they are asked (see :data:`_READER_MODULES`)."""
    return tuple(importlib.import_module(f"{__name__}.{name}").READER
                 for name in _READER_MODULES)


def extensions() -> tuple[str, ...]:
    """All file extensions some reader claims, for file dialogs."""
    return tuple(dict.fromkeys(ext for reader in registry() for ext in reader.extensions))


def check_file(path: Path, max_bytes: int = MAX_SIGNAL_BYTES) -> int:
    """The size of ``path`` after checking it can be read as a file; raises EcgError.

    Refuses what is missing, unreadable, not a regular file (a folder, a named pipe, a
    device) or larger than ``max_bytes``, from ``stat`` alone, before opening it.
    """
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise MissingFileError(f"The file {path} does not exist.") from exc
    except PermissionError as exc:
        raise MissingFileError(
            f"The file {path.name} cannot be opened: permission denied (check the folder's "
            "access rights)."
        ) from exc
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise UnsupportedFormatError(
                f"The file name {str(path)[:60]}... is too long to open.") from exc
        raise MissingFileError(f"The file {path.name} cannot be opened: {exc.strerror}.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise UnsupportedFormatError(f"{path} is a folder: open an ECG file inside it.")
    if not stat.S_ISREG(info.st_mode):
        raise UnsupportedFormatError(
            f"{path.name} is not a regular file (a pipe or a device): copy the ECG to a file "
            "and open that.")
    if info.st_size > max_bytes:
        raise UnsupportedFormatError(
            f"{path.name} is {info.st_size / 2**30:.1f} GB, far larger than any ECG "
            "recording: it is not an ECG file, or it holds far more than one recording."
        )
    if not os.access(path, os.R_OK):
        raise MissingFileError(f"The file {path.name} cannot be opened: permission denied.")
    return info.st_size


def detect(path: str | os.PathLike) -> Reader:
    """The reader for ``path``, or a clear error when none fits."""
    p = Path(path)
    check_file(p, max_bytes=2**63 - 1)  # each reader applies its own size limit
    try:
        with p.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise MissingFileError(f"The file {p} cannot be opened: {exc.strerror}.") from exc
    for reader in registry():
        if reader.sniff(p, head):
            return reader
    raise UnsupportedFormatError(
        f"{p.name} is not a recognised ECG file. ecgviewer reads WFDB (.hea/.dat), EDF, CSV, "
        "DICOM waveform, SCP-ECG, HL7 aECG XML, GE MUSE XML, Philips XML and images of paper "
        "ECGs."
    )


def read(path: str | os.PathLike) -> EcgRecord:
    """Read a signal file into an :class:`EcgRecord`; raises :class:`EcgError` subclasses.

    The file's own damage (bad values, truncation, I/O) becomes :class:`CorruptFileError`;
    anything else is a bug in ecgviewer and is not disguised as a corrupt file.
    """
    p = Path(path)
    reader = detect(p)
    if reader.kind != "signal" or reader.read is None:
        raise UnsupportedFormatError(
            f"{p.name} is an image; open it as a paper ECG photo or scan instead."
        )
    if check_file(p) == 0:
        raise CorruptFileError(f"{p.name} is empty (0 bytes): copy it again from its source.")
    try:
        return reader.read(p)
    except EcgError:
        raise
    except (ValueError, KeyError, IndexError, OSError, EOFError, OverflowError,
            ArithmeticError, MemoryError) as exc:
        raise CorruptFileError(
            f"{p.name} looks like a {reader.name} file but cannot be read ({excerpt(exc)})."
        ) from exc
