"""Our WFDB header parser against wfdb-python's, field by field (wfdb is a test dependency)."""

from __future__ import annotations

import numpy as np
import pytest

from ecgviewer.core.errors import CorruptFileError, UnsupportedFormatError
from ecgviewer.core.readers.wfdb_header import parse_header

wfdb = pytest.importorskip("wfdb", reason="wfdb-python (the dev extra) is the reference parser")

FIELDS = ("file_name", "adc_gain", "baseline", "units", "checksum", "sig_name")


def assert_same_as_wfdb(hea_path):
    ours = parse_header(hea_path.read_text(encoding="latin-1"), hea_path.name)
    theirs = wfdb.rdheader(str(hea_path.with_suffix("")))
    assert ours.record_name == theirs.record_name
    assert ours.n_sig == theirs.n_sig
    assert ours.fs == pytest.approx(theirs.fs)
    assert ours.sig_len == theirs.sig_len
    assert ours.fmt == [str(f) for f in theirs.fmt]
    assert ours.samps_per_frame == [f or 1 for f in theirs.samps_per_frame]
    assert ours.byte_offset == [o or 0 for o in theirs.byte_offset or [0] * theirs.n_sig]
    for name in FIELDS[:-1]:
        assert getattr(ours, name) == list(getattr(theirs, name)), name
    assert ours.sig_name == [name or "" for name in theirs.sig_name]
    assert ours.comments == theirs.comments


@pytest.mark.parametrize("fmt", ["16", "212", "24", "32", "80"])  # what wrsamp writes
@pytest.mark.parametrize("rate", [100, 257, 1000])
def test_headers_written_by_wfdb(tmp_path, fmt, rate):
    rng = np.random.default_rng(int(fmt) + rate)
    signal = rng.normal(0, 0.3, (rate * 2, 3))
    wfdb.wrsamp("rec", fs=rate, units=["mV", "uV", "mV"], sig_name=["I", "lead II", "V1"],
                p_signal=signal, fmt=[fmt] * 3, adc_gain=[50.0, 20.0, 50.0],
                baseline=[0, -12, 7], comments=["Age: 56", "Sex: F", "Dx: 164889003"],
                write_dir=str(tmp_path))
    assert_same_as_wfdb(tmp_path / "rec.hea")


@pytest.mark.parametrize("lines", [
    ["rec 2", "rec.dat 16", "rec.dat 16"],                       # defaults everywhere
    ["rec 1 360 650000 0:0:0 01/01/1980", "rec.dat 212 200 11 1024 995 -22131 0 MLII"],
    ["rec 1 500/1000(0) 5000", "rec.dat 16+24 2.5e+02(3)/mV 16 0 0 0 0 lead I"],
    ["rec 1 128.5 100", "rec.dat 16 0/uV 12 5"],                   # gain 0 means 200; baseline = zero
    ["rec 1 500 10", "rec.dat 16 200 I"],                        # description early
    ["rec 2 500 10", "rec.dat 61 200 16 0 0 0 0 I", "rec.dat 160x1 200 16 0 0 0 0 II"],
    ["  rec 1 500 10  ", "\trec.dat\t16\t200/mV\t16\t0\t0\t0\t0\tV 1 (chest)"],
])
def test_handwritten_headers(tmp_path, lines):
    (tmp_path / "rec.hea").write_text("# made by hand\n" + "\n".join(lines) + "\n")
    assert_same_as_wfdb(tmp_path / "rec.hea")


def test_every_ptbxl_header(ptbxl_dir):
    headers = sorted((ptbxl_dir / "records100").rglob("*.hea"))[:300]
    headers += sorted((ptbxl_dir / "records500").rglob("*.hea"))[:100]
    assert headers
    for hea in headers:
        assert_same_as_wfdb(hea)


@pytest.mark.parametrize("text, error, message", [
    ("", CorruptFileError, "empty"),
    ("rec/3 2 500\nseg1 5000\n", UnsupportedFormatError, "multi-segment"),
    ("rec twelve 500\n", CorruptFileError, "number of signals"),
    ("rec 1 fast 10\nrec.dat 16\n", CorruptFileError, "sampling frequency"),
    ("rec 1 500 many\nrec.dat 16\n", CorruptFileError, "number of samples"),
    ("rec 1 500 10\nrec.dat sixteen\n", CorruptFileError, "signal line"),
])
def test_damaged_headers_name_the_line(text, error, message):
    with pytest.raises(error, match=message):
        parse_header(text, "rec.hea")
