""""Save as a confirmed case": what the clinician confirms about the ECG just searched.

A searchable checklist of the SCP statements in the UI language (several may be
checked), the report, age and sex (prefilled from the file where it has them), an
optional pseudonymous patient reference (no names are asked for) and who confirmed it.
The same dialog edits a saved case later.
"""

from __future__ import annotations

import getpass
import unicodedata

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from ecgviewer.core import statements
from ecgviewer.core.clinic.case import MAX_AGE, MAX_REF, CaseDetails
from ecgviewer.core.errors import EcgError

CODE_ROLE = Qt.UserRole + 1
translate = QCoreApplication.translate
CONFIRMED_BY_KEY = "clinic/confirmed_by"


def _folded(text: str) -> str:
    """Lower case without accents, so "infarto" finds "infartó" and "hemibloc" "hémibloc"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


class CaseDialog(QDialog):
    """Asks for a case's :class:`CaseDetails`; ``details`` holds them once accepted."""

    def __init__(self, language: str = "en", details: CaseDetails | None = None,
                 age: float | None = None, sex: str | None = None, confirmed_by: str = "",
                 parent=None):
        super().__init__(parent)
        self.language = language
        self.details: CaseDetails | None = None
        self._editing = details
        self.setWindowTitle(self.tr("Edit clinic case") if details else
                            self.tr("Save as a confirmed case"))
        self.resize(620, 720)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Search statements (code or words)…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.statements = QListWidget()
        self.statements.setObjectName("statementList")
        checked = set(details.statements) if details else set()
        for code, description in sorted(((c, statements.describe(c, c, language))
                                         for c in statements.table()), key=lambda p: _folded(p[1])):
            item = QListWidgetItem(f"{description}  ({code})")
            item.setData(CODE_ROLE, code)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if code in checked else Qt.Unchecked)
            self.statements.addItem(item)
        self.statements.itemChanged.connect(self._changed)
        self.chosen = QLabel()
        self.chosen.setWordWrap(True)

        self.report = QPlainTextEdit(details.report if details else "")
        self.report.setPlaceholderText(self.tr("The report, as the cardiologist would write it"))
        self.age = QSpinBox()
        self.age.setRange(-1, MAX_AGE)
        self.age.setSpecialValueText(self.tr("unknown"))
        start_age = details.age if details else age
        self.age.setValue(-1 if start_age is None else int(round(start_age)))
        self.sex = QComboBox()
        for text, value in ((self.tr("unknown"), None), (self.tr("female"), "female"),
                            (self.tr("male"), "male")):
            self.sex.addItem(text, value)
        self.sex.setCurrentIndex(self.sex.findData(details.sex if details else sex))
        self.patient = QLineEdit((details.patient_ref or "") if details else "")
        self.patient.setMaxLength(MAX_REF)
        self.patient.setPlaceholderText(self.tr("optional; a pseudonymous reference, never a name"))
        self.confirmed_by = QLineEdit(details.confirmed_by if details else confirmed_by)
        self.confirmed_by.textChanged.connect(self._changed)

        form = QFormLayout()
        form.addRow(self.tr("Report:"), self.report)
        form.addRow(self.tr("Age:"), self.age)
        form.addRow(self.tr("Sex:"), self.sex)
        form.addRow(self.tr("Patient reference:"), self.patient)
        form.addRow(self.tr("Confirmed by:"), self.confirmed_by)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setStyleSheet("color: #a1261b;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Save"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Confirmed statements (check one or more):")))
        layout.addWidget(self.filter)
        layout.addWidget(self.statements, 1)
        layout.addWidget(self.chosen)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._changed()

    def checked_codes(self) -> tuple[str, ...]:
        items = (self.statements.item(i) for i in range(self.statements.count()))
        return tuple(item.data(CODE_ROLE) for item in items if item.checkState() == Qt.Checked)

    def _apply_filter(self, text: str) -> None:
        """Hide what does not match; checked statements always stay in view."""
        words = _folded(text).split()
        for i in range(self.statements.count()):
            item = self.statements.item(i)
            shown = item.checkState() == Qt.Checked or all(w in _folded(item.text())
                                                           for w in words)
            item.setHidden(not shown)

    def _changed(self, *_args) -> None:
        codes = self.checked_codes()
        self.chosen.setText(self.tr("Confirmed: %1").replace("%1", ", ".join(codes))
                            if codes else self.tr("No statement checked yet."))
        ok = bool(codes) and bool(self.confirmed_by.text().strip())
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)

    def accept(self) -> None:
        confirmed_at = {"confirmed_at": self._editing.confirmed_at} if self._editing else {}
        try:
            self.details = CaseDetails(
                self.checked_codes(), self.report.toPlainText().strip(),
                None if self.age.value() < 0 else float(self.age.value()),
                self.sex.currentData(), self.patient.text(), self.confirmed_by.text().strip(),
                **confirmed_at)
        except EcgError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()


def save_query_as_case(parent, outcome, searcher, language: str,
                       store: QSettings | None = None) -> int | None:
    """The "Save as a confirmed case" action for a query just searched: asks for the
    details, keeps the ECG (the record as searched, or the photo file and its corners)
    and saves it with the query's embedding. Returns the new case's id, or None."""
    from ecgviewer.core.clinic.base import ClinicBase, ModelInfo
    from ecgviewer.core.clinic.embed import case_source

    result = outcome.result if outcome is not None else None
    if result is None or result.embedding is None or searcher is None:
        return None
    meta = result.record.metadata if result.record is not None else None
    store = store if store is not None else QSettings()
    dialog = CaseDialog(language, age=meta.age if meta else None, sex=meta.sex if meta else None,
                        confirmed_by=str(store.value(CONFIRMED_BY_KEY, "") or getpass.getuser()),
                        parent=parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    try:
        source = case_source(outcome.request.path, result.kind, result.record, result.corners)
        base = searcher.clinic or ClinicBase(ModelInfo.of(searcher.encoder))
        case_id = base.add(source, dialog.details, result.embedding)
    except (EcgError, OSError) as exc:
        QMessageBox.warning(parent, translate("CaseDialog", "Case not saved"), str(exc))
        return None
    searcher.clinic = base  # searched from the next query on
    store.setValue(CONFIRMED_BY_KEY, dialog.details.confirmed_by)
    return case_id
