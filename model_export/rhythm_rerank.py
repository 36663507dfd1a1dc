"""Choose the rhythm re-ranking weight on folds 1-8, then report fold 9 before and after.

    python -m model_export.rhythm_rerank --embeddings runs/eval/product.npz \
        [--extra ../shared/ptbxl-extra] [--photos moderate --printers mixed]
        [--write-classifier resources/model/rhythm_classes.json] [--json runs/eval/rerank.json]

The encoder's top ``--candidates`` neighbours (exact cosine, as the harness retrieves)
are re-ranked by ``ecgviewer.core.rhythm`` with each pair of weights of a grid: the rhythm
distance's, and that of the rhythm classifier's agreement with each case's confirmed
rhythm (a softmax regression on rate, regularity and the encoder's rhythm statement
scores, fitted, fold by fold, on the other folds' queries). The weights are
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
from ecgviewer.core.rhythm import (CLASSIFIER_FILE, RERANK_CANDIDATES, RHYTHM_CLASSES,
                                   RhythmClassifier, RhythmFeatures, agreement, blended_order,
                                   case_classes, class_inputs, rhythm_distance)
from ecgviewer.core.rhythm_strip import measure_page
from ecgviewer.core.search import embed_query, image_query
from ecgviewer.resources import model_path
from model_export.baselines import _unit
from model_export.bench_photos import PRINT_PX_PER_MM
from model_export.build_casebase import case_rhythm, embed_cases
from model_export.evaluate import Benchmark, load_embeddings, markdown_tables
from model_export.photo_augment import photo_like, random_paper_style, scan_like
from model_export.ptbxl import REPO, TRAIN_FOLDS, Case, PtbXl

WEIGHTS = (0.0, 0.05, 0.1, 0.2)
#: Weights of the classifier's rhythm agreement (0: the distance alone).
CLASS_WEIGHTS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)
#: How many of the encoder's nearest cases are re-ranked.
CANDIDATE_COUNTS = (50, 100, 200)
#: What the weight is chosen for: the three precisions, equally.
OBJECTIVE = ("supP@10", "anyP@10", "rhythmP@10")


def reranked(query_emb: np.ndarray, index_emb: np.ndarray, query_feats: Sequence[RhythmFeatures],
             index_feats: Sequence[RhythmFeatures], weight: float, k: int = 10,
             candidates: int = RERANK_CANDIDATES, class_probs: Sequence[dict] | None = None,
             index_codes: Sequence[Sequence[str]] = (), class_weight: float = 0.0) -> np.ndarray:
    """(queries, k) index positions: cosine top ``candidates``, re-ranked by rhythm (and by
    the classifier's agreement with each case's confirmed rhythm, given ``class_probs``)."""
    sims = _unit(query_emb) @ _unit(index_emb).T
    top = np.argsort(-sims, axis=1, kind="stable")[:, :candidates]
    out = np.empty((len(top), k), int)
    for i, cand in enumerate(top):
        dist = rhythm_distance(query_feats[i], [index_feats[j] for j in cand])
        agree = None if class_probs is None or not class_weight else \
            agreement(class_probs[i], [index_codes[j] for j in cand])
        out[i] = cand[blended_order(sims[i, cand], dist, weight, agree, class_weight)[:k]]
    return out


def fit_classifier(feats: Sequence[RhythmFeatures], scores: Sequence[dict],
                   codes_per_case: Sequence[Sequence[str]], codes: Sequence[str]
                   ) -> RhythmClassifier:
    """Softmax regression (scikit-learn, L2, C=1) of each case's first rhythm class; a
    class no case holds gets no weight and a logit far below the others."""
    from sklearn.linear_model import LogisticRegression

    x = np.stack([class_inputs(f, s, codes) for f, s in zip(feats, scores)])
    y = [min(case_classes(c), key=RHYTHM_CLASSES.index) for c in codes_per_case]
    model = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    if len(model.classes_) < 3:  # scikit-learn's two-class model has one row of weights
        raise ValueError(f"only {len(model.classes_)} rhythm classes among the queries")
    coef = np.zeros((len(RHYTHM_CLASSES), x.shape[1]))
    intercept = np.full(len(RHYTHM_CLASSES), -20.0)
    for row, label in enumerate(model.classes_):
        coef[RHYTHM_CLASSES.index(label)] = model.coef_[row]
        intercept[RHYTHM_CLASSES.index(label)] = model.intercept_[row]
    return RhythmClassifier(tuple(codes), coef, intercept)


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
                   index_ids: np.ndarray, encoder: Encoder) -> dict[tuple, dict]:
    """Per (candidates, weight, class weight): metrics pooled over the eight folds (query-weighted).

    The classifier for a fold's queries is fitted on the other seven folds' queries.
    """
    codes = encoder.label_codes
    scores = [encoder.statement_scores(e) for e in emb]
    labels = [list(bench.case(int(i)).scp_codes) for i in ids]
    index_codes = [list(bench.case(int(i)).scp_codes) for i in index_ids]
    probs: list[dict | None] = [None] * len(ids)
    for f in TRAIN_FOLDS:
        rest = np.flatnonzero(fold != f)
        model = fit_classifier([feats[i] for i in rest], [scores[i] for i in rest],
                               [labels[i] for i in rest], codes)
        for i in np.flatnonzero(fold == f):  # as the app: only a measured rhythm
            probs[i] = model.probabilities(feats[i], scores[i]) if feats[i].measurable else None
    curve = {}
    for n in CANDIDATE_COUNTS:
        for w in WEIGHTS:
            for cw in CLASS_WEIGHTS:
                per_fold = []
                for f in TRAIN_FOLDS:
                    q, x = np.flatnonzero(fold == f), np.flatnonzero(index_fold != f)
                    nbrs = reranked(emb[q], index_emb[x], [feats[i] for i in q],
                                    [index_feats[i] for i in x], w, bench.k, n,
                                    class_probs=[probs[i] for i in q],
                                    index_codes=[index_codes[i] for i in x], class_weight=cw)
                    per_fold.append(bench.score_neighbours(f"w={w}", ids[q], index_ids[x], nbrs))
                curve[(n, w, cw)] = pooled(per_fold)
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
    ap.add_argument("--write-classifier", type=Path,
                    help=f"write the classifier fitted on all folds 1-8 queries here "
                         f"(the app reads resources/model/{CLASSIFIER_FILE})")
    ap.add_argument("--json", type=Path, default=REPO / "runs" / "eval" / "rerank.json")
    args = ap.parse_args(argv)

    bench = Benchmark(args.data)
    encoder = Encoder(args.model)
    codes = encoder.label_codes
    ids, emb, index_emb = load_embeddings(args.embeddings)
    index_emb = emb if index_emb is None else index_emb
    row = {int(i): r for r, i in enumerate(ids)}
    train = bench.index
    t_rows = [row[c.ecg_id] for c in train]
    t_ids = np.array([c.ecg_id for c in train])
    t_fold = np.array([c.fold for c in train])
    t_signals = bench.ptbxl.signals(train)
    t_feats = case_rhythm(t_signals)
    t_codes = [list(c.scp_codes) for c in train]
    x_emb = index_emb[t_rows]
    report: dict = {"weights": list(WEIGHTS), "class weights": list(CLASS_WEIGHTS),
                    "candidates": list(CANDIDATE_COUNTS), "objective": OBJECTIVE}

    fit_on = (emb[t_rows], t_feats, t_ids)
    report["cv real"] = cross_validate(bench, emb[t_rows], t_feats, t_fold, t_ids,
                                       x_emb, t_feats, t_fold, t_ids, encoder)
    chosen_on = "cv real"
    if args.extra:
        e_ids, e_fold, e_signals = extra_signals(args.extra, t_signals, TRAIN_FOLDS)
        e_emb = embed_cases(encoder, e_signals)
        e_feats = case_rhythm(e_signals)
        bench.add_cases(metadata_cases(bench.ptbxl, e_ids))
        report["cv extra"] = cross_validate(bench, e_emb, e_feats, e_fold, e_ids,
                                            x_emb, t_feats, t_fold, t_ids, encoder)
        chosen_on = "cv extra"
        fit_on = (e_emb, e_feats, e_ids)  # records the encoder never saw, like new queries
    candidates, weight, class_weight = max(report[chosen_on],
                                           key=lambda c: objective(report[chosen_on][c]))
    report.update({"chosen on": chosen_on, "chosen candidates": candidates, "weight": weight,
                   "class weight": class_weight})
    f_emb, f_feats, f_ids = fit_on
    classifier = fit_classifier(f_feats, [encoder.statement_scores(e) for e in f_emb],
                                [list(bench.case(int(i)).scp_codes) for i in f_ids], codes)
    if args.write_classifier:
        args.write_classifier.write_text(json.dumps(classifier.to_json(), indent=1) + "\n")
        print(f"wrote {args.write_classifier}", file=sys.stderr)

    queries = bench.queries
    q_emb = emb[[row[c.ecg_id] for c in queries]]
    q_feats = case_rhythm(bench.ptbxl.signals(queries))
    q_probs = [classifier.probabilities(f, s) if f.measurable else None
               for f, s in zip(q_feats, map(encoder.statement_scores, q_emb))]
    q_ids = [c.ecg_id for c in queries]
    results = []
    settings = (("product", 0.0, 0.0),
                (f"product + rhythm distance (w={weight})", weight, 0.0),
                (f"product + rhythm (w={weight}, classes {class_weight}, {candidates} "
                 "candidates)", weight, class_weight))
    for name, w, cw in settings:
        nbrs = reranked(q_emb, x_emb, q_feats, t_feats, w, bench.k, candidates,
                        class_probs=q_probs, index_codes=t_codes, class_weight=cw)
        results.append(bench.score_neighbours(name, q_ids, t_ids, nbrs, not args.no_text))
    report["fold 9"] = results
    if args.photos:
        p_emb, p_feats = photo_queries(bench.ptbxl, queries, encoder, args.photos,
                                       args.printers == "mixed")
        report["photo rhythm measured"] = sum(f.measurable for f in p_feats)
        # as the app searches a photo: by the strip's rhythm distance, without the classes
        # (fitted on 12-lead signal features, not on a strip traced off paper)
        for name, w, _ in settings[:2]:
            nbrs = reranked(p_emb, x_emb, p_feats, t_feats, w, bench.k, candidates)
            results.append(bench.score_neighbours(f"{args.photos} photos, {args.printers}: "
                                                  f"{name}", q_ids, t_ids, nbrs,
                                                  not args.no_text))

    columns = (*OBJECTIVE, "AFIB P@10", "mAP@10")
    for key in [k for k in ("cv real", "cv extra") if k in report]:
        print(f"\n{key}: candidates, weight, class weight | " + " | ".join(columns))
        for (n, w, cw), m in report[key].items():
            mark = " <-" if key == chosen_on and (n, w, cw) == (candidates, weight,
                                                               class_weight) else ""
            print(f"{n:4d} {w:5.2f} {cw:5.2f} | " + " | ".join(f"{m[c]:.3f}" for c in columns)
                  + mark)
    print(f"\nfold 9 ({candidates} candidates, weight {weight}, class weight {class_weight}, "
          f"chosen on {chosen_on}):\n")
    if args.photos:
        print(f"photos with a measured rhythm strip: {report['photo rhythm measured']} "
              f"of {len(queries)}\n")
    print(markdown_tables(results, bench.k))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {k: ({str(kk): vv for kk, vv in v.items()} if k.startswith("cv") else v)
              for k, v in report.items()}
    args.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nwrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
