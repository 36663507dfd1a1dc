"""WFDB records (.hea header + .dat signal), read with wfdb-python.

Either file of the pair can be opened. The companion files are checked first so a
missing or truncated .dat is reported as such, not as a library traceback.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import wfdb

from ecgviewer.core.errors import CorruptFileError, InvalidSignalError, MissingFileError
from ecgviewer.core.readers import Reader
from ecgviewer.core.readers.units import mv_per_unit
from ecgviewer.core.record import EcgRecord, RecordMetadata

#: Bits per sample of the WFDB storage formats.
_BITS = {"8": 8, "16": 16, "212": 12, "24": 24, "32": 32, "80": 8, "61": 16, "160": 16}


def _sniff(path: Path, head: bytes) -> bool:
    # A .dat is claimed even without its .hea, so the user hears that the .hea is missing.
    return path.suffix.lower() in (".hea", ".dat")


def _read(path: Path) -> EcgRecord:
    base = path.with_suffix("")
    name = base.name
    header_path = base.with_suffix(".hea")
    if not header_path.exists():
        raise MissingFileError(
            f"The .hea header for record {name} is missing: keep the .hea and .dat together."
        )
    try:
        header = wfdb.rdheader(str(base))
    except Exception as exc:  # wfdb raises bare Exceptions for malformed headers
        raise CorruptFileError(
            f"The header {header_path.name} cannot be parsed ({exc}). Copy the record again "
            "from its source."
        ) from exc
    if isinstance(header, wfdb.MultiRecord):
        raise CorruptFileError(
            f"Record {name} is a multi-segment WFDB record, which ecgviewer does not read: "
            "open one of its segments instead."
        )
    if not header.file_name:
        raise CorruptFileError(f"The header {header_path.name} lists no signals.")
    _check_signal_files(base.parent, name, header)
    try:
        rec = wfdb.rdrecord(str(base), physical=True)
    except Exception as exc:
        raise CorruptFileError(
            f"Record {name} cannot be read ({exc}). Copy the .hea and .dat again from their "
            "source."
        ) from exc
    # WFDB's default unit is mV; signals in other units (mmHg, %, ...) are not ECG leads.
    factors = [mv_per_unit(u or "mV") for u in rec.units]
    keep = [i for i, f in enumerate(factors) if f is not None]
    if not keep:
        raise InvalidSignalError(
            f"Record {name} holds no voltage signals (units: {', '.join(rec.units)}), so it "
            "is not an ECG."
        )
    signals = np.asarray(rec.p_signal, dtype=np.float64).T[keep]
    signals *= np.array([factors[i] for i in keep])[:, None]
    age, sex = _age_sex(rec.comments or [])
    meta = RecordMetadata(
        source_path=str(path), format="WFDB", record_name=name, age=age, sex=sex,
    )
    leads = tuple(rec.sig_name[i] for i in keep)
    return EcgRecord(signals.astype(np.float32), float(rec.fs), leads, meta)


def _check_signal_files(folder: Path, name: str, header: wfdb.Record) -> None:
    """Refuse a missing or truncated .dat with a message that says which and why."""
    offsets = header.byte_offset or [0] * header.n_sig
    frames = header.samps_per_frame or [1] * header.n_sig
    for file_name in dict.fromkeys(header.file_name):
        dat = folder / file_name
        if not dat.exists():
            raise MissingFileError(
                f"The .dat file for record {name} is missing ({file_name}): keep the .hea "
                "and .dat together."
            )
        channels = [i for i, f in enumerate(header.file_name) if f == file_name]
        bits = sum(_BITS.get(str(header.fmt[i]), 16) * (frames[i] or 1) for i in channels)
        expected = (offsets[channels[0]] or 0) + (header.sig_len * bits + 7) // 8
        size = dat.stat().st_size
        if header.sig_len and size < expected:
            raise CorruptFileError(
                f"The .dat file for record {name} is truncated: {size} bytes where the "
                f"header promises {expected}. Copy the file again from its source."
            )


def _age_sex(comments: list[str]) -> tuple[float | None, str | None]:
    """Age and sex from WFDB header comments such as ``# Age: 56`` / ``# Sex: F``."""
    age = sex = None
    for line in comments:
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip().lower()
        if key == "age":
            try:
                age = float(value)
            except ValueError:
                pass
        elif key == "sex" and value[:1] in ("m", "f"):
            sex = "male" if value[:1] == "m" else "female"
    return age, sex


READER = Reader("WFDB", "signal", _sniff, (".hea", ".dat"), _read)
