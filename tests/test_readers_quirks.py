"""Files as real machines write them (quirks read, with a note), and the damage issue 13
measured (each refused in one line, before anything large is read or allocated)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import edfio
import numpy as np
import pytest
from conftest import REPO, synthetic_record
from ecg_writers import write_georgia
from test_readers import (
    _multiplex_group,
    write_aecg,
    write_csv,
    write_dicom,
    write_edf,
    write_philips,
    write_wfdb,
)

from ecgviewer.core.errors import CorruptFileError, EcgError, UnsupportedFormatError
from ecgviewer.core.readers import read
from ecgviewer.core.readers.image_reader import load_image
from ecgviewer.core.record import STANDARD_LEADS, EcgRecord
from ecgviewer.core.search import record_notes


def read_without_writing(path: Path) -> EcgRecord:
    before = sorted(p.name for p in path.parent.iterdir())
    record = read(path)
    assert sorted(p.name for p in path.parent.iterdir()) == before
    return record


def _edit_header(hea: Path, edit) -> None:
    hea.write_bytes(edit(hea.read_bytes().decode()).encode())


# ── WFDB quirks ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_georgia_style_record_with_mat_signal_file(tmp_path, newline):
    want = synthetic_record(rate=500, seconds=10)
    hea = write_georgia(tmp_path, want, newline=newline)
    got = read_without_writing(hea)
    assert got.leads == STANDARD_LEADS and got.sampling_rate == 500
    assert np.abs(got.signals - want.signals).max() <= 0.0005 + 1e-5
    assert (got.metadata.age, got.metadata.sex) == (63.0, "female")
    notes = " | ".join(got.metadata.derived)
    assert "names the signal file (E07500.mat); read as record E07500" in notes
    assert "05-May-2020 09:49:17" in notes
    assert ("Windows line endings" in notes) == (newline == "\r\n")
    assert any("E07500.mat" in n for n in record_notes(got))  # the note reaches the user


def test_mat_file_with_wrong_shape_is_refused(tmp_path):
    hea = write_georgia(tmp_path, synthetic_record(rate=500, seconds=2))
    import scipy.io

    scipy.io.savemat(tmp_path / "E07500.mat", {"val": np.zeros((3, 100), np.int16)}, format="4")
    with pytest.raises(CorruptFileError, match="'val' matrix of 12 signals"):
        read(hea)


def test_trailing_spaces_and_missing_checksums(tmp_path):
    want = synthetic_record(rate=100, seconds=10)
    hea = write_wfdb(tmp_path, want, "16", 1000.0)

    def strip_checksums(text: str) -> str:
        lines = text.splitlines()
        signal = [" ".join(ln.split()[:5] + ln.split()[8:]) for ln in lines[1:13]]
        return "\n".join([lines[0] + "   "] + signal + lines[13:]) + "\n"

    _edit_header(hea, strip_checksums)
    got = read(hea)
    assert np.abs(got.signals - want.signals).max() <= 0.0005 + 1e-5
    assert any("trailing spaces" in n for n in got.metadata.derived)
    assert any("no checksums" in n for n in got.metadata.derived)


def test_checksum_mismatch_is_refused(tmp_path):
    hea = write_wfdb(tmp_path, synthetic_record(rate=100, seconds=10), "16", 1000.0)
    dat = tmp_path / "rec.dat"
    data = bytearray(dat.read_bytes())
    data[100] ^= 0x10
    dat.write_bytes(bytes(data))
    with pytest.raises(CorruptFileError, match="does not match its header's checksum"):
        read(hea)


def test_signal_lines_without_adc_fields(tmp_path):
    """Only file, format, gain and name: no resolution, zero, initial value or checksum."""
    want = synthetic_record(rate=100, seconds=10)
    hea = write_wfdb(tmp_path, want, "212", 200.0)
    _edit_header(hea, lambda text: "\n".join(
        " ".join(ln.split()[:3] + ln.split()[-1:]) if i else ln
        for i, ln in enumerate(text.splitlines())) + "\n")
    assert hea.read_text().splitlines()[1] == "rec.dat 212 200.0(0)/mV I"
    got = read(hea)
    assert np.abs(got.signals - want.signals).max() <= 0.0025 + 1e-5
    assert any("no checksums" in n for n in got.metadata.derived)


def test_gain_4880_per_mv(tmp_path):
    want = synthetic_record(rate=500, seconds=4)
    got = read(write_wfdb(tmp_path, want, "16", 4880.0))
    assert np.abs(got.signals - want.signals).max() <= 0.5 / 4880 + 1e-5


def test_eight_lead_record_with_lowercase_names(tmp_path):
    eight = ("I", "II", "V1", "V2", "V3", "V4", "V5", "V6")
    full = synthetic_record(rate=500, seconds=10)
    rec = EcgRecord(np.stack([full.lead(n) for n in eight]), 500, eight)
    wfdb_names = ["i", "ii", "v1", "v2", "v3", "v4", "v5", "v6"]
    import wfdb

    wfdb.wrsamp("low", fs=500, units=["mV"] * 8, sig_name=wfdb_names,
                p_signal=rec.signals.T.astype(np.float64), fmt=["16"] * 8,
                adc_gain=[1000.0] * 8, baseline=[0] * 8, write_dir=str(tmp_path))
    got = read(tmp_path / "low.hea")
    assert got.leads == eight
    assert any("i as I" in n and "v6 as V6" in n for n in got.metadata.derived)
    standard = got.with_standard_leads()
    assert standard.leads == STANDARD_LEADS
    assert any("III, aVR, aVL, aVF were computed" in n for n in record_notes(standard))


def test_csv_with_european_lead_names(tmp_path):
    rec = synthetic_record(rate=500, seconds=2)
    names = ["DI", "DII", "DIII", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
    got = read(write_csv(tmp_path / "eu.csv", rec, names=names, comments=["fs: 500"]))
    assert got.leads == STANDARD_LEADS
    assert any("DIII as III" in n for n in got.metadata.derived)


def test_sparse_4_gib_dat_is_refused_by_its_size(tmp_path):
    hea = write_wfdb(tmp_path, synthetic_record(rate=100, seconds=10), "16", 1000.0)
    with (tmp_path / "rec.dat").open("r+b") as fh:
        fh.truncate(4 * 2**30)
    start = time.perf_counter()
    with pytest.raises(UnsupportedFormatError, match="rec.dat is 4.0 GB"):
        read(hea)
    assert time.perf_counter() - start < 2


def test_georgia_record_line_with_a_long_number_is_refused_fast(tmp_path):
    """wfdb's record-line expression backtracked for minutes over this (a fuzz hang)."""
    hea = write_georgia(tmp_path, synthetic_record(rate=500, seconds=2), newline="\r\n")
    _edit_header(hea, lambda text: text.replace(" 12 ", " " + "9" * 20 + " ", 1))
    start = time.perf_counter()
    with pytest.raises(CorruptFileError, match="declares 9+ signals but describes 12"):
        read(hea)
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("edit, problem", [
    (lambda t: t.replace(" 212 ", " " + "9" * 5000 + " ", 1), "a line of 5,0"),
    (lambda t: t.replace(" 212 ", " 9" + "9" * 300 + " ", 1), "format 999999999..."),
])
def test_quoted_header_values_stay_short(tmp_path, edit, problem):
    hea = write_wfdb(tmp_path, synthetic_record(rate=100, seconds=10), "212", 200.0)
    _edit_header(hea, edit)
    with pytest.raises(EcgError) as err:
        read(hea)
    message = " ".join(str(err.value).split())
    assert problem in message and len(message) < 300, message


