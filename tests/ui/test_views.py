"""The ECG on paper: comparison with a case, calipers, zoom, paper settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt

from .conftest import open_and_wait


@pytest.fixture
def opened(qtbot, window, ecg_files):
    assert open_and_wait(qtbot, window, [ecg_files["a"]])
    return window


def test_selecting_a_case_shows_its_tracing_beside_the_query_at_the_same_scale(qtbot, opened):
    w = opened
    assert not w.case_pane.isVisible()
    w.cases.select(1)
    qtbot.waitUntil(lambda: w.case_pane.stack.currentWidget() is w.case_view, timeout=10_000)
    assert w.case_pane.isVisible() and w.case_view.has_page()
    assert w.case_view.zoom == pytest.approx(w.query_view.zoom)
    assert w.case_view.transform().m11() == pytest.approx(w.query_view.transform().m11())
    assert w.cases.neighbors[1].case_id in w.case_pane.header.text()
    details = w.cases.details.toHtml()
    assert "Original report" in details and "normal ECG" in details
    assert "also in 7 of 7 other similar cases" in w.cases.details.toPlainText()

    w.query_view.zoom_by(2.0)  # zooming one zooms both
    assert w.case_view.zoom == pytest.approx(w.query_view.zoom)
    w.side_action.setChecked(True)
    assert w.compare_split.orientation() == Qt.Horizontal
    w.cases.select(-1)
    assert not w.case_pane.isVisible()


def test_missing_tracings_say_so_instead_of_a_blank(qtbot, window, ecg_files, copy_resources):
    copy_resources("casebase/tracings.npz")
    assert open_and_wait(qtbot, window, [ecg_files["a"]])
    window.cases.select(0)
    qtbot.waitUntil(lambda: "not installed" in window.case_pane.missing.text(), timeout=10_000)
    assert window.case_pane.stack.currentWidget() is window.case_pane.missing


def test_calipers_read_an_rr_interval_from_two_clicks(qtbot, opened):
    w = opened
    view = w.query_view
    w.calipers_action.setChecked(True)
    view.fit_width()
    ppm = 8.0  # display resolution, px per mm
    start = QPointF(40 * ppm, 40 * ppm)
    end = QPointF(start.x() + 20 * ppm, start.y() - 10 * ppm)  # 20 mm right, 10 mm up
    for point in (start, end):
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.mapFromScene(point))
    reading = view.last_reading
    # 20 mm at 25 mm/s = 800 ms = 75 bpm; 10 mm at 10 mm/mV = 1 mV (within a screen pixel)
    tolerance_mm = 1.0 / view.zoom
    assert reading.dt_ms == pytest.approx(800, abs=1000 * tolerance_mm / 25 + 1)
    assert reading.rate_bpm == pytest.approx(75, abs=1)
    assert reading.dv_mv == pytest.approx(1.0, abs=tolerance_mm / 10 + 0.01)
    assert "bpm" in w.caliper_label.text()

    w.speed_box.setCurrentIndex(w.speed_box.findData(50.0))  # same clicks at 50 mm/s: half
    qtbot.waitUntil(lambda: not view.last_reading, timeout=10_000)
    view.caliper_click(start)
    half = view.caliper_click(end)
    assert half.dt_ms == pytest.approx(400, abs=1)
    w.calipers_action.setChecked(False)
    assert w.caliper_label.text() == ""


def test_paper_settings_redraw_the_query(qtbot, opened):
    w = opened
    height = w.query_view.page_image().height()
    w.gain_box.setCurrentIndex(w.gain_box.findData(20.0))
    qtbot.waitUntil(lambda: w.query_view.page_image().height() > height, timeout=10_000)
    w.layout_box.setCurrentIndex(w.layout_box.findData("12x1"))
    qtbot.waitUntil(lambda: w.query_view.page_image().height() > 2 * height, timeout=10_000)


def test_zoom_fit_and_true_size(opened):
    view = opened.query_view
    view.fit_width()
    fitted = view.zoom
    opened.zoom_in_action.trigger()
    assert view.zoom == pytest.approx(fitted * 1.25)
    opened.true_size_action.trigger()
    assert view.zoom == pytest.approx(view.screen().physicalDotsPerInchX() / 25.4)
    opened.fit_action.trigger()
    assert view.zoom == pytest.approx(fitted)


def test_statement_counts_keep_the_order_the_closest_cases_list_them():
    from ecgviewer.core.results import Neighbor, Statement
    from ecgviewer.ui.cases_panel import statement_counts

    codes = ["SR", "NORM", "LAFB", "IRBBB", "PAC", "STACH", "LVH", "ISCAL"]
    case = Neighbor("a", 1, 0.9, "", tuple(Statement(c, c, 100.0) for c in codes), None, None)
    counts = statement_counts([case, case])
    assert [c for c, _ in counts.most_common()] == codes and set(counts.values()) == {2}
