"""HL7 annotated ECG (aECG, FDA XML), read with the stdlib XML parser.

An aECG holds series of sequence sets: one time sequence (GLIST_TS or GLIST_PQ, whose
increment is the sampling interval) and one SLIST_PQ sequence per lead (digits scaled
by ``scale`` and shifted by ``origin``). The RHYTHM series is read, else the first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from ecgviewer.core.errors import CorruptFileError, InvalidSignalError, UnsupportedFormatError
from ecgviewer.core.readers import Reader
from ecgviewer.core.readers.limits import excerpt
from ecgviewer.core.readers.units import mv_per_unit
from ecgviewer.core.readers.xmlsafe import local_name, looks_like_xml, parse_xml
from ecgviewer.core.record import EcgRecord, RecordMetadata

_NS = {"v3": "urn:hl7-org:v3"}
_SECONDS_PER_UNIT = {"s": 1.0, "ms": 1e-3, "us": 1e-6}


def _sniff(path: Path, head: bytes) -> bool:
    return looks_like_xml(head, "AnnotatedECG")


def _read(path: Path) -> EcgRecord:
    root = parse_xml(path, "HL7 aECG")
    if local_name(root) != "AnnotatedECG":
        raise UnsupportedFormatError(
            f"{path.name} mentions AnnotatedECG but its root element is <{local_name(root)}>, "
            "so it is not an HL7 aECG file."
        )
    series = root.findall(".//v3:component/v3:series", _NS)
    if not series:
        raise CorruptFileError(f"{path.name} is an HL7 aECG file without any ECG series.")
    chosen = next((s for s in series if _code(s) == "RHYTHM"), series[0])
    sequences = chosen.findall("v3:component/v3:sequenceSet/v3:component/v3:sequence", _NS)
    rate = None
    leads, rows = [], []
    for sequence in sequences:
        code, value = _code(sequence), sequence.find("v3:value", _NS)
        if value is None:
            continue
        if code.startswith("TIME_"):
            rate = _rate(value, path)
        elif code.startswith("MDC_ECG_LEAD_"):
            leads.append(code)
            rows.append(_lead_mv(value, code, path))
    if not rows:
        raise CorruptFileError(
            f"{path.name} is an HL7 aECG file whose rhythm series has no leads. Export it again."
        )
    if rate is None:
        raise CorruptFileError(
            f"{path.name} has no time sequence, so its sampling rate is unknown. Export the "
            "aECG again."
        )
    if len({len(r) for r in rows}) > 1:
        raise CorruptFileError(
            f"{path.name} has leads of different lengths ({', '.join(str(len(r)) for r in rows)}"
            " samples): the file is damaged. Export it again."
        )
    meta = RecordMetadata(source_path=str(path), format="HL7 aECG", record_name=path.stem,
                          sex=_sex(root))
    return EcgRecord(np.stack(rows), rate, tuple(leads), meta)


def _code(element: ET.Element) -> str:
    code = element.find("v3:code", _NS)
    return "" if code is None else code.get("code", "")


def _quantity(element: ET.Element | None, path: Path, what: str) -> tuple[float, str]:
    """The ``value`` and ``unit`` attributes of a physical-quantity element."""
    try:
        return float(element.get("value")), element.get("unit", "")
    except (AttributeError, TypeError, ValueError):
        raise CorruptFileError(
            f"{path.name} has a missing or malformed {what}: the aECG file is damaged. "
            "Export it again."
        ) from None


def _rate(value: ET.Element, path: Path) -> float:
    increment, unit = _quantity(value.find("v3:increment", _NS), path, "time increment")
    seconds = increment * _SECONDS_PER_UNIT.get(unit or "s", np.nan)
    if not seconds > 0:
        raise InvalidSignalError(
            f"{path.name} gives a sampling interval of {increment:g} {excerpt(unit)}, which is "
            "not a usable sampling rate. Check the export settings of the ECG system."
        )
    return round(1.0 / seconds, 6)


def _lead_mv(value: ET.Element, code: str, path: Path) -> np.ndarray:
    origin, origin_unit = _quantity(value.find("v3:origin", _NS), path, f"origin for {code}")
    scale, scale_unit = _quantity(value.find("v3:scale", _NS), path, f"scale for {code}")
    origin_mv, scale_mv = mv_per_unit(origin_unit), mv_per_unit(scale_unit)
    if origin_mv is None or scale_mv is None:
        raise InvalidSignalError(
            f"{path.name} gives {excerpt(code)} in '{excerpt(scale_unit)}', not in volts, so it "
            "cannot be shown as an ECG."
        )
    digits = value.find("v3:digits", _NS)
    try:
        numbers = np.array((digits.text or "").split(), dtype=np.float64)
    except (AttributeError, ValueError):
        raise CorruptFileError(
            f"{path.name} has missing or non-numeric samples for {excerpt(code)}: the file is "
            "damaged. Export it again."
        ) from None
    with np.errstate(all="ignore"):  # absurd scales overflow to inf, which the record refuses
        return origin * origin_mv + numbers * scale * scale_mv


def _sex(root: ET.Element) -> str | None:
    gender = root.find(".//v3:administrativeGenderCode", _NS)
    return None if gender is None else {"M": "male", "F": "female"}.get(gender.get("code", ""))


READER = Reader("HL7 aECG", "signal", _sniff, (".xml",), _read)
