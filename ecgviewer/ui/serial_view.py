""""Earlier ECGs of this patient": a patient's saved ECGs one above the other, oldest
last, all at the same scale (zooming one zooms all), each titled with its date and
confirmed statements. Photos show their flattened grid, drawn from what was kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QSplitter, QVBoxLayout, QWidget

from ecgviewer.core import statements
from ecgviewer.core.errors import EcgError
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render
from ecgviewer.ui.ecg_view import EcgView
from ecgviewer.ui.worker import to_qimage

# drawing resolution of the pages: sharp enough on screen, quick for a dozen ECGs
PX_PER_MM = 5.0


def patient_series(base, case_id: int) -> list:
    """The case and the patient's earlier saved ECGs, newest first; [] without a
    patient reference or without earlier ones."""
    case = base.store.get(case_id)
    ref = case.details.patient_ref
    if ref is None:
        return []
    earlier = base.earlier_cases(ref, before=case.details.confirmed_at)
    return [case] + list(reversed(earlier)) if earlier else []


def case_page(base, case) -> tuple:
    """(RGB page, px per mm) of a saved case, signal drawn or photo flattened anew."""
    from ecgviewer.core.clinic.embed import photo_page
    from ecgviewer.core.photo import PAGE_PX_PER_MM

    if case.kind == "image":
        return photo_page(base, case.case_id), PAGE_PX_PER_MM
    record = base.store.get(case.id).source.record
    return render(record, PaperStyle(px_per_mm=PX_PER_MM)), PX_PER_MM


class SerialDialog(QDialog):
    """The series of :func:`patient_series`, at one scale."""

    def __init__(self, base, cases: list, language: str = "en", parent=None):
        super().__init__(parent)
        ref = cases[0].details.patient_ref if cases else ""
        self.setWindowTitle(self.tr("Earlier ECGs of patient %1").replace("%1", ref or ""))
        self.resize(1200, 900)
        self.views: list[EcgView] = []
        split = QSplitter(Qt.Vertical)
        for number, case in enumerate(cases):
            d = case.details
            title = QLabel(("<b>%s</b> · %s · %s" % (
                self.tr("This ECG") if number == 0 else case.case_id, d.confirmed_at[:10],
                ", ".join(statements.describe(c, c, language) for c in d.statements))))
            view = EcgView()
            try:
                page, px_per_mm = case_page(base, case)
                view.show_page(to_qimage(page), px_per_mm)
            except EcgError as exc:
                title.setText(title.text() + " — " + str(exc))
            view.zoomChanged.connect(self._zoom_all)
            self.views.append(view)
            pane = QWidget()
            layout = QVBoxLayout(pane)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(title)
            layout.addWidget(view, 1)
            split.addWidget(pane)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _zoom_all(self, zoom: float) -> None:
        for view in self.views:
            if abs(view.zoom - zoom) > 1e-6:
                view.set_zoom(zoom, notify=False)
