"""What a search returns: plain data shared by the CLI's JSON and the GUI's list."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ecgviewer.core.record import EcgRecord


@dataclass(frozen=True)
class Statement:
    """One SCP-ECG diagnostic statement of a case."""

    code: str
    description: str
    likelihood: float


@dataclass(frozen=True)
class Neighbor:
    """A past case similar to the query; ``similarity`` is cosine similarity in [-1, 1]."""

    case_id: str
    ecg_id: int
    similarity: float
    report: str
    statements: tuple[Statement, ...]
    age: float | None
    sex: str | None
    source: str = "ptbxl"  # "ptbxl" (the bundled cases) or "clinic" (the clinic's own)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["statements"] = [asdict(s) for s in self.statements]
        out["age"] = None if self.age is None else int(self.age)
        return out


@dataclass
class QueryResult:
    """One query: its picture as the encoder saw it, and its neighbours."""

    query: str
    kind: str  # "signal" or "image"
    neighbors: list[Neighbor]
    timings_ms: dict[str, float]
    record: EcgRecord | None = None  # signal queries only
    image: np.ndarray | None = field(default=None, repr=False)  # RGB page / rectified photo
    corners: np.ndarray | None = None  # image queries: detected paper corners (4, 2) in px
    notes: list[str] = field(default_factory=list)  # e.g. "paper not found: whole image used"
    embedding: np.ndarray | None = field(default=None, repr=False)  # (D,): to save the case
    # rate and RR regularity measured on the query: a core.rhythm.RhythmFeatures (typed
    # loosely: rhythm builds on this module's Neighbor)
    rhythm: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "kind": self.kind,
            "notes": list(self.notes),
            "rhythm": None if self.rhythm is None else self.rhythm.to_json(),
            "neighbors": [n.to_json() for n in self.neighbors],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