# ── Philips SierraECG 1.03 and damaged Philips files ─────────────────────────


def test_sierraecg_1_03_signalresolution(tmp_path):
    want = synthetic_record(rate=500, seconds=2)
    path = write_philips(tmp_path / "old.xml", want, version="1.03")
    path.write_text(path.read_text().replace("<resolution>5</resolution>",
                                             "<signalresolution>5</signalresolution>")
                    .replace("PhilipsECG", "SierraECG"))
    got = read(path)
    assert np.abs(got.signals - want.signals).max() <= 0.0025 + 1e-5


@pytest.mark.parametrize("duration", ["inf", "1e308"])
def test_philips_impossible_duration(tmp_path, duration):
    path = write_philips(tmp_path / "ecg.xml", synthetic_record(rate=500, seconds=1), xli=False)
    text = path.read_text()
    path.write_text(text.replace('durationperchannel="1000"', f'durationperchannel="{duration}"'))
    with pytest.raises(CorruptFileError, match="duration"):
        read(path)


def test_philips_damaged_xli_data(tmp_path):
    path = write_philips(tmp_path / "ecg.xml", synthetic_record(rate=500, seconds=1))
    text = path.read_text()
    start = text.index('leadlabels="') + 200
    path.write_text(text[:start] + "////////" * 40 + text[start + 320:])
    with pytest.raises(CorruptFileError, match="damaged Philips waveform data"):
        read(path)


