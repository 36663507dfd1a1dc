"""After an ECG is saved with a patient reference, the window offers that patient's
earlier saved ECGs beside it, at one scale."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from ecgviewer.ui import case_dialog, serial_view

from .conftest import open_and_wait


def _save(window, monkeypatch, patient: str) -> None:
    def answer(dialog):
        for i in range(dialog.statements.count()):
            item = dialog.statements.item(i)
            if item.data(case_dialog.CODE_ROLE) == "NORM":
                item.setCheckState(Qt.Checked)
        dialog.patient.setText(patient)
        dialog.confirmed_by.setText("Dr. S")
        dialog.accept()
        return QDialog.Accepted

    monkeypatch.setattr(case_dialog.CaseDialog, "exec", answer)
    window.save_case()


def test_earlier_ecgs_of_the_patient_are_offered_once_saved(qtbot, window, ecg_files,
                                                             monkeypatch):
    shown = []
    monkeypatch.setattr(serial_view.SerialDialog, "exec",
                        lambda dialog: shown.append(dialog) or QDialog.Accepted)
    assert open_and_wait(qtbot, window, [ecg_files["a"]])
    assert not window.series_action.isEnabled()
    _save(window, monkeypatch, "P-17")
    assert not window.series_action.isEnabled()  # no earlier ECG of P-17 yet
    qtbot.wait(1100)  # confirmation times are kept to the second: this one is later
    assert open_and_wait(qtbot, window, [ecg_files["b"]])
    _save(window, monkeypatch, "P-17")
    assert window.series_action.isEnabled()
    window.show_series()
    assert len(shown) == 1
    assert open_and_wait(qtbot, window, [ecg_files["a"]])  # another ECG on screen
    assert not window.series_action.isEnabled()
