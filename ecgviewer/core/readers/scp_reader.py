"""SCP-ECG (EN 1064 / ISO 11073-91064), the binary format many low-cost carts export.

No maintained Python library reads it, so this reader is written against the standard
and kept to what rhythm data needs: section 0 (pointers), 1 (patient: age, sex), 2
(Huffman tables: only the standard's default table), 3 (lead definitions) and 6 (rhythm
data, raw or first/second differences). Files whose rhythm data is stored as residuals
after reference-beat subtraction, or bimodally compressed, are refused: reconstructing
them needs sections 4 and 5 and is not done. Every length and index is checked against
the file before it is used, and the file's and each section's CRC are verified.
"""

from __future__ import annotations

import binascii
import struct
from pathlib import Path

import numpy as np

from ecgviewer.core.errors import CorruptFileError, UnsupportedFormatError
from ecgviewer.core.readers import Reader, check_file
from ecgviewer.core.readers.leadnames import LEAD_BY_NUMBER
from ecgviewer.core.readers.limits import check_samples
from ecgviewer.core.record import EcgRecord, RecordMetadata

#: An SCP-ECG file is a few hundred KB; a 10 s 12-lead record uncompressed is 240 KB.
MAX_SCP_BYTES = 16 * 1024 * 1024
SECTION_HEADER = 16
#: Section 2's table count meaning "the standard's default Huffman table".
DEFAULT_HUFFMAN = 19999
_AGE_UNITS_PER_YEAR = {1: 1.0, 2: 12.0, 3: 52.1775, 4: 365.25, 5: 8766.0}


def crc(data: bytes) -> int:
    """The CRC-CCITT (polynomial 0x1021, initial value 0xFFFF) SCP-ECG uses."""
    return binascii.crc_hqx(data, 0xFFFF)


def _sniff(path: Path, head: bytes) -> bool:
    # Section 0's header starts at byte 6; its reserved bytes read "SCPECG".
    return path.suffix.lower() == ".scp" or head[16:22] == b"SCPECG"


def _read(path: Path) -> EcgRecord:
    check_file(path, MAX_SCP_BYTES)
    data = path.read_bytes()
    name = path.name
    if len(data) < 6 + SECTION_HEADER:
        raise CorruptFileError(f"{name} is too short to be an SCP-ECG file.")
    stored_crc, length = struct.unpack_from("<HI", data, 0)
    if length != len(data):
        raise CorruptFileError(
            f"{name} is {len(data)} bytes where its SCP-ECG header says {length}: it is "
            "truncated or damaged. Copy it again from its source."
        )
    if stored_crc != crc(data[2:]):
        raise CorruptFileError(f"{name} fails its SCP-ECG checksum: the file is damaged.")
    sections = _sections(data, name)
    for required in (3, 6):
        if required not in sections:
            raise CorruptFileError(
                f"{name} is an SCP-ECG file without section {required} "
                f"({'lead definitions' if required == 3 else 'rhythm data'}), so it holds no "
                "rhythm ECG. Export it again with rhythm data."
            )
    huffman = _huffman_mode(sections.get(2), name)
    leads, first, last, subtracted = _leads(sections[3], name)
    samples = _rhythm(sections[6], leads, last - first + 1, huffman, name)
    if subtracted:
        raise UnsupportedFormatError(
            f"{name} stores its rhythm data as residuals after reference-beat subtraction, "
            "which ecgviewer does not reconstruct. Export it without that compression."
        )
    age, sex = _patient(sections.get(1, b""))
    avm_nv, interval_us = struct.unpack_from("<HH", sections[6], 0)
    if interval_us == 0 or avm_nv == 0:
        raise CorruptFileError(
            f"{name} gives a sample interval of {interval_us} us and an amplitude unit of "
            f"{avm_nv} nV: its rhythm section is damaged."
        )
    with np.errstate(all="ignore"):
        millivolts = samples * (avm_nv * 1e-6)
    meta = RecordMetadata(source_path=str(path), format="SCP-ECG", record_name=path.stem,
                          age=age, sex=sex)
    names = tuple(LEAD_BY_NUMBER.get(lead, f"SCP lead {lead}") for lead in leads)
    return EcgRecord(millivolts, 1e6 / interval_us, names, meta)


def _sections(data: bytes, name: str) -> dict[int, bytes]:
    """Each present section's data (after its 16-byte header), CRC checked, by number."""
    zero = _section_at(data, 6, 0, name)
    found = {}
    for offset in range(0, len(zero) - 9, 10):
        number, length, index = struct.unpack_from("<HII", zero, offset)
        if length == 0 or number == 0:
            continue
        if index < 1 or index - 1 + length > len(data):
            raise CorruptFileError(
                f"{name} points to SCP-ECG section {number} outside the file: it is damaged."
            )
        found[number] = _section_at(data, index - 1, number, name)
    return found


def _section_at(data: bytes, start: int, number: int, name: str) -> bytes:
    if start + SECTION_HEADER > len(data):
        raise CorruptFileError(f"{name}: SCP-ECG section {number} is cut off.")
    stored_crc, ident, length = struct.unpack_from("<HHI", data, start)
    if ident != number or length < SECTION_HEADER or start + length > len(data):
        raise CorruptFileError(
            f"{name}: SCP-ECG section {number} has a damaged header (id {ident}, "
            f"{length} bytes)."
        )
    if stored_crc != crc(data[start + 2:start + length]):
        raise CorruptFileError(f"{name}: SCP-ECG section {number} fails its checksum.")
    return data[start + SECTION_HEADER:start + length]


