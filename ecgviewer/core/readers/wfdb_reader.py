"""WFDB records: a .hea header and its .dat (or PhysioNet Challenge .mat) signal files.

The header is parsed (``wfdb_header``) after a light normalisation of what real
exporters write: a record line naming its signal file with a non-WFDB date (the
Challenge's Georgia records: ``E07500.mat 12 500 5000 05-May-2020 09:49:17``), Windows
line endings, trailing spaces. Signal files are decoded here, after their sizes are
checked against the header and the limits, and verified against the header's checksums.
Each repair is a note in ``RecordMetadata.derived``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ecgviewer.core.errors import (
    CorruptFileError,
    InvalidSignalError,
    MissingFileError,
    UnsupportedFormatError,
)
from ecgviewer.core.readers import Reader, check_file
from ecgviewer.core.readers.leadnames import renamed_leads_note
from ecgviewer.core.readers.limits import MAX_HEADER_BYTES, check_samples, excerpt
from ecgviewer.core.readers.mat4 import read_mat4_matrix
from ecgviewer.core.readers.wfdb_header import WfdbHeader, parse_header
from ecgviewer.core.readers.units import mv_per_unit
from ecgviewer.core.record import EcgRecord, RecordMetadata

#: Storage formats read here: bits per sample, and the value that marks a missing sample.
_FORMATS = {"16": (16, -2**15), "61": (16, -2**15), "160": (16, -2**15), "80": (8, -2**7),
            "212": (12, -2**11), "24": (24, -2**23), "32": (32, -2**31)}
_NAME_WITH_EXTENSION = re.compile(r"^([-\w]+)\.\w+$")
#: Header lines longer than this are damage (a signal line with a long description is ~100).
_MAX_LINE = 512
_WFDB_TIME = re.compile(r"\d{1,2}(:\d{1,2}){0,2}(\.\d{1,6})?")
_WFDB_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


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
    check_file(header_path, MAX_HEADER_BYTES)
    text, notes = normalise_header(header_path.read_bytes().decode("latin-1"))
    header = _parse_header(text, header_path.name)
    _check_layout(header, header_path.name)
    digital = _read_signals(base.parent, name, header, notes)
    gains = np.array([g or 200.0 for g in header.adc_gain], dtype=np.float64)
    baselines = np.array([b or 0 for b in header.baseline], dtype=np.float64)
    with np.errstate(all="ignore"):  # absurd gains give inf, which the record refuses
        signals = (digital - baselines[:, None]) / gains[:, None]
    units = [u or "mV" for u in header.units]
    factors = [mv_per_unit(u) for u in units]
    keep = [i for i, f in enumerate(factors) if f is not None]
    if not keep:
        raise InvalidSignalError(
            f"Record {name} holds no voltage signals (units: {excerpt(', '.join(units))}), so it "
            "is not an ECG."
        )
    with np.errstate(all="ignore"):
        signals = signals[keep] * np.array([factors[i] for i in keep])[:, None]
    raw_names = [header.sig_name[i] or f"signal {i + 1}" for i in keep]  # unnamed lines
    notes += renamed_leads_note(raw_names)
    age, sex = _age_sex(header.comments)
    meta = RecordMetadata(source_path=str(path), format="WFDB", record_name=name, age=age,
                          sex=sex, derived=tuple(notes))
    return EcgRecord(signals, float(header.fs), tuple(raw_names), meta)


def normalise_header(text: str) -> tuple[str, list[str]]:
    """A header's text in WFDB form, and a note for each quirk that was repaired."""
    notes = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append("WFDB header: Windows line endings read as plain ones")
    lines = text.split("\n")
    stripped = [line.rstrip() for line in lines]
    if stripped != lines:
        notes.append("WFDB header: trailing spaces ignored")
    index = next((i for i, line in enumerate(stripped) if line.strip()
                  and not line.lstrip().startswith("#")), None)
    if index is not None:
        fields = stripped[index].split()
        if match := _NAME_WITH_EXTENSION.match(fields[0]):
            notes.append(f"WFDB header: the record line names the signal file ({fields[0]}); "
                         f"read as record {match.group(1)}")
            fields[0] = match.group(1)
        line = " ".join(fields)
        if len(fields) > 4 and not _is_wfdb_time_date(fields[4:]):
            notes.append(f"WFDB header: the record line's date and time "
                         f"({' '.join(fields[4:])}) are not in WFDB form and were ignored")
            line = " ".join(fields[:4])
        stripped[index] = line
    return "\n".join(stripped) + "\n", notes


