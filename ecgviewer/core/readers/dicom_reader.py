"""DICOM ECG waveforms (12-lead and general ECG objects), read with pydicom.

A DICOM ECG may hold several multiplex groups, typically the 10 s rhythm and a median
beat: the group labelled RHYTHM is read, else the longest. Lead names come from the
channel source codes (SCP-ECG or MDC), falling back to their code meanings.
"""

from __future__ import annotations

import dataclasses
import re
import struct
import sys
import warnings
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ecgviewer.core.errors import CorruptFileError, UnsupportedFormatError
from ecgviewer.core.readers import Reader
from ecgviewer.core.readers.leadnames import LEAD_BY_NUMBER
from ecgviewer.core.readers.limits import check_samples, excerpt
from ecgviewer.core.readers.units import mv_per_unit
from ecgviewer.core.record import EcgRecord, RecordMetadata


@cache
def _import_pydicom():
    """pydicom, imported at the first DICOM read (it takes a fifth of a second) and
    without its test-data downloader's HTTP stack.

    ``import pydicom`` reaches ``pydicom.data``, which imports requests, whose urllib3
    opens an IPv6 socket at import time. Hiding requests for the duration of the import
    makes that downloader fall back to urllib (which opens nothing until asked); it is
    never asked, and requests imports normally afterwards for whoever needs it.
    """
    if "pydicom" in sys.modules or "requests" in sys.modules:
        import pydicom.errors
        return pydicom
    sys.modules["requests"] = None  # type: ignore[assignment]  # "import requests" fails
    try:
        import pydicom.errors
    finally:
        del sys.modules["requests"]
    return pydicom


if TYPE_CHECKING:
    from pydicom.dataset import Dataset

#: SCP-ECG ("5.6.3-9-N") and MDC ("2:N") lead codes share their numbers N.
_LEAD_CODE = re.compile(r"^(?:5\.6\.3-9-|2:)(\d+)$")
#: Waveform sample types read (bits allocated, interpretation); mu-law and A-law are not.
_DTYPES = {(8, "SB"): "i1", (8, "UB"): "u1", (16, "SS"): "<i2", (16, "US"): "<u2",
           (32, "SL"): "<i4", (32, "UL"): "<u4"}
#: What damaged elements raise when pydicom converts them on access (and pydicom's
#: BytesLengthException).
_DAMAGE = (AttributeError, KeyError, IndexError, TypeError, ValueError, OverflowError,
           NotImplementedError, struct.error)


def _sniff(path: Path, head: bytes) -> bool:
    return head[128:132] == b"DICM" or path.suffix.lower() in (".dcm", ".dicom")


def _read(path: Path) -> EcgRecord:
    with warnings.catch_warnings(record=True) as said:
        # pydicom warns about non-conforming values it reads anyway: a note, not stderr
        warnings.simplefilter("always")
        record = _read_dataset(path)
    quirks = sorted({" ".join(str(w.message).split())[:120] for w in said})
    if not quirks:
        return record
    note = (f"DICOM: {len(quirks)} non-conforming element value(s) read anyway "
            f"(first: {quirks[0]})")
    meta = dataclasses.replace(record.metadata, derived=record.metadata.derived + (note,))
    return dataclasses.replace(record, metadata=meta)


def _read_dataset(path: Path) -> EcgRecord:
    pydicom = _import_pydicom()
    try:
        ds = pydicom.dcmread(path)
    except pydicom.errors.InvalidDicomError as exc:
        raise CorruptFileError(
            f"{path.name} is not a valid DICOM file (it lacks the DICOM header). Export the "
            "ECG again from the ECG system."
        ) from exc
    except Exception as exc:  # pydicom raises many exception types for damaged files
        raise CorruptFileError(
            f"{path.name} is a damaged DICOM file ({excerpt(exc, 160)}). Copy or export it again."
        ) from exc
    try:
        if "WaveformSequence" not in ds:
            kind = getattr(ds.get("SOPClassUID"), "name", None) or ds.get("Modality") or "unknown"
            raise UnsupportedFormatError(
                f"{path.name} is a DICOM file without ECG waveforms ({excerpt(kind)}). Open a "
                "DICOM ECG "
                "waveform export; a picture of a paper ECG can be opened as an image instead."
            )
        return _record(ds, path)
    except (*_DAMAGE, pydicom.errors.BytesLengthException) as exc:  # decoded on access
        raise CorruptFileError(
            f"{path.name} has a damaged or incomplete ECG waveform ({excerpt(exc, 160)}). Export "
            "it again."
        ) from exc


