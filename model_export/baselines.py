"""Reference retrieval methods that bracket a trained encoder: floor, naive signal, ceiling.

Each returns neighbour positions into the index, (queries, k) int, best first.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from model_export.metrics import LabelSet, jaccard


def cosine_neighbours(query_emb: np.ndarray, index_emb: np.ndarray, k: int) -> np.ndarray:
    """Exact cosine top-k (the sets are small, so a matmul beats an approximate index)."""
    q = _unit(query_emb)
    x = _unit(index_emb)
    sims = q @ x.T
    # stable sort on -sim: equal similarities keep index order, so results are reproducible
    return np.argsort(-sims, axis=1, kind="stable")[:, :k]


def random_neighbours(n_queries: int, n_index: int, k: int, seed: int = 0) -> np.ndarray:
    """The floor: k distinct index cases per query, uniformly at random."""
    rng = np.random.default_rng(seed)
    return np.stack([rng.permutation(n_index)[:k] for _ in range(n_queries)]).reshape(
        n_queries, min(k, n_index))


def raw_signal_embeddings(signals: np.ndarray) -> np.ndarray:
    """(cases, leads*samples): each lead z-scored over time, then flattened.

    Z-scoring removes per-lead gain and baseline offset so cosine compares waveform shape.
    """
    x = signals.astype(np.float64)
    x = x - x.mean(axis=-1, keepdims=True)
    std = x.std(axis=-1, keepdims=True)
    x = np.divide(x, std, out=np.zeros_like(x), where=std > 0)
    return x.reshape(len(x), -1).astype(np.float32)


def oracle_neighbours(queries: Sequence[LabelSet], index: Sequence[LabelSet],
                      k: int) -> np.ndarray:
    """The ceiling: rank by Jaccard of diagnostic statement sets, ties in index order."""
    sims = np.array([[jaccard(q, x) for x in index] for q in queries]).reshape(
        len(queries), len(index))
    return np.argsort(-sims, axis=1, kind="stable")[:, :k]


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
