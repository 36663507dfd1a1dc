"""Background work: everything slow runs on a worker thread, the UI thread only paints.

A :class:`TaskRunner` owns one QThread and runs callables in order. Each task has a key
("query", "case", ...), a generation and its own callbacks: submitting or cancelling a
key makes its older tasks stale, so a cancelled or superseded search can finish in the
background but its result is dropped and never replaces what the user now looks at.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from ecgviewer import resources
from ecgviewer.core.errors import EcgError, ResourceError
from ecgviewer.core.photo import ASSUMED_WIDTH_MM, PAGE_PX_PER_MM
from ecgviewer.core.record import EcgRecord
from ecgviewer.core.render import PaperStyle, render
from ecgviewer.core.results import QueryResult
from ecgviewer.core.search import DRAWING, Query, prepare

log = logging.getLogger(__name__)

#: Display resolution: sharp when zoomed in, still quick to draw on an old laptop.
DISPLAY_PX_PER_MM = 8.0
#: The stage of loading the model (the other stage names are the core pipeline's).
LOADING_MODEL = "loading-model"


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
    raises :class:`Cancelled` once the task is stale.

    Each submit may bring its own ``on_done(result)`` and ``on_failed(message)``; they
    run on the thread that created the runner (the UI thread), and only while their task
    is still current. ``done`` and ``failed`` are also emitted for any observer.
    """

    progress = Signal(str, int, str)  # key, generation, stage
    done = Signal(str, int, object)  # key, generation, result
    failed = Signal(str, int, str)  # key, generation, user-facing message
    _submitted = Signal(str, int, object)

    def __init__(self, name: str):
        super().__init__()
        self._generations: dict[str, int] = {}
        self._callbacks: dict[tuple[str, int], tuple[Callable | None, Callable | None]] = {}
        self._lock = threading.Lock()
        self._replies = _Replies(self)  # stays on this (the UI) thread
        self.done.connect(self._replies.done)
        self.failed.connect(self._replies.failed)
        self._thread = QThread()
        self._thread.setObjectName(name)
        self.moveToThread(self._thread)
        self._submitted.connect(self._run)
        self._thread.start()

    def submit(self, key: str, fn: Callable[[Callable[[str], None]], Any],
               on_done: Callable[[Any], None] | None = None,
               on_failed: Callable[[str], None] | None = None) -> int:
        with self._lock:
            generation = self._generations.get(key, 0) + 1
            self._generations[key] = generation
            self._callbacks = {k: v for k, v in self._callbacks.items() if k[0] != key}
            if on_done is not None or on_failed is not None:
                self._callbacks[(key, generation)] = (on_done, on_failed)
        self._submitted.emit(key, generation, fn)
        return generation

    def _callback(self, key: str, generation: int, which: int) -> Callable | None:
        """The task's own callback, if it is still the current task of its key."""
        with self._lock:
            if self._generations.get(key) != generation:
                return None
            return self._callbacks.pop((key, generation), (None, None))[which]

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


class _Replies(QObject):
    """Delivers a task's outcome to its callbacks on the UI thread."""

    def __init__(self, runner: TaskRunner):
        super().__init__()
        self._runner = runner

    @Slot(str, int, object)
    def done(self, key: str, generation: int, result) -> None:
        callback = self._runner._callback(key, generation, 0)
        if callback is not None:
            callback(result)

    @Slot(str, int, str)
    def failed(self, key: str, generation: int, message: str) -> None:
        callback = self._runner._callback(key, generation, 1)
        if callback is not None:
            callback(message)


class SearcherCache:
    """The searcher for the installed resources and chosen device, loaded on first use.

    Used only from the query thread. A load failure is not cached: the resources may be
    installed while the app runs.
    """

    def __init__(self):
        self._key: tuple[Path, str] | None = None
        self.searcher = None
        self.reencoding = None  # clinic cases of an earlier model, re-encoded meanwhile

    def get(self, device: str):
        from ecgviewer.core.clinic.embed import reencode_in_background
        from ecgviewer.core.search import Searcher

        key = (resources.resources_dir(), device)
        if self._key != key:
            self.searcher = None
            self.searcher = Searcher.from_resources(key[0], device=device)
            self._key = key
            self.reencoding = reencode_in_background(self.searcher.clinic, self.searcher.encoder)
        return self.searcher


@dataclass
class QueryRequest:
    path: str
    style: PaperStyle
    top_k: int
    device: str
    corners: np.ndarray | None = None  # image queries: user-adjusted paper corners
    sources: tuple[str, ...] = ("ptbxl", "clinic")  # bundled cases, the clinic's, or both


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
