"""The main window's clinic actions: save the ECG just searched as a confirmed case (the
next search finds it, marked as the clinic's), and the clinic cases window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from ecgviewer.ui import case_dialog, clinic_cases

from .conftest import open_and_wait, synthetic_record, write_wfdb


@pytest.fixture
def new_ecg(tmp_path):
    """An ECG none of the bundled (fake) cases is a copy of."""
    return write_wfdb(tmp_path / "new", "new_patient", synthetic_record(seed=42))


def _confirm(codes):
    def answer(dialog):
        for i in range(dialog.statements.count()):
            item = dialog.statements.item(i)
            if item.data(case_dialog.CODE_ROLE) in codes:
                item.setCheckState(Qt.Checked)
        dialog.confirmed_by.setText("Dr. Window")
        dialog.accept()
        return QDialog.Accepted
    return answer


def test_save_as_confirmed_case_then_find_it(qtbot, window, new_ecg, monkeypatch):
    assert not window.save_case_action.isEnabled()
    assert open_and_wait(qtbot, window, [new_ecg])
    assert window.save_case_action.isEnabled()
    monkeypatch.setattr(case_dialog.CaseDialog, "exec", _confirm({"IMI", "LVH"}))
    window.save_case_action.trigger()
    assert open_and_wait(qtbot, window, [new_ecg])
    # the tiny test model finds every page alike: the new case is among them, marked
    saved = [n for n in window.cases.neighbors if n.source == "clinic"]
    assert [n.case_id for n in saved] == ["clinic:1"]
    assert [s.code for s in saved[0].statements] == ["IMI", "LVH"]
    assert window.cases.patient_text(saved[0]).startswith("This clinic")


def test_search_from_one_source_only(qtbot, window, ecg_files, new_ecg, monkeypatch,
                                     settings):
    assert open_and_wait(qtbot, window, [new_ecg])
    monkeypatch.setattr(case_dialog.CaseDialog, "exec", _confirm({"NORM"}))
    window.save_case_action.trigger()
    settings.sources = ("clinic",)
    assert open_and_wait(qtbot, window, [ecg_files["b"]])
    assert [n.case_id for n in window.cases.neighbors] == ["clinic:1"]


def test_the_clinic_cases_window_opens_from_the_tools_menu(qtbot, window, monkeypatch):
    opened = []
    monkeypatch.setattr(clinic_cases.ClinicCasesDialog, "exec", lambda self: opened.append(self))
    window.clinic_action.trigger()
    assert opened and opened[0].table.rowCount() == 0