def test_deeply_nested_xml_is_refused(tmp_path):
    path = write_philips(tmp_path / "deep.xml", synthetic_record(rate=500, seconds=1))
    text = path.read_text()
    at = text.index("<documentinfo>")
    path.write_text(text[:at] + "<a>" * 20000 + "</a>" * 20000 + text[at:])
    with pytest.raises(CorruptFileError, match="more than 64 levels deep"):
        read(path)


@pytest.mark.parametrize("writer", ["aecg", "philips"])
def test_xml_declaring_an_unknown_encoding(tmp_path, writer):
    rec = synthetic_record(rate=500, seconds=1)
    path = (write_aecg(tmp_path / "e.xml", rec, 5) if writer == "aecg"
            else write_philips(tmp_path / "e.xml", rec))
    data = path.read_bytes()
    path.write_bytes(data.replace(b"encoding='utf-8'", b"encoding='x-nothing'")
                     .replace(b'encoding="utf-8"', b'encoding="x-nothing"'))
    with pytest.raises(CorruptFileError, match="declares a text encoding that cannot be read"):
        read(path)


# ── CSV, EDF, DICOM damage ───────────────────────────────────────────────────


def test_csv_field_over_the_csv_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(f"# fs: 500\nI,II\n0.1,{'9' * 200_000}\n0.1,0.2\n")
    with pytest.raises(CorruptFileError, match="not a readable CSV table"):
        read(path)


