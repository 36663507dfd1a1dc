"""Fold-9 retrieval benchmark: label precision, mAP and report-text metrics per method.

Queries are PTB-XL strat_fold 9, the index is folds 1-8 (a temporary one, not the shipped
case base). A method is either a built-in baseline or embeddings for every case:

    python -m model_export.evaluate [--data DIR] [--method NAME=emb.npz ...] [--json out.json]

An embeddings file is an .npz with ``ecg_id`` (int) and ``embedding`` (float, any norm);
retrieval is exact cosine. Training code scores without Java through
``Benchmark.score_embeddings(name, ids, emb)``; photo queries
against a signal index go through ``Benchmark.score`` since queries and index are separate.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from model_export.baselines import (cosine_neighbours, oracle_neighbours, random_neighbours,
                                    raw_signal_embeddings)
from model_export.metrics import (label_precision, mean_average_precision, most_frequent,
                                  precision_at_k, relevance_matrix, same_set, shares_any,
                                  start_meteor, subset_precision, text_scores)
from model_export.ptbxl import REPO, TRAIN_FOLDS, VALID_FOLD, Case, PtbXl

BASELINES = ("random", "raw", "oracle")
TEXT_COLUMNS = ("stmt BLEU-1", "stmt BLEU-2", "stmt BLEU-3", "stmt BLEU-4", "stmt METEOR",
                "stmt ROUGE-L", "stmt CIDEr", "report BLEU-4", "report METEOR",
                "report ROUGE-L", "report CIDEr")
#: Statements reported one by one: the most frequent among the queries.
TOP_STATEMENTS = 20


class Benchmark:
    """The fold-9 queries, the folds 1-8 index, their labels, and a shared METEOR process."""

    def __init__(self, data: str | Path | None = None, k: int = 10):
        self.ptbxl = PtbXl(data)
        self.k = k
        self.queries = self.ptbxl.split(VALID_FOLD)
        self.index = self.ptbxl.split(TRAIN_FOLDS)
        self._cases = {c.ecg_id: c for c in self.ptbxl.cases}

    def add_cases(self, cases: Sequence[Case]) -> None:
        """Make cases without a signal here (e.g. ptbxl-extra records) scorable by ecg_id."""
        self._cases.update({c.ecg_id: c for c in cases})

    def case(self, ecg_id: int) -> Case:
        """A case of the benchmark (or added to it) by its ecg_id."""
        return self._cases[int(ecg_id)]

    @cached_property
    def rhythm_statements(self) -> frozenset[str]:
        """Statements marked rhythm in scp_statements.csv, SR (normal sinus rhythm) left out."""
        with open(self.ptbxl.root / "scp_statements.csv", newline="", encoding="utf-8") as fh:
            marked = {row[""] for row in csv.DictReader(fh) if row["rhythm"] == "1.0"}
        return frozenset(marked - {"SR"})

    def rhythm_codes(self, case: Case) -> frozenset[str]:
        """The case's abnormal rhythm statements (empty for sinus rhythm or none stated)."""
        return frozenset(case.scp_codes) & self.rhythm_statements

    @cached_property
    def meteor(self) -> object | None:
        """One Java METEOR process per benchmark: it takes seconds to start."""
        return start_meteor()

    # --- methods ------------------------------------------------------------------------
    def baseline(self, name: str, text: bool = True, seed: int = 0) -> dict:
        q_ids = [c.ecg_id for c in self.queries]
        x_ids = [c.ecg_id for c in self.index]
        if name == "random":
            nbrs = random_neighbours(len(q_ids), len(x_ids), self.k, seed)
        elif name == "raw":
            nbrs = cosine_neighbours(raw_signal_embeddings(self.ptbxl.signals(self.queries)),
                                     raw_signal_embeddings(self.ptbxl.signals(self.index)),
                                     self.k)
        elif name == "oracle":
            codes = self.ptbxl.diagnostic_codes
            nbrs = oracle_neighbours([codes(c) for c in self.queries],
                                     [codes(c) for c in self.index], self.k)
        else:
            raise ValueError(f"unknown baseline {name!r}; known: {', '.join(BASELINES)}")
        return self.score_neighbours(name, q_ids, x_ids, nbrs, text)

    def score_embeddings(self, name: str, ids: Sequence[int], embeddings: np.ndarray,
                         text: bool = False, index_embeddings: np.ndarray | None = None) -> dict:
        """Score one embedding per case; ``ids`` must cover folds 1-9 (extra ids are ignored).

        ``index_embeddings``, when given, is what the index holds for each case (a case base
        may encode a past case differently from a query, e.g. with its confirmed statements).
        """
        row = {int(i): r for r, i in enumerate(ids)}
        missing = [c.ecg_id for c in (*self.queries, *self.index) if c.ecg_id not in row]
        if missing:
            raise ValueError(f"{name}: {len(missing)} fold 1-9 cases have no embedding, "
                             f"e.g. ecg_id {missing[:5]}")
        q_ids = [c.ecg_id for c in self.queries]
        x_ids = [c.ecg_id for c in self.index]
        emb = np.asarray(embeddings)
        index = emb if index_embeddings is None else np.asarray(index_embeddings)
        return self.score(name, q_ids, emb[[row[i] for i in q_ids]],
                          x_ids, index[[row[i] for i in x_ids]], text)

    def score(self, name: str, query_ids: Sequence[int], query_emb: np.ndarray,
              index_ids: Sequence[int], index_emb: np.ndarray, text: bool = False) -> dict:
        """Cosine-retrieve any queries (e.g. photo embeddings) from any index and score them."""
        if len(query_ids) != len(query_emb) or len(index_ids) != len(index_emb):
            raise ValueError("ids and embeddings differ in length")
        nbrs = cosine_neighbours(query_emb, index_emb, self.k)
        return self.score_neighbours(name, query_ids, index_ids, nbrs, text)

    # --- scoring ------------------------------------------------------------------------
    def score_neighbours(self, name: str, query_ids: Sequence[int], index_ids: Sequence[int],
                         neighbours: np.ndarray, text: bool = False) -> dict:
        """All metrics for a ranking: ``neighbours`` holds index positions, best first."""
        queries = [self._cases[int(i)] for i in query_ids]
        index = [self._cases[int(i)] for i in index_ids]
        sup = self.ptbxl.superclasses
        codes = self.ptbxl.diagnostic_codes
        sup_rel = relevance_matrix([sup(c) for c in queries], [sup(c) for c in index], same_set)
        any_rel = relevance_matrix([codes(c) for c in queries], [codes(c) for c in index],
                                   shares_any)
        rows = np.arange(len(queries))[:, None]
        sup_hits, any_hits = sup_rel[rows, neighbours], any_rel[rows, neighbours]
        out: dict = {"method": name, "queries": len(queries), "index": len(index)}
        for k in cutoffs(self.k):
            out[f"supP@{k}"] = precision_at_k(sup_hits, k)
            out[f"anyP@{k}"] = precision_at_k(any_hits, k)
        out[f"mAP@{self.k}"] = mean_average_precision(sup_hits, sup_rel.sum(1), self.k)
        out["mAP queries"] = int((sup_rel.sum(1) > 0).sum())
        out.update(self._per_statement(queries, index, neighbours))
        if text:
            out.update(self._text(queries, [index[j] for j in neighbours[:, 0]]))
        return out

    def _per_statement(self, queries: list[Case], index: list[Case],
                       neighbours: np.ndarray) -> dict:
        """Rhythm P@k (overall and per rhythm) and P@k of the most frequent statements."""
        k = self.k
        rq = [self.rhythm_codes(c) for c in queries]
        rx = [self.rhythm_codes(c) for c in index]
        p, n = subset_precision(rq, rx, neighbours, k)
        out: dict = {f"rhythmP@{k}": p, "rhythm queries": n}
        by = label_precision(rq, rx, neighbours, k, sorted(self.rhythm_statements))
        out[f"rhythmP@{k} by statement"] = {c: {"P": v, "queries": q} for c, (v, q) in by.items()}
        sq = [frozenset(c.scp_codes) for c in queries]
        sx = [frozenset(c.scp_codes) for c in index]
        top = most_frequent(sq, TOP_STATEMENTS, tie_break=sx)
        by = label_precision(sq, sx, neighbours, k, top)
        out[f"P@{k} by statement"] = {c: {"P": v, "queries": q} for c, (v, q) in by.items()}
        return out

    def _text(self, queries: list[Case], top1: list[Case]) -> dict:
        """Top-1 neighbour's text as the 'caption' of each query, English and raw report."""
        stmt = self.ptbxl.statement_text
        out = {}
        for prefix, texts in (("stmt", stmt), ("report", lambda c: c.report)):
            scores = text_scores([texts(c) for c in queries], [texts(c) for c in top1],
                                 self.meteor)
            out.update({f"{prefix} {m}": v for m, v in scores.items()})
        return out


