"""WFDB records (.hea header + .dat signal), read with wfdb-python."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import wfdb

from ecgviewer.core.errors import CorruptFileError, MissingFileError
from ecgviewer.core.readers import Reader, register
from ecgviewer.core.record import EcgRecord, RecordMetadata

#: Bits per sample of the WFDB storage formats we accept.
_BITS = {"8": 8, "16": 16, "212": 12, "24": 24, "32": 32, "80": 8, "61": 16, "160": 16}


def _sniff(path: Path, head: bytes) -> bool:
    suffix = path.suffix.lower()
    if suffix == ".hea":
        return True
    return suffix == ".dat" and path.with_suffix(".hea").exists()


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
        raise CorruptFileError(f"The header {header_path.name} cannot be parsed ({exc}).") from exc
    if not header.file_name:
        raise CorruptFileError(f"The header {header_path.name} lists no signals.")
    _check_signal_files(base.parent, name, header)
    try:
        rec = wfdb.rdrecord(str(base), physical=True)
    except Exception as exc:
        raise CorruptFileError(f"Record {name} cannot be read ({exc}).") from exc
    signals = np.asarray(rec.p_signal, dtype=np.float64).T
    units = [(u or "mV").strip().lower() for u in rec.units]
    scale = np.array([1e-3 if u in ("uv", "µv", "microvolt") else 1.0 for u in units])
    signals = signals * scale[:, None]
    age, sex = _age_sex(rec.comments or [])
    meta = RecordMetadata(
        source_path=str(path), format="WFDB", record_name=name, age=age, sex=sex,
    )
    return EcgRecord(signals.astype(np.float32), float(rec.fs), tuple(rec.sig_name), meta)


def _check_signal_files(folder: Path, name: str, header: wfdb.Record) -> None:
    """Refuse a missing or truncated .dat with a message that says which and why."""
    files = list(dict.fromkeys(header.file_name))
    for file_name in files:
        dat = folder / file_name
        if not dat.exists():
            raise MissingFileError(
                f"The .dat file for record {name} is missing ({file_name}): keep the .hea "
                "and .dat together."
            )
        channels = [i for i, f in enumerate(header.file_name) if f == file_name]
        bits = sum(_BITS.get(str(header.fmt[i]), 16) for i in channels)
        offset = (header.byte_offset or [0] * len(header.fmt))[channels[0]] or 0
        expected = offset + (header.sig_len * bits + 7) // 8
        if header.sig_len and dat.stat().st_size < expected:
            raise CorruptFileError(
                f"The .dat file for record {name} is truncated: {dat.stat().st_size} bytes "
                f"where the header promises {expected}. Copy the file again from its source."
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


register(Reader("WFDB", "signal", _sniff, _read))
