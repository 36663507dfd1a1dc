"""CSV/TSV files: a header row of lead names, then one row per sample.

Plain text carries no calibration, so the sampling rate comes from, in this order: the
``sampling_rate`` argument of :func:`read_csv`, a comment line before the header such as
``# sampling_rate: 500`` or ``# fs=500``, or a time column ("time", "t", "time_s" in
seconds; "ms", "time_ms" in milliseconds). Values are millivolts unless a comment such
as ``# units: uV`` says otherwise. The registry calls :func:`read_csv` without a rate.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import numpy as np

from ecgviewer.core.errors import CorruptFileError, InvalidSignalError
from ecgviewer.core.readers import Reader, check_file
from ecgviewer.core.readers.leadnames import renamed_leads_note
from ecgviewer.core.readers.limits import MAX_TEXT_BYTES, excerpt
from ecgviewer.core.readers.units import mv_per_unit
from ecgviewer.core.record import MAX_RATE, MIN_RATE, EcgRecord, RecordMetadata

_COMMENT = re.compile(r"^#\s*([A-Za-z][\w ]*?)\s*[:=]\s*(.*?)\s*$")
_RATE_KEYS = {"sampling_rate", "samplingrate", "sampling_frequency", "fs", "rate"}
_UNIT_KEYS = {"units", "unit"}
#: Time columns and their unit in seconds.
_TIME_COLUMNS = {"time": 1.0, "t": 1.0, "time_s": 1.0, "seconds": 1.0, "ms": 1e-3, "time_ms": 1e-3}
#: Sample-number columns: they carry no signal and no rate.
_INDEX_COLUMNS = {"sample", "index", "idx"}
_HOW_TO_GIVE_RATE = (
    "Add a line such as '# sampling_rate: 500' (samples per second) above the header row, "
    "or a time column named 'time' in seconds."
)


def _sniff(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in (".csv", ".tsv")


def read_csv(path: str | os.PathLike, sampling_rate: float | None = None) -> EcgRecord:
    """Read a CSV/TSV ECG; ``sampling_rate`` (Hz) overrides whatever the file says."""
    p = Path(path)
    check_file(p, MAX_TEXT_BYTES)
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise CorruptFileError(f"{p.name} is not a text file, so it cannot be a CSV ECG.") from exc
    settings, start = _leading_comments(lines)
    try:
        header, values = _table(lines, start, p.name)
    except csv.Error as exc:  # a NUL byte, a field over the csv module's limit
        raise CorruptFileError(
            f"{p.name} is not a readable CSV table ({excerpt(exc, 160)}): it is damaged or not a "
            "CSV ECG."
        ) from exc
    keys = [h.lower() for h in header]
    rate = _sampling_rate(sampling_rate, settings, header, values, p.name)
    unit = _setting(settings, _UNIT_KEYS) or "mV"
    factor = mv_per_unit(unit)
    if factor is None:
        raise InvalidSignalError(
            f"{p.name} gives its units as '{excerpt(unit)}', which is not a voltage: write "
            "'# units: uV', '# units: mV' or '# units: V'."
        )
    lead_cols = [i for i, k in enumerate(keys)
                 if k not in _TIME_COLUMNS and k not in _INDEX_COLUMNS]
    if not lead_cols:
        raise InvalidSignalError(f"{p.name} has no lead columns, only {', '.join(header)}.")
    labels = [header[i] for i in lead_cols]
    meta = RecordMetadata(source_path=str(p), format="CSV", record_name=p.stem,
                          derived=tuple(renamed_leads_note(labels)))
    with np.errstate(all="ignore"):  # huge values overflow to inf, which the record refuses
        signals = values[:, lead_cols].T * factor
    return EcgRecord(signals, rate, tuple(labels), meta)


def _table(lines: list[str], start: int, name: str) -> tuple[list[str], np.ndarray]:
    """The header row at ``lines[start]`` and the numbers below it, one row per sample."""
    if start == len(lines):
        raise CorruptFileError(f"{name} is empty: it needs a header row of lead names.")
    delimiter = next((d for d in ("\t", ";") if d in lines[start]), ",")
    header = [h.strip() for h in next(csv.reader([lines[start]], delimiter=delimiter))]
    if not all(header):
        raise CorruptFileError(
            f"{name}: column {header.index('') + 1} of the header row has no name. Give "
            "every column a lead name such as I, II or V1."
        )
    rows, line_numbers = [], []
    for number, row in enumerate(csv.reader(lines[start + 1:], delimiter=delimiter), start + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise CorruptFileError(
                f"{name}: line {number} has {len(row)} values where the header names "
                f"{len(header)} columns. The file is damaged or was cut short."
            )
        rows.append(row)
        line_numbers.append(number)
    if not rows:
        raise InvalidSignalError(f"{name} has a header row but no samples.")
    return header, _numbers(rows, line_numbers, header, name)


def _sampling_rate(given: float | None, settings: dict[str, str], header: list[str],
                   values: np.ndarray, name: str) -> float:
    """The rate given, else the one in a comment line, else the time column's."""
    keys = [h.lower() for h in header]
    time_col = next((i for i, k in enumerate(keys) if k in _TIME_COLUMNS), None)
    rate, source = given, "the sampling rate given"
    if rate is None and (text := _setting(settings, _RATE_KEYS)) is not None:
        rate, source = _parse_rate(text, name), "the '# sampling_rate' line"
    if rate is None and time_col is not None:
        rate = _rate_from_time(values[:, time_col] * _TIME_COLUMNS[keys[time_col]], name)
        source = f"the '{excerpt(header[time_col])}' column"
    if rate is None:
        raise InvalidSignalError(f"{name} does not say its sampling rate. {_HOW_TO_GIVE_RATE}")
    if not (np.isfinite(rate) and MIN_RATE <= rate <= MAX_RATE):
        raise InvalidSignalError(
            f"{name}: {source} gives a sampling rate of {rate:g} Hz; an ECG needs "
            f"{MIN_RATE:g}-{MAX_RATE:g} Hz. {_HOW_TO_GIVE_RATE}"
        )
    return float(rate)


