"""Fold-9 retrieval scores from the training pack alone, used to choose epochs.

No PTB-XL folder is needed (the GPU machine has none), and the vectors are ranked as the
app ranks them: a query's exported "combined" vector against past cases whose statement
part holds their confirmed statements (``ecgviewer.core.casebase``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ecgviewer.core.casebase import with_confirmed_statements
from model_export.baselines import cosine_neighbours
from model_export.metrics import precision_at_k, relevance_matrix, same_set, shares_any
from model_export.pack import Pack

#: (embeddings (N, D), statement probabilities (N, L)) of N pages.
Vectors = tuple[np.ndarray, np.ndarray]


def combined(vectors: Vectors) -> np.ndarray:
    """What the exported model outputs: embedding and probabilities, each half unit length."""
    emb, probs = vectors
    unit = probs / np.maximum(np.linalg.norm(probs, axis=1, keepdims=True), 1e-12)
    return np.concatenate([emb, unit], axis=1) / np.sqrt(2)


def relevance(pack: Pack, q_rows: np.ndarray, x_rows: np.ndarray) -> dict[str, np.ndarray]:
    """Which index cases are relevant to each query, by the harness's two definitions."""
    sup = [frozenset(s.split("+")) - {""} for s in pack.superclass_sets]
    codes = np.array(pack.codes)
    diag = [frozenset(codes[pack.diagnostic & (row > 0)]) for row in pack.labels]
    return {name: relevance_matrix([sets[i] for i in q_rows], [sets[i] for i in x_rows], rel)
            for name, sets, rel in (("supP@10", sup, same_set), ("anyP@10", diag, shares_any))}


@dataclass(frozen=True)
class RetrievalCheck:
    """supP@10 and anyP@10 of query pages among past cases, from the vectors a network
    gives them: ``rels`` as :func:`relevance`, ``index_codes`` each past case's confirmed
    statements."""

    rels: dict[str, np.ndarray]
    label_codes: tuple[str, ...]
    index_codes: list[list[str]]
    k: int = 10

    @classmethod
    def for_pack(cls, pack: Pack, q_rows: np.ndarray, x_rows: np.ndarray) -> RetrievalCheck:
        """Queries are pack rows ``q_rows``, past cases ``x_rows``."""
        codes = np.array(pack.codes)
        return cls(relevance(pack, q_rows, x_rows), tuple(pack.codes),
                   [list(codes[pack.labels[r] > 0]) for r in x_rows])

    def only(self, queries: np.ndarray) -> RetrievalCheck:
        """The same check for some of the queries (positions into its query rows)."""
        return replace(self, rels={name: rel[queries] for name, rel in self.rels.items()})

    def __call__(self, queries: Vectors, index: Vectors) -> dict[str, float]:
        index_vectors = with_confirmed_statements(combined(index), self.label_codes,
                                                  self.index_codes)
        nbrs = cosine_neighbours(combined(queries), index_vectors, self.k)
        return {name: precision_at_k(np.take_along_axis(rel, nbrs, axis=1), self.k)
                for name, rel in self.rels.items()}


def superclass_precision(pack: Pack, q_rows: np.ndarray, x_rows: np.ndarray,
                         q_emb: np.ndarray, x_emb: np.ndarray, k: int = 10) -> float:
    """supP@k of plain embeddings (no statement part), for the paper's encoder.

    The pack stores each set as its sorted '+'-joined names, so string equality is set
    equality.
    """
    sets = np.array(pack.superclass_sets)
    relevant = sets[q_rows][:, None] == sets[x_rows][None, :]
    hits = np.take_along_axis(relevant, cosine_neighbours(q_emb, x_emb, k), axis=1)
    return precision_at_k(hits, k)