def _huffman_mode(section: bytes | None, name: str) -> bool:
    """Whether rhythm data is Huffman coded (with the default table: nothing else is read)."""
    if section is None:
        return False
    if len(section) < 2:
        raise CorruptFileError(f"{name}: its SCP-ECG Huffman section is cut off.")
    if struct.unpack_from("<H", section)[0] != DEFAULT_HUFFMAN:
        raise UnsupportedFormatError(
            f"{name} uses its own Huffman tables; ecgviewer reads SCP-ECG files that are "
            "uncompressed or use the standard's default table."
        )
    return True


def _leads(section: bytes, name: str) -> tuple[list[int], int, int, bool]:
    """Lead numbers, the first and last sample (1-based) and the subtraction flag."""
    if len(section) < 2:
        raise CorruptFileError(f"{name}: its SCP-ECG lead section is cut off.")
    count, flags = section[0], section[1]
    if count == 0 or len(section) < 2 + 9 * count:
        raise CorruptFileError(
            f"{name}: its SCP-ECG lead section defines {count} leads in {len(section)} "
            "bytes: it is damaged."
        )
    entries = [struct.unpack_from("<IIB", section, 2 + 9 * i) for i in range(count)]
    spans = {(start, end) for start, end, _ in entries}
    if len(spans) != 1:
        raise UnsupportedFormatError(
            f"{name} records its leads over different sample ranges, which ecgviewer does "
            "not read: export the leads simultaneously."
        )
    first, last = spans.pop()
    if not 1 <= first <= last:
        raise CorruptFileError(f"{name}: its SCP-ECG leads span samples {first}-{last}.")
    return [lead for _, _, lead in entries], first, last, bool(flags & 1)


def _rhythm(section: bytes, leads: list[int], length: int, huffman: bool,
            name: str) -> np.ndarray:
    """Section 6's samples (leads, samples) in units of its amplitude multiplier."""
    header = 6 + 2 * len(leads)
    if len(section) < header:
        raise CorruptFileError(f"{name}: its SCP-ECG rhythm section is cut off.")
    differences, bimodal = section[4], section[5]
    if bimodal:
        raise UnsupportedFormatError(
            f"{name} uses SCP-ECG bimodal compression, which ecgviewer does not read. "
            "Export it without compression, or as DICOM or HL7 aECG."
        )
    if differences not in (0, 1, 2):
        raise CorruptFileError(f"{name}: its SCP-ECG rhythm section names encoding "
                               f"{differences}, which does not exist.")
    check_samples(name, len(leads), length)
    sizes = struct.unpack_from(f"<{len(leads)}H", section, 6)
    if header + sum(sizes) > len(section):
        raise CorruptFileError(
            f"{name}: its SCP-ECG rhythm data is shorter than its lead sizes say: the file "
            "is truncated or damaged."
        )
    rows, offset = [], header
    for lead, size in zip(leads, sizes):
        chunk = section[offset:offset + size]
        offset += size
        values = _huffman(chunk, length, lead, name) if huffman else _raw(chunk, length, lead,
                                                                           name)
        rows.append(_undifference(values, differences))
    return np.stack(rows)


def _raw(chunk: bytes, length: int, lead: int, name: str) -> np.ndarray:
    if len(chunk) < 2 * length:
        raise CorruptFileError(
            f"{name}: SCP-ECG lead {lead} holds {len(chunk) // 2} of its {length} samples."
        )
    return np.frombuffer(chunk, "<i2", count=length).astype(np.float64)


def _huffman(chunk: bytes, length: int, lead: int, name: str) -> np.ndarray:
    """Decode the default table: n ones, a zero and a sign bit for +-n (n <= 8); nine
    ones and a zero, then 8 bits; ten ones, then 16 bits (both two's complement)."""
    bits = np.unpackbits(np.frombuffer(chunk, np.uint8)).tolist()
    values = np.empty(length, np.float64)
    position, total = 0, len(bits)
    try:
        for i in range(length):
            ones = 0
            while ones < 10 and bits[position] == 1:
                ones += 1
                position += 1
            if ones == 0:
                values[i] = 0
                position += 1
            elif ones <= 8:
                values[i] = -ones if bits[position + 1] else ones
                position += 2
            else:
                width = 8 if ones == 9 else 16
                position += ones == 9  # the zero ending nine ones
                if position + width > total:
                    raise IndexError
                number = int("".join(map(str, bits[position:position + width])), 2)
                values[i] = number - (1 << width) if number >> (width - 1) else number
                position += width
    except IndexError:
        raise CorruptFileError(
            f"{name}: SCP-ECG lead {lead}'s Huffman data ends before its {length} samples."
        ) from None
    return values


def _undifference(values: np.ndarray, order: int) -> np.ndarray:
    """Undo SCP-ECG's first or second difference encoding."""
    with np.errstate(all="ignore"):
        if order == 1:
            return np.cumsum(values)
        if order == 2 and values.size > 2:
            steps = np.concatenate([[values[1] - values[0]], values[2:]]).cumsum()
            return np.concatenate([[values[0]], values[0] + steps.cumsum()])
    return values


def _patient(section: bytes) -> tuple[float | None, str | None]:
    """Age (tag 4) and sex (tag 8) from section 1's tagged fields."""
    age = sex = None
    offset = 0
    while offset + 3 <= len(section):
        tag, size = section[offset], struct.unpack_from("<H", section, offset + 1)[0]
        value = section[offset + 3:offset + 3 + size]
        offset += 3 + size
        if tag == 255:
            break
        if tag == 4 and len(value) == 3:
            number, unit = struct.unpack("<HB", value)
            if unit in _AGE_UNITS_PER_YEAR and number:
                age = round(number / _AGE_UNITS_PER_YEAR[unit], 2)
        elif tag == 8 and len(value) == 1:
            sex = {1: "male", 2: "female"}.get(value[0])
    return age, sex


READER = Reader("SCP-ECG", "signal", _sniff, (".scp",), _read)
