"""Retrieval metrics on label sets and caption metrics on report text.

Everything here works on plain arrays and strings so it can be unit-tested by hand; the
PTB-XL specifics (which labels, which folds) live in ``evaluate.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

LabelSet = frozenset[str]


# --- relevance --------------------------------------------------------------------------
def same_set(a: LabelSet, b: LabelSet) -> bool:
    """Superclass-set relevance; two empty sets are equal, so label-less cases match each other."""
    return a == b


def shares_any(a: LabelSet, b: LabelSet) -> bool:
    """Statement relevance; an empty set shares nothing, so a label-less query has no relevant case."""
    return not a.isdisjoint(b)


def jaccard(a: LabelSet, b: LabelSet) -> float:
    """|a & b| / |a | b|; 0 when both are empty: no shared statement is evidence of nothing.

    This is the convention behind the reference oracle figures (superclass-set P@10 0.785);
    J(empty, empty) = 1 would give 0.828.
    """
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def relevance_matrix(queries: Sequence[LabelSet], index: Sequence[LabelSet],
                     relevant: Callable[[LabelSet, LabelSet], bool]) -> np.ndarray:
    """(queries, index) bool: which index cases count as relevant to each query."""
    return np.array([[relevant(q, x) for x in index] for q in queries], dtype=bool).reshape(
        len(queries), len(index))


# --- ranking metrics --------------------------------------------------------------------
def precision_at_k(hits: np.ndarray, k: int) -> float:
    """Mean over queries of the relevant fraction of the top k; ``hits`` is (queries, >=k) bool."""
    return float(hits[:, :k].mean()) if len(hits) else float("nan")


def average_precision_at_k(hits: np.ndarray, n_relevant: int, k: int) -> float:
    """AP@k for one query: sum of precision at each relevant rank <= k, over min(k, n_relevant).

    The min() makes a perfect ranking score 1 even when fewer than k relevant cases exist.
    """
    if n_relevant == 0:
        raise ValueError("AP is undefined for a query with no relevant case")
    top = np.asarray(hits[:k], dtype=bool)
    ranks = np.flatnonzero(top) + 1
    precisions = np.cumsum(top)[ranks - 1] / ranks
    return float(precisions.sum() / min(k, n_relevant))


def mean_average_precision(hits: np.ndarray, n_relevant: np.ndarray, k: int) -> float:
    """mAP@k over the queries that have at least one relevant case in the index."""
    scores = [average_precision_at_k(h, int(n), k) for h, n in zip(hits, n_relevant) if n > 0]
    return float(np.mean(scores)) if scores else float("nan")


def subset_precision(query_sets: Sequence[LabelSet], index_sets: Sequence[LabelSet],
                     neighbours: np.ndarray, k: int) -> tuple[float, int]:
    """(P@k, queries) over the queries with a non-empty set; a hit shares one of its labels.

    E.g. rhythm P@k: each case's rhythm statements other than SR, so only queries with an
    abnormal rhythm count and a neighbour counts when it has one of the query's rhythms.
    """
    rows = [i for i, q in enumerate(query_sets) if q]
    if not rows:
        return float("nan"), 0
    hits = np.array([[shares_any(query_sets[i], index_sets[j]) for j in neighbours[i, :k]]
                     for i in rows], dtype=bool)
    return precision_at_k(hits, k), len(rows)


def label_precision(query_sets: Sequence[LabelSet], index_sets: Sequence[LabelSet],
                    neighbours: np.ndarray, k: int,
                    labels: Sequence[str]) -> dict[str, tuple[float, int]]:
    """Per label: (P@k, queries) over the queries holding it; a hit holds the same label.

    Labels no query holds are left out rather than reported as NaN.
    """
    out = {}
    for label in labels:
        rows = [i for i, q in enumerate(query_sets) if label in q]
        if rows:
            hits = np.array([[label in index_sets[j] for j in neighbours[i, :k]] for i in rows],
                            dtype=bool)
            out[label] = (precision_at_k(hits, k), len(rows))
    return out


def most_frequent(sets: Sequence[LabelSet], n: int,
                  tie_break: Sequence[LabelSet] = ()) -> list[str]:
    """The ``n`` labels held by most sets; ties by frequency in ``tie_break``, then by name."""
    count = Counter(label for s in sets for label in s)
    second = Counter(label for s in tie_break for label in s)
    return sorted(count, key=lambda label: (-count[label], -second[label], label))[:n]


# --- text metrics -----------------------------------------------------------------------
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def tokenize(text: str) -> str:
    """Lower-case words and numbers joined by spaces, punctuation dropped.

    Umlauts become ae/oe/ue because the German reports use both spellings ("überleitung",
    "ueberdrehter"); other accents are stripped so the METEOR jar only ever sees ASCII.
    """
    text = unicodedata.normalize("NFKD", text.lower().translate(_GERMAN))
    return " ".join(re.findall(r"[a-z0-9]+", text))


def text_scores(references: Sequence[str], hypotheses: Sequence[str],
                meteor: object | None = None) -> dict[str, float]:
    """Corpus BLEU-1..4, METEOR, ROUGE-L and CIDEr-D of one hypothesis per reference.

    ``meteor`` is a started ``pycocoevalcap`` Meteor scorer (a Java process, slow to start,
    so callers reuse one); None skips METEOR.
    """
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    from pycocoevalcap.rouge.rouge import Rouge

    if len(references) != len(hypotheses) or not references:
        raise ValueError("need one hypothesis per reference, at least one pair")
    gts = {i: [tokenize(t)] for i, t in enumerate(references)}
    res = {i: [tokenize(t)] for i, t in enumerate(hypotheses)}
    bleu, _ = Bleu(4).compute_score(gts, res, verbose=0)
    out = {f"BLEU-{n}": float(b) for n, b in enumerate(bleu, 1)}
    if meteor is not None:
        out["METEOR"] = float(meteor.compute_score(gts, res)[0])
    out["ROUGE-L"] = float(Rouge().compute_score(gts, res)[0])
    out["CIDEr"] = float(Cider().compute_score(gts, res)[0])
    return out


def start_meteor() -> object | None:
    """A reusable METEOR scorer, or None when Java is missing (METEOR is then left out)."""
    import shutil

    if shutil.which("java") is None:
        return None
    from pycocoevalcap.meteor.meteor import Meteor

    return Meteor()
