"""GE MUSE resting ECG XML (``<RestingECG>``), read with the stdlib XML parser.

No maintained library reads it (PyPI has one-off converters only), and the format is
plain: each ``<Waveform>`` (Median or Rhythm) holds one ``<LeadData>`` per lead with
Base64 16-bit little-endian samples in ``<WaveFormData>``, scaled by
``<LeadAmplitudeUnitsPerBit>`` (microvolts) at ``<SampleBase>`` Hz. MUSE stores eight
leads (I, II, V1-V6); the limb leads III, aVR, aVL and aVF are derived later from I and
II, with a note. ``<LeadDataCRC32>`` is verified where present.
"""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import numpy as np

from ecgviewer.core.errors import CorruptFileError, InvalidSignalError, UnsupportedFormatError
from ecgviewer.core.readers import Reader
from ecgviewer.core.readers.limits import check_samples, excerpt
from ecgviewer.core.readers.units import mv_per_unit
from ecgviewer.core.readers.xmlsafe import local_name, looks_like_xml, parse_xml
from ecgviewer.core.record import EcgRecord, RecordMetadata

_UNITS = {"MICROVOLTS": "uV", "MILLIVOLTS": "mV", "VOLTS": "V"}


def _sniff(path: Path, head: bytes) -> bool:
    return looks_like_xml(head, "RestingECG")


def _read(path: Path) -> EcgRecord:
    root = parse_xml(path, "GE MUSE")
    if local_name(root) != "RestingECG":
        raise UnsupportedFormatError(
            f"{path.name} mentions RestingECG but its root element is <{local_name(root)}>, "
            "so it is not a GE MUSE XML file."
        )
    waveforms = root.findall("Waveform")
    rhythm = next((w for w in waveforms if _text(w, "WaveformType").upper() == "RHYTHM"), None)
    if rhythm is None:
        raise CorruptFileError(
            f"{path.name} is a GE MUSE XML file without a rhythm waveform (only "
            f"{', '.join(_text(w, 'WaveformType') or '?' for w in waveforms) or 'none'}). "
            "Export it again with the full-disclosure rhythm."
        )
    exponent = _number(rhythm, "SampleExponent", path, default=0.0)
    if abs(exponent) > 6:
        raise CorruptFileError(f"{path.name} gives an impossible <SampleExponent> ({exponent:g}).")
    rate = _number(rhythm, "SampleBase", path) * 10 ** exponent
    leads, rows = [], []
    for lead in rhythm.findall("LeadData"):
        leads.append(excerpt(_text(lead, "LeadID"), 20) or f"lead {len(leads) + 1}")
        rows.append(_lead_mv(lead, leads[-1], path))
    if not rows:
        raise CorruptFileError(f"{path.name}: its rhythm waveform holds no leads.")
    if len({r.size for r in rows}) > 1:
        raise CorruptFileError(
            f"{path.name} has leads of different lengths ({', '.join(str(r.size) for r in rows)}"
            " samples): the file is damaged. Export it again."
        )
    demographics = root.find("PatientDemographics")
    meta = RecordMetadata(
        source_path=str(path), format="GE MUSE XML", record_name=path.stem,
        age=_age(demographics),
        sex={"MALE": "male", "FEMALE": "female"}.get(_text(demographics, "Gender").upper()),
        device=_text(root.find("TestDemographics"), "AcquisitionDevice") or None,
    )
    return EcgRecord(np.stack(rows), rate, tuple(leads), meta)


def _lead_mv(lead: ET.Element, label: str, path: Path) -> np.ndarray:
    """One lead's samples in mV, after checking count, size and CRC."""
    count = int(_number(lead, "LeadSampleCountTotal", path))
    check_samples(path.name, 1, count)
    if _number(lead, "LeadSampleSize", path, default=2.0) != 2:
        raise UnsupportedFormatError(
            f"{path.name} stores lead {label} in {excerpt(_text(lead, 'LeadSampleSize'))}-byte "
            "samples; ecgviewer reads MUSE's 2-byte samples."
        )
    unit = _UNITS.get(_text(lead, "LeadAmplitudeUnits").upper() or "MICROVOLTS")
    if unit is None:
        raise InvalidSignalError(
            f"{path.name} gives lead {label} in '{excerpt(_text(lead, 'LeadAmplitudeUnits'))}', "
            "not in volts, so it cannot be shown as an ECG."
        )
    per_bit = _number(lead, "LeadAmplitudeUnitsPerBit", path)
    try:
        data = base64.b64decode(_text(lead, "WaveFormData"))
    except (binascii.Error, ValueError) as exc:
        raise CorruptFileError(
            f"{path.name}: lead {label}'s samples are not Base64 ({excerpt(exc)}).") from exc
    crc = _text(lead, "LeadDataCRC32")
    if crc.isdecimal() and int(crc) != zlib.crc32(data):
        raise CorruptFileError(
            f"{path.name}: lead {label}'s samples fail their CRC: the file is damaged. "
            "Export it again."
        )
    if len(data) < 2 * count:
        raise CorruptFileError(
            f"{path.name}: lead {label} holds {len(data) // 2} of its {count} samples: the "
            "file is truncated or damaged. Export it again."
        )
    samples = np.frombuffer(data, "<i2", count=count).astype(np.float64)
    with np.errstate(all="ignore"):
        return samples * per_bit * mv_per_unit(unit)


def _text(parent: ET.Element | None, tag: str) -> str:
    child = None if parent is None else parent.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _number(parent: ET.Element, tag: str, path: Path, default: float | None = None) -> float:
    text = _text(parent, tag)
    try:
        value = float(text) if text else default
    except ValueError:
        value = None
    if value is None or not np.isfinite(value) or (default is None and value <= 0):
        raise CorruptFileError(
            f"{path.name} gives no valid <{tag}> ('{excerpt(text)}'): the GE MUSE XML file is "
            "damaged. Export it again."
        )
    return value


def _age(demographics: ET.Element | None) -> float | None:
    text = _text(demographics, "PatientAge")
    if not text.isdecimal():
        return None
    per_year = {"YEARS": 1.0, "MONTHS": 12.0, "WEEKS": 52.1775, "DAYS": 365.25}.get(
        _text(demographics, "AgeUnits").upper() or "YEARS")
    return round(int(text) / per_year, 2) if per_year else None


READER = Reader("GE MUSE XML", "signal", _sniff, (".xml",), _read)