def _leading_comments(lines: list[str]) -> tuple[dict[str, str], int]:
    """``key: value`` settings from the comment lines above the header, and its index."""
    settings: dict[str, str] = {}
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            return settings, index
        if match := _COMMENT.match(stripped):
            settings[match.group(1).strip().lower().replace(" ", "_")] = match.group(2)
    return settings, len(lines)


def _setting(settings: dict[str, str], keys: set[str]) -> str | None:
    return next((settings[k] for k in settings if k in keys), None)


def _parse_rate(text: str, name: str) -> float:
    try:
        return float(re.sub(r"(?i)\s*hz$", "", text))
    except ValueError:
        raise InvalidSignalError(
            f"{name}: the sampling rate '{excerpt(text)}' is not a number. {_HOW_TO_GIVE_RATE}"
        ) from None


def _numbers(rows: list[list[str]], line_numbers: list[int], header: list[str],
             name: str) -> np.ndarray:
    """The table as floats; a missing or non-numeric cell is reported by line and column."""
    try:
        values = np.array(rows, dtype=np.float64)
    except ValueError:
        r, c = next((r, c) for r, row in enumerate(rows) for c, cell in enumerate(row)
                    if not _is_number(cell))
        cell = "".join(ch if ch.isprintable() else "?" for ch in rows[r][c].strip()[:20])
        problem = f"holds '{cell}', not a number" if cell else "is empty"
    else:
        bad = np.argwhere(~np.isfinite(values))
        if not bad.size:
            return values
        r, c = bad[0]
        problem = "holds NaN or an infinite value"
    raise InvalidSignalError(
        f"{name}: line {line_numbers[r]}, column {excerpt(header[c])} {problem}. ECG samples "
        "cannot be guessed: fix that line, or cut the recording before it."
    )


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _rate_from_time(seconds: np.ndarray, name: str) -> float:
    with np.errstate(all="ignore"):  # times near the float limit: the spacing is not finite
        steps = np.diff(seconds)
        step = float(np.median(steps)) if steps.size else 0.0
        uneven = not np.isfinite(step) or np.abs(steps - step).max() > 0.01 * step
    if step <= 0 or uneven:
        raise InvalidSignalError(
            f"{name}: the time column is not evenly spaced, so the sampling rate cannot be "
            f"computed from it. {_HOW_TO_GIVE_RATE}"
        )
    return round(1.0 / step, 6)


READER = Reader("CSV", "signal", _sniff, (".csv", ".tsv"), read_csv)