def load_embeddings(path: str | Path) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(ecg_id, query embedding, index embedding or None when the index holds the same)."""
    with np.load(path) as npz:
        index = npz["index_embedding"].astype(np.float32) if "index_embedding" in npz else None
        return npz["ecg_id"].astype(int), npz["embedding"].astype(np.float32), index


# --- report -----------------------------------------------------------------------------
def cutoffs(k: int) -> list[int]:
    """The precision cut-offs reported: 1, 5 and k, those not above k."""
    return sorted(c for c in {1, 5, k} if c <= k)


def markdown_tables(results: list[dict], k: int) -> str:
    label_cols = ([f"supP@{c}" for c in cutoffs(k)] + [f"anyP@{c}" for c in cutoffs(k)]
                  + [f"mAP@{k}", f"rhythmP@{k}"])
    parts = [_table(results, label_cols)]
    if any("stmt BLEU-1" in r for r in results):
        parts.append(_table(results, list(TEXT_COLUMNS)))
    parts.append(statement_table(results, f"rhythmP@{k} by statement"))
    parts.append(statement_table(results, f"P@{k} by statement"))
    return "\n\n".join(parts)


def statement_table(results: list[dict], key: str) -> str:
    """One row per statement (queries holding it in brackets), one column per method."""
    first = results[0][key]
    lines = [f"| {key} (queries) | " + " | ".join(r["method"] for r in results) + " |",
             "|---" * (len(results) + 1) + "|"]
    for code, cell in first.items():
        values = [f"{r[key][code]['P']:.3f}" if code in r[key] else "-" for r in results]
        lines.append(f"| {code} ({cell['queries']}) | " + " | ".join(values) + " |")
    return "\n".join(lines)


def _table(results: list[dict], cols: list[str]) -> str:
    lines = ["| method | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for r in results:
        cells = [f"{r[c]:.3f}" if c in r else "-" for c in cols]
        lines.append(f"| {r['method']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help="PTB-XL folder (default $ECGVIEWER_DATA or ../shared/ptbxl)")
    ap.add_argument("--method", action="append", default=[], metavar="NAME=PATH.npz",
                    help="embeddings to score (repeatable)")
    ap.add_argument("--baselines", default=",".join(BASELINES),
                    help="comma-separated built-ins to include ('' for none)")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0, help="seed of the random baseline")
    ap.add_argument("--no-text", action="store_true", help="label metrics only (no Java)")
    ap.add_argument("--json", default=str(REPO / "runs" / "evaluate.json"))
    args = ap.parse_args(argv)
    if args.k < 1:
        ap.error("--k must be at least 1")
    methods = []
    for spec in args.method:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            ap.error(f"--method wants NAME=PATH.npz, got {spec!r}")
        methods.append((name, path))
    baselines = [b for b in args.baselines.split(",") if b]
    if set(baselines) - set(BASELINES):
        ap.error(f"--baselines: known ones are {','.join(BASELINES)}")
    names = baselines + [n for n, _ in methods]
    if len(set(names)) != len(names):
        ap.error(f"method names must be unique, got {names}")

    bench = Benchmark(args.data, args.k)
    text = not args.no_text
    results = [bench.baseline(b, text, args.seed) for b in baselines]
    for name, path in methods:
        ids, emb, index_emb = load_embeddings(path)
        results.append(bench.score_embeddings(name, ids, emb, text, index_emb))
    print(markdown_tables(results, args.k))
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "query_fold": VALID_FOLD, "index_folds": list(TRAIN_FOLDS), "k": args.k,
        "seed": args.seed, "methods": {r["method"]: r for r in results},
    }, indent=2) + "\n")
    print(f"\nwrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
