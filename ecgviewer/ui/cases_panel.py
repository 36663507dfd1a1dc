"""The similar cases: a ranked list readable at a glance, and the selected case in full.

Each row shows the similarity as a bar and a percentage, the case's main statements and
the patient's age and sex. The details show every statement with its likelihood, marking
those that recur among the other similar cases, and the cardiologist's original report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import html
import math
from collections import Counter

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ecgviewer.core import statements

if TYPE_CHECKING:
    from ecgviewer.core.results import Neighbor

BAR_COLOUR = QColor(33, 102, 172)
BAR_TRACK = QColor(222, 228, 236)
SHARED_BG = "#e3f2e8"
NEIGHBOR_ROLE = Qt.UserRole + 1
translate = QCoreApplication.translate


def similarity_percent(similarity: float) -> int:
    """Cosine similarity as the percentage shown, rounded down so that only an identical
    pattern reads 100 %; below zero means 'not similar': 0 %."""
    return math.floor(100 * min(1.0, max(0.0, similarity)) + 1e-6)


def patient_text(sex: str | None, age: float | None) -> str:
    """"female, 56 y" in the user's language; shared by the list, the query and the PDF."""
    sex_text = {"female": translate("CasesPanel", "female"),
                "male": translate("CasesPanel", "male")}.get(sex or "", "")
    age_text = translate("CasesPanel", "%1 y").replace("%1", f"{age:.0f}") if age is not None else ""
    return ", ".join(p for p in (sex_text, age_text) if p)


def statement_counts(neighbors: list[Neighbor]) -> Counter:
    """In how many of the cases each statement code appears, in the order first met from
    the closest case on, so that ties in the summary read the same on every run (a set's
    order changes with the hash seed)."""
    return Counter(code for n in neighbors for code in dict.fromkeys(s.code for s in n.statements))


class CaseDelegate(QStyledItemDelegate):
    """Paints one ranked case: rank, similarity bar and percentage, statements, patient."""

    def __init__(self, panel: CasesPanel):
        super().__init__(panel)
        self.panel = panel

    def sizeHint(self, option, index) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(200, int(line * 3.6) + 16)

    def paint(self, painter: QPainter, option, index) -> None:
        neighbor: Neighbor = index.data(NEIGHBOR_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        rect = option.rect.adjusted(6, 4, -6, -4)
        selected = bool(option.state & QStyle.State_Selected)
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(214, 230, 248) if selected else QColor(255, 255, 255))
        painter.drawRoundedRect(rect, 6, 6)
        if selected:
            painter.setBrush(BAR_COLOUR)
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 5, rect.height()), 2, 2)

        font = QFont(option.font)
        line = QFontMetrics(font).height()
        bold = QFont(font)
        bold.setBold(True)
        big = QFont(bold)
        big.setPointSizeF(font.pointSizeF() * 1.25)
        x = rect.left() + 14
        top = rect.top() + 6

        painter.setPen(QColor(90, 90, 90))
        painter.setFont(bold)
        painter.drawText(QRectF(x, top, 30, line * 1.3), Qt.AlignLeft | Qt.AlignVCenter,
                         f"{index.row() + 1}.")
        percent = similarity_percent(neighbor.similarity)
        bar = QRectF(x + 32, top + line * 0.35, 110, line * 0.6)
        painter.setPen(Qt.NoPen)
        painter.setBrush(BAR_TRACK)
        painter.drawRoundedRect(bar, 3, 3)
        painter.setBrush(BAR_COLOUR)
        painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * percent / 100,
                                       bar.height()), 3, 3)
        painter.setPen(QColor(20, 20, 20))
        painter.setFont(big)
        painter.drawText(QRectF(bar.right() + 10, top, 70, line * 1.3),
                         Qt.AlignLeft | Qt.AlignVCenter, f"{percent}%")
        painter.setFont(font)
        painter.setPen(QColor(70, 70, 70))
        painter.drawText(QRectF(bar.right() + 80, top, rect.right() - bar.right() - 90,
                                line * 1.3), Qt.AlignRight | Qt.AlignVCenter,
                         self.panel.patient_text(neighbor))

        text = " · ".join(self.panel.describe(s.code, s.description)
                          for s in neighbor.statements[:3]) or translate("CasesPanel", "no statements")
        painter.setPen(QColor(20, 20, 20))
        text_rect = QRectF(x, top + line * 1.45, rect.right() - x - 8, line * 2.1)
        elided = QFontMetrics(font).elidedText(text, Qt.ElideRight, int(text_rect.width() * 1.9))
        painter.drawText(text_rect, Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, elided)
        painter.restore()


class DetailsBrowser(QTextBrowser):
    """A QTextBrowser whose placeholder wraps over several lines.

    Qt draws a QTextEdit's placeholder on a single line, which cut longer translations
    of the hint short; here Qt's own drawing is made transparent and the hint is drawn
    word-wrapped instead."""

    def __init__(self, parent=None):
        super().__init__(parent)
        palette = self.palette()
        self._hint_color = palette.color(QPalette.PlaceholderText)
        palette.setColor(QPalette.PlaceholderText, Qt.transparent)
        self.setPalette(palette)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.placeholderText() and self.document().isEmpty():
            painter = QPainter(self.viewport())
            painter.setPen(self._hint_color)
            margin = int(self.document().documentMargin())
            painter.drawText(self.viewport().rect().adjusted(margin, margin, -margin, -margin),
                             Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, self.placeholderText())
            painter.end()


