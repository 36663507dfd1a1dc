"""Choose the rhythm re-ranking weight on folds 1-8, then report fold 9 before and after.

    python -m model_export.rhythm_rerank --embeddings runs/eval/product.npz \
        [--extra ../shared/ptbxl-extra] [--photos moderate --printers mixed]
        [--json runs/eval/rerank.json]

The encoder's top ``--candidates`` neighbours (exact cosine, as the harness retrieves)
are re-ranked by ``ecgviewer.core.rhythm`` with each weight of a grid. The weight is
chosen by leave-one-fold-out over folds 1-8 (queries of one fold against the other seven)
with two kinds of query: the real records, which the shipped encoder was trained on (so
its vectors for them are better than for any new record), and the ptbxl-extra records
of folds 1-8, which it never saw (amplitude restored per lead to the real records'
median, see ``extra_signals``). Fold 9 is only scored, with the chosen weight; with
``--photos`` also as synthetic photos (the same photos as ``bench_photos``, rhythm from
the rectified page's rhythm strip, ``ecgviewer.core.rhythm_strip``).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ecgviewer.core.encoder import Encoder
from ecgviewer.core.preprocess import encoder_input
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render
from ecgviewer.core.rhythm import (RERANK_CANDIDATES, RhythmFeatures, blended_order,
                                   rhythm_distance)
from ecgviewer.core.rhythm_strip import measure_page
from ecgviewer.core.search import embed_query, image_query
from ecgviewer.resources import model_path
from model_export.baselines import _unit
from model_export.bench_photos import PRINT_PX_PER_MM
from model_export.build_casebase import case_rhythm, embed_cases
from model_export.evaluate import Benchmark, load_embeddings, markdown_tables
from model_export.photo_augment import photo_like, random_paper_style, scan_like
from model_export.ptbxl import REPO, TRAIN_FOLDS, Case, PtbXl

WEIGHTS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3)
CANDIDATES = RERANK_CANDIDATES
#: What the weight is chosen for: the three precisions, equally.
OBJECTIVE = ("supP@10", "anyP@10", "rhythmP@10")


def reranked(query_emb: np.ndarray, index_emb: np.ndarray, query_feats: Sequence[RhythmFeatures],
             index_feats: Sequence[RhythmFeatures], weight: float, k: int = 10,
             candidates: int = CANDIDATES) -> np.ndarray:
    """(queries, k) index positions: cosine top ``candidates``, re-ranked by rhythm."""
    sims = _unit(query_emb) @ _unit(index_emb).T
    top = np.argsort(-sims, axis=1, kind="stable")[:, :candidates]
    out = np.empty((len(top), k), int)
    for i, cand in enumerate(top):
        dist = rhythm_distance(query_feats[i], [index_feats[j] for j in cand])
        out[i] = cand[blended_order(sims[i, cand], dist, weight)[:k]]
    return out


def extra_signals(folder: Path, reference: np.ndarray, folds: Sequence[int]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ecg_id, fold, signals in mV) of ptbxl-extra: each z-scored lead is scaled to the
    median standard deviation of that lead in ``reference`` (real records), so pages are
    drawn at a typical size; voltage itself stays lost."""
    with np.load(folder / "signals100.npz") as npz:
        keep = np.isin(npz["strat_fold"], folds)
        ids, fold = npz["ecg_id"][keep].astype(int), npz["strat_fold"][keep].astype(int)
        signals = npz["signals"][keep].astype(np.float32)
    scale = np.median(reference.std(axis=2), axis=0)  # (12,)
    return ids, fold, signals * scale[None, :, None]


def photo_queries(db: PtbXl, cases: Sequence[Case], encoder: Encoder, severity: str,
                  mixed: bool, seed: int = 0) -> tuple[np.ndarray, list[RhythmFeatures]]:
    """Embeddings and strip rhythm of the cases photographed as ``bench_photos`` does.

    A photo without a grid is searched as a whole image, with no rhythm measured.
    """
    embeddings, feats = [], []
    for i, case in enumerate(cases):
        rng = np.random.default_rng((seed, i, sum(map(ord, severity))))
        style = random_paper_style(rng, (PRINT_PX_PER_MM, PRINT_PX_PER_MM)) if mixed \
            else PaperStyle(px_per_mm=PRINT_PX_PER_MM)
        page = render(db.record(case), style)
        photo = (scan_like(page, rng) if severity == "scan"
                 else photo_like(page, rng, severity))[0]
        query = image_query(photo, str(case.ecg_id))
        if query.page is None:
            embeddings.append(encoder.embed(encoder_input(photo)[None])[0])
            feats.append(RhythmFeatures(beats=0, confidence=0.0, reason="no paper found"))
            continue
        searched, embedding = embed_query(encoder, query)
        embeddings.append(embedding[0])
        feats.append(measure_page(searched.page))
    return np.stack(embeddings), feats


