"""EDF, EDF+ and BDF recordings, read with edfio.

EDF files often carry more than the ECG (respiration, SpO2, annotations) and may mix
sampling rates. Annotation channels are skipped by edfio; of the voltage signals, the
ECG leads are kept (all of them when none is named as one) at their most common rate,
and any lead at another rate is resampled to it.
"""

from __future__ import annotations

import datetime
import warnings
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ecgviewer.core.errors import CorruptFileError, InvalidSignalError
from ecgviewer.core.readers import Reader, check_file
from ecgviewer.core.readers.limits import check_samples, excerpt
from ecgviewer.core.readers.units import mv_per_unit
from ecgviewer.core.record import STANDARD_LEADS, EcgRecord, RecordMetadata, normalise_lead_name

if TYPE_CHECKING:
    import edfio

_EDF_MAGIC = b"0       "
_BDF_MAGIC = b"\xffBIOSEMI"
#: More signals than this in one EDF header is damage, not a recording.
_MAX_SIGNALS = 4096


def _sniff(path: Path, head: bytes) -> bool:
    if path.suffix.lower() in (".edf", ".bdf") or head.startswith(_BDF_MAGIC):
        return True
    # Plain EDF has no magic number: check that the fixed header fields parse.
    fields = (head[184:192], head[236:244], head[252:256])
    return head.startswith(_EDF_MAGIC) and all(f.strip().lstrip(b"-").isdigit() for f in fields)


def _read(path: Path) -> EcgRecord:
    import edfio  # at the first EDF read: the app's start does not wait for it

    is_bdf = _check_header(path)
    try:
        with warnings.catch_warnings():
            # edfio warns about header quirks its reader tolerates; sizes are checked above
            warnings.simplefilter("ignore")
            edf = edfio.read_bdf(path) if is_bdf else edfio.read_edf(path, lazy_load_data=False)
            signals = [(s.label, s.physical_dimension, s.sampling_frequency, s.data)
                       for s in edf.signals]
            age, sex = _age_sex(edf)
    except (ValueError, IndexError, OSError, ArithmeticError) as exc:
        raise CorruptFileError(
            f"{path.name} looks like an EDF file but its header or data is broken "
            f"({excerpt(exc, 160)}). Export the recording again."
        ) from exc
    with np.errstate(all="ignore"):  # absurd physical ranges give inf: the record refuses it
        volts = [(label, rate, data * mv_per_unit(unit)) for label, unit, rate, data in signals
                 if mv_per_unit(unit) is not None]
    if not volts:
        found = excerpt(", ".join(f"{label} [{unit or 'no unit'}]"
                          for label, unit, _, _ in signals), 160)
        raise InvalidSignalError(
            f"{path.name} holds no signals measured in volts ({found or 'no signals'}), so "
            "it is not an ECG."
        )
    ecg = [v for v in volts if _is_ecg_label(v[0])] or volts
    rate = Counter(r for _, r, _ in ecg).most_common(1)[0][0]
    name = path.stem
    leads, rows, notes = [], [], []
    for label, signal_rate, data in ecg:
        if signal_rate != rate:
            one = EcgRecord(data[None, :], signal_rate, (label,),
                            RecordMetadata(record_name=f"{name} ({label})"))
            data = one.resampled(rate).signals[0]
            notes.append(f"{normalise_lead_name(label)} resampled from {signal_rate:g} Hz "
                         f"to {rate:g} Hz")
        leads.append(label)
        rows.append(data)
    length = min(len(r) for r in rows)  # resampling may leave one sample more or less
    meta = RecordMetadata(source_path=str(path), format="BDF" if is_bdf else "EDF",
                          record_name=name, age=age, sex=sex, derived=tuple(notes))
    return EcgRecord(np.stack([r[:length] for r in rows]), rate,
                     tuple(leads), meta)


def _check_header(path: Path) -> bool:
    """Whether ``path`` is BDF, after checking its header's sizes against the file's.

    edfio trusts the header: a zero record duration, zero signals or a negative byte
    count make it fail deep inside, and a promised size larger than the file is read as
    a truncated recording. All of that is refused here, before edfio allocates anything.
    """
    size = check_file(path)
    with path.open("rb") as fh:
        head = fh.read(256)
        is_bdf = head.startswith(_BDF_MAGIC)
        try:
            header_bytes, promised = int(head[184:192]), int(head[236:244])
            duration, count = float(head[244:252]), int(head[252:256])
            if not 0 < count <= _MAX_SIGNALS or header_bytes != 256 * (count + 1):
                raise ValueError(f"{count} signals in a header of {header_bytes} bytes")
            fields = fh.read(256 * count)
            start = count * 216
            per_record = [int(fields[start + 8 * i:start + 8 * i + 8]) for i in range(count)]
            ranges = [float(fields[count * k + 8 * i:count * k + 8 * i + 8])
                      for k in (120, 128) for i in range(count)]  # digital min, then max
        except ValueError as exc:
            raise CorruptFileError(
                f"{path.name} looks like an EDF file but its header is broken "
                f"({excerpt(exc, 160)}). Export the recording again."
            ) from exc
    if not (np.isfinite(duration) and duration > 0) or min(per_record) < 1 or promised < -1:
        raise CorruptFileError(
            f"{path.name} has an impossible EDF header (data records of {duration:g} s, "
            f"{min(per_record)} samples per record, {promised} records). Export it again."
        )
    if any(lo >= hi for lo, hi in zip(ranges[:count], ranges[count:])):
        raise CorruptFileError(
            f"{path.name} has a signal whose digital range is empty, so its samples cannot "
            "be converted to volts. Export the recording again."
        )
    record_bytes = sum(per_record) * (3 if is_bdf else 2)
    held = (size - header_bytes) // record_bytes if size > header_bytes else 0
    if promised == -1:  # a recording still in progress: as many records as the file holds
        promised = held
    if held < promised or promised == 0:
        raise CorruptFileError(
            f"{path.name} is truncated: it holds {held * duration:g} of the "
            f"{promised * duration:g} seconds its header promises. Copy the file again from "
            "its source."
        )
    check_samples(path.name, 1, sum(per_record) * promised)
    return is_bdf


def _is_ecg_label(label: str) -> bool:
    upper = label.upper()
    return normalise_lead_name(label) in STANDARD_LEADS or "ECG" in upper or "EKG" in upper


def _age_sex(edf: edfio.Edf | edfio.Bdf) -> tuple[float | None, str | None]:
    """Age and sex from the EDF+ patient field; plain EDF files leave them unknown."""
    sex = {"M": "male", "F": "female"}.get(edf.patient.sex)
    try:
        age = _years(edf.patient.birthdate, edf.startdate)
    except ValueError:  # includes edfio's AnonymizedDateError
        age = None
    return age, sex


def _years(born: datetime.date, on: datetime.date) -> float:
    return float(on.year - born.year - ((on.month, on.day) < (born.month, born.day)))


READER = Reader("EDF", "signal", _sniff, (".edf", ".bdf"), _read)