def _is_wfdb_time_date(fields: list[str]) -> bool:
    """Whether the record line's last fields are WFDB's ``HH:MM:SS`` and ``DD/MM/YYYY``.

    (wfdb's own record-line expression backtracks for minutes over long digit runs, so
    it is not used to check a whole line.)
    """
    forms = (_WFDB_TIME, _WFDB_DATE)[: len(fields)]
    return len(fields) <= 2 and all(form.fullmatch(f) for form, f in zip(forms, fields))


def _parse_header(text: str, file_name: str) -> WfdbHeader:
    """The parse of a normalised header, its lines bounded first (damage, not a header)."""
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > _MAX_LINE and not line.lstrip().startswith("#"):
            raise CorruptFileError(
                f"The header {file_name} has a line of {len(line):,} characters (line "
                f"{number}), which no WFDB header has: it is damaged. Copy the record again."
            )
    return parse_header(text, file_name)


def _check_layout(header: WfdbHeader, file_name: str) -> None:
    """Refuse headers whose signal lines do not describe what ecgviewer can decode."""
    if not header.file_name:
        raise CorruptFileError(f"The header {file_name} lists no signals.")
    if header.n_sig != len(header.file_name):
        raise CorruptFileError(
            f"The header {file_name} declares {header.n_sig} signals but describes "
            f"{len(header.file_name)}: it is damaged. Copy the record again."
        )
    for i, (fmt, frames) in enumerate(zip(header.fmt, header.samps_per_frame)):
        if fmt not in _FORMATS or frames != 1 or header.file_name[i] == "~":
            raise UnsupportedFormatError(
                f"{file_name} stores signal {i + 1} in WFDB format {excerpt(fmt, 12)}"
                f"{f' with {frames} samples per frame' if frames != 1 else ''}, which "
                "ecgviewer does not read (formats 16, 212, 24, 32, 61, 80 and 160 are read)."
            )


def _read_signals(folder: Path, name: str, header: WfdbHeader, notes: list[str]) -> np.ndarray:
    """Digital samples (n_sig, samples) as float64, missing samples as NaN, checked."""
    columns: dict[int, np.ndarray] = {}
    for file_name in dict.fromkeys(header.file_name):
        channels = [i for i, f in enumerate(header.file_name) if f == file_name]
        path = folder / file_name
        if not path.exists():
            raise MissingFileError(
                f"The .dat file for record {name} is missing ({file_name}): keep the .hea "
                "and .dat together."
            )
        if len({header.fmt[i] for i in channels}) > 1:
            raise UnsupportedFormatError(
                f"Record {name} mixes storage formats in {file_name}, which ecgviewer does "
                "not read."
            )
        size = check_file(path)
        if path.suffix.lower() == ".mat":
            values = _mat_values(path, name, len(channels), header.sig_len)
        else:
            values = _dat_values(path, size, name, header, channels)
        for column, channel in enumerate(channels):
            columns[channel] = values[column]
    digital = np.stack([columns[i] for i in range(header.n_sig)])
    _verify_checksums(digital, header, name, notes)
    for i in range(header.n_sig):
        missing = _FORMATS[header.fmt[i]][1]
        digital[i][digital[i] == missing] = np.nan
    return digital


