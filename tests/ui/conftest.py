"""UI test fixtures: a real (tiny) model and case base, WFDB files, photos, drops.

Qt runs offscreen; every test gets its own settings file, data directory and resources.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import synthetic_record  # noqa: E402  (tests/ is on sys.path)
from fake_resources import write_fake_resources  # noqa: E402
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ecgviewer.core.imageio import save_image  # noqa: E402
from ecgviewer.core.record import EcgRecord  # noqa: E402
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render

N_CASES = 8


def write_wfdb(folder: Path, name: str, record: EcgRecord) -> Path:
    """Write ``record`` as a WFDB .hea/.dat pair; returns the .hea path."""
    import wfdb

    folder.mkdir(parents=True, exist_ok=True)
    wfdb.wrsamp(name, fs=record.sampling_rate, units=["mV"] * len(record.leads),
                sig_name=list(record.leads), p_signal=record.signals.T.astype(np.float64),
                fmt=["16"] * len(record.leads), adc_gain=[1000.0] * len(record.leads),
                baseline=[0] * len(record.leads), write_dir=str(folder),
                comments=["Age: 56", "Sex: F"])
    return folder / f"{name}.hea"


def write_photo(path: Path, record: EcgRecord) -> Path:
    """A 'photo' of a printout: the rendered page on a grey table, slightly off-centre."""
    page = render(record, PaperStyle(px_per_mm=3.0))
    h, w = page.shape[:2]
    photo = np.full((h + 120, w + 160, 3), 90, np.uint8)
    photo[50:50 + h, 70:70 + w] = page
    save_image(path, photo)
    return path


@pytest.fixture(scope="session")
def resources_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("resources")
    write_fake_resources(root, [synthetic_record(seed=i) for i in range(N_CASES)])
    write_wfdb(root / "samples", "demo_ecg", synthetic_record(seed=100))
    return root


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path, resources_root):
    """Own data directory (log file) and resources for each test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("ECGVIEWER_RESOURCES", str(resources_root))


@pytest.fixture
def settings(tmp_path):
    from ecgviewer.ui.settings import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))


@pytest.fixture
def window(qtbot, settings):
    from ecgviewer.ui.main_window import MainWindow

    win = MainWindow(settings, "en")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def ecg_files(tmp_path) -> dict[str, Path]:
    """Two WFDB records and one photo, in a folder of their own."""
    folder = tmp_path / "ecgs"
    return {
        "a": write_wfdb(folder, "patient_a", synthetic_record(seed=3)),
        "b": write_wfdb(folder, "patient_b", synthetic_record(seed=5, rate=250)),
        "photo": write_photo(folder / "printout.png", synthetic_record(seed=7)),
    }


def drop(widget, paths) -> None:
    """Drag files onto ``widget`` and let go, as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(widget, event)


def open_and_wait(qtbot, window, paths, timeout=20_000) -> bool:
    """Drop ``paths`` on the window and wait for the query's outcome; returns success."""
    with qtbot.waitSignal(window.queryFinished, timeout=timeout) as blocker:
        drop(window, paths)
    return blocker.args[0]


@pytest.fixture
def copy_resources(tmp_path, resources_root, monkeypatch):
    """A private copy of the resources, for tests that damage or trim them."""
    def make(*remove: str) -> Path:
        root = tmp_path / "res_copy"
        shutil.copytree(resources_root, root)
        for name in remove:
            (root / name).unlink()
        monkeypatch.setenv("ECGVIEWER_RESOURCES", str(root))
        return root
    return make


@pytest.fixture
def slow_search(monkeypatch):
    """Make each encoding hold the CPU (and the GIL, in Python) for ``seconds``: the worst
    case for the UI thread, as a slow model on an old laptop."""
    from ecgviewer.core.encoder import Encoder

    original = Encoder.encode

    def set_delay(seconds: float) -> None:
        def slow_encode(self, frames):
            import time

            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                sum(i * i for i in range(2000))
            return original(self, frames)

        monkeypatch.setattr(Encoder, "encode", slow_encode)
    return set_delay
