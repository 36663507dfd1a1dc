"""From a query to a case and back: the ECG to keep for a searched query, and the
embedding of a kept ECG through the same pipeline as any query (for a new model)."""

from __future__ import annotations

import atexit
import logging
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

from ecgviewer.core.clinic.base import ClinicBase
from ecgviewer.core.clinic.case import IMAGE_SUFFIXES, CaseSource
from ecgviewer.core.clinic.errors import Cancelled, CaseNotFoundError
from ecgviewer.core.errors import EcgError
from ecgviewer.core.readers.image_reader import image_format, load_image
from ecgviewer.core.record import EcgRecord
from ecgviewer.core.search import Query, embed_query, image_query, record_query

log = logging.getLogger(__name__)

_SUFFIX = {"PNG": ".png", "JPEG": ".jpg", "TIFF": ".tif", "BMP": ".bmp", "WebP": ".webp",
           "PDF": ".pdf"}


def case_source(path: str | os.PathLike, kind: str, record: EcgRecord | None,
                corners: np.ndarray | None) -> CaseSource:
    """What to keep of a query searched from ``path``: its record as searched, or the
    photo file's own bytes with the grid corners of the page as searched."""
    if kind == "signal":
        return CaseSource("signal", record=record)
    data = Path(path).read_bytes()
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        suffix = _SUFFIX.get(image_format(data[:16]) or "", "")
    return CaseSource("image", image=data, image_suffix=suffix,
                      corners=None if corners is None else np.asarray(corners, np.float32))


def source_query(source: CaseSource, name: str) -> Query:
    """The query a kept ECG makes, as if its file were opened again."""
    if source.kind == "signal":
        return record_query(source.record, name)
    with tempfile.TemporaryDirectory(prefix="ecgviewer-case-") as folder:
        path = Path(folder) / f"photo{source.image_suffix}"
        path.write_bytes(source.image)
        photo = load_image(path)
    return image_query(photo, name, source.corners)


def embed_source(encoder, source: CaseSource, name: str = "clinic case") -> np.ndarray:
    """The (D,) embedding of a kept ECG."""
    return embed_query(encoder, source_query(source, name))[1][0]


def reembed_stale(base: ClinicBase, encoder, progress=None, cancel=None) -> int:
    """Re-encode, with ``encoder``, every case another model encoded; returns how many.

    Each case is its own transaction, so stopping (``cancel()`` true) keeps those done;
    the others stay unsearchable until the next run. ``progress(done, total)``.
    """
    ids = base.stale_cases()
    done = 0
    for done, case_id in enumerate(ids, 1):
        if cancel is not None and cancel():
            raise Cancelled(f"Re-encoding stopped: {done - 1} of {len(ids)} cases done.")
        try:
            case = base.store.get(case_id)
        except CaseNotFoundError:
            continue  # removed meanwhile
        base.set_embedding(case, embed_source(encoder, case.source, case.case_id), save=False)
        if progress:
            progress(done, len(ids))
    base.save_index()
    return done


class BackgroundReencoding:
    """:func:`reembed_stale` on a thread of its own, for the desktop app after a model
    change: the cases come back into the results one by one as they are re-encoded.
    ``progress`` is (done, total); ``error`` the message if it stopped on a failure."""

    def __init__(self, base: ClinicBase, encoder):
        self.base, self.encoder = base, encoder
        self.progress = (0, len(base.stale_cases()))
        self.error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ecgviewer-reencode", daemon=True)

    def start(self) -> BackgroundReencoding:
        self._thread.start()
        atexit.register(self.stop)  # never cut short mid-encoding by the interpreter's exit
        return self

    def _run(self) -> None:
        def step(done: int, total: int) -> None:
            self.progress = (done, total)
        try:
            reembed_stale(self.base, self.encoder, step, self._stop.is_set)
        except Cancelled:
            pass
        except EcgError as exc:  # e.g. a read-only folder: the cases stay as they are
            log.warning("re-encoding clinic cases stopped: %s", exc)
            self.error = str(exc)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the case in hand; what was re-encoded is kept."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)


def reencode_in_background(base: ClinicBase | None, encoder) -> BackgroundReencoding | None:
    """Start re-encoding if ``base`` holds cases another model encoded (and can be written)."""
    if base is None or base.read_only or not base.stale_cases():
        return None
    return BackgroundReencoding(base, encoder).start()


def photo_page(base: ClinicBase, case_id: str) -> np.ndarray | None:
    """The flattened grid of a clinic case kept as a photo (RGB, at the rectifier's
    PAGE_PX_PER_MM), for showing it beside a query; None for other cases."""
    try:
        case = base.store.get(int(case_id.removeprefix("clinic:")))
    except (ValueError, EcgError):
        return None
    return source_query(case.source, case.case_id).page if case.kind == "image" else None