class CasesPanel(QWidget):
    """Ranked similar cases and the details of the selected one."""

    caseSelected = Signal(object)  # Neighbor, or None when the selection is cleared

    def __init__(self, language: str = "en", parent=None):
        super().__init__(parent)
        self.language = language
        self.neighbors: list[Neighbor] = []

        title = QLabel(self.tr("Similar confirmed cases"))
        title.setObjectName("panelTitle")
        self.disclaimer = QLabel(self.tr(
            "Similarity combines how alike the tracings look and how well each case's "
            "confirmed findings match what the model reads in this ECG. It is not a "
            "diagnosis: these cases support, and do not replace, your own reading of the ECG.")
            + " " + self.tr("Cases whose heart rate and rhythm regularity match this ECG's "
                            "are listed first."))
        self.disclaimer.setObjectName("disclaimer")
        self.disclaimer.setWordWrap(True)
        self.status = QLabel(self.tr("Open an ECG to see similar cases."))
        self.status.setObjectName("panelStatus")
        self.status.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.RichText)
        self.summary.hide()

        self.list = QListWidget()
        self.list.setItemDelegate(CaseDelegate(self))
        self.list.setObjectName("caseList")
        self.list.setVerticalScrollMode(QListWidget.ScrollPerPixel)
        self.list.setAcceptDrops(False)
        palette = self.list.palette()
        palette.setColor(QPalette.Base, QColor(243, 245, 248))
        self.list.setPalette(palette)
        self.list.currentRowChanged.connect(self._row_changed)

        self.details = DetailsBrowser()
        self.details.setObjectName("caseDetails")
        self.details.setOpenLinks(False)
        self.details.setAcceptDrops(False)
        self.details.setPlaceholderText(self.tr("Select a case to see its statements and report."))

        split = QSplitter(Qt.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(title)
        layout.addWidget(self.disclaimer)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    # -- text helpers -----------------------------------------------------------------
    def describe(self, code: str, fallback: str) -> str:
        return statements.describe(code, fallback, self.language)

    def patient_text(self, n: Neighbor) -> str:
        text = patient_text(n.sex, n.age) or self.tr("age and sex unknown")
        return self.tr("This clinic · %1").replace("%1", text) if n.source == "clinic" else text

    # -- content ----------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """Replace the list by a message (searching, unavailable, ...)."""
        self.set_neighbors([])
        self.status.setText(text)
        self.status.show()

    def set_neighbors(self, neighbors: list[Neighbor]) -> None:
        self.neighbors = list(neighbors)
        self.list.blockSignals(True)
        self.list.clear()
        for n in self.neighbors:
            item = QListWidgetItem()
            item.setData(NEIGHBOR_ROLE, n)
            item.setToolTip(n.case_id)
            self.list.addItem(item)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.details.clear()
        self.status.setVisible(not self.neighbors)
        self._update_summary()
        self.caseSelected.emit(None)

    def select(self, row: int) -> None:
        self.list.setCurrentRow(row)

    def selected(self) -> Neighbor | None:
        row = self.list.currentRow()
        return self.neighbors[row] if 0 <= row < len(self.neighbors) else None

    def _update_summary(self) -> None:
        if len(self.neighbors) < 2:
            self.summary.hide()
            return
        counts = statement_counts(self.neighbors)
        names = {s.code: s.description for n in self.neighbors for s in n.statements}
        top = [f"<b>{html.escape(self.describe(c, names[c]))}</b> ({k}/{len(self.neighbors)})"
               for c, k in counts.most_common(3) if k > 1]  # a pattern needs two cases
        if not top:
            self.summary.hide()
            return
        self.summary.setText(self.tr("Most frequent among these cases: %1").replace(
            "%1", ", ".join(top)))
        self.summary.show()

    def _row_changed(self, row: int) -> None:
        neighbor = self.selected()
        self.details.setHtml(self.details_html(neighbor) if neighbor else "")
        self.caseSelected.emit(neighbor)

    def details_html(self, n: Neighbor) -> str:
        """The selected case in full; statements recurring in other cases are highlighted."""
        others = statement_counts([m for m in self.neighbors if m is not n])
        n_others = len(self.neighbors) - 1
        rows = []
        for s in n.statements:
            shared = others.get(s.code, 0)
            likelihood = f"{s.likelihood:.0f}%" if s.likelihood > 0 else "—"
            note = (self.tr("also in %1 of %2 other similar cases")
                    .replace("%1", str(shared)).replace("%2", str(n_others)) if shared else "")
            style = f' style="background:{SHARED_BG}"' if shared else ""
            rows.append(
                f"<tr{style}><td><b>{html.escape(self.describe(s.code, s.description))}</b>"
                f"<br/><span style='color:#555'>{html.escape(s.code)}"
                f"{' · ' + html.escape(note) if note else ''}</span></td>"
                f"<td align='right' style='padding-left:12px'>{likelihood}</td></tr>")
        statement, likelihood_title = self.tr("Statement"), self.tr("Likelihood")
        table = ("<table width='100%' cellspacing='0' cellpadding='5'>"
                 f"<tr><th align='left'>{statement}</th>"
                 f"<th align='right'>{likelihood_title}</th></tr>{''.join(rows)}</table>")
        heading = (self.tr("Case %1 — %2% similar").replace("%1", html.escape(n.case_id))
                   .replace("%2", str(similarity_percent(n.similarity))))
        report = html.escape(n.report or self.tr("No report."))
        legend = self.tr("Highlighted: statements that recur among the other similar cases.")
        report_title = self.tr("Original report (as written by the cardiologist)")
        return (f"<h3 style='margin-bottom:2px'>{heading}</h3>"
                f"<p style='margin-top:0'>{html.escape(self.patient_text(n))}</p>"
                f"{table}"
                f"<p style='color:#555;font-size:small;margin-bottom:2px'>{html.escape(legend)}</p>"
                f"<h4 style='margin-bottom:2px'>{html.escape(report_title)}</h4>"
                f"<p style='margin-top:0'><i>{report}</i></p>")