def test_csv_bad_cell_is_quoted_printably_and_short(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_text(f"# fs: 500\nI,II\n0.1,1\x002{'x' * 5000}\n0.1,0.2\n")
    with pytest.raises(EcgError) as err:
        read(path)
    message = str(err.value)
    assert "holds '1?2xxx" in message and message.isprintable() and len(message) < 300


def test_csv_overflowing_values_are_one_error(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("# fs: 500\n# units: V\nI,II\n1e308,0.2\n0.1,0.2\n0.1,0.2\n")
    with pytest.raises(EcgError, match="NaN or infinite"):
        read(path)


def _edf_with(tmp_path: Path, field: tuple[int, int], value: bytes) -> Path:
    path = write_edf(tmp_path / "bad.edf", synthetic_record(rate=500, seconds=2))
    data = bytearray(path.read_bytes())
    start, width = field
    data[start:start + width] = value.ljust(width)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("field, value, problem", [
    ((244, 8), b"0", "impossible EDF header"),         # data-record duration 0
    ((252, 4), b"0", "header is broken"),              # zero signals
    ((184, 8), b"-512", "header is broken"),           # negative header size
    ((256 + 12 * 216, 8), b"0", "impossible EDF header"),  # 0 samples per record
    ((236, 8), b"99999", "is truncated"),              # more records than the file holds
    ((256 + 12 * 120, 8), b"32767", "digital range is empty"),
])
def test_damaged_edf_headers(tmp_path, field, value, problem):
    with pytest.raises(CorruptFileError, match=problem):
        read(_edf_with(tmp_path, field, value))


def test_edf_record_duration_inf_never_reaches_edfio(tmp_path, monkeypatch):
    path = _edf_with(tmp_path, (244, 8), b"1e999")
    monkeypatch.setattr(edfio, "read_edf", lambda *a, **k: pytest.fail("edfio was called"))
    with pytest.raises(CorruptFileError, match="impossible EDF header"):
        read(path)


def test_dicom_groups_without_rhythm_and_zero_rate(tmp_path):
    rec = synthetic_record(rate=100, seconds=2)
    groups = [_multiplex_group("MEDIAN", rec), _multiplex_group("OTHER", rec)]
    for group in groups:
        group.SamplingFrequency = "0"
    path = write_dicom(tmp_path / "zero.dcm", "1.2.840.10008.5.1.4.1.1.9.1.1",
                       WaveformSequence=groups)
    with pytest.raises(EcgError, match="sampling rate of 0 Hz"):
        read(path)


def test_dicom_element_damaged_after_dcmread(tmp_path):
    rec = synthetic_record(rate=100, seconds=2)
    path = write_dicom(tmp_path / "vr.dcm", "1.2.840.10008.5.1.4.1.1.9.1.1",
                       WaveformSequence=[_multiplex_group("RHYTHM", rec)])
    data = path.read_bytes()
    at = data.index(b"\x3a\x00\x1a\x00DS") + 4  # SamplingFrequency's VR
    path.write_bytes(data[:at] + b"ZZ" + data[at + 2:])
    with pytest.raises(CorruptFileError, match="Unknown Value Representation"):
        read(path)


def test_dicom_waveform_shorter_than_declared(tmp_path):
    rec = synthetic_record(rate=100, seconds=2)
    group = _multiplex_group("RHYTHM", rec)
    group.NumberOfWaveformSamples = 10**6
    path = write_dicom(tmp_path / "short.dcm", "1.2.840.10008.5.1.4.1.1.9.1.1",
                       WaveformSequence=[group])
    with pytest.raises(CorruptFileError, match="truncated: its waveform holds 4800 bytes"):
        read(path)


def test_dicom_warnings_become_a_note(tmp_path, monkeypatch, recwarn):
    """What pydicom warns about while reading (non-conforming values it tolerates) is
    said in a note, never printed."""
    import warnings

    from ecgviewer.core.readers import dicom_reader

    pydicom = dicom_reader._import_pydicom()
    real = pydicom.dcmread

    def warning_dcmread(*args, **kwargs):
        warnings.warn("Invalid value for VR DS: '1,5'", UserWarning)
        return real(*args, **kwargs)

    monkeypatch.setattr(pydicom, "dcmread", warning_dcmread)
    rec = synthetic_record(rate=100, seconds=2)
    path = write_dicom(tmp_path / "w.dcm", "1.2.840.10008.5.1.4.1.1.9.1.1",
                       WaveformSequence=[_multiplex_group("RHYTHM", rec)])
    got = read(path)
    assert got.metadata.derived == (
        "DICOM: 1 non-conforming element value(s) read anyway (first: Invalid value for VR "
        "DS: '1,5')",)
    assert not [w for w in recwarn if "1,5" in str(w.message)]


# ── images: sizes checked before pdfium or OpenCV are asked ──────────────────


@pytest.mark.parametrize("size, error, problem", [
    (3 * 2**30, UnsupportedFormatError, "3.0 GB"),
    (200 * 2**20, CorruptFileError, "PDF without its end"),
])
def test_large_pdfs_are_refused_fast(tmp_path, size, error, problem):
    path = tmp_path / "big.pdf"
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n%garbage\n")
        fh.truncate(size)
    start = time.perf_counter()
    with pytest.raises(error, match=problem):
        load_image(path)
    assert time.perf_counter() - start < 2


# ── the promise, through the command line ────────────────────────────────────

_NO_SOCKETS = """
import socket, sys
opened = []
real = socket.socket.__init__
def counting(self, *a, **k):
    opened.append(a)
    real(self, *a, **k)
socket.socket.__init__ = counting
from ecgviewer import cli
codes = [cli.main(["info", "--json", p]) for p in sys.argv[1:]]
print("SOCKETS", len(opened), "CODES", codes, file=sys.stderr)
"""


def test_reading_every_format_opens_no_socket(tmp_path):
    from ecg_writers import write_muse, write_scp

    rec = synthetic_record(rate=500, seconds=2)
    files = [write_dicom(tmp_path / "e.dcm", "1.2.840.10008.5.1.4.1.1.9.1.1",
                         WaveformSequence=[_multiplex_group("RHYTHM", rec)]),
             write_wfdb(tmp_path, rec, "16", 1000.0), write_edf(tmp_path / "e.edf", rec),
             write_scp(tmp_path / "e.scp", rec), write_muse(tmp_path / "m.xml", rec),
             write_philips(tmp_path / "p.xml", rec)]
    done = subprocess.run([sys.executable, "-c", _NO_SOCKETS, *map(str, files)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert f"SOCKETS 0 CODES {[0] * len(files)}" in done.stderr, done.stderr


def test_damaged_files_give_one_line_and_exit_2(tmp_path):
    """Each of these printed numpy overflow warnings before the error (issue 13)."""
    rec = synthetic_record(rate=500, seconds=2)
    aecg = write_aecg(tmp_path / "a.xml", rec, 5)
    aecg.write_text(aecg.read_text().replace('value="5" unit="uV"', 'value="1e308" unit="V"'))
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("# fs: 500\nI,II\n" + "1e308,1e308\n" * 5)
    edf = _edf_with(tmp_path, (244, 8), b"0")
    for path in (aecg, csv_path, edf):
        done = subprocess.run([sys.executable, "-m", "ecgviewer.cli", "info",
                               "--json", str(path)], cwd=REPO, capture_output=True, text=True,
                              timeout=120)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1, done.stderr
        assert lines[0].startswith("ecgviewer: ") and not done.stdout


# ── MATLAB 4 signal files ───────────────────────────────────────────────────


@pytest.mark.parametrize("dtype", [np.int16, np.int32, np.float64, np.float32, np.uint8])
def test_mat4_matrix_as_scipy_writes_it(tmp_path, dtype):
    import scipy.io

    from ecgviewer.core.readers.mat4 import read_mat4_matrix

    val = (np.arange(36).reshape(3, 12) * 3).astype(dtype)
    scipy.io.savemat(tmp_path / "r.mat", {"other": np.ones((2, 2)), "val": val}, format="4")
    shapes = []
    got = read_mat4_matrix(tmp_path / "r.mat", "val", lambda r, c: shapes.append((r, c)))
    assert shapes == [(3, 12)]
    np.testing.assert_array_equal(got, val)


def test_mat4_big_endian_and_refusals(tmp_path):
    from ecgviewer.core.readers.mat4 import read_mat4_matrix

    val = np.arange(6, dtype=">i2").reshape(2, 3)
    head = np.array([1030, 2, 3, 0, 4], ">i4").tobytes() + b"val\0"  # M=1 big endian, int16
    (tmp_path / "be.mat").write_bytes(head + val.T.tobytes())
    np.testing.assert_array_equal(read_mat4_matrix(tmp_path / "be.mat", "val", lambda r, c: None),
                                  val)
    (tmp_path / "cut.mat").write_bytes((head + val.T.tobytes())[:-3])
    with pytest.raises(CorruptFileError, match="truncated"):
        read_mat4_matrix(tmp_path / "cut.mat", "val", lambda r, c: None)
    (tmp_path / "v5.mat").write_bytes(b"MATLAB 5.0 MAT-file, Platform: x" + bytes(96))
    with pytest.raises(UnsupportedFormatError, match="MATLAB 5/7"):
        read_mat4_matrix(tmp_path / "v5.mat", "val", lambda r, c: None)
    (tmp_path / "junk.mat").write_bytes(b"\xff" * 40)
    with pytest.raises(CorruptFileError, match="not a readable MATLAB file"):
        read_mat4_matrix(tmp_path / "junk.mat", "val", lambda r, c: None)
