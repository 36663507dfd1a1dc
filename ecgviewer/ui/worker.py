"""Background work: everything slow runs on a worker thread, the UI thread only paints.

A :class:`TaskRunner` owns one QThread and runs callables in order. Each task has a key
("query", "case", ...) and a generation: submitting or cancelling a key makes its older
tasks stale, so a cancelled or superseded search can finish in the background but its
result is dropped and never replaces what the user now looks at.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from ecgviewer import resources
from ecgviewer.core.errors import EcgError, NotAnEcgImageError, ResourceError
from ecgviewer.core.readers import detect, read
from ecgviewer.core.record import EcgRecord
from ecgviewer.core.render import PaperStyle, render
from ecgviewer.core.results import QueryResult

log = logging.getLogger(__name__)

#: Display resolution: sharp when zoomed in, still quick to draw on an old laptop.
DISPLAY_PX_PER_MM = 8.0
#: Stage names sent with progress; the window translates them.
READING, DRAWING, FINDING_PAPER, LOADING_MODEL, SEARCHING = (
    "reading", "drawing", "finding-paper", "loading-model", "searching")


class Cancelled(Exception):
    """Raised inside a task when its generation went stale."""


def to_qimage(rgb: np.ndarray) -> QImage:
    """An owned QImage copy of an RGB uint8 array (safe to build on a worker thread)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width = rgb.shape[:2]
    if rgb.ndim == 2:
        return QImage(rgb.data, width, height, width, QImage.Format_Grayscale8).copy()
    return QImage(rgb.data, width, height, 3 * width, QImage.Format_RGB888).copy()


class TaskRunner(QObject):
    """Runs ``fn(stage)`` tasks on its own thread; ``stage(name)`` reports progress and
    raises :class:`Cancelled` once the task is stale."""

    progress = Signal(str, int, str)  # key, generation, stage
    done = Signal(str, int, object)  # key, generation, result
    failed = Signal(str, int, str)  # key, generation, user-facing message
    _submitted = Signal(str, int, object)

    def __init__(self, name: str):
        super().__init__()
        self._generations: dict[str, int] = {}
        self._lock = threading.Lock()
        self._thread = QThread()
        self._thread.setObjectName(name)
        self.moveToThread(self._thread)
        self._submitted.connect(self._run)
        self._thread.start()

    def submit(self, key: str, fn: Callable[[Callable[[str], None]], Any]) -> int:
        with self._lock:
            generation = self._generations.get(key, 0) + 1
            self._generations[key] = generation
        self._submitted.emit(key, generation, fn)
        return generation

    def cancel(self, key: str) -> None:
        with self._lock:
            self._generations[key] = self._generations.get(key, 0) + 1

    def is_current(self, key: str, generation: int) -> bool:
        with self._lock:
            return self._generations.get(key) == generation

    def stop(self) -> None:
        """Drop pending work and end the thread (waits for a running task to finish)."""
        with self._lock:
            for key in self._generations:
                self._generations[key] += 1
        self._thread.quit()
        self._thread.wait()

    @Slot(str, int, object)
    def _run(self, key: str, generation: int, fn) -> None:
        if not self.is_current(key, generation):
            return

        def stage(name: str) -> None:
            if not self.is_current(key, generation):
                raise Cancelled
            self.progress.emit(key, generation, name)

        try:
            result = fn(stage)
        except Cancelled:
            return
        except EcgError as exc:
            log.warning("%s failed: %s", key, exc)
            self.failed.emit(key, generation, str(exc))
            return
        except Exception as exc:  # a bug: log it in full, keep the app alive
            log.exception("%s failed unexpectedly", key)
            self.failed.emit(key, generation, f"{type(exc).__name__}: {exc}")
            return
        if self.is_current(key, generation):
            self.done.emit(key, generation, result)


class SearcherCache:
    """The searcher for the installed resources and chosen device, loaded on first use.

    Used only from the query thread. A load failure is not cached: the resources may be
    installed while the app runs.
    """

    def __init__(self):
        self._key: tuple[Path, str] | None = None
        self.searcher = None

    def get(self, device: str):
        from ecgviewer.core.search import Searcher

        key = (resources.resources_dir(), device)
        if self._key != key:
            self.searcher = None
            self.searcher = Searcher.from_resources(key[0], device=device)
            self._key = key
        return self.searcher


