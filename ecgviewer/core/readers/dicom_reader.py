"""DICOM ECG waveforms (12-lead and general ECG objects), read with pydicom.

A DICOM ECG may hold several multiplex groups, typically the 10 s rhythm and a median
beat: the group labelled RHYTHM is read, else the longest. Lead names come from the
channel source codes (SCP-ECG or MDC), falling back to their code meanings.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from ecgviewer.core.errors import CorruptFileError, UnsupportedFormatError
from ecgviewer.core.readers import Reader
from ecgviewer.core.readers.units import mv_per_unit
from ecgviewer.core.record import EcgRecord, RecordMetadata

#: SCP-ECG ("5.6.3-9-N") and MDC ("2:N") lead codes share their numbers N.
_LEAD_CODE = re.compile(r"^(?:5\.6\.3-9-|2:)(\d+)$")
_LEAD_BY_NUMBER = {
    1: "I", 2: "II", 61: "III", 62: "aVR", 63: "aVL", 64: "aVF",
    3: "V1", 4: "V2", 5: "V3", 6: "V4", 7: "V5", 8: "V6",
}


def _sniff(path: Path, head: bytes) -> bool:
    return head[128:132] == b"DICM" or path.suffix.lower() in (".dcm", ".dicom")


def _read(path: Path) -> EcgRecord:
    try:
        ds = pydicom.dcmread(path)
    except InvalidDicomError as exc:
        raise CorruptFileError(
            f"{path.name} is not a valid DICOM file (it lacks the DICOM header). Export the "
            "ECG again from the ECG system."
        ) from exc
    except Exception as exc:  # pydicom raises many exception types for damaged files
        raise CorruptFileError(
            f"{path.name} is a damaged DICOM file ({exc}). Copy or export it again."
        ) from exc
    if "WaveformSequence" not in ds:
        kind = getattr(ds.get("SOPClassUID"), "name", None) or ds.get("Modality") or "unknown"
        raise UnsupportedFormatError(
            f"{path.name} is a DICOM file without ECG waveforms ({kind}). Open a DICOM ECG "
            "waveform export; a picture of a paper ECG can be opened as an image instead."
        )
    try:
        return _record(ds, path)
    except (AttributeError, KeyError, IndexError, TypeError, ValueError) as exc:
        raise CorruptFileError(
            f"{path.name} has a damaged or incomplete ECG waveform ({exc}). Export it again."
        ) from exc


def _record(ds: Dataset, path: Path) -> EcgRecord:
    groups = list(ds.WaveformSequence)
    index = _rhythm_group(groups)
    group = groups[index]
    channels = list(group.ChannelDefinitionSequence)
    factors = [_mv_per_unit(ch, path) for ch in channels]
    values = ds.waveform_array(index).T  # (channels, samples) in each channel's units
    signals = values * np.array(factors)[:, None]
    leads = tuple(_lead_name(ch, i) for i, ch in enumerate(channels))
    meta = RecordMetadata(
        source_path=str(path), format="DICOM", record_name=path.stem,
        age=_age(str(ds.get("PatientAge", ""))),
        sex={"M": "male", "F": "female"}.get(str(ds.get("PatientSex", "")).upper()),
        device=" ".join(str(ds.get(k, "")) for k in ("Manufacturer", "ManufacturerModelName"))
        .strip() or None,
    )
    return EcgRecord(signals.astype(np.float32), float(group.SamplingFrequency), leads, meta)


def _rhythm_group(groups: list[Dataset]) -> int:
    for i, group in enumerate(groups):
        if "RHYTHM" in str(group.get("MultiplexGroupLabel", "")).upper():
            return i
    return max(range(len(groups)),
               key=lambda i: groups[i].NumberOfWaveformSamples / groups[i].SamplingFrequency)


def _mv_per_unit(channel: Dataset, path: Path) -> float:
    units = channel.get("ChannelSensitivityUnitsSequence")
    unit = str(units[0].CodeValue) if units else ""
    factor = mv_per_unit(unit) if "ChannelSensitivity" in channel else None
    if factor is None:
        raise CorruptFileError(
            f"{path.name} does not calibrate its ECG channels in volts (sensitivity unit: "
            f"'{unit or 'none'}'), so amplitudes cannot be shown in mV."
        )
    return factor


def _lead_name(channel: Dataset, index: int) -> str:
    source = channel.ChannelSourceSequence[0]
    code = str(source.get("CodeValue", ""))
    match = _LEAD_CODE.match(code)
    if match and int(match.group(1)) in _LEAD_BY_NUMBER:
        return _LEAD_BY_NUMBER[int(match.group(1))]
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
