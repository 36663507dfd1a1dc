"""The reader registry and the file boundary: an explicit order, extensions for dialogs,
only regular readable files, and the layering rules between packages."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import numpy as np
import pytest
import wfdb

from conftest import REPO, synthetic_record
from ecgviewer.cli import main
from ecgviewer.core.errors import MissingFileError, UnsupportedFormatError
from ecgviewer.core.readers import detect, extensions, read, registry
from ecgviewer.core.readers.image_reader import load_image


def test_registry_is_an_ordered_tuple_with_images_last():
    readers = registry()
    assert isinstance(readers, tuple) and readers[0].name == "WFDB"
    assert [r.kind for r in readers][-1] == "image"
    assert all(r.extensions and all(e.startswith(".") for e in r.extensions) for r in readers)
    assert ".txt" not in extensions() and {".hea", ".edf", ".png", ".pdf"} <= set(extensions())


def test_a_wfdb_dat_starting_like_a_bmp_is_wfdb_everywhere(tmp_path, capsys):
    """The first samples of a format-16 .dat can spell b"BM": WFDB still reads it."""
    rec = synthetic_record(rate=100)
    signals = rec.signals.T.astype(np.float64)
    signals[0, 0] = int.from_bytes(b"BM", "little") / 1000.0  # the first two bytes
    wfdb.wrsamp("rec", fs=100, units=["mV"] * 12, sig_name=list(rec.leads),
                p_signal=signals, fmt=["16"] * 12, adc_gain=[1000.0] * 12, baseline=[0] * 12,
                write_dir=str(tmp_path))
    dat = tmp_path / "rec.dat"
    assert dat.read_bytes()[:2] == b"BM"
    assert detect(dat).name == "WFDB" and read(dat).leads[0] == "I"
    assert main(["info", str(dat), "--json"]) == 0 and '"WFDB"' in capsys.readouterr().out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("name", ["x.csv", "x.png", "x.hea"])
def test_a_named_pipe_is_refused_without_blocking(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    with pytest.raises(UnsupportedFormatError, match="not a regular file"):
        detect(fifo)
    with pytest.raises(UnsupportedFormatError, match="not a regular file"):
        load_image(fifo)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads every folder; needs POSIX permissions")
def test_a_file_in_a_folder_you_may_not_read(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "a.csv").write_text("I\n1\n")
    folder.chmod(0)
    try:
        with pytest.raises(MissingFileError, match="permission denied"):
            read(folder / "a.csv")
    finally:
        folder.chmod(0o700)


def test_an_unreadable_file_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_text("I\n1\n")

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "stat", denied)
    with pytest.raises(MissingFileError, match="permission denied"):
        detect(path)


@pytest.mark.parametrize("name", ["a" * 300 + ".csv", "/".join(["d" * 200] * 25) + "/x.csv"])
def test_names_too_long_get_one_line(tmp_path, capsys, name):
    assert main(["info", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ecgviewer: ") and err.count("\n") == 1


def test_a_name_starting_with_a_dash_gets_one_line(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["search", "--no-such-flag.hea"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.startswith("ecgviewer: ") and err.count("\n") == 1


def test_a_sparse_huge_image_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.png"
    with path.open("wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.truncate(20 * 1024**3)  # sparse: nothing is written
    with pytest.raises(UnsupportedFormatError, match="far larger"):
        load_image(path)


def test_native_decoder_messages_stay_off_stderr(tmp_path, capfd):
    """A damaged JPEG makes libjpeg print "Corrupt JPEG data"; the user sees our line only."""
    import cv2

    page = np.full((400, 600, 3), 200, np.uint8)
    cv2.line(page, (0, 200), (600, 220), (0, 0, 0), 3)
    data = bytearray(cv2.imencode(".jpg", page)[1].tobytes())
    cut = data.index(b"\xff\xda") + 200
    data[cut:cut + 40] = b"\xff\xd0" * 20  # stray restart markers in the scan
    path = tmp_path / "damaged.jpg"
    path.write_bytes(bytes(data))
    capfd.readouterr()
    assert load_image(path).shape == (400, 600, 3)  # libjpeg decodes it, complaining
    assert capfd.readouterr().err == ""


# ── layering ────────────────────────────────────────────────────────────────

def _imports(folder: Path) -> dict[Path, set[str]]:
    """Top-level module names imported anywhere in each file (lazy imports too)."""
    found = {}
    for path in folder.rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[path] = names
    return found


def test_core_never_imports_qt_and_the_app_never_imports_training():
    for path, names in _imports(REPO / "ecgviewer").items():
        roots = {n.split(".")[0] for n in names}
        # scipy, pandas and wfdb are test references only: the installer leaves them out
        assert not roots & {"model_export", "torch", "neurokit2", "scipy", "pandas", "wfdb"}, path
        if "ui" not in path.relative_to(REPO / "ecgviewer").parts:
            assert "PySide6" not in roots and not any(n.startswith("ecgviewer.ui") for n in names
                                                       if path.name != "cli.py"), path


def test_no_two_modules_import_each_other():
    graph = {}
    for path, names in _imports(REPO / "ecgviewer").items():
        module = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        graph[module] = {n for n in names if n.startswith("ecgviewer")}
    pairs = {(a, b) for a, deps in graph.items() for b in deps if a in graph.get(b, ())}
    assert not pairs


def test_importing_the_core_pulls_in_no_qt():
    code = ("import sys, ecgviewer.core.search, ecgviewer.core.inspect, ecgviewer.cli;"
            "print([m for m in sys.modules if m.startswith(('PySide6', 'torch'))])")
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_reading_and_measuring_a_record_loads_no_test_only_library():
    """Reading WFDB, resampling and the rhythm measure run without scipy, pandas or wfdb."""
    code = ("import sys; from ecgviewer.core.readers import read; from ecgviewer.core import rhythm;"
            "from ecgviewer.resources import sample_path;"
            "r = read(sample_path()).resampled(257); rhythm.measure(r);"
            "print([m for m in ('scipy', 'pandas', 'wfdb') if m in sys.modules])")
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
