"""Small synthetic clinic cases: a fake model's vectors, short signals, no encoder needed."""

from __future__ import annotations

import numpy as np

from ecgviewer.core.clinic.base import ModelInfo
from ecgviewer.core.clinic.case import CaseDetails, CaseSource
from ecgviewer.core.record import STANDARD_LEADS

MODEL = ModelInfo("test-model", ("NORM", "IMI", "AFIB", "LVH"), 16)
CODES = ("NORM", "IMI", "AFIB", "LVH", "ASMI")


def embedding(i: int, dim: int = MODEL.dim) -> np.ndarray:
    vector = np.random.default_rng(1000 + i).standard_normal(dim).astype(np.float32)
    return vector / np.linalg.norm(vector)


def source(i: int, samples: int = 100) -> CaseSource:
    signals = np.random.default_rng(i).standard_normal((12, samples)).astype(np.float32) * 0.3
    return CaseSource.from_signal(signals, 100.0, STANDARD_LEADS)


def details(i: int, patient: str | None = None) -> CaseDetails:
    return CaseDetails((CODES[i % len(CODES)],), f"report {i}", 20.0 + i % 70,
                       ("female", "male")[i % 2], patient, "dr test",
                       f"2025-01-{1 + i % 28:02d}T10:00:00+00:00")


def add_cases(base, start: int, count: int, patient: str | None = None) -> list[int]:
    return [base.add(source(i), details(i, patient), embedding(i))
            for i in range(start, start + count)]


def index_agrees(base) -> bool:
    """The index holds exactly the database's cases of the model, with their vectors."""
    base.sync()
    revision, ids, embeddings, codes = base.store.vectors(base.model.build_id)
    index = base.index
    if index.revision != revision or index._labels != set(int(i) for i in ids):
        return False
    if not len(ids):
        return True
    stored = np.array(index._index.get_items(ids))
    expected = index.vectors(embeddings, codes)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)  # cosine space normalises
    return bool(np.allclose(stored, expected, atol=1e-5))
