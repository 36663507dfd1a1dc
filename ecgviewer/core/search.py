"""The one query pipeline: path -> reader -> record or rectified photo -> page -> encoder
-> case base, with notes and timings.

:func:`prepare` reads a file and makes the page the encoder reads (no model needed, so
the GUI can show an ECG even when the case base is missing); :meth:`Searcher.search`
encodes that page and finds its neighbours. The GUI's worker, ``ecgviewer search``, the
self-test and the benchmarks all call these two, nothing else.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ecgviewer import resources
from ecgviewer.core.clinic.base import ClinicBase, ModelInfo, open_clinic
from ecgviewer.core.clinic.sources import SOURCES, search_sources
from ecgviewer.core.errors import NotAnEcgImageError, ResourceError
from ecgviewer.core import rhythm, rhythm_strip
from ecgviewer.core.photo import PAGE_PX_PER_MM, Rectified, rectify
from ecgviewer.core.preprocess import encoder_input, record_page
from ecgviewer.core.readers import detect, read
from ecgviewer.core.readers.image_reader import load_image
from ecgviewer.core.record import FROM_LIMB_LEADS, EcgRecord
from ecgviewer.core.relayout import LIMB_ORDERS, relayout
from ecgviewer.core.results import QueryResult
from ecgviewer.core.rhythm import RhythmFeatures
from ecgviewer.core.stages import DRAWING, FINDING_PAPER, READING, SEARCHING, Stage

if TYPE_CHECKING:  # onnxruntime and hnswlib load with the model, not with the window
    from ecgviewer.core.casebase import CaseBase
    from ecgviewer.core.encoder import Encoder

#: How much higher a half-turned page's upright score must be before it replaces the
#: page as found (``python -m model_export.orientation_probe`` prints the trade-off).
HALF_TURN_MARGIN = 0.5


def _no_stage(_name: str) -> None:
    return None


@contextmanager
def _timed(timings: dict[str, float], key: str):
    start = time.perf_counter()
    yield
    timings[key] = timings.get(key, 0.0) + (time.perf_counter() - start) * 1000.0


@dataclass
class Query:
    """One query ready to encode: a signal record or a photo, and the page made of it.

    ``page`` is the RGB page the encoder reads: the record drawn as the default printout,
    or the photo's grid area flattened (``rectified``). It is None only for a photo in
    which no grid was found; ``paper_error`` then says so, and corners placed by the user
    are the way on. ``notes`` are everything the reader and the rectifier did that the
    user should know (derived leads, resampling, a grid cut off, a page turned).
    """

    name: str
    kind: str  # "signal" or "image"
    page: np.ndarray | None
    record: EcgRecord | None = None
    photo: np.ndarray | None = None
    rectified: Rectified | None = None
    paper_error: str | None = None
    notes: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    encoder_page: np.ndarray | None = None  # set by embed_query: what the encoder read


def prepare(path: str | os.PathLike, corners: np.ndarray | None = None,
            stage: Stage = _no_stage) -> Query:
    """Read a signal file or an image into a :class:`Query`; ``corners`` (TL, TR, BR, BL
    in image pixels) replace paper detection for images. Raises EcgError for bad files."""
    timings: dict[str, float] = {}
    stage(READING)
    with _timed(timings, "read"):
        if detect(path).kind == "image":
            reading: list[str] = []  # which page of a PDF was read
            photo = load_image(path, reading)
            record = None
        else:
            record = read(path)
    if record is None:
        query = image_query(photo, str(path), corners, stage, timings)
        return replace(query, notes=reading + query.notes)
    return record_query(record, str(path), stage, timings)


def record_query(record: EcgRecord, name: str, stage: Stage = _no_stage,
                 timings: dict[str, float] | None = None) -> Query:
    """A query from a record already read: drawn as the encoder's default printout."""
    timings = dict(timings or {})
    stage(DRAWING)
    with _timed(timings, "render"):
        standard = record.with_standard_leads()
        page = record_page(standard)
    return Query(name, "signal", page, record=standard, notes=record_notes(standard),
                 timings_ms=timings)


