"""The "Save as a confirmed case" dialog: searchable statements in the UI language,
prefilled details, editing later, and saving a query so the next search finds it."""

from __future__ import annotations

import os
from types import SimpleNamespace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from conftest import REPO, synthetic_record  # noqa: E402
from fake_resources import write_fake_resources  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QDialog, QDialogButtonBox  # noqa: E402

from ecgviewer.core.clinic.case import CaseDetails  # noqa: E402
from ecgviewer.ui import case_dialog  # noqa: E402
from ecgviewer.ui.case_dialog import CODE_ROLE, CaseDialog, save_query_as_case  # noqa: E402

DEMO = str(REPO / "resources" / "samples" / "demo_ecg.hea")


def _items(dialog):
    return [dialog.statements.item(i) for i in range(dialog.statements.count())]


def _check(dialog, *codes):
    for item in _items(dialog):
        if item.data(CODE_ROLE) in codes:
            item.setCheckState(Qt.Checked)


def _ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.Ok)


def test_statements_are_searchable_in_the_ui_language(qtbot):
    dialog = CaseDialog("fr")
    qtbot.addWidget(dialog)
    assert len(_items(dialog)) == 71
    _check(dialog, "AFIB")
    dialog.filter.setText("infarctus inferieur")  # no accents typed
    shown = [i.data(CODE_ROLE) for i in _items(dialog) if not i.isHidden()]
    assert "IMI" in shown and "AFIB" in shown  # checked ones stay in view
    assert "NORM" not in shown
    assert "infarctus du myocarde inférieur" in next(
        i.text() for i in _items(dialog) if i.data(CODE_ROLE) == "IMI")


def test_save_needs_a_statement_and_who_confirmed(qtbot):
    dialog = CaseDialog("en", age=56, sex="female", confirmed_by="")
    qtbot.addWidget(dialog)
    assert dialog.age.value() == 56 and dialog.sex.currentData() == "female"
    assert not _ok(dialog).isEnabled()
    _check(dialog, "IMI", "LVH")
    assert not _ok(dialog).isEnabled()
    dialog.confirmed_by.setText("Dr. A")
    assert _ok(dialog).isEnabled()
    dialog.report.setPlainText("old inferior MI, LVH")
    dialog.patient.setText("RHD-0042")
    dialog.accept()
    d = dialog.details
    assert (d.statements, d.report, d.age, d.sex, d.patient_ref, d.confirmed_by) == \
        (("IMI", "LVH"), "old inferior MI, LVH", 56.0, "female", "RHD-0042", "Dr. A")


def test_editing_starts_from_the_saved_details_and_keeps_their_date(qtbot):
    saved = CaseDetails(("NORM",), "normal", None, None, "P-1", "Dr. B",
                        "2024-05-01T08:00:00+00:00")
    dialog = CaseDialog("en", details=saved)
    qtbot.addWidget(dialog)
    assert dialog.checked_codes() == ("NORM",) and dialog.age.text() == "unknown"
    _check(dialog, "SR")
    dialog.accept()
    assert dialog.details.statements == ("NORM", "SR")
    assert dialog.details.confirmed_at == saved.confirmed_at


@pytest.fixture
def searcher(tmp_path):
    from ecgviewer.core.search import Searcher

    root = write_fake_resources(tmp_path / "res", [synthetic_record(seed=i) for i in range(4)])
    return Searcher.from_resources(root)


def test_a_saved_query_is_found_by_the_next_search(qtbot, searcher, tmp_path, monkeypatch):
    from ecgviewer.core.search import prepare

    result = searcher.search(prepare(DEMO), 3)
    assert searcher.clinic is None and all(n.source == "ptbxl" for n in result.neighbors)
    outcome = SimpleNamespace(request=SimpleNamespace(path=DEMO), result=result)

    def answer(dialog):
        _check(dialog, "NORM")
        dialog.accept()
        return QDialog.Accepted

    monkeypatch.setattr(case_dialog.CaseDialog, "exec", answer)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
    settings.setValue(case_dialog.CONFIRMED_BY_KEY, "Dr. C")
    case_id = save_query_as_case(None, outcome, searcher, "en", settings)
    assert case_id == 1
    top = searcher.search(prepare(DEMO), 3).neighbors[0]
    assert (top.source, top.case_id, top.statements[0].code) == ("clinic", "clinic:1", "NORM")
    assert searcher.clinic.store.get(1).details.confirmed_by == "Dr. C"


def test_clinic_cases_are_marked_and_their_tracing_shown(qtbot, searcher):
    from ecgviewer.core.clinic.base import ClinicBase, ModelInfo
    from ecgviewer.core.search import prepare
    from ecgviewer.ui.cases_panel import CasesPanel

    query = prepare(DEMO)
    result = searcher.search(query, 3)
    searcher.clinic = ClinicBase(ModelInfo.of(searcher.encoder))
    from ecgviewer.core.clinic.embed import case_source

    searcher.clinic.add(case_source(DEMO, "signal", result.record, None),
                        CaseDetails(("NORM",), confirmed_by="Dr. D"), result.embedding)
    neighbors = searcher.search(query, 3).neighbors
    panel = CasesPanel("en")
    qtbot.addWidget(panel)
    assert panel.patient_text(neighbors[0]).startswith("This clinic")
    assert not panel.patient_text(neighbors[1]).startswith("This clinic")
    tracing = searcher.tracing(neighbors[0].case_id)
    assert tracing.signals.tobytes() == result.record.signals.tobytes()
    assert searcher.tracing("clinic:99") is None


