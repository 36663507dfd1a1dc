"""Background work: everything slow runs on a worker thread, the UI thread only paints.

A :class:`TaskRunner` owns one QThread and runs callables in order. Each task has a key
("query", "case", ...), a generation and its own callbacks: submitting or cancelling a
key makes its older tasks stale, so a cancelled or superseded search can finish in the
background but its result is dropped and never replaces what the user now looks at.

Qt and the standard library only: the window is built from this module before numpy,
OpenCV or the model are imported (they load on the worker thread, with the first task).
The tasks themselves are in :mod:`ecgviewer.ui.worker`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ecgviewer import resources
from ecgviewer.core.errors import EcgError
from ecgviewer.core.paper import PaperStyle

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

#: Display resolution: sharp when zoomed in, still quick to draw on an old laptop.
DISPLAY_PX_PER_MM = 8.0
#: The stage of loading the model (the other stage names are the core pipeline's).
LOADING_MODEL = "loading-model"


class Cancelled(Exception):
    """Raised inside a task when its generation went stale."""


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
