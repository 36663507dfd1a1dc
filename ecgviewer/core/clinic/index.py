"""The hnswlib index of the clinic's cases: a cache of the database, never trusted alone.

On disk: ``clinic-index.json`` (the database revision and model it was built from, and
the name of its index file) and that ``clinic-index-<token>.bin``. A new index file gets
a new name and is synced before the JSON is replaced (``os.replace``) to point at it, so
a crash at any moment leaves either the old pair or the new one, never half of one. The
index is used only while the JSON names the database's current revision and the model in
use; otherwise it is rebuilt from the database.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path

import numpy as np

from ecgviewer.core.casebase import with_confirmed_statements
from ecgviewer.core.clinic.store import Change, ClinicStore

log = logging.getLogger(__name__)

META_FILE = "clinic-index.json"
INDEX_PREFIX = "clinic-index-"
M, EF_CONSTRUCTION, EF_SEARCH = 16, 100, 64


class ClinicIndex:
    """Cosine index of the cases encoded by one model (``model_build_id``), with their
    confirmed statements in the vector exactly as the bundled case base has them."""

    def __init__(self, home: str | os.PathLike, model_build_id: str,
                 label_codes: tuple[str, ...], dim: int):
        self.home = Path(home)
        self.model_build_id = model_build_id
        self.label_codes = tuple(label_codes)
        self.dim = dim
        self.revision: str | None = None
        self.count = 0
        self._index = None
        self._labels: set[int] = set()

    # ------------------------------------------------------------------ keeping in step

    def sync(self, store: ClinicStore) -> None:
        """Make the index match the database: as it is, from disk, or rebuilt."""
        revision = store.revision()
        if revision == self.revision:
            return
        if not self._load(revision):
            self._rebuild(store)

    def apply(self, store: ClinicStore, change: Change, save: bool = True) -> None:
        """Follow one change cheaply when the index was current just before it
        (``save`` False: in memory only, for many changes in a row; then :meth:`save`)."""
        if self.revision != change.before or self._index is None:
            self.sync(store)
            return
        if change.after != change.before:
            case = store.find([change.case_id]).get(change.case_id)
            if case is not None and case.model_build_id == self.model_build_id:
                self._put(change.case_id, case.embedding, list(case.details.statements))
            elif change.case_id in self._labels:
                self._index.mark_deleted(change.case_id)
                self._labels.discard(change.case_id)
        self.revision = change.after
        self.count = len(self._labels)
        if save:
            self.save()

    def vectors(self, embeddings: list[np.ndarray], codes: list[list[str]]) -> np.ndarray:
        """Index vectors: embeddings with their confirmed statements (see casebase)."""
        matrix = np.stack(embeddings).astype(np.float32) if embeddings else \
            np.zeros((0, self.dim), np.float32)
        return with_confirmed_statements(matrix, self.label_codes, codes)

    def _new_index(self, capacity: int):
        import hnswlib

        index = hnswlib.Index(space="cosine", dim=self.dim)
        index.init_index(max_elements=max(capacity, 64), ef_construction=EF_CONSTRUCTION, M=M,
                         random_seed=0)
        return index

    def _rebuild(self, store: ClinicStore) -> None:
        revision, ids, embeddings, codes = store.vectors(self.model_build_id)
        keep = [i for i, e in enumerate(embeddings) if e.size == self.dim]
        ids = ids[keep]
        index = self._new_index(int(len(ids) * 1.25) + 64)
        if len(ids):
            index.add_items(self.vectors([embeddings[i] for i in keep], [codes[i] for i in keep]),
                            ids, num_threads=1)
        index.set_ef(EF_SEARCH)
        self._index, self._labels = index, set(int(i) for i in ids)
        self.revision, self.count = revision, len(ids)
        self.save()

    def _put(self, label: int, embedding: np.ndarray, codes: list[str]) -> None:
        if embedding.size != self.dim:
            return
        if self._index.get_current_count() >= self._index.get_max_elements():
            self._index.resize_index(2 * self._index.get_max_elements())
        # hnswlib updates a label it holds in place (and revives it if it was deleted)
        self._index.add_items(self.vectors([embedding], [codes]), np.array([label]),
                              num_threads=1)
        self._labels.add(label)

    # ------------------------------------------------------------------ files

    def _read_meta(self) -> dict | None:
        try:
            return json.loads((self.home / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _load(self, revision: str) -> bool:
        meta = self._read_meta()
        if not meta or meta.get("revision") != revision or \
                meta.get("model_build_id") != self.model_build_id or meta.get("dim") != self.dim:
            return False
        import hnswlib

        index = hnswlib.Index(space="cosine", dim=self.dim)
        try:
            labels = set(int(i) for i in meta["labels"])
            index.load_index(str(self.home / meta["file"]),
                             max_elements=int(len(labels) * 1.25) + 64)
        except (OSError, RuntimeError, KeyError, TypeError, ValueError) as exc:
            log.info("clinic index not usable (%s): rebuilding", exc)
            return False
        index.set_ef(EF_SEARCH)
        self._index, self._labels = index, labels
        self.revision, self.count = revision, len(labels)
        return True

    def save(self) -> None:
        """Write the index under a new name, then point the JSON at it. A cache: a folder
        that cannot be written only costs a rebuild next time."""
        if self._index is None:
            return
        name = f"{INDEX_PREFIX}{uuid.uuid4().hex}.bin"
        path = self.home / name
        meta = {"revision": self.revision, "model_build_id": self.model_build_id,
                "dim": self.dim, "file": name, "labels": sorted(self._labels)}
        tmp = self.home / f".{META_FILE}.{uuid.uuid4().hex}.tmp"
        try:
            self._index.save_index(str(path))
            _fsync(path)
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(meta, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.home / META_FILE)
        except (OSError, RuntimeError) as exc:
            log.warning("clinic index not saved (%s): it is rebuilt when next needed", exc)
            for leftover in (path, tmp):
                _unlink(leftover)
            return
        for old in self.home.glob(f"{INDEX_PREFIX}*.bin"):
            if old.name != name:
                _unlink(old)  # another process may still write one: it rebuilds if so

    # ------------------------------------------------------------------ searching

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(case id, cosine similarity) of the ``k`` nearest cases, most similar first."""
        k = min(k, self.count)
        if k <= 0 or self._index is None:
            return []
        self._index.set_ef(max(EF_SEARCH, k))
        try:
            labels, distances = self._index.knn_query(np.atleast_2d(vector).astype(np.float32), k=k)
        except RuntimeError:  # too few reachable live cases for k among deleted ones
            self._index.set_ef(max(4 * k, self.count))
            labels, distances = self._index.knn_query(np.atleast_2d(vector).astype(np.float32), k=k)
        return [(int(label), 1.0 - float(dist)) for label, dist in zip(labels[0], distances[0])]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))  # Windows syncs writable files only
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
