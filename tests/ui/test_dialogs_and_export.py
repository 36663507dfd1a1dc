"""PDF export, the About box, settings, and the headless screenshot."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox

from ecgviewer.ui.about import AboutDialog
from ecgviewer.ui.settings import Settings, SettingsDialog

from .conftest import open_and_wait

REPO = Path(__file__).resolve().parents[2]


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


@pytest.mark.parametrize("kind", ["a", "photo"])
def test_export_writes_a_one_page_pdf(qtbot, window, ecg_files, tmp_path, kind):
    assert open_and_wait(qtbot, window, [ecg_files[kind]])
    target = tmp_path / "out" / "report.pdf"
    with qtbot.waitSignal(window.render_runner.done, timeout=20_000):
        window.export_to(str(target))
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and _pdf_pages(data) == 1
    qtbot.waitUntil(lambda: "report.pdf" in window.stage_label.text(), timeout=5_000)
    width_mm, height_mm = _grid_extent_mm(target)
    if kind == "a":  # a signal is printed at true scale: the renderer's 270 x 130 mm page
        assert width_mm == pytest.approx(270, abs=1.5)
        assert height_mm == pytest.approx(130, abs=1.5)
    else:  # a photo is printed at the size its own grid squares measure: the same page
        assert width_mm == pytest.approx(270, rel=0.03)
        assert height_mm == pytest.approx(130, rel=0.03)


def _grid_extent_mm(pdf_path) -> tuple[float, float]:
    """Width and height of the pink ECG grid on the printed page, in millimetres."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(pdf_path))[0]
    assert page.get_size() == pytest.approx((842, 595), abs=1)  # A4 landscape, points
    image = np.asarray(page.render(scale=2).to_pil().convert("RGB")).astype(int)
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    ys, xs = np.nonzero((r > 200) & (r - g > 30) & (r - b > 30))
    px_per_mm = image.shape[1] / 297
    return (xs.max() - xs.min()) / px_per_mm, (ys.max() - ys.min()) / px_per_mm


def test_printing_paints_the_same_report(qtbot, window, ecg_files, tmp_path):
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrinter

    from ecgviewer.ui.export_pdf import paint_report

    assert open_and_wait(qtbot, window, [ecg_files["a"]])
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setFullPage(True)
    printer.setPageOrientation(QPageLayout.Landscape)
    o = window.outcome
    paint_report(printer, window._report(o, o.result.neighbors, "scale"))
    width_mm, height_mm = _grid_extent_mm(tmp_path / "printed.pdf")
    assert width_mm == pytest.approx(270, abs=1.5) and height_mm == pytest.approx(130, abs=1.5)


def test_about_lists_versions_build_ids_and_attribution(qtbot, window, ecg_files):
    assert open_and_wait(qtbot, window, [ecg_files["a"]])
    dialog = AboutDialog(window.searchers.searcher, None, window)
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    for needle in ("test-model", "test-casebase", "onnxruntime", "PySide6", "PTB-XL",
                   "Wagner", "Creative Commons Attribution 4.0", "tracings installed"):
        assert needle in text
    unloaded = AboutDialog(None, "The case base is missing.", window)
    qtbot.addWidget(unloaded)
    assert "The case base is missing." in unloaded.text.toPlainText()


def test_settings_dialog_saves_choices(qtbot, tmp_path):
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    assert (settings.device, settings.top_k, settings.layout, settings.language) == (
        "cpu", 10, "3x4+1", "")
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.top_k.setValue(5)
    dialog.layout_box.setCurrentIndex(dialog.layout_box.findData("6x2"))
    dialog.speed.setCurrentIndex(dialog.speed.findData(50.0))
    dialog.gain.setCurrentIndex(dialog.gain.findData(5.0))
    dialog.language.setCurrentIndex(dialog.language.findData("pt"))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()
    again = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    assert (again.top_k, again.layout, again.speed, again.gain, again.language) == (
        5, "6x2", 50.0, 5.0, "pt")


def test_top_k_setting_limits_the_list(qtbot, window, ecg_files, settings):
    settings.top_k = 3
    assert open_and_wait(qtbot, window, [ecg_files["a"]])
    assert window.cases.list.count() == 3


def _run_cli(args, tmp_path, resources_root, timeout=120):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ECGVIEWER_RESOURCES=str(resources_root),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run([sys.executable, "-m", "ecgviewer", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_gui_screenshot_opens_waits_and_saves_a_real_picture(tmp_path, resources_root):
    out = tmp_path / "shot.png"
    sample = resources_root / "samples" / "demo_ecg.hea"
    run = _run_cli(["gui", str(sample), "--screenshot", str(out)], tmp_path, resources_root)
    assert run.returncode == 0, run.stderr
    image = cv2.imread(str(out))
    assert image is not None and image.shape[0] > 500 and image.shape[1] > 1000
    assert image.std() > 20  # not blank
    colours = np.unique(image.reshape(-1, 3) // 16, axis=0)
    assert len(colours) > 20  # paper, grid, traces, text, bars
    assert any((tmp_path / "data").rglob("ecgviewer.log"))


def test_gui_screenshot_of_a_bad_file_exits_2_with_the_message(tmp_path, resources_root):
    bad = tmp_path / "bad.hea"
    bad.write_text("garbage\n")
    out = tmp_path / "shot.png"
    run = _run_cli(["gui", str(bad), "--screenshot", str(out)], tmp_path, resources_root)
    assert run.returncode == 2
    assert "bad.hea" in run.stderr and out.exists()