def test_the_clinic_cases_window_edits_removes_exports_and_imports(qtbot, tmp_path,
                                                                   monkeypatch):
    from clinic_fakes import MODEL, add_cases

    from ecgviewer.core.clinic.base import ClinicBase
    from ecgviewer.ui.clinic_cases import ClinicCasesDialog, QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.Yes)
    base = ClinicBase(MODEL, tmp_path / "district")
    add_cases(base, 0, 4, patient="P-1")
    add_cases(base, 10, 2, patient="P-2")
    dialog = ClinicCasesDialog(base, "en")
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 6
    dialog.patient.setText("P-2")
    assert dialog.table.rowCount() == 2
    dialog.table.selectRow(0)

    def edited(case_dialog):
        _check(case_dialog, "LVH")
        case_dialog.accept()
        return QDialog.Accepted

    monkeypatch.setattr(case_dialog.CaseDialog, "exec", edited)
    dialog.edit_selected()
    assert "LVH" in base.store.get(5).details.statements
    dialog.table.selectRow(0)
    dialog.remove_selected()
    assert base.store.count() == 5
    assert dialog.export_to(str(tmp_path / "b.zip"), strip_patient=False) == 5

    other = ClinicBase(MODEL, tmp_path / "clinic")
    receiving = ClinicCasesDialog(other, "en")
    qtbot.addWidget(receiving)
    report = receiving.import_from(str(tmp_path / "b.zip"))
    assert len(report.added) == 5 and receiving.table.rowCount() == 5


def test_earlier_ecgs_of_a_patient_at_one_scale(qtbot, tmp_path):
    from clinic_fakes import MODEL, add_cases

    from ecgviewer.core.clinic.base import ClinicBase
    from ecgviewer.ui.clinic_cases import ClinicCasesDialog
    from ecgviewer.ui.serial_view import SerialDialog, patient_series

    base = ClinicBase(MODEL, tmp_path / "home")
    ids = add_cases(base, 0, 3, patient="P-7")  # confirmed on the 1st, 2nd, 3rd
    alone = add_cases(base, 10, 1)[0]
    assert [c.id for c in patient_series(base, ids[2])] == [ids[2], ids[1], ids[0]]
    assert patient_series(base, ids[0]) == [] and patient_series(base, alone) == []
    dialog = SerialDialog(base, patient_series(base, ids[2]))
    qtbot.addWidget(dialog)
    assert len(dialog.views) == 3 and all(v.has_page() for v in dialog.views)
    dialog.views[1].set_zoom(7.5)
    assert {round(v.zoom, 3) for v in dialog.views} == {7.5}
    window = ClinicCasesDialog(base)
    qtbot.addWidget(window)
    window.table.selectRow(2)
    assert window.series_button.isEnabled()
    window.table.selectRow(0)
    assert not window.series_button.isEnabled()


def test_a_setting_restricts_results_to_one_source(qtbot, tmp_path):
    from ecgviewer.ui.settings import Settings, SettingsDialog

    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    assert settings.sources == ("ptbxl", "clinic")
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.sources.setCurrentIndex(dialog.sources.findData("clinic"))
    dialog.accept()
    assert settings.sources == ("clinic",)
    assert SettingsDialog(settings).sources.currentData() == "clinic"


def test_a_photo_case_is_shown_beside_the_query(qtbot, searcher, tmp_path):
    import numpy as np

    from ecgviewer.core.clinic.base import ClinicBase, ModelInfo
    from ecgviewer.core.clinic.embed import case_source
    from ecgviewer.core.imageio import save_image
    from ecgviewer.core.paper import PaperStyle
    from ecgviewer.core.render import render
    from ecgviewer.core.search import prepare
    from ecgviewer.ui import worker

    page = render(synthetic_record(seed=9), PaperStyle(px_per_mm=4.0))
    photo = np.full((page.shape[0] + 100, page.shape[1] + 100, 3), 80, np.uint8)
    photo[50:-50, 50:-50] = page
    save_image(tmp_path / "printout.png", photo)
    result = searcher.search(prepare(tmp_path / "printout.png"), 3)
    searcher.clinic = ClinicBase(ModelInfo.of(searcher.encoder))
    case_id = searcher.clinic.add(
        case_source(tmp_path / "printout.png", "image", None, result.corners),
        CaseDetails(("IMI",), confirmed_by="Dr. E"), result.embedding)
    cache = SimpleNamespace(get=lambda device: searcher)
    image, style, record = worker.load_case(cache, f"clinic:{case_id}", "cpu", PaperStyle(),
                                            lambda stage: None)
    assert record is None and image.width() > 1000 and style.px_per_mm == 5.0


def test_the_clinic_cases_window_opens_on_the_searchers_base(qtbot, searcher, monkeypatch):
    from ecgviewer.ui import clinic_cases

    shown = []
    monkeypatch.setattr(clinic_cases.ClinicCasesDialog, "exec", lambda self: shown.append(self))
    cache = SimpleNamespace(searcher=searcher, reencoding=None)
    clinic_cases.open_clinic_cases(None, cache, "en")
    assert shown[0].base is searcher.clinic and shown[0].encoder is searcher.encoder
    clinic_cases.open_clinic_cases(None, cache, "en")
    assert shown[1].base is shown[0].base
