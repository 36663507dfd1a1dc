"""Philips SierraECG / PhilipsECG XML (PageWriter, TraceMaster), read with sierraecg.

sierraecg decodes the XLI-compressed waveforms these devices write (and rebuilds leads
III, aVR, aVL and aVF, stored as residuals). It fails on uncompressed Base64 waveforms
(sierraecg 0.4 rebuilds those leads in place on a read-only buffer, a step meant for
XLI data only), so those plain 16-bit samples are decoded here. Sample values are
scaled by the file's resolution (microvolts per unit), which sierraecg does not report.
"""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from ecgviewer.core.errors import CorruptFileError, UnsupportedFormatError
from ecgviewer.core.readers import Reader
from ecgviewer.core.readers.limits import check_samples, excerpt
from ecgviewer.core.readers.xmlsafe import local_name, looks_like_xml, parse_xml
from ecgviewer.core.record import EcgRecord, RecordMetadata


#: Base64 waveform text beyond this is not a resting ECG (12 leads x 10 s x 1 kHz is 320 KB),
#: and sierraecg's pure-Python XLI decoder would take minutes over it.
_MAX_WAVEFORM_CHARS = 4 * 1024 * 1024


def _sniff(path: Path, head: bytes) -> bool:
    return looks_like_xml(head, "restingecgdata")


def _read(path: Path) -> EcgRecord:
    import sierraecg  # at the first Philips read: the app's start does not wait for it

    root = parse_xml(path, "Philips ECG")
    waveforms = _require(root, "parsedwaveforms", path)
    characteristics = _require(root, "signalcharacteristics", path)
    # 1.04 writes <resolution>, 1.03 <signalresolution>
    resolution_uv = _number(_text(characteristics, "resolution")
                            or _text(characteristics, "signalresolution"), path,
                            "signal resolution")
    compression = waveforms.get("compressmethod", waveforms.get("compression", "Uncompressed"))
    if len(waveforms.text or "") > _MAX_WAVEFORM_CHARS:
        raise UnsupportedFormatError(
            f"{path.name} holds {len(waveforms.text) / 2**20:.0f} MB of waveform data, far "
            "more than a resting ECG: it is damaged or not a resting ECG export."
        )
    try:
        if compression.upper() == "XLI":
            leads = sierraecg.read_file(str(path)).leads
            labels = [lead.label for lead in leads]
            rate = float(leads[0].sampling_freq)
            samples = np.stack([np.asarray(lead.samples, dtype=np.float64) for lead in leads])
        else:
            rate = _number(_text(characteristics, "samplingrate"), path, "sampling rate")
            labels, samples = _uncompressed(waveforms, rate, path)
    except sierraecg.UnsupportedXmlFileError as exc:
        raise UnsupportedFormatError(
            f"{path.name} is a Philips ECG XML variant that ecgviewer cannot read "
            f"({excerpt(exc)}). Export it as PhilipsECG XML 1.03 or 1.04, or as DICOM or HL7 aECG."
        ) from exc
    except (sierraecg.MissingXmlElementError, sierraecg.MissingXmlAttributeError) as exc:
        raise CorruptFileError(
            f"{path.name} is a Philips ECG XML file missing its '{excerpt(exc)}' entry: it is "
            "damaged or incomplete. Export it again."
        ) from exc
    except (ValueError, IndexError, OverflowError, binascii.Error) as exc:
        # damaged XLI data decodes to values outside 16 bits, or leads of unequal length
        raise CorruptFileError(
            f"{path.name} has damaged Philips waveform data ({excerpt(exc, 160)}). Export it again."
        ) from exc
    patient = _find(root, "generalpatientdata")
    sex = _text(patient, "sex").lower()
    years = _text(_find(patient, "age"), "years")
    meta = RecordMetadata(
        source_path=str(path), format="Philips XML", record_name=path.stem,
        age=float(years) if years.isdecimal() else None,
        sex=sex if sex in ("male", "female") else None,
        device=_text(_find(root, "dataacquisition"), "machine") or None,
    )
    with np.errstate(all="ignore"):  # a huge resolution overflows to inf: the record refuses it
        millivolts = samples * resolution_uv / 1000.0
    return EcgRecord(millivolts, rate,
                     tuple(labels), meta)


def _uncompressed(waveforms: ET.Element, rate: float, path: Path) -> tuple[list[str], np.ndarray]:
    """Plain Base64 waveforms: 16-bit little-endian samples, one lead after another."""
    if waveforms.get("dataencoding", "Base64") != "Base64":
        raise UnsupportedFormatError(
            f"{path.name} stores its waveforms as '{excerpt(waveforms.get('dataencoding'))}', "
            "which ecgviewer cannot read. Export it with Base64 or XLI waveforms."
        )
    labels = waveforms.get("leadlabels", "").split()[: int(waveforms.get("numberofleads", 0))]
    duration_ms = _number(waveforms.get("durationperchannel"), path, "duration")
    if not duration_ms * rate / 1000 < 2**31:
        raise CorruptFileError(
            f"{path.name} gives an impossible duration ({duration_ms:g} ms): the Philips ECG "
            "XML file is damaged. Export it again."
        )
    per_lead = int(round(duration_ms * rate / 1000))
    check_samples(path.name, max(len(labels), 1), per_lead)
    data = np.frombuffer(base64.b64decode(waveforms.text or ""), dtype="<i2")
    if not labels or data.size < per_lead * len(labels):
        raise CorruptFileError(
            f"{path.name} holds fewer waveform samples than its header promises: the file is "
            "damaged or incomplete. Export it again."
        )
    return labels, data[: per_lead * len(labels)].reshape(len(labels), per_lead)


def _find(root: ET.Element | None, name: str) -> ET.Element | None:
    """The first element called ``name``, with or without the Philips namespace."""
    if root is None:
        return None
    return next((e for e in root.iter() if local_name(e) == name), None)


def _require(root: ET.Element, name: str, path: Path) -> ET.Element:
    found = _find(root, name)
    if found is None:
        raise CorruptFileError(
            f"{path.name} lacks the <{name}> section of a Philips ECG XML file: it is damaged "
            "or incomplete. Export it again."
        )
    return found


def _text(parent: ET.Element | None, name: str) -> str:
    child = _find(parent, name)
    return (child.text or "").strip() if child is not None else ""


def _number(text: str | None, path: Path, what: str) -> float:
    try:
        value = float(text or "")
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise CorruptFileError(
            f"{path.name} gives no valid {what} ('{excerpt(text or '')}'): the Philips ECG XML "
            "file is damaged. Export it again."
        )
    return value


READER = Reader("Philips XML", "signal", _sniff, (".xml",), _read)