def metadata_cases(db: PtbXl, ids: Sequence[int]) -> list[Case]:
    """Labels and reports of records whose signals live elsewhere (ptbxl_database.csv)."""
    wanted = set(int(i) for i in ids)
    out = []
    with open(db.root / "ptbxl_database.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if int(row["ecg_id"]) in wanted:
                out.append(Case(ecg_id=int(row["ecg_id"]), patient_id=None, age=None, sex=None,
                                report=row["report"].strip(),
                                scp_codes=ast.literal_eval(row["scp_codes"]),
                                fold=int(row["strat_fold"]), path_lr=None, path_hr=None))
    return out


def cross_validate(bench: Benchmark, emb: np.ndarray, feats: Sequence[RhythmFeatures],
                   fold: np.ndarray, ids: np.ndarray, index_emb: np.ndarray,
                   index_feats: Sequence[RhythmFeatures], index_fold: np.ndarray,
                   index_ids: np.ndarray) -> dict[float, dict]:
    """Per weight: metrics pooled over the eight folds (query-weighted means)."""
    curve = {}
    for w in WEIGHTS:
        per_fold = []
        for f in TRAIN_FOLDS:
            q, x = np.flatnonzero(fold == f), np.flatnonzero(index_fold != f)
            nbrs = reranked(emb[q], index_emb[x], [feats[i] for i in q],
                            [index_feats[i] for i in x], w, bench.k)
            per_fold.append(bench.score_neighbours(f"w={w}", ids[q], index_ids[x], nbrs))
        curve[w] = pooled(per_fold)
    return curve


def pooled(results: list[dict]) -> dict:
    n = np.array([r["queries"] for r in results], float)
    nr = np.array([r["rhythm queries"] for r in results], float)
    out = {m: float(np.average([r[m] for r in results], weights=n))
           for m in ("supP@10", "anyP@10", "mAP@10")}
    rp = np.array([r["rhythmP@10"] for r in results])
    out["rhythmP@10"] = float(np.average(np.nan_to_num(rp), weights=nr))
    afib = [r["rhythmP@10 by statement"]["AFIB"] for r in results
            if "AFIB" in r["rhythmP@10 by statement"]]
    out["AFIB P@10"] = float(np.average([a["P"] for a in afib],
                                        weights=[a["queries"] for a in afib]))
    out["queries"], out["rhythm queries"] = int(n.sum()), int(nr.sum())
    return out


def objective(metrics: dict) -> float:
    return sum(metrics[m] for m in OBJECTIVE)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help="PTB-XL folder (default $ECGVIEWER_DATA or ../shared/ptbxl)")
    ap.add_argument("--embeddings", required=True, help="build_casebase --embeddings-out file")
    ap.add_argument("--extra", type=Path, help="ptbxl-extra folder (unseen validation queries)")
    ap.add_argument("--model", type=Path, default=model_path(), help="to embed the extra records")
    ap.add_argument("--photos", help="also score fold 9 as photos of this severity")
    ap.add_argument("--printers", default="standard", choices=["standard", "mixed"])
    ap.add_argument("--no-text", action="store_true")
    ap.add_argument("--json", type=Path, default=REPO / "runs" / "eval" / "rerank.json")
    args = ap.parse_args(argv)

    bench = Benchmark(args.data)
    ids, emb, index_emb = load_embeddings(args.embeddings)
    index_emb = emb if index_emb is None else index_emb
    row = {int(i): r for r, i in enumerate(ids)}
    train = bench.index
    t_rows = [row[c.ecg_id] for c in train]
    t_ids = np.array([c.ecg_id for c in train])
    t_fold = np.array([c.fold for c in train])
    t_signals = bench.ptbxl.signals(train)
    t_feats = case_rhythm(t_signals)
    x_emb = index_emb[t_rows]
    report: dict = {"weights": list(WEIGHTS), "candidates": CANDIDATES, "objective": OBJECTIVE}

    report["cv real"] = cross_validate(bench, emb[t_rows], t_feats, t_fold, t_ids,
                                       x_emb, t_feats, t_fold, t_ids)
    chosen_on = "cv real"
    if args.extra:
        e_ids, e_fold, e_signals = extra_signals(args.extra, t_signals, TRAIN_FOLDS)
        e_emb = embed_cases(Encoder(args.model), e_signals)
        e_feats = case_rhythm(e_signals)
        bench.add_cases(metadata_cases(bench.ptbxl, e_ids))
        report["cv extra"] = cross_validate(bench, e_emb, e_feats, e_fold, e_ids,
                                            x_emb, t_feats, t_fold, t_ids)
        chosen_on = "cv extra"
    weight = max(WEIGHTS, key=lambda w: objective(report[chosen_on][w]))
    report["chosen on"], report["weight"] = chosen_on, weight

    queries = bench.queries
    q_emb = emb[[row[c.ecg_id] for c in queries]]
    q_feats = case_rhythm(bench.ptbxl.signals(queries))
    q_ids = [c.ecg_id for c in queries]
    results = []
    for name, w in (("product", 0.0), (f"product + rhythm (w={weight})", weight)):
        nbrs = reranked(q_emb, x_emb, q_feats, t_feats, w, bench.k)
        results.append(bench.score_neighbours(name, q_ids, t_ids, nbrs, not args.no_text))
    report["fold 9"] = results
    if args.photos:
        p_emb, p_feats = photo_queries(bench.ptbxl, queries, Encoder(args.model), args.photos,
                                       args.printers == "mixed")
        report["photo rhythm measured"] = sum(f.measurable for f in p_feats)
        for name, w in ((f"{args.photos} photos, {args.printers}", 0.0),
                        (f"{args.photos} photos, {args.printers} + rhythm", weight)):
            nbrs = reranked(p_emb, x_emb, p_feats, t_feats, w, bench.k)
            results.append(bench.score_neighbours(name, q_ids, t_ids, nbrs, not args.no_text))

    for key in [k for k in ("cv real", "cv extra") if k in report]:
        print(f"\n{key}: weight | " + " | ".join((*OBJECTIVE, "AFIB P@10", "mAP@10")))
        for w, m in report[key].items():
            mark = " <-" if key == chosen_on and w == weight else ""
            cells = " | ".join(f"{m[c]:.3f}" for c in (*OBJECTIVE, "AFIB P@10", "mAP@10"))
            print(f"{w:6.3f} | {cells}{mark}")
    print(f"\nfold 9 (weight {weight}, chosen on {chosen_on}):\n")
    if args.photos:
        print(f"photos with a measured rhythm strip: {report['photo rhythm measured']} "
              f"of {len(queries)}\n")
    print(markdown_tables(results, bench.k))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nwrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