@dataclass
class QueryRequest:
    path: str
    style: PaperStyle
    top_k: int
    device: str
    corners: np.ndarray | None = None  # image queries: user-adjusted paper corners


@dataclass
class QueryOutcome:
    """A query ready to show: its picture, and its similar cases when search worked."""

    request: QueryRequest
    kind: str  # "signal" or "image"
    page: QImage  # display page: rendered record or rectified photo
    page_px_per_mm: float
    record: EcgRecord | None = None
    photo: QImage | None = None  # the original photo, for adjusting corners
    corners: np.ndarray | None = None
    photo_px_per_mm: float = 1.0
    result: QueryResult | None = None
    search_error: str | None = None
    notes: list[str] = field(default_factory=list)
    paper_error: str | None = None  # no ECG grid found: the user is asked to place corners

    @property
    def name(self) -> str:
        return Path(self.request.path).name


def photo_px_per_mm(corners: np.ndarray, page: np.ndarray, page_px_per_mm: float) -> float:
    """The photo's own scale, from the grid's top edge: for showing it at the page's zoom."""
    top_edge_px = float(np.linalg.norm(np.asarray(corners[1]) - np.asarray(corners[0])))
    return max(0.5, top_edge_px / (page.shape[1] / page_px_per_mm))


def run_query(request: QueryRequest, searchers: SearcherCache, stage) -> QueryOutcome:
    """Read, draw (or rectify) and search one file, checking for cancellation between steps.

    Reader errors fail the query; model and case-base errors only cost the similar cases,
    so the ECG is still shown.
    """
    stage(READING)
    if detect(request.path).kind == "image":
        return _image_query(request, searchers, stage)
    record = read(request.path)
    stage(DRAWING)
    page = to_qimage(render(record, request.style))
    stage(LOADING_MODEL)
    searcher, error = _searcher(searchers, request.device)
    result = None
    if searcher is not None:
        stage(SEARCHING)
        result, error = _search(lambda: searcher.search_record(record, request.path,
                                                               request.top_k))
    notes = (list(result.notes) if result else []) + list(record.metadata.derived)
    return QueryOutcome(request, "signal", page, request.style.px_per_mm, record=record,
                        result=result, search_error=error, notes=notes)


def _image_query(request: QueryRequest, searchers: SearcherCache, stage) -> QueryOutcome:
    from ecgviewer.core.photo import PAGE_PX_PER_MM, load_photo, rectify

    photo = load_photo(request.path)
    stage(FINDING_PAPER)
    start = time.perf_counter()
    try:
        rect = rectify(photo, request.corners)
    except NotAnEcgImageError as exc:
        return _photo_without_grid(request, photo, str(exc))
    timings = {"render": (time.perf_counter() - start) * 1000.0}  # counted in the status line
    stage(LOADING_MODEL)
    searcher, error = _searcher(searchers, request.device)
    result = None
    if searcher is not None:
        stage(SEARCHING)
        result, error = _search(lambda: searcher.search_rectified(rect, request.path,
                                                                  request.top_k, timings))
    # the search may have turned the page half round: show it as it was searched
    page, corners, notes = (rect.page, rect.corners, rect.notes) if result is None else \
        (result.image, result.corners, result.notes)
    return QueryOutcome(request, "image", to_qimage(page), PAGE_PX_PER_MM,
                        photo=to_qimage(photo), corners=np.asarray(corners, float),
                        photo_px_per_mm=photo_px_per_mm(corners, page, PAGE_PX_PER_MM),
                        result=result, search_error=error, notes=list(notes))


def _photo_without_grid(request: QueryRequest, photo: np.ndarray, message: str) -> QueryOutcome:
    """The photo itself, with corners just inside its edges for the user to place: the
    grid may be there but too faint or blurred to find."""
    from ecgviewer.core.photo import ASSUMED_WIDTH_MM

    h, w = photo.shape[:2]
    inset = 0.05 * np.array([w, h])
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    corners += inset * np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]])
    scale = w / ASSUMED_WIDTH_MM
    image = to_qimage(photo)
    return QueryOutcome(request, "image", image, scale, photo=image, corners=corners,
                        photo_px_per_mm=scale, paper_error=message)


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
