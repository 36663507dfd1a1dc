"""The tasks the window runs on its worker threads: a query, a page, a past case.

They call the core pipeline and turn its pictures into QImages; :mod:`ecgviewer.ui.tasks`
runs them. Imported at the first task, so numpy, OpenCV and the model never delay the
window.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from ecgviewer.core.errors import EcgError, ResourceError
from ecgviewer.core.photo import ASSUMED_WIDTH_MM, PAGE_PX_PER_MM
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.record import EcgRecord
from ecgviewer.core.render import render
from ecgviewer.core.results import QueryResult
from ecgviewer.core.search import Query, prepare
from ecgviewer.core.stages import DRAWING
from ecgviewer.ui.tasks import LOADING_MODEL, QueryRequest, SearcherCache

log = logging.getLogger(__name__)


def to_qimage(rgb: np.ndarray) -> QImage:
    """An owned QImage copy of an RGB uint8 array (safe to build on a worker thread)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width = rgb.shape[:2]
    if rgb.ndim == 2:
        return QImage(rgb.data, width, height, width, QImage.Format_Grayscale8).copy()
    return QImage(rgb.data, width, height, 3 * width, QImage.Format_RGB888).copy()


@dataclass
class QueryOutcome:
    """A query ready to show: the core's :class:`~ecgviewer.core.search.Query` (and its
    result when search worked), with the pictures turned into QImages."""

    request: QueryRequest
    query: Query
    page: QImage  # display page: the record drawn in the chosen style, or the rectified photo
    page_px_per_mm: float
    photo: QImage | None = None  # the original photo, for adjusting corners
    corners: np.ndarray | None = None
    photo_px_per_mm: float = 1.0
    result: QueryResult | None = None
    search_error: str | None = None

    @property
    def kind(self) -> str:
        return self.query.kind

    @property
    def record(self) -> EcgRecord | None:
        return self.query.record

    @property
    def notes(self) -> list[str]:
        return list(self.result.notes) if self.result is not None else list(self.query.notes)

    @property
    def paper_error(self) -> str | None:
        """No ECG grid found: the user is asked to place the corners."""
        return self.query.paper_error

    @property
    def name(self) -> str:
        return Path(self.request.path).name


def photo_px_per_mm(corners: np.ndarray, page: np.ndarray, page_px_per_mm: float) -> float:
    """The photo's own scale, from the grid's top edge: for showing it at the page's zoom."""
    top_edge_px = float(np.linalg.norm(np.asarray(corners[1]) - np.asarray(corners[0])))
    return max(0.5, top_edge_px / (page.shape[1] / page_px_per_mm))


def run_query(request: QueryRequest, searchers: SearcherCache, stage) -> QueryOutcome:
    """The core pipeline (:func:`~ecgviewer.core.search.prepare`, then
    :meth:`~ecgviewer.core.search.Searcher.search`), checking for cancellation between
    steps; only the pictures are made here.

    Reader errors fail the query; model and case-base errors only cost the similar cases,
    so the ECG is still shown.
    """
    query = prepare(request.path, request.corners, stage)
    if query.page is None:
        return _photo_without_grid(request, query)
    stage(LOADING_MODEL)
    searcher, error = _searcher(searchers, request.device)
    result = None
    if searcher is not None:
        searcher.sources = request.sources
        result, error = _search(lambda: searcher.search(query, request.top_k, stage))
    if query.kind == "signal":
        stage(DRAWING)
        return QueryOutcome(request, query, to_qimage(render(query.record, request.style)),
                            request.style.px_per_mm, result=result, search_error=error)
    # the search may have turned the page half round: show it as it was searched
    page, corners = (query.page, query.rectified.corners) if result is None else \
        (result.image, result.corners)
    return QueryOutcome(request, query, to_qimage(page), PAGE_PX_PER_MM,
                        photo=to_qimage(query.photo), corners=np.asarray(corners, float),
                        photo_px_per_mm=photo_px_per_mm(corners, page, PAGE_PX_PER_MM),
                        result=result, search_error=error)


def _photo_without_grid(request: QueryRequest, query: Query) -> QueryOutcome:
    """The photo itself, with corners just inside its edges for the user to place: the
    grid may be there but too faint or blurred to find."""
    h, w = query.photo.shape[:2]
    inset = 0.05 * np.array([w, h])
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    corners += inset * np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]])
    scale = w / ASSUMED_WIDTH_MM
    image = to_qimage(query.photo)
    return QueryOutcome(request, query, image, scale, photo=image, corners=corners,
                        photo_px_per_mm=scale)


def _searcher(searchers: SearcherCache, device: str):
    """(searcher, None), or (None, message): a missing case base still lets the ECG show."""
    try:
        return searchers.get(device), None
    except EcgError as exc:
        log.warning("similar cases unavailable: %s", exc)
        return None, str(exc)


def _search(call) -> tuple[QueryResult | None, str | None]:
    try:
        return call(), None
    except ResourceError as exc:
        log.warning("search failed: %s", exc)
        return None, str(exc)


def render_page(record: EcgRecord, style: PaperStyle) -> QImage:
    return to_qimage(render(record, style))


def render_job(record: EcgRecord, style: PaperStyle, stage) -> tuple[QImage, PaperStyle, EcgRecord]:
    """A page for a record already shown, with what it was drawn from (to drop stale ones)."""
    stage(DRAWING)
    return render_page(record, style), style, record


def load_case(searchers: SearcherCache, case_id: str, device: str, style: PaperStyle, stage):
    """A past case's page, or None when tracings are not installed. Runs on the query
    thread, the only one that touches the searcher."""
    searcher = searchers.get(device)
    record = searcher.tracing(case_id)
    if record is None and searcher.clinic is not None:  # a clinic case kept as a photo
        from ecgviewer.core.clinic.embed import photo_page

        page = photo_page(searcher.clinic, case_id)
        if page is not None:
            return to_qimage(page), replace(style, px_per_mm=PAGE_PX_PER_MM), None
    return None if record is None else render_job(record, style, stage)
