"""Format readers behind one registry: ``read(path)`` picks the reader by content and name.

Each reader module registers a :class:`Reader` with a ``sniff`` function (looks at the
file name and its first bytes, must be cheap) and a ``read`` function. Images are a
separate kind: :func:`read` refuses them, :func:`detect` says ``kind == "image"``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ecgviewer.core.errors import (
    CorruptFileError,
    EcgError,
    MissingFileError,
    UnsupportedFormatError,
)
from ecgviewer.core.record import EcgRecord

#: Signal files larger than this are refused before reading: no ECG is this big.
MAX_SIGNAL_BYTES = 512 * 1024 * 1024
HEAD_BYTES = 4096


@dataclass(frozen=True)
class Reader:
    """One file format: ``kind`` is "signal" or "image"."""

    name: str
    kind: str
    sniff: Callable[[Path, bytes], bool]
    read: Callable[[Path], EcgRecord] | None = None


_READERS: list[Reader] = []


def register(reader: Reader) -> Reader:
    _READERS.append(reader)
    return reader


def detect(path: str | os.PathLike) -> Reader:
    """The reader for ``path``, or a clear error when none fits."""
    _ensure_loaded()
    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"The file {p} does not exist.")
    if p.is_dir():
        raise UnsupportedFormatError(f"{p} is a folder: open an ECG file inside it.")
    try:
        with p.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise MissingFileError(f"The file {p} cannot be opened: {exc.strerror}.") from exc
    for reader in _READERS:
        if reader.sniff(p, head):
            return reader
    raise UnsupportedFormatError(
        f"{p.name} is not a recognised ECG file. ecgviewer reads WFDB (.hea/.dat), EDF, CSV, "
        "DICOM waveform, HL7 aECG XML, Philips XML and images of paper ECGs."
    )


def read(path: str | os.PathLike) -> EcgRecord:
    """Read a signal file into an :class:`EcgRecord`; raises :class:`EcgError` subclasses."""
    p = Path(path)
    reader = detect(p)
    if reader.kind != "signal" or reader.read is None:
        raise UnsupportedFormatError(
            f"{p.name} is an image; open it as a paper ECG photo or scan instead."
        )
    size = p.stat().st_size
    if size == 0:
        raise CorruptFileError(f"{p.name} is empty (0 bytes): copy it again from its source.")
    if size > MAX_SIGNAL_BYTES:
        raise UnsupportedFormatError(
            f"{p.name} is {size / 2**30:.1f} GB, far larger than any ECG recording: "
            "it is not an ECG file, or it holds far more than one recording."
        )
    try:
        return reader.read(p)
    except EcgError:
        raise
    except (ValueError, KeyError, IndexError, OSError, EOFError, TypeError, AttributeError) as exc:
        raise CorruptFileError(
            f"{p.name} looks like a {reader.name} file but cannot be read ({exc})."
        ) from exc


def _ensure_loaded() -> None:
    """Import the reader modules once; each registers itself on first import.

    Python imports each module once, so this is cheap and also complete when a reader
    module (say csv_reader, for ``read_csv``) was imported on its own before.
    """
    from ecgviewer.core.readers import (  # noqa: F401  (imported for registration)
        wfdb_reader,
        edf_reader,
        csv_reader,
        dicom_reader,
        aecg_reader,
        philips_reader,
        image_reader,
    )