def image_query(photo: np.ndarray, name: str, corners: np.ndarray | None = None,
                stage: Stage = _no_stage, timings: dict[str, float] | None = None) -> Query:
    """A query from an RGB photo or scan: its grid found (or placed by ``corners``) and
    flattened. A photo without a grid is still a query, without a page."""
    timings = dict(timings or {})
    stage(FINDING_PAPER)
    with _timed(timings, "rectify"):
        try:
            rect = rectify(photo, corners)
        except NotAnEcgImageError as exc:
            return Query(name, "image", None, photo=photo, paper_error=str(exc),
                         timings_ms=timings)
    return Query(name, "image", rect.page, photo=photo, rectified=rect, notes=list(rect.notes),
                 timings_ms=timings)


def record_notes(record: EcgRecord) -> list[str]:
    """What was computed rather than recorded, in one line each (derived leads together)."""
    derived = [n.split()[0] for n in record.metadata.derived if n.endswith(FROM_LIMB_LEADS)]
    notes = [n for n in record.metadata.derived if not n.endswith(FROM_LIMB_LEADS)]
    if derived:
        notes.append(f"Leads {', '.join(derived)} were computed from I and II: the file does "
                     "not hold them.")
    return notes


def embed_query(encoder: Encoder, query: Query) -> tuple[Query, np.ndarray]:
    """The query as it was encoded, and its (1, D) embedding.

    A photo's page is searched the right way up: with a model that scores uprightness,
    the page and its half turn are encoded in one batch and the turn is kept when
    :func:`prefers_half_turn` says so (a printout photographed upside down, or sideways
    the other way round). The query returned then holds the turned page and notes.
    """
    if query.page is None:
        raise NotAnEcgImageError(query.paper_error or "No ECG grid was found in the image.")
    rect = query.rectified
    if rect is None:
        return replace(query, encoder_page=query.page), \
            encoder.embed(encoder_input(query.page)[None])
    if not encoder.scores_upright:
        page, notes = photo_page(rect)
        return replace(query, encoder_page=page, notes=query.notes + notes), \
            encoder.embed(encoder_input(page)[None])
    turned = rect.turned(2)
    (page, notes), (turned_page, turned_notes) = photo_page(rect), photo_page(turned)
    embeddings, upright = encoder.encode(np.stack([encoder_input(p) for p in (page, turned_page)]))
    if not prefers_half_turn(*upright, quarter_turned=rect.quarters % 2 == 1):
        return replace(query, encoder_page=page, notes=query.notes + notes), embeddings[:1]
    return replace(query, page=turned.page, rectified=turned,
                   notes=list(turned.notes) + turned_notes,
                   encoder_page=turned_page), embeddings[1:]


def query_rhythm(searched: Query) -> RhythmFeatures:
    """Rate and RR regularity of a query as searched: from the signal of a file, from the
    rhythm strip of a photo's page as the encoder read it (re-laid to 3x4+1)."""
    if searched.record is not None:
        return rhythm.measure(searched.record)
    return rhythm_strip.measure_page(searched.encoder_page)


def photo_page(rect: Rectified) -> tuple[np.ndarray, list[str]]:
    """What the encoder reads of a photo: its page re-laid onto the renderer's 3x4+1
    layout (:func:`~ecgviewer.core.relayout.relayout`: any printer's leads where the
    encoder learned them), or the page as found when its rows cannot be read; and a
    note when the limb leads were printed in another order."""
    relaid = relayout(rect.page, PAGE_PX_PER_MM)
    if relaid is None:
        return rect.page, []
    if relaid.limb_order == "standard":
        return relaid.page, []
    order = ", ".join(n for group in LIMB_ORDERS[relaid.limb_order] for n in group)
    return relaid.page, [f"The limb leads were printed in the {relaid.limb_order} order "
                         f"({order}) and were read so."]


