"""Photo benchmark: fold-9 records printed and photographed (synthetically), rectified and
encoded exactly as the app does, scored against the digital queries of the same records.
Printouts are the app's default style, or (``--printers mixed``) each in a style of its
own: layout, grid and trace colours, line widths.

    python -m model_export.bench_photos [--data DIR] [--model resources/model/encoder.onnx]
        [--severities mild,moderate,severe,scan,turned] [--printers standard|mixed]
        [--limit N] [--json runs/photos.json]

For each severity: superclass-set P@10 and METEOR of photo queries into folds 1-8 (next to
the digital queries' figures), and self-retrieval: the rank of the record's own clean
rendering when it is in the index (folds 1-9), and how many pages ended the right way up
("turned": printouts lying sideways or upside down). Fixed seed, so the photo set is the
same on every run.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from ecgviewer.core.encoder import Encoder
from ecgviewer.core.preprocess import encoder_input
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.search import embed_query, image_query
from ecgviewer.resources import model_path
from model_export.build_casebase import confirmed_index, embed_cases
from model_export.evaluate import Benchmark
from model_export.photo_augment import random_paper_style
from model_export.printouts import photographed
from model_export.ptbxl import TRAIN_FOLDS, VALID_FOLD, PtbXl

PRINT_PX_PER_MM = 5.0  # a 127 dpi printout, photographed at phone resolution


def photo_queries(db: PtbXl, cases, encoder: Encoder, severity: str, seed: int,
                  mixed: bool) -> tuple[np.ndarray, list[float], int, float, list[str]]:
    """Embeddings of the photographed cases, rectification times (s), detection failures,
    the share that ended the right way up, and each printout's layout.

    Printouts are the app's default (3x4+1 on pink paper), or with ``mixed`` each in a
    style of its own (``photo_augment.random_paper_style``: layout, grid and trace
    colours, line widths).

    "turned" is the moderate set with each printout lying a quarter, half or three
    quarters turned (in turn) on the table. Which way up a page is searched is chosen
    as the app does (:func:`~ecgviewer.core.search.image_query`, then
    :func:`~ecgviewer.core.search.embed_query`).
    """
    embeddings, times, fallbacks, upright, layouts = [], [], 0, 0, []
    for i, case in enumerate(cases):
        rng = np.random.default_rng((seed, i, sum(map(ord, severity))))
        style = random_paper_style(rng, (PRINT_PX_PER_MM, PRINT_PX_PER_MM)) if mixed \
            else PaperStyle(px_per_mm=PRINT_PX_PER_MM)
        layouts.append(style.layout)
        quarters = 1 + i % 3 if severity == "turned" else 0
        photo = photographed(db.record(case), style, rng,
                             "moderate" if severity == "turned" else severity, quarters)
        query = image_query(photo, str(case.ecg_id))
        times.append(query.timings_ms["rectify"] / 1000.0)
        if query.page is None:  # counted as a failure; the query still runs on the raw photo
            fallbacks += 1
            embeddings.append(encoder.embed(encoder_input(photo)[None])[0])
            upright += quarters == 0
            continue
        fallbacks += not query.rectified.found
        searched, embedding = embed_query(encoder, query)
        embeddings.append(embedding[0])
        upright += searched.rectified.quarters == quarters
    return np.stack(embeddings), times, fallbacks, upright / len(cases), layouts


def self_ranks(query_emb: np.ndarray, index_emb: np.ndarray, own: np.ndarray) -> np.ndarray:
    """1-based rank of each query's own case among all index cases."""
    sims = query_emb @ index_emb.T
    own_sim = sims[np.arange(len(own)), own]
    return 1 + (sims > own_sim[:, None]).sum(axis=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data")
    parser.add_argument("--model", type=Path, default=model_path())
    parser.add_argument("--severities", default="mild,moderate,severe,scan,turned")
    parser.add_argument("--limit", type=int, default=0, help="first N fold-9 records only")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--printers", default="standard", choices=["standard", "mixed"],
                        help="the app's default printout, or a style per record")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    db = PtbXl(args.data)
    encoder = Encoder(args.model)
    queries = db.split(VALID_FOLD)[:args.limit or None]
    index = db.split(TRAIN_FOLDS)
    q_ids = [c.ecg_id for c in queries]
    x_ids = [c.ecg_id for c in index]
    q_digital = embed_cases(encoder, db.signals(queries))
    x_digital = confirmed_index(encoder, index, embed_cases(encoder, db.signals(index)))
    bench = Benchmark(args.data)
    rows = [{**bench.score("digital", q_ids, q_digital, x_ids, x_digital,
                                                  text=True), "set": "digital"}]
    all_index = np.concatenate([confirmed_index(encoder, queries, q_digital), x_digital])
    by_layout: dict[str, dict[str, str]] = {}
    for severity in args.severities.split(","):
        emb, times, fallbacks, upright, layouts = photo_queries(
            db, queries, encoder, severity, args.seed, args.printers == "mixed")
        scores = bench.score(severity, q_ids, emb, x_ids, x_digital, text=True)
        ranks = self_ranks(emb, all_index, np.arange(len(queries)))
        rows.append({**scores, "set": severity,
                     "self@1": float((ranks == 1).mean()), "self@10": float((ranks <= 10).mean()),
                     "rectify median s": float(np.median(times)),
                     "paper not found": fallbacks, "right way up": upright})
        for layout in sorted(set(layouts)):
            mine = [i for i, lay in enumerate(layouts) if lay == layout]
            part = bench.score(severity, [q_ids[i] for i in mine], emb[mine], x_ids, x_digital)
            by_layout.setdefault(severity, {})[layout] = f"{part['supP@10']:.3f} ({len(mine)})"
        rows[-1]["supP@10 by layout"] = by_layout[severity]
    digital = rows[0]["supP@10"]
    cols = ["supP@10", "anyP@10", "stmt METEOR", "self@1", "self@10", "rectify median s",
            "paper not found", "right way up"]
    print("| photo set | " + " | ".join(cols) + " | supP@10 / digital |")
    print("|" + " --- |" * (len(cols) + 2))
    for row in rows:
        cells = [f"{row[c]:.3f}" if isinstance(row.get(c), float) else str(row.get(c, ""))
                 for c in cols]
        print(f"| {row['set']} | " + " | ".join(cells) + f" | {row['supP@10'] / digital:.2f} |")
    if args.printers == "mixed":
        layouts = sorted({lay for per in by_layout.values() for lay in per})
        print("\n| supP@10 by layout (queries) | " + " | ".join(layouts) + " |")
        print("|" + " --- |" * (len(layouts) + 1))
        for severity, per in by_layout.items():
            print(f"| {severity} | " + " | ".join(per.get(lay, "") for lay in layouts) + " |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
