"""SCP-ECG and GE MUSE XML: round trips through the writers in ecg_writers, and bad input."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from conftest import synthetic_record
from ecg_writers import fix_scp_crcs, write_muse, write_scp

from ecgviewer.core.errors import CorruptFileError, UnsupportedFormatError
from ecgviewer.core.readers import detect, read
from ecgviewer.core.record import STANDARD_LEADS


def _max_error(got, want) -> float:
    return float(np.abs(got.signals - want.signals).max())


@pytest.mark.parametrize("huffman, differences", [(True, 2), (True, 1), (False, 0), (False, 2)])
def test_scp_round_trip(tmp_path, huffman, differences):
    want = synthetic_record(rate=500, seconds=4)
    path = write_scp(tmp_path / "ecg.scp", want, huffman=huffman, differences=differences)
    got = read(path)
    assert got.leads == STANDARD_LEADS and got.sampling_rate == 500
    assert got.signals.shape == want.signals.shape
    assert _max_error(got, want) <= 0.005 / 2 + 1e-5
    assert (got.metadata.format, got.metadata.age, got.metadata.sex) == ("SCP-ECG", 63.0, "female")


def test_scp_is_found_by_content_without_extension(tmp_path):
    path = write_scp(tmp_path / "cart-export", synthetic_record(rate=250, seconds=2))
    assert detect(path).name == "SCP-ECG"
    assert read(path).sampling_rate == 250


def test_scp_large_values_use_the_8_and_16_bit_codes(tmp_path):
    want = synthetic_record(rate=500, seconds=2)
    path = write_scp(tmp_path / "big.scp", want, avm_nv=500, differences=0)  # values to 3000
    assert _max_error(read(path), want) <= 0.0005 / 2 + 1e-5


def test_scp_damaged_byte_fails_the_checksum(tmp_path):
    path = write_scp(tmp_path / "ecg.scp", synthetic_record(rate=500, seconds=2))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptFileError, match="checksum"):
        read(path)


def test_scp_truncated(tmp_path):
    path = write_scp(tmp_path / "ecg.scp", synthetic_record(rate=500, seconds=2))
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(CorruptFileError, match="truncated or damaged"):
        read(path)


def test_scp_huffman_data_cut_short_is_located(tmp_path):
    path = write_scp(tmp_path / "ecg.scp", synthetic_record(rate=500, seconds=2))
    data = path.read_bytes()
    # shrink lead 1's byte count so its samples run out before the count section 3 gives
    six = data.rindex(struct.pack("<HHBB", 5000, 2000, 2, 0))
    size = struct.unpack_from("<H", data, six + 6)[0]
    data = data[:six + 6] + struct.pack("<H", size // 2) + data[six + 8:]
    path.write_bytes(fix_scp_crcs(data))
    with pytest.raises(CorruptFileError, match="lead 1's Huffman data ends before its 1000"):
        read(path)


def test_scp_reference_beat_subtraction_is_refused(tmp_path):
    path = write_scp(tmp_path / "ecg.scp", synthetic_record(rate=500, seconds=2))
    data = bytearray(path.read_bytes())
    three = data.index(bytes([12, 0x04 | (12 << 3)]))
    data[three + 1] |= 1
    path.write_bytes(fix_scp_crcs(bytes(data)))
    with pytest.raises(UnsupportedFormatError, match="reference-beat subtraction"):
        read(path)


def test_muse_round_trip_derives_limb_leads(tmp_path):
    want = synthetic_record(rate=500, seconds=10)
    got = read(write_muse(tmp_path / "muse.xml", want))
    assert got.leads == ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6")
    assert got.metadata.format == "GE MUSE XML"
    assert (got.metadata.age, got.metadata.sex, got.metadata.device) == (58.0, "female", "MAC55")
    assert np.abs(got.lead("V3") - want.lead("V3")).max() <= 0.00488 / 2 + 1e-5
    standard = got.with_standard_leads()
    assert standard.leads == STANDARD_LEADS
    assert "III derived from I and II" in standard.metadata.derived


def test_muse_crc_mismatch_is_refused(tmp_path):
    path = write_muse(tmp_path / "muse.xml", synthetic_record(rate=500, seconds=2))
    text = path.read_text(encoding="latin-1")
    start = text.rindex("<WaveFormData>") + len("<WaveFormData>")
    flipped = "B" if text[start] != "B" else "C"
    path.write_text(text[:start] + flipped + text[start + 1:], encoding="latin-1")
    with pytest.raises(CorruptFileError, match="fail their CRC"):
        read(path)


@pytest.mark.parametrize("tag, value, problem", [
    ("SampleBase", "0", "no valid <SampleBase>"),
    ("SampleExponent", "400", "impossible <SampleExponent>"),
    ("LeadSampleCountTotal", "99999999999", "more than ecgviewer reads"),
    ("LeadAmplitudeUnitsPerBit", "inf", "no valid <LeadAmplitudeUnitsPerBit>"),
])
def test_muse_damaged_values(tmp_path, tag, value, problem):
    path = write_muse(tmp_path / "muse.xml", synthetic_record(rate=500, seconds=2), crc=False)
    text = path.read_text(encoding="latin-1")
    start = text.rindex(f"<{tag}>") + len(tag) + 2
    end = text.index("<", start)
    path.write_text(text[:start] + value + text[end:], encoding="latin-1")
    with pytest.raises((CorruptFileError, UnsupportedFormatError), match=problem):
        read(path)


def test_muse_without_rhythm_is_refused(tmp_path):
    path = write_muse(tmp_path / "muse.xml", synthetic_record(rate=500, seconds=2))
    path.write_text(path.read_text(encoding="latin-1").replace("Rhythm", "Other"),
                    encoding="latin-1")
    with pytest.raises(CorruptFileError, match="without a rhythm waveform"):
        read(path)