def _record(ds: Dataset, path: Path) -> EcgRecord:
    groups = list(ds.WaveformSequence)
    if not groups:
        raise CorruptFileError(f"{path.name} has an empty DICOM waveform sequence.")
    group = groups[_rhythm_group(groups)]
    channels = list(group.ChannelDefinitionSequence)
    signals = _samples(group, len(channels), path)
    factors = np.array([_mv_per_unit(ch, path) for ch in channels])
    with np.errstate(all="ignore"):  # absurd sensitivities give inf: the record refuses it
        signals = signals * factors[:, None]
    leads = tuple(_lead_name(ch, i) for i, ch in enumerate(channels))
    meta = RecordMetadata(
        source_path=str(path), format="DICOM", record_name=path.stem,
        age=_age(str(ds.get("PatientAge", ""))),
        sex={"M": "male", "F": "female"}.get(str(ds.get("PatientSex", "")).upper()),
        device=" ".join(str(ds.get(k, "")) for k in ("Manufacturer", "ManufacturerModelName"))
        .strip() or None,
    )
    return EcgRecord(signals, float(group.SamplingFrequency), leads, meta)


def _samples(group: Dataset, n_channels: int, path: Path) -> np.ndarray:
    """One multiplex group's samples (channels, samples) in each channel's units.

    Sizes are checked against the element lengths before anything is allocated.
    """
    declared = int(group.NumberOfWaveformChannels)
    length = int(group.NumberOfWaveformSamples)
    key = (int(group.WaveformBitsAllocated), str(group.WaveformSampleInterpretation))
    if key not in _DTYPES:
        raise UnsupportedFormatError(
            f"{path.name} stores its waveform as {key[0]}-bit '{excerpt(key[1])}' samples, which "
            "ecgviewer does not read (8, 16 or 32-bit linear samples are read)."
        )
    if declared != n_channels or declared < 1 or length < 2:
        raise CorruptFileError(
            f"{path.name} declares {declared} channels of {length} samples but defines "
            f"{n_channels} channels: the waveform is damaged. Export it again."
        )
    check_samples(path.name, declared, length)
    data = group.WaveformData
    dtype = np.dtype(_DTYPES[key])
    if len(data) < declared * length * dtype.itemsize:
        raise CorruptFileError(
            f"{path.name} is truncated: its waveform holds {len(data)} bytes where "
            f"{declared} channels of {length} samples need {declared * length * dtype.itemsize}."
        )
    raw = np.frombuffer(data, dtype, count=declared * length).reshape(length, declared).T
    values = raw.astype(np.float64)
    with np.errstate(all="ignore"):
        for row, channel in zip(values, group.ChannelDefinitionSequence):
            sensitivity = float(channel.get("ChannelSensitivity", 1.0))
            correction = float(channel.get("ChannelSensitivityCorrectionFactor", 1.0))
            row[:] = row * sensitivity * correction + float(channel.get("ChannelBaseline", 0.0))
    return values


def _rhythm_group(groups: list[Dataset]) -> int:
    for i, group in enumerate(groups):
        if "RHYTHM" in str(group.get("MultiplexGroupLabel", "")).upper():
            return i

    def seconds(i: int) -> float:
        rate = float(groups[i].get("SamplingFrequency", 0) or 0)
        return int(groups[i].get("NumberOfWaveformSamples", 0) or 0) / rate if rate > 0 else 0.0

    return max(range(len(groups)), key=seconds)


def _mv_per_unit(channel: Dataset, path: Path) -> float:
    units = channel.get("ChannelSensitivityUnitsSequence")
    unit = str(units[0].CodeValue) if units else ""
    factor = mv_per_unit(unit) if "ChannelSensitivity" in channel else None
    if factor is None:
        raise CorruptFileError(
            f"{path.name} does not calibrate its ECG channels in volts (sensitivity unit: "
            f"'{excerpt(unit) or 'none'}'), so amplitudes cannot be shown in mV."
        )
    return factor


def _lead_name(channel: Dataset, index: int) -> str:
    source = channel.ChannelSourceSequence[0]
    code = str(source.get("CodeValue", ""))
    match = _LEAD_CODE.match(code)
    if match and int(match.group(1)) in LEAD_BY_NUMBER:
        return LEAD_BY_NUMBER[int(match.group(1))]
    # "Lead I (Einthoven)", "aVR, augmented voltage, right" -> "Lead I", "aVR"
    meaning = re.split(r"[(,]", str(source.get("CodeMeaning", "")))[0].strip()
    return meaning or code or f"Channel {index + 1}"


def _age(text: str) -> float | None:
    """DICOM age strings: "056Y", "006M", "003W", "010D"."""
    match = re.fullmatch(r"(\d{3})([YMWD])", text.strip())
    if not match:
        return None
    per_year = {"Y": 1, "M": 12, "W": 52.1775, "D": 365.25}[match.group(2)]
    return round(int(match.group(1)) / per_year, 2)


READER = Reader("DICOM", "signal", _sniff, (".dcm", ".dicom"), _read)
