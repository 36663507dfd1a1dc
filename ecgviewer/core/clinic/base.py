"""The clinic's case base: the database and its index kept in step, for one model."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ecgviewer.core.clinic.case import CaseDetails, CaseSource, ClinicCase
from ecgviewer.core.clinic.home import data_home
from ecgviewer.core.clinic.index import ClinicIndex
from ecgviewer.core.clinic.store import DB_FILE, Change, ClinicStore
from ecgviewer.core.errors import EcgError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelInfo:
    """What the index needs to know of the encoder: which one, the SCP codes whose
    probabilities end its vectors, and the vector size."""

    build_id: str
    label_codes: tuple[str, ...]
    dim: int

    @classmethod
    def of(cls, encoder) -> ModelInfo:
        return cls(encoder.build_id, tuple(encoder.label_codes), int(encoder.dim))


class ClinicBase:
    """Add, edit, remove and search clinic cases; every change is committed to the
    database first and then followed by the index."""

    def __init__(self, model: ModelInfo, home: str | os.PathLike | None = None):
        self.home = Path(home) if home is not None else data_home()
        self.model = model
        self.store = ClinicStore(self.home)
        self.index = ClinicIndex(self.home, model.build_id, model.label_codes, model.dim)
        self._lock = threading.RLock()  # the GUI searches and saves from two threads

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def close(self) -> None:
        self.store.close()

    def _follow(self, change: Change | None, save: bool = True) -> None:
        """The index after a committed change. The change stands whatever happens here:
        an index that cannot follow is dropped and rebuilt when next searched."""
        if change is None:
            return
        with self._lock:
            try:
                self.index.apply(self.store, change, save)
            except Exception:  # a cache: never report a saved case as failed
                log.exception("clinic index could not follow a change; it will be rebuilt")
                self.index.revision = None

    def add(self, source: CaseSource, details: CaseDetails, embedding: np.ndarray) -> int:
        """Save a case encoded by this base's model; returns its id."""
        change = self.store.add(source, details, embedding, self.model.build_id)
        self._follow(change)
        return change.case_id

    def update(self, case_id: int, details: CaseDetails) -> None:
        self._follow(self.store.update(case_id, details))

    def remove(self, case_id: int) -> None:
        self._follow(self.store.remove(case_id))

    def set_embedding(self, case: ClinicCase, embedding: np.ndarray, save: bool = True) -> None:
        """The case encoded anew by this base's model (``save``: write the index now)."""
        self._follow(self.store.set_embedding(case.id, case.content_sha256, embedding,
                                              self.model.build_id), save)

    def save_index(self) -> None:
        with self._lock:
            self.index.save()

    def sync(self) -> None:
        """Bring the index in step with the database (after another process wrote)."""
        with self._lock:
            self.index.sync(self.store)

    def search(self, embedding: np.ndarray, k: int) -> list[tuple[ClinicCase, float]]:
        """The ``k`` clinic cases nearest a query's embedding, most similar first."""
        with self._lock:
            self.index.sync(self.store)
            found = self.index.search(embedding, k)
        cases = self.store.find([case_id for case_id, _ in found])
        return [(cases[case_id], similarity) for case_id, similarity in found
                if case_id in cases]  # a case removed by another window since drops out

    def tracing(self, case_id: str):
        """The signal of a case ("clinic:N") kept as a signal; None for a photo."""
        try:
            case = self.store.get(int(case_id.removeprefix("clinic:")))
        except (ValueError, EcgError):
            return None
        return case.source.record if case.kind == "signal" else None

    def earlier_cases(self, patient_ref: str, before: str | None = None) -> list[ClinicCase]:
        """The patient's saved ECGs, oldest first; with ``before``, those confirmed earlier."""
        cases = self.store.list_cases(patient_ref=patient_ref)
        return [c for c in cases if before is None or c.details.confirmed_at < before]

    def stale_cases(self) -> list[int]:
        """Cases encoded by another model: not searchable until re-encoded."""
        return self.store.stale_ids(self.model.build_id)

    def export(self, out: str | os.PathLike, strip_patient: bool = False,
               progress=None, cancel=None) -> int:
        from ecgviewer.core.clinic.bundle import export_bundle

        return export_bundle(self.store, out, strip_patient, progress, cancel)

    def import_bundle(self, path: str | os.PathLike, progress=None, cancel=None):
        """Add a bundle's new cases (see :func:`bundle.import_bundle`), then the index."""
        from ecgviewer.core.clinic.bundle import import_bundle

        report = import_bundle(self.store, path, progress, cancel,
                               model_dims={self.model.build_id: self.model.dim})
        self.sync()
        return report


def open_clinic(model: ModelInfo, home: str | os.PathLike | None = None
                ) -> tuple[ClinicBase | None, list[str]]:
    """The clinic's base to search beside the bundled one, and notes: None until a first
    case is saved (searching creates nothing), or when it cannot be read (a note says why,
    and the bundled cases are still searched)."""
    folder = Path(home) if home is not None else data_home()
    if not (folder / DB_FILE).exists():
        return None, []
    try:
        return ClinicBase(model, folder), []
    except EcgError as exc:
        return None, [f"The clinic's own cases were not searched: {exc}"]
