"""``ecgviewer info`` and ``ecgviewer render``: output, and one-line errors with exit 2."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import wfdb

from conftest import REPO, synthetic_record
from ecgviewer.cli import main
from ecgviewer.core.paper import PaperStyle

DEMO = REPO / "resources" / "samples" / "demo_ecg.hea"


@pytest.fixture
def wfdb_record(tmp_path: Path) -> Path:
    """The synthetic record written as WFDB (format 16, 1 uV steps)."""
    rec = synthetic_record(rate=250.0, seconds=8.0)
    wfdb.wrsamp("synth", fs=rec.sampling_rate, units=["mV"] * 12, sig_name=list(rec.leads),
                p_signal=rec.signals.T.astype(np.float64), fmt=["16"] * 12,
                adc_gain=[1000.0] * 12, baseline=[0] * 12, write_dir=str(tmp_path))
    return tmp_path / "synth.hea"


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_user_error(code: int, err: str) -> None:
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ecgviewer:")
    assert "Traceback" not in err


@pytest.mark.parametrize("which, rate, samples", [("demo", 500.0, 5000), ("synth", 250.0, 2000)])
def test_info_json(capsys, wfdb_record, which, rate, samples):
    path = DEMO if which == "demo" else wfdb_record
    code, out, err = run_cli(capsys, "info", str(path), "--json")
    assert code == 0 and err == ""
    info = json.loads(out)
    assert info["format"] == "WFDB"
    assert info["kind"] == "signal"
    assert info["sampling_rate"] == rate
    assert info["leads"] == ["I", "II", "III", "aVR", "aVL", "aVF",
                             "V1", "V2", "V3", "V4", "V5", "V6"]
    assert info["samples"] == samples
    assert info["duration_s"] == pytest.approx(samples / rate)


def test_info_text(capsys):
    code, out, _ = run_cli(capsys, "info", str(DEMO))
    assert code == 0
    assert "sampling_rate: 500.0" in out.splitlines()


def test_demo_sample_is_a_plausible_normal_ecg():
    """The bundled demo: synthetic, 1 uV resolution, ~1 mV QRS, Einthoven-consistent."""
    header = DEMO.read_text()
    assert "Synthetic ECG" in header and "neurokit2" in header
    assert DEMO.with_suffix(".dat").stat().st_size == 12 * 5000 * 2
    from ecgviewer.core.readers import read

    rec = read(DEMO)
    assert np.ptp(rec.lead("II")) == pytest.approx(1.4, abs=0.5)
    assert 0.5 < np.ptp(rec.lead("V5")) < 2.5
    assert np.allclose(rec.lead("III"), rec.lead("II") - rec.lead("I"), atol=0.002)
    assert np.median(rec.lead("aVR")) < np.median(rec.lead("II"))  # aVR is the mirror lead


@pytest.mark.parametrize("layout", ["3x4+1", "6x2", "12x1"])
def test_render_writes_png_of_page_size(capsys, tmp_path, layout):
    out = tmp_path / f"{layout}.png"
    code, _, err = run_cli(capsys, "render", str(DEMO), "-o", str(out), "--layout", layout)
    assert code == 0 and err == ""
    image = cv2.imread(str(out))
    assert image.shape[:2] == PaperStyle(layout=layout).page_px[::-1]


def test_render_options_change_the_page(capsys, tmp_path, wfdb_record):
    """Every option reaches the renderer: the PNG is the page drawn with all of them (the
    page size alone would not show a lost --speed)."""
    from ecgviewer.core.readers import read
    from ecgviewer.core.render import render

    out = tmp_path / "fast.png"
    code, _, _ = run_cli(capsys, "render", str(wfdb_record), "-o", str(out), "--layout", "6x2",
                         "--speed", "50", "--gain", "20", "--px-per-mm", "2.5")
    assert code == 0
    style = PaperStyle(layout="6x2", speed_mm_s=50, gain_mm_mv=20, px_per_mm=2.5)
    written = cv2.cvtColor(cv2.imread(str(out)), cv2.COLOR_BGR2RGB)
    record = read(wfdb_record)
    assert np.array_equal(written, render(record, style))
    for option in ({"speed_mm_s": 25.0}, {"gain_mm_mv": 10.0}):
        other = render(record, dataclasses.replace(style, **option))
        assert other.shape != written.shape or not np.array_equal(other, written), option


@pytest.mark.parametrize("argv", [
    ["info", "{missing}"],
    ["render", "{missing}", "-o", "{out}"],
    ["info", "{junk}"],
    ["render", "{junk}", "-o", "{out}"],
    ["render", "{demo}", "-o", "{out}", "--gain", "0"],
    ["render", "{demo}", "-o", "{out}", "--speed", "-25"],
    ["render", "{demo}", "-o", "{out}", "--px-per-mm", "nan"],
    ["render", "{demo}", "-o", "{out}", "--px-per-mm", "20", "--gain", "40",
     "--layout", "12x1"],
    ["render", "{demo}", "-o", "{tmp}/page.xyz"],
    ["render", "{demo}", "-o", "{tmp}"],
    ["render", "{hea_only}", "-o", "{out}"],
])
def test_user_errors_exit_2_with_one_line(capsys, tmp_path, argv):
    junk = tmp_path / "notes.bin"
    junk.write_bytes(bytes(range(256)) * 8)
    hea_only = tmp_path / "lonely.hea"
    hea_only.write_text(DEMO.read_text())  # its .dat is missing
    names = {"missing": tmp_path / "nope.hea", "junk": junk, "demo": DEMO,
             "out": tmp_path / "out.png", "tmp": tmp_path, "hea_only": hea_only}
    code, out, err = run_cli(capsys, *(a.format(**names) for a in argv))
    assert_user_error(code, err)
    assert out == ""
    assert not (tmp_path / "out.png").exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]  # no temp files left


@pytest.mark.parametrize("argv", [
    ["render", "x.hea", "-o", "x.png", "--layout", "4x3"],
    ["render", "x.hea"],
    ["render", "x.hea", "-o", "x.png", "--gain", "ten"],
])
def test_bad_arguments_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_entry_point_runs_as_module(tmp_path):
    """``python -m ecgviewer`` works end to end (one process: interpreter start-up is slow)."""
    out = tmp_path / "page.png"
    done = subprocess.run([sys.executable, "-m", "ecgviewer", "render", str(DEMO), "-o", str(out)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert cv2.imread(str(out)).shape[:2] == PaperStyle().page_px[::-1]
