"""Writers for formats without a Python writer, and for files as real exporters write them.

SCP-ECG and GE MUSE XML are written here from the standard and the MUSE layout, and a
WFDB record the way the PhysioNet Challenge's Georgia set stores it (a record line
naming its .mat signal file, a MATLAB v4 'val' matrix). Tests and the fuzz benchmark
build their files with these; nothing here is committed ECG data.
"""

from __future__ import annotations

import base64
import binascii
import struct
import zlib
from pathlib import Path

import numpy as np
import scipy.io

from ecgviewer.core.readers.leadnames import LEAD_BY_NUMBER
from ecgviewer.core.record import EcgRecord

SCP_NUMBER = {lead: number for number, lead in LEAD_BY_NUMBER.items()}


# ── SCP-ECG ──────────────────────────────────────────────────────────────────


def _crc(data: bytes) -> int:
    return binascii.crc_hqx(data, 0xFFFF)


def _section(number: int, data: bytes) -> bytes:
    reserved = b"SCPECG" if number == 0 else b"\0" * 6
    body = struct.pack("<HIBB", number, 16 + len(data), 20, 20) + reserved + data
    return struct.pack("<H", _crc(body)) + body


def huffman_default(values: np.ndarray) -> bytes:
    """Values coded with SCP-ECG's default Huffman table, padded to whole bytes."""
    bits = []
    for v in (int(x) for x in values):
        if v == 0:
            bits.append("0")
        elif abs(v) <= 8:
            bits.append("1" * abs(v) + "0" + ("1" if v < 0 else "0"))
        elif -128 <= v <= 127:
            bits.append("1" * 9 + "0" + format(v & 0xFF, "08b"))
        else:
            bits.append("1" * 10 + format(v & 0xFFFF, "016b"))
    text = "".join(bits)
    text += "0" * (-len(text) % 8)
    return int(text, 2).to_bytes(len(text) // 8, "big") if text else b""


def _differences(digital: np.ndarray, order: int) -> np.ndarray:
    if order == 0:
        return digital
    if order == 1:
        return np.concatenate([digital[:1], np.diff(digital)])
    second = digital[2:] - 2 * digital[1:-1] + digital[:-2]
    return np.concatenate([digital[:2], second])


def write_scp(path: Path, rec: EcgRecord, *, avm_nv: int = 5000, huffman: bool = True,
              differences: int = 2, age: int = 63, sex: int = 2) -> Path:
    """An SCP-ECG file of ``rec``: sections 0, 1, (2), 3 and 6, CRCs computed."""
    digital = np.round(rec.signals.astype(np.float64) / (avm_nv * 1e-6)).astype(np.int64)
    chunks = []
    for lead in digital:
        coded = _differences(lead, differences)
        chunks.append(huffman_default(coded) if huffman else coded.astype("<i2").tobytes())
    leads = [SCP_NUMBER[name] for name in rec.leads]
    interval_us = round(1e6 / rec.sampling_rate)
    sections = {
        1: struct.pack("<BHHB", 4, 3, age, 1) + struct.pack("<BHB", 8, 1, sex)
        + struct.pack("<BH", 255, 0),
        3: bytes([len(leads), 0x04 | (len(leads) << 3)])
        + b"".join(struct.pack("<IIB", 1, rec.n_samples, n) for n in leads),
        6: struct.pack("<HHBB", avm_nv, interval_us, differences, 0)
        + struct.pack(f"<{len(chunks)}H", *map(len, chunks)) + b"".join(chunks),
    }
    if huffman:
        sections[2] = struct.pack("<H", 19999)
    numbers = list(range(12))
    zero_size = 16 + 10 * len(numbers)
    built, index, pointers = {}, 6 + zero_size, []
    for number in numbers[1:]:
        if number in sections:
            built[number] = _section(number, sections[number])
            pointers.append(struct.pack("<HII", number, len(built[number]), index + 1))
            index += len(built[number])
        else:
            pointers.append(struct.pack("<HII", number, 0, 0))
    zero = _section(0, struct.pack("<HII", 0, zero_size, 7) + b"".join(pointers))
    body = zero + b"".join(built[n] for n in sorted(built))
    length = 6 + len(body)
    tail = struct.pack("<I", length) + body
    path.write_bytes(struct.pack("<H", _crc(tail)) + tail)
    return path


def fix_scp_crcs(data: bytes) -> bytes:
    """``data`` with its length and every CRC it points to recomputed, so that changed
    bytes reach the section parsers instead of failing the checksums."""
    data = bytearray(data)
    if len(data) < 22:
        return bytes(data)
    data[2:6] = struct.pack("<I", len(data))
    starts = [6]
    zero_size = struct.unpack_from("<I", data, 10)[0]
    for offset in range(22, min(6 + zero_size, len(data)) - 9, 10):
        _, length, index = struct.unpack_from("<HII", data, offset)
        if length and index:
            starts.append(index - 1)
    for start in starts:
        if start + 8 <= len(data):
            length = struct.unpack_from("<I", data, start + 4)[0]
            if 16 <= length and start + length <= len(data):
                crc = _crc(bytes(data[start + 2:start + length]))
                data[start:start + 2] = struct.pack("<H", crc)
    data[0:2] = struct.pack("<H", _crc(bytes(data[2:])))
    return bytes(data)


# ── GE MUSE XML ──────────────────────────────────────────────────────────────


def write_muse(path: Path, rec: EcgRecord, *, uv_per_bit: float = 4.88,
               leads: tuple[str, ...] = ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6"),
               crc: bool = True) -> Path:
    """A MUSE resting ECG with a median and a rhythm waveform of ``leads``."""
    def lead_data(name: str, samples: np.ndarray) -> str:
        digital = np.round(samples.astype(np.float64) * 1000 / uv_per_bit).astype("<i2")
        data = digital.tobytes()
        check = f"<LeadDataCRC32>{zlib.crc32(data)}</LeadDataCRC32>" if crc else ""
        return (f"<LeadData><LeadByteCountTotal>{len(data)}</LeadByteCountTotal>"
                f"<LeadSampleCountTotal>{digital.size}</LeadSampleCountTotal>"
                f"<LeadAmplitudeUnitsPerBit>{uv_per_bit}</LeadAmplitudeUnitsPerBit>"
                "<LeadAmplitudeUnits>MICROVOLTS</LeadAmplitudeUnits>"
                f"<LeadID>{name}</LeadID><LeadSampleSize>2</LeadSampleSize>{check}"
                f"<WaveFormData>{base64.encodebytes(data).decode()}</WaveFormData></LeadData>")

    median = "".join(lead_data(n, rec.lead(n)[: int(rec.sampling_rate)]) for n in leads)
    rhythm = "".join(lead_data(n, rec.lead(n)) for n in leads)
    path.write_text(f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE RestingECG SYSTEM "restecg.dtd">
<RestingECG>
<MuseInfo><MuseVersion>9.0.9.18167</MuseVersion></MuseInfo>
<PatientDemographics><PatientAge>58</PatientAge><AgeUnits>YEARS</AgeUnits>
<Gender>FEMALE</Gender></PatientDemographics>
<TestDemographics><AcquisitionDevice>MAC55</AcquisitionDevice></TestDemographics>
<Waveform><WaveformType>Median</WaveformType><NumberofLeads>{len(leads)}</NumberofLeads>
<SampleBase>{rec.sampling_rate:g}</SampleBase><SampleExponent>0</SampleExponent>{median}</Waveform>
<Waveform><WaveformType>Rhythm</WaveformType><NumberofLeads>{len(leads)}</NumberofLeads>
<SampleBase>{rec.sampling_rate:g}</SampleBase><SampleExponent>0</SampleExponent>{rhythm}</Waveform>
</RestingECG>
""", encoding="latin-1")
    return path


# ── WFDB as the Challenge's Georgia records are stored ───────────────────────


def write_georgia(folder: Path, rec: EcgRecord, name: str = "E07500", *, gain: float = 1000.0,
                  newline: str = "\n") -> Path:
    """A Challenge-style record: ``name.mat`` (MATLAB v4 'val', int16) and ``name.hea``."""
    digital = np.round(rec.signals.astype(np.float64) * gain).astype(np.int16)
    scipy.io.savemat(folder / f"{name}.mat", {"val": digital}, format="4")
    lines = [f"{name}.mat {len(rec.leads)} {rec.sampling_rate:g} {rec.n_samples} "
             "05-May-2020 09:49:17"]
    for lead, row in zip(rec.leads, digital.astype(np.int64)):
        checksum = int(row.sum()) % 65536
        checksum -= 65536 if checksum >= 32768 else 0  # Challenge headers write it signed
        lines.append(f"{name}.mat 16+24 {gain:g}/mV 16 0 {row[0]} {checksum} 0 {lead}")
    lines += ["#Age: 63", "#Sex: Female", "#Dx: 426783006", "#Rx: Unknown"]
    (folder / f"{name}.hea").write_bytes(newline.join(lines).encode() + newline.encode())
    return folder / f"{name}.hea"
