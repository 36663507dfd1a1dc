"""The clinic's saved cases: list, edit, remove, share by bundle file, re-encode.

Imports and exports run with a progress dialog that can cancel them (nothing is then
changed); a bundle is checked whole before anything is added.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ecgviewer.core import statements
from ecgviewer.core.errors import EcgError
from ecgviewer.ui.case_dialog import CaseDialog
from ecgviewer.ui.cases_panel import patient_text

ID_ROLE = Qt.UserRole + 1
translate = QCoreApplication.translate


class ClinicCasesDialog(QDialog):
    """Manages one :class:`~ecgviewer.core.clinic.base.ClinicBase`; ``encoder`` (the
    model in use) re-encodes cases an earlier model encoded."""

    def __init__(self, base, language: str = "en", encoder=None, reencoding=None, parent=None):
        super().__init__(parent)
        self.base, self.language, self.encoder = base, language, encoder
        self.reencoding = reencoding  # a BackgroundReencoding the app started, if any
        self.setWindowTitle(self.tr("Clinic cases"))
        self.resize(980, 560)
        self.where = QLabel(self.tr("Saved in %1").replace("%1", str(base.home)))
        self.where.setObjectName("note")
        self.patient = QLineEdit()
        self.patient.setPlaceholderText(self.tr("Show one patient reference only"))
        self.patient.setClearButtonEnabled(True)
        self.patient.textChanged.connect(self.refresh)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("Case"), self.tr("Statements"), self.tr("Patient"),
            self.tr("Reference"), self.tr("Confirmed"), self.tr("Report")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        self.stale = QLabel()
        self.stale.setWordWrap(True)

        self.edit_button = QPushButton(self.tr("Edit…"), clicked=self.edit_selected)
        self.remove_button = QPushButton(self.tr("Remove…"), clicked=self.remove_selected)
        self.export_button = QPushButton(self.tr("Export bundle…"), clicked=self.export_dialog)
        self.import_button = QPushButton(self.tr("Import bundle…"), clicked=self.import_dialog)
        self.reencode_button = QPushButton(self.tr("Re-encode"), clicked=self.reencode)
        self.series_button = QPushButton(self.tr("Earlier ECGs of this patient…"),
                                         clicked=self.show_series)
        close = QPushButton(self.tr("Close"), clicked=self.accept)
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.remove_button, self.series_button,
                       self.export_button, self.import_button, self.reencode_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.patient)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.stale)
        layout.addLayout(buttons)
        self.refresh()

    # -- content ----------------------------------------------------------------------
    def refresh(self) -> None:
        ref = self.patient.text().strip() or None
        try:
            cases = self.base.store.list_cases(patient_ref=ref)
        except EcgError as exc:
            self._error(exc)
            cases = []
        self.table.setRowCount(len(cases))
        for row, case in enumerate(cases):
            d = case.details
            values = (case.case_id,
                      ", ".join(statements.describe(c, c, self.language) for c in d.statements),
                      patient_text(d.sex, d.age), d.patient_ref or "",
                      f"{d.confirmed_by}, {d.confirmed_at[:10]}", d.report)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(ID_ROLE, case.id)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        stale = len(self.base.stale_cases())
        background = self.reencoding is not None and self.reencoding.running
        if background:
            done, total = self.reencoding.progress
            text = self.tr("Re-encoding the cases of an earlier model in the background: %1 of "
                           "%2 done.").replace("%1", str(done)).replace("%2", str(total))
            QTimer.singleShot(1000, self, self.refresh)  # stops with the window
        else:
            text = self.tr("%1 cases were encoded by an earlier model and are not searched "
                           "until they are re-encoded.").replace("%1", str(stale)) if stale else ""
        self.stale.setText(text)
        self.stale.setVisible(bool(text))
        self.reencode_button.setVisible(bool(stale) and self.encoder is not None
                                        and not background)
        self._update_buttons()

    def selected_id(self) -> int | None:
        items = self.table.selectedItems()
        return items[0].data(ID_ROLE) if items else None

    def _update_buttons(self) -> None:
        case_id = self.selected_id()
        chosen = case_id is not None and not self.base.read_only
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.series_button.setEnabled(case_id is not None and bool(self._series(case_id)))
        self.import_button.setEnabled(not self.base.read_only)

    def _error(self, exc: Exception) -> None:
        QMessageBox.warning(self, self.tr("Clinic cases"), str(exc))

    def _series(self, case_id: int) -> list:
        from ecgviewer.ui.serial_view import patient_series

        try:
            return patient_series(self.base, case_id)
        except EcgError:
            return []

    # -- actions ----------------------------------------------------------------------
    def show_series(self) -> None:
        from ecgviewer.ui.serial_view import SerialDialog

        case_id = self.selected_id()
        cases = self._series(case_id) if case_id is not None else []
        if cases:
            SerialDialog(self.base, cases, self.language, self).exec()

    def edit_selected(self) -> None:
        case_id = self.selected_id()
        if case_id is None:
            return
        try:
            dialog = CaseDialog(self.language, details=self.base.store.get(case_id).details,
                                parent=self)
            if dialog.exec() == QDialog.Accepted:
                self.base.update(case_id, dialog.details)
        except EcgError as exc:
            self._error(exc)
        self.refresh()

    def remove_selected(self) -> None:
        case_id = self.selected_id()
        if case_id is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Remove case"),
            self.tr("Remove case clinic:%1? It is no longer searched, and only a bundle or a "
                    "backup brings it back.").replace("%1", str(case_id)))
        if answer != QMessageBox.Yes:
            return
        try:
            self.base.remove(case_id)
        except EcgError as exc:
            self._error(exc)
        self.refresh()

    def _progress(self, title: str) -> QProgressDialog:
        progress = QProgressDialog(title, self.tr("Cancel"), 0, 100, self)
        progress.setWindowModality(Qt.WindowModal)
        progress.setMinimumDuration(300)
        return progress

    @staticmethod
    def _callbacks(progress: QProgressDialog):
        def step(done: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            QCoreApplication.processEvents()
        return step, progress.wasCanceled

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export clinic cases"),
                                              "clinic-cases.zip",
                                              self.tr("Case bundles (*.zip)"))
        if not path:
            return
        strip = QMessageBox.question(
            self, self.tr("Patient references"),
            self.tr("Leave the patient references out of the bundle?")) == QMessageBox.Yes
        self.export_to(path, strip)

    def export_to(self, path: str, strip_patient: bool) -> int | None:
        progress = self._progress(self.tr("Exporting clinic cases…"))
        step, cancelled = self._callbacks(progress)
        try:
            count = self.base.export(path, strip_patient, step, cancelled)
        except EcgError as exc:
            self._error(exc)
            return None
        finally:
            progress.close()
        QMessageBox.information(self, self.tr("Export clinic cases"),
                                self.tr("%1 cases written to %2.").replace("%1", str(count))
                                .replace("%2", path))
        return count

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import clinic cases"), "",
                                              self.tr("Case bundles (*.zip)"))
        if path:
            self.import_from(path)

    def import_from(self, path: str):
        progress = self._progress(self.tr("Checking and importing the bundle…"))
        step, cancelled = self._callbacks(progress)
        try:
            report = self.base.import_bundle(path, step, cancelled)
        except EcgError as exc:
            self._error(exc)
            return None
        finally:
            progress.close()
        self.refresh()
        text = (self.tr("Added %1, skipped %2 already here, refused %3.")
                .replace("%1", str(len(report.added))).replace("%2", str(report.skipped))
                .replace("%3", str(len(report.refused))))
        if report.refused:
            text += "\n\n" + "\n".join(report.refused[:10])
        QMessageBox.information(self, self.tr("Import clinic cases"), text)
        return report

    def reencode(self) -> None:
        from ecgviewer.core.clinic.embed import reembed_stale

        progress = self._progress(self.tr("Re-encoding cases with the installed model…"))
        step, cancelled = self._callbacks(progress)
        try:
            reembed_stale(self.base, self.encoder, step, cancelled)
        except EcgError as exc:
            self._error(exc)
        finally:
            progress.close()
        self.refresh()


def open_clinic_cases(parent, searchers, language: str) -> None:
    """Tools → Clinic cases: the window for the clinic base the searches use (opened with
    the installed model if no search has loaded it yet)."""
    from ecgviewer import resources
    from ecgviewer.core.clinic.base import ClinicBase, ModelInfo

    searcher = searchers.searcher
    try:
        if searcher is not None:
            encoder = searcher.encoder
        else:
            from ecgviewer.core.encoder import Encoder

            encoder = Encoder(resources.model_path())
        base = searcher.clinic if searcher is not None and searcher.clinic is not None \
            else ClinicBase(ModelInfo.of(encoder))
    except EcgError as exc:
        QMessageBox.warning(parent, translate("ClinicCasesDialog", "Clinic cases"), str(exc))
        return
    if searcher is not None:
        searcher.clinic = base  # cases imported here are searched from the next query on
    ClinicCasesDialog(base, language, encoder, searchers.reencoding, parent).exec()
