"""One-page report: the query ECG at true scale and the top similar cases.

Painted with QPainter on any paged device, so the PDF export (QPdfWriter, on a worker
thread) and printing (QPrinter) share one layout. Coordinates are in millimetres on an A4
landscape sheet; the trace is drawn at the renderer's page size in millimetres, so a ruler
on the paper reads 25 mm per second and 10 mm per millivolt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPagedPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
)

from ecgviewer.core import statements
from ecgviewer.core.atomic import write_atomic
from ecgviewer.core.paper import PaperStyle
from ecgviewer.ui.cases_panel import patient_text, similarity_percent

if TYPE_CHECKING:
    from ecgviewer.core.results import Neighbor

CONTENT_W = PaperStyle().page_mm[0]  # the renderer's page width, centred on the sheet
MAX_TRACE_H = 132.0  # room for the trace; larger photos are reduced
translate = QCoreApplication.translate
MAX_CASES = 6


@dataclass
class Report:
    """What goes on the page; ``page`` is the trace image, ``page_mm`` its paper size."""

    query_name: str
    page: QImage
    page_mm: tuple[float, float]
    scale_text: str
    neighbors: list[Neighbor]
    language: str = "en"


def standard_style(px_per_mm: float = 10.0) -> PaperStyle:
    """The printout style: the 3x4+1 layout at 25 mm/s and 10 mm/mV fits on one A4 page."""
    return PaperStyle(layout="3x4+1", speed_mm_s=25.0, gain_mm_mv=10.0, px_per_mm=px_per_mm)


def export_pdf(path: str, report: Report) -> None:
    """Write the report as a one-page PDF; the file appears whole or not at all."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Landscape,
                                     QMarginsF(0, 0, 0, 0)))
    writer.setTitle(translate("ExportPdf", "ECG similar-case report"))
    writer.setCreator("ecgviewer")
    paint_report(writer, report)
    buffer.close()
    write_atomic(Path(path), bytes(data.data()))


def paint_report(device: QPagedPaintDevice, report: Report) -> None:
    """Paint on the device's own sheet (A4 for the PDF; whatever the printer was given)."""
    sheet = device.pageLayout().fullRect(QPageLayout.Millimeter)
    painter = QPainter(device)
    try:
        _paint(painter, device.logicalDpiX() / 25.4, sheet.width(), sheet.height(), report)
    finally:
        painter.end()


def _paint(painter: QPainter, k: float, page_w: float, page_h: float, report: Report) -> None:
    """``k`` device pixels per millimetre; the sheet is ``page_w`` x ``page_h`` mm."""
    def box(x, y, w, h) -> QRectF:
        return QRectF(x * k, y * k, w * k, h * k)

    def font(points: float, bold: bool = False) -> QFont:
        f = QFont("DejaVu Sans")
        f.setPointSizeF(points)
        f.setBold(bold)
        return f

    painter.setRenderHint(QPainter.Antialiasing)
    painter.setRenderHint(QPainter.SmoothPixmapTransform)
    reduce = min(1.0, CONTENT_W / report.page_mm[0], MAX_TRACE_H / report.page_mm[1])
    trace_w, trace_h = report.page_mm[0] * reduce, report.page_mm[1] * reduce
    width = CONTENT_W
    margin = max(0.0, (page_w - width) / 2)
    scale_text = report.scale_text if reduce == 1.0 else translate(
        "ExportPdf", "Reduced to %1% of true size to fit the page.").replace(
            "%1", str(int(reduce * 100)))

    painter.setPen(QColor(0, 0, 0))
    painter.setFont(font(13, True))
    painter.drawText(box(margin, 5, width, 8), Qt.AlignLeft | Qt.AlignVCenter,
                     translate("ExportPdf", "ECG similar-case report"))
    painter.setFont(font(8.5))
    painter.drawText(box(margin, 5, width, 8), Qt.AlignRight | Qt.AlignVCenter,
                     f"{report.query_name} · {dt.datetime.now():%Y-%m-%d %H:%M}")
    painter.drawText(box(margin, 12.5, width, 5), Qt.AlignLeft | Qt.AlignVCenter, scale_text)
    painter.drawImage(box(margin, 18.5, trace_w, trace_h), report.page)

    y = 18.5 + trace_h + 4
    painter.setFont(font(10, True))
    painter.drawText(box(margin, y, width, 6), Qt.AlignLeft | Qt.AlignVCenter,
                     translate("ExportPdf", "Most similar confirmed cases"))
    y += 7
    column_w = (width - 6) / 2
    per_column = MAX_CASES // 2
    block_h = (page_h - 12 - y) / per_column
    if not report.neighbors:
        painter.setFont(font(8.5))
        painter.drawText(box(margin, y, width, 6), Qt.AlignLeft,
                         translate("ExportPdf", "No similar cases: the case base is not available."))
    for i, n in enumerate(report.neighbors[:MAX_CASES]):
        x = margin + (i // per_column) * (column_w + 6)
        top = y + (i % per_column) * block_h
        similar = translate("ExportPdf", "%1% similar").replace(
            "%1", str(similarity_percent(n.similarity)))
        patient = patient_text(n.sex, n.age)
        source = translate("ExportPdf", "This clinic") + "  ·  " if n.source == "clinic" else ""
        head = f"{i + 1}.  {similar}  ·  {source}{n.case_id}" + (f"  ·  {patient}" if patient else "")
        painter.setFont(font(8.5, True))
        painter.drawText(box(x, top, column_w, 4.5), Qt.AlignLeft | Qt.AlignVCenter, head)
        text = "; ".join(
            statements.describe(s.code, s.description, report.language)
            + (f" ({s.likelihood:.0f}%)" if s.likelihood > 0 else "") for s in n.statements)
        painter.setFont(font(8))
        painter.drawText(box(x, top + 4.8, column_w, block_h - 5.5),
                         Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, text)

    painter.setPen(QPen(QColor(90, 90, 90)))
    painter.setFont(font(7))
    footer = (translate("ExportPdf", "Similarity combines tracing shape and how well each case's "
                        "confirmed findings match what the model reads in this ECG; it is not "
                        "a diagnosis. These cases support, and do not replace, the clinician's "
                        "reading.")
              + "  " + translate("ExportPdf", "Cases: PTB-XL (Wagner et al., 2020, PhysioNet), CC BY 4.0.")
              + ("  " + translate("ExportPdf", "Cases marked \"This clinic\" were confirmed here.")
                 if any(n.source == "clinic" for n in report.neighbors[:MAX_CASES]) else ""))
    painter.drawText(box(margin, page_h - 10, width, 8), Qt.AlignLeft | Qt.TextWordWrap,
                     footer)