def prefers_half_turn(page_score: float, turned_score: float, quarter_turned: bool) -> bool:
    """Whether a photographed page should be turned 180 degrees, from the encoder's
    upright scores of the page as found and of its half turn.

    A page as found is upright far more often than not, so the turn must win by
    HALF_TURN_MARGIN; after a quarter turn (a sideways photo) both ways are equally
    likely and the higher score wins.
    """
    return turned_score > page_score + (0.0 if quarter_turned else HALF_TURN_MARGIN)


class Searcher:
    """An encoder and a case base that belong together (checked by build id)."""

    def __init__(self, encoder: Encoder, casebase: CaseBase, clinic: ClinicBase | None = None,
                 rhythm_classifier: rhythm.RhythmClassifier | None = None):
        if casebase.model_build_id != encoder.build_id:
            raise ResourceError(
                f"The case base was built with model {casebase.model_build_id}, but the "
                f"installed model is {encoder.build_id}: reinstall ecgviewer."
            )
        if casebase.dim != encoder.dim:
            raise ResourceError("The case base and the model disagree on the embedding size.")
        self.encoder = encoder
        self.casebase = casebase
        self.clinic = clinic  # the clinic's own cases, searched too (None: none saved yet)
        self.sources = SOURCES  # restrict to ("ptbxl",) or ("clinic",)
        self.rhythm_classifier = rhythm_classifier  # None: rhythm re-ranks by distance only
        self.notes: list[str] = []

    @classmethod
    def from_resources(cls, folder: str | os.PathLike | None = None,
                       device: str = "cpu") -> Searcher:
        from ecgviewer.core.casebase import CaseBase
        from ecgviewer.core.encoder import Encoder

        root = Path(folder) if folder else resources.resources_dir()
        encoder = Encoder(root / "model" / "encoder.onnx", device=device)
        classifier = rhythm.RhythmClassifier.load(root / "model" / rhythm.CLASSIFIER_FILE)
        searcher = cls(encoder, CaseBase(root / "casebase"), rhythm_classifier=classifier)
        searcher.clinic, searcher.notes = open_clinic(ModelInfo.of(encoder))
        return searcher

    def tracing(self, case_id: str) -> EcgRecord | None:
        """A similar case's signal from the base that holds it; None if not kept."""
        if case_id.startswith("clinic:"):
            return None if self.clinic is None else self.clinic.tracing(case_id)
        return self.casebase.tracing(case_id)

    def search(self, query: Query, top_k: int = 10, stage: Stage = _no_stage) -> QueryResult:
        """The ``top_k`` most similar cases; raises NotAnEcgImageError for a photo
        without a page (no grid found and no corners given)."""
        stage(SEARCHING)
        timings = dict(query.timings_ms)
        with _timed(timings, "encode"):
            searched, embedding = embed_query(self.encoder, query)
        with _timed(timings, "rhythm"):
            features = query_rhythm(searched)
        with _timed(timings, "search"):  # the nearest by look, re-ranked by rhythm
            candidates, notes = search_sources(self.casebase, self.clinic, embedding,
                                               max(top_k, rhythm.RERANK_CANDIDATES),
                                               self.sources)
            # the classes were learnt from 12-lead signals: not for a strip traced off paper
            classes = None if self.rhythm_classifier is None or searched.kind != "signal" \
                or not features.measurable else self.rhythm_classifier.probabilities(
                    features, self.encoder.statement_scores(embedding[0]))
            neighbors = rhythm.rerank(candidates, features,
                                      self.casebase.rhythm([n.case_id for n in candidates]),
                                      rhythm.RERANK_WEIGHT, top_k, classes, rhythm.CLASS_WEIGHT)
        rect = searched.rectified
        return QueryResult(query=query.name, kind=query.kind, neighbors=neighbors,
                           timings_ms=timings, record=query.record, image=searched.page,
                           corners=None if rect is None else rect.corners,
                           notes=list(searched.notes) + list(self.encoder.notes) + self.notes
                           + notes, embedding=embedding[0], rhythm=features)
