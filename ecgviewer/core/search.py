"""Query -> similar cases: read, draw (or rectify), encode, search, with timings.

The GUI's worker thread and ``ecgviewer search`` both call :class:`Searcher`.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ecgviewer import resources
from ecgviewer.core.casebase import CaseBase
from ecgviewer.core.encoder import Encoder
from ecgviewer.core.errors import ResourceError
from ecgviewer.core.photo import Rectified, load_photo, rectify
from ecgviewer.core.preprocess import encoder_input, record_page
from ecgviewer.core.readers import detect, read
from ecgviewer.core.record import EcgRecord
from ecgviewer.core.results import QueryResult


#: How much higher a half-turned page's upright score must be before it replaces the
#: page as found (``python -m model_export.orientation_probe`` prints the trade-off).
HALF_TURN_MARGIN = 0.5


@contextmanager
def _timed(timings: dict[str, float], key: str):
    start = time.perf_counter()
    yield
    timings[key] = timings.get(key, 0.0) + (time.perf_counter() - start) * 1000.0


class Searcher:
    """An encoder and a case base that belong together (checked by build id)."""

    def __init__(self, encoder: Encoder, casebase: CaseBase):
        if casebase.model_build_id != encoder.build_id:
            raise ResourceError(
                f"The case base was built with model {casebase.model_build_id}, but the "
                f"installed model is {encoder.build_id}: reinstall ecgviewer."
            )
        if casebase.dim != encoder.dim:
            raise ResourceError("The case base and the model disagree on the embedding size.")
        self.encoder = encoder
        self.casebase = casebase

    @classmethod
    def from_resources(cls, folder: str | os.PathLike | None = None,
                       device: str = "cpu") -> Searcher:
        root = Path(folder) if folder else resources.resources_dir()
        return cls(Encoder(root / "model" / "encoder.onnx", device=device),
                   CaseBase(root / "casebase"))

    def search_path(self, path: str | os.PathLike, top_k: int = 10,
                    corners: np.ndarray | None = None) -> QueryResult:
        """Search with a signal file or an image; ``corners`` overrides paper detection."""
        timings: dict[str, float] = {}
        with _timed(timings, "read"):
            kind = detect(path).kind
            if kind == "image":
                photo = load_photo(path)
            else:
                record = read(path)
        if kind == "image":
            return self.search_image(photo, str(path), top_k, corners, timings)
        return self.search_record(record, str(path), top_k, timings)

    def search_record(self, record: EcgRecord, query: str, top_k: int = 10,
                      timings: dict[str, float] | None = None) -> QueryResult:
        timings = dict(timings or {})
        with _timed(timings, "render"):
            page = record_page(record)
        result = self._search_page(page, query, "signal", top_k, timings)
        result.record = record
        return result

    def search_image(self, photo: np.ndarray, query: str, top_k: int = 10,
                     corners: np.ndarray | None = None,
                     timings: dict[str, float] | None = None) -> QueryResult:
        timings = dict(timings or {})
        with _timed(timings, "render"):
            rectified = rectify(photo, corners)
        return self.search_rectified(rectified, query, top_k, timings)

    def search_rectified(self, rectified: Rectified, query: str, top_k: int = 10,
                         timings: dict[str, float] | None = None) -> QueryResult:
        """Search with a photo already rectified (the GUI rectifies first, to show it).

        Searched the right way up: see :func:`encode_upright`.
        """
        timings = dict(timings or {})
        with _timed(timings, "encode"):
            chosen, embedding = encode_upright(self.encoder, rectified)
        with _timed(timings, "search"):
            neighbors = self.casebase.search(embedding, top_k)[0]
        return QueryResult(query=query, kind="image", neighbors=neighbors, timings_ms=timings,
                           image=chosen.page, corners=chosen.corners,
                           notes=list(chosen.notes) + list(self.encoder.notes))

    def _search_page(self, page: np.ndarray, query: str, kind: str, top_k: int,
                     timings: dict[str, float]) -> QueryResult:
        with _timed(timings, "encode"):
            embedding = self.encoder.embed(encoder_input(page)[None])
        with _timed(timings, "search"):
            neighbors = self.casebase.search(embedding, top_k)[0]
        return QueryResult(query=query, kind=kind, neighbors=neighbors, timings_ms=timings,
                           image=page, notes=list(self.encoder.notes))


def encode_upright(encoder: Encoder, rectified: Rectified) -> tuple[Rectified, np.ndarray]:
    """The page the right way up, and its embedding.

    With a model that scores uprightness, the page and its half turn are encoded in one
    batch and the turn is kept when :func:`prefers_half_turn` says so (a printout
    photographed upside down, or sideways the other way round); without, the page is
    taken as found.
    """
    pages = [rectified, rectified.turned(2)] if encoder.scores_upright else [rectified]
    embeddings, upright = encoder.encode(np.stack([encoder_input(r.page) for r in pages]))
    pick = int(upright is not None and prefers_half_turn(
        *upright, quarter_turned=rectified.quarters % 2 == 1))
    return pages[pick], embeddings[pick][None]


def prefers_half_turn(page_score: float, turned_score: float, quarter_turned: bool) -> bool:
    """Whether a photographed page should be turned 180 degrees, from the encoder's
    upright scores of the page as found and of its half turn.

    A page as found is upright far more often than not, so the turn must win by
    HALF_TURN_MARGIN; after a quarter turn (a sideways photo) both ways are equally
    likely and the higher score wins.
    """
    return turned_score > page_score + (0.0 if quarter_turned else HALF_TURN_MARGIN)