def _dat_values(path: Path, size: int, name: str, header: WfdbHeader,
                channels: list[int]) -> np.ndarray:
    """One .dat file's channels (channels, samples), decoded after checking its size."""
    fmt = header.fmt[channels[0]]
    bits = _FORMATS[fmt][0]
    offset = header.byte_offset[channels[0]]
    frame_bits = bits * len(channels)
    available = max(size - offset, 0) * 8 // frame_bits
    length = header.sig_len if header.sig_len else available
    check_samples(f"Record {name}", len(channels), length)
    if length > available:
        expected = offset + (length * frame_bits + 7) // 8
        raise CorruptFileError(
            f"The .dat file for record {name} is truncated: {size} bytes where the "
            f"header promises {expected}. Copy the file again from its source."
        )
    count = length * len(channels)
    with path.open("rb") as fh:
        fh.seek(offset)
        raw = fh.read((count * bits + 7) // 8)
    return _decode(raw, fmt, count).reshape(length, len(channels)).T


def _decode(raw: bytes, fmt: str, count: int) -> np.ndarray:
    """``count`` samples of WFDB storage format ``fmt`` as float64."""
    if fmt == "212":  # two 12-bit samples in three bytes
        data = np.frombuffer(raw + b"\0" * (-len(raw) % 3), np.uint8).reshape(-1, 3)
        data = data.astype(np.int32)
        values = np.empty(2 * len(data), np.int32)
        values[0::2] = data[:, 0] | ((data[:, 1] & 0x0F) << 8)
        values[1::2] = data[:, 2] | ((data[:, 1] & 0xF0) << 4)
        values = values[:count]
        values[values >= 2048] -= 4096
    elif fmt == "24":
        data = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        values = data[:, 0] | (data[:, 1] << 8) | (data[:, 2] << 16)
        values[values >= 2**23] -= 2**24
    else:
        dtype, shift = {"16": ("<i2", 0), "61": (">i2", 0), "32": ("<i4", 0),
                        "80": ("u1", -128), "160": ("<u2", -32768)}[fmt]
        values = np.frombuffer(raw, dtype, count=count).astype(np.int64) + shift
    return values.astype(np.float64)


def _mat_values(path: Path, name: str, channels: int, length: int | None) -> np.ndarray:
    """The ``val`` matrix of a Challenge .mat file (channels, samples), shape checked first."""
    val = read_mat4_matrix(path, "val", lambda rows, columns: _check_mat_shape(
        path, name, channels, rows, columns))
    if length and val.shape[1] < length:
        raise CorruptFileError(
            f"The signal file {path.name} of record {name} is truncated: {val.shape[1]} of "
            f"the {length} samples its header promises. Copy the file again from its source."
        )
    return val[:, :length or None].astype(np.float64)


def _check_mat_shape(path: Path, name: str, channels: int, rows: int, columns: int) -> None:
    if rows != channels:
        raise CorruptFileError(
            f"{path.name} does not hold the 'val' matrix of {channels} signals that the "
            f"header of record {name} describes. Copy the record again."
        )
    check_samples(f"Record {name}", channels, columns)


def _verify_checksums(digital: np.ndarray, header: WfdbHeader, name: str,
                      notes: list[str]) -> None:
    """Compare each signal's sum with the header's checksum, where the header gives one."""
    checksums = header.checksum
    if all(c is None for c in checksums):
        notes.append("WFDB header: no checksums, so the samples could not be verified")
        return
    for i, checksum in enumerate(checksums):
        if checksum is not None and int(digital[i].sum()) % 65536 != checksum % 65536:
            raise CorruptFileError(
                f"The signal of record {name} does not match its header's checksum (signal "
                f"{i + 1}): the .dat or .hea is damaged. Copy the record again from its source."
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
            if age is not None and not 0 <= age < 150:
                age = None  # Challenge headers write "Age: NaN" or -1 when unknown
        elif key == "sex" and value[:1] in ("m", "f"):
            sex = "male" if value[:1] == "m" else "female"
    return age, sex


READER = Reader("WFDB", "signal", _sniff, (".hea", ".dat"), _read)
