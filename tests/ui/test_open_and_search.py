"""Opening files every way a clinician would, and seeing the similar cases."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from ecgviewer.ui.main_window import dedupe_wfdb

from .conftest import N_CASES, drop, open_and_wait


def test_dropping_a_wfdb_pair_opens_one_record_with_its_cases(qtbot, window, ecg_files):
    hea = ecg_files["a"]
    assert open_and_wait(qtbot, window, [hea, hea.with_suffix(".dat")])
    o = window.outcome
    assert o.kind == "signal" and o.record.n_samples == 5000
    assert window.queue == []  # the .dat of the same record is not queued again
    assert window.query_view.has_page()
    assert window.cases.list.count() == N_CASES
    sims = [n.similarity for n in window.cases.neighbors]
    assert sims == sorted(sims, reverse=True)
    assert "patient_a.hea" in window.query_header.text()
    assert window.error_bar.text() == ""
    assert window.cases.disclaimer.isVisible()


def test_a_record_opens_from_its_dat(qtbot, window, ecg_files):
    assert open_and_wait(qtbot, window, [ecg_files["b"].with_suffix(".dat")])
    assert window.outcome.record.sampling_rate == 250


def test_dropping_an_image_shows_the_rectified_page_and_its_corners(qtbot, window, ecg_files):
    assert open_and_wait(qtbot, window, [ecg_files["photo"]])
    o = window.outcome
    assert o.kind == "image"
    assert o.corners.shape == (4, 2)
    assert window.cases.list.count() == N_CASES
    assert window.corners_action.isEnabled()
    assert not window.layout_box.isEnabled()  # a photo's paper settings are fixed

    window.corners_action.setChecked(True)
    view = window.query_view
    assert np.allclose(view.corners(), o.corners)
    assert not window.research_button.isEnabled()
    view._handles[0].setPos(QPointF(60.0, 45.0))  # the user drags a corner
    view.mouseReleaseEvent(_release(view))
    assert window.research_button.isEnabled()
    with qtbot.waitSignal(window.queryFinished, timeout=20_000):
        window.research_button.click()
    assert np.allclose(window.outcome.request.corners[0], [60.0, 45.0])
    assert np.allclose(window.outcome.corners[0], [60.0, 45.0], atol=1.0)


def test_an_image_without_a_grid_opens_for_the_user_to_place_corners(qtbot, window, tmp_path):
    """No grid found: the photo is shown with corners to drag instead of only an error,
    and searching again with them works (the user is trusted)."""
    import cv2

    from ecgviewer.core.imageio import save_image
    from ecgviewer.core.photo import PITCH_ASSUMED

    image = np.full((600, 900, 3), 245, np.uint8)
    cv2.polylines(image, [np.int32([[100, 300], [300, 300], [320, 200], [340, 300],
                                    [800, 300]])], False, (0, 0, 0), 2)
    save_image(tmp_path / "faint.png", image)
    assert open_and_wait(qtbot, window, [tmp_path / "faint.png"])
    o = window.outcome
    assert o.kind == "image" and o.result is None and "ECG printout" in o.paper_error
    assert window.corners_action.isChecked() and window.corner_bar.isVisible()
    assert window.research_button.isEnabled()
    assert "corners" in window.cases.status.text()
    with qtbot.waitSignal(window.queryFinished, timeout=20_000):
        window.research_button.click()
    o = window.outcome
    assert o.paper_error is None and o.result is not None
    assert window.cases.list.count() == N_CASES and PITCH_ASSUMED in o.notes


def _release(view):
    from PySide6.QtCore import QEvent, QPoint, Qt
    from PySide6.QtGui import QMouseEvent

    return QMouseEvent(QEvent.MouseButtonRelease, QPointF(QPoint(5, 5)), QPointF(5, 5),
                       Qt.LeftButton, Qt.NoButton, Qt.NoModifier)


def test_several_files_open_the_first_and_queue_the_rest(qtbot, window, ecg_files):
    a, b, photo = ecg_files["a"], ecg_files["b"], ecg_files["photo"]
    assert open_and_wait(qtbot, window, [a, a.with_suffix(".dat"), b.with_suffix(".dat"), photo])
    assert window.outcome.request.path == str(a)
    assert window.queue == [str(b.with_suffix(".dat")), str(photo)]
    assert window.next_action.isEnabled() and "2" in window.next_action.text()
    with qtbot.waitSignal(window.queryFinished, timeout=20_000):
        window.next_action.trigger()
    assert window.outcome.request.path == str(b.with_suffix(".dat"))
    assert window.queue == [str(photo)]


def test_dedupe_keeps_order_and_drops_only_paired_dat():
    assert dedupe_wfdb(["/x/a.dat", "/x/a.hea", "/x/b.dat", "/x/a.hea"]) == ["/x/a.hea", "/x/b.dat"]


def test_recent_files_and_command_line_style_open(qtbot, window, ecg_files, settings):
    with qtbot.waitSignal(window.queryFinished, timeout=20_000):
        window.open_files([str(ecg_files["a"])])
    assert settings.recent_files[0] == str(ecg_files["a"])
    window._fill_recent()
    assert [a.text() for a in window.recent_menu.actions()] == [str(ecg_files["a"])]


def test_sample_opens_from_the_welcome_page(qtbot, window):
    assert window.stack.currentWidget() is window.welcome
    assert window.sample_button.isEnabled()
    with qtbot.waitSignal(window.queryFinished, timeout=20_000) as blocker:
        window.sample_button.click()
    assert blocker.args == [True]
    assert window.outcome.name == "demo_ecg.hea"


def test_new_results_replace_the_old_only_when_ready(qtbot, window, ecg_files, slow_search):
    assert open_and_wait(qtbot, window, [ecg_files["a"]])
    first = window.outcome
    slow_search(0.4)
    drop(window, [ecg_files["b"]])
    qtbot.wait(100)
    assert window.busy and window.outcome is first and window.cases.list.count() == N_CASES
    qtbot.waitUntil(lambda: not window.busy, timeout=20_000)
    assert window.outcome.request.path == str(ecg_files["b"])


def test_cancel_drops_the_running_search(qtbot, window, ecg_files, slow_search):
    slow_search(0.5)
    drop(window, [ecg_files["a"]])
    qtbot.waitUntil(lambda: window.stage_label.text().startswith("Searching"), timeout=20_000)
    assert window.cancel_button.isVisible()
    window.cancel_button.click()
    assert not window.busy and window.stage_label.text() == "Cancelled."
    qtbot.wait(900)  # the abandoned search finishes in the background...
    assert window.outcome is None  # ...and its result is dropped
    assert window.stack.currentWidget() is window.welcome
