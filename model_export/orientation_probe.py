"""Teach the exported encoder which way up a page is: a linear probe on its embedding,
written into the ONNX graph as a second output, ``upright_score`` (N, 1).

    python -m model_export.orientation_probe [resources/model/encoder.onnx] [--data DIR]
        [--records 1500] [--photos 0.4] [--seed 0]

A printout photographed upside down (or sideways the other way round) rectifies into a
page turned half round. The encoder only ever learned upright pages, so a page and its
half turn embed differently in a consistent direction: a logistic regression on the
difference of the two embeddings (folds 1-8: rendered pages with photo damage, and
photographed then rectified ones) finds it. The app scores a page and its half turn and
keeps the higher (see ``ecgviewer.core.search``). Printed: pair accuracy, and how often
each decision margin would turn an upright page or leave a turned one, on a fifth of the
training pairs held out of a fit on the rest, and on fold 9 for digital pages and
moderate and severe photos. The graph changes, so the build id does:
rebuild the case base afterwards (``python -m model_export.build_casebase``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

from ecgviewer.core.encoder import UPRIGHT_OUTPUT, Encoder
from ecgviewer.core.preprocess import encoder_input
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render
from ecgviewer.resources import model_path
from model_export.onnx_metadata import stamp
from model_export.photo_augment import random_paper_style, train_augment
from model_export.printouts import photographed, rectified
from model_export.ptbxl import TRAIN_FOLDS, VALID_FOLD, PtbXl

MARGINS = (0.0, 0.5, 1.0, 2.0)


def half_turn(page: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(page, 2))


def training_pairs(db: PtbXl, encoder: Encoder, n: int, photos: float, seed: int
                   ) -> np.ndarray:
    """(n, 2, D) embeddings of upright pages and their half turns, folds 1-8."""
    rng = np.random.default_rng(seed)
    cases = db.split(TRAIN_FOLDS)
    pairs = []
    for j in rng.choice(len(cases), min(n, len(cases)), replace=False):
        record = db.record(cases[j])
        if rng.random() < photos:
            style = random_paper_style(rng, (4.0, 6.0))
            severity = str(rng.choice(["mild", "moderate", "severe"]))
            rect = rectified(photographed(record, style, rng, severity))
            if rect is None:
                continue
            page = rect.page
        else:
            page = train_augment(render(record, random_paper_style(rng, (2.0, 4.0))), rng)
        pairs.append(encoder.embed(np.stack([encoder_input(page),
                                             encoder_input(half_turn(page))])))
    return np.stack(pairs)


def fit(pairs: np.ndarray, l2: float = 1e-3, steps: int = 4000, lr: float = 2.0) -> np.ndarray:
    """Weights w (D,) of a logistic regression saying w . (upright - turned) > 0.

    Without a bias, so a page and its half turn get opposite evidence."""
    d = pairs[:, 0] - pairs[:, 1]
    x = np.concatenate([d, -d]).astype(np.float64)
    y = np.concatenate([np.ones(len(d)), np.zeros(len(d))])
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        w -= lr * (x.T @ (p - y) / len(y) + l2 * w)
    return w.astype(np.float32)


def validation_margins(db: PtbXl, encoder: Encoder, w: np.ndarray, severity: str, n: int
                       ) -> np.ndarray:
    """w . (upright - turned) for fold-9 pages, photographed like the photo benchmark."""
    out = []
    for i, case in enumerate(db.split(VALID_FOLD)[:n]):
        style = PaperStyle(px_per_mm=5.0)
        if severity == "digital":
            page = render(db.record(case), style)
        else:
            rng = np.random.default_rng((0, i, sum(map(ord, severity))))
            rect = rectified(photographed(db.record(case), style, rng, severity))
            if rect is None:
                continue
            page = rect.page
        emb = encoder.embed(np.stack([encoder_input(page), encoder_input(half_turn(page))]))
        out.append(float((emb[0] - emb[1]) @ w))
    return np.array(out)


def add_upright_output(path: Path, w: np.ndarray) -> str:
    """Append ``upright_score = embedding @ w`` to the graph and re-stamp the build id."""
    model = onnx.load(str(path))
    graph = model.graph
    if any(o.name == UPRIGHT_OUTPUT for o in graph.output):
        raise SystemExit(f"{path} already has an {UPRIGHT_OUTPUT} output")
    embedding = graph.output[0].name
    graph.initializer.append(numpy_helper.from_array(w.reshape(-1, 1), "upright_w"))
    graph.node.append(helper.make_node("MatMul", [embedding, "upright_w"], [UPRIGHT_OUTPUT]))
    graph.output.append(helper.make_tensor_value_info(UPRIGHT_OUTPUT, onnx.TensorProto.FLOAT,
                                                      ["batch", 1]))
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return stamp(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, nargs="?", default=model_path())
    parser.add_argument("--data")
    parser.add_argument("--records", type=int, default=1500, help="training pages (folds 1-8)")
    parser.add_argument("--photos", type=float, default=0.4,
                        help="share of them photographed and rectified")
    parser.add_argument("--validate", type=int, default=249, help="fold-9 pages per set")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    db = PtbXl(args.data)
    encoder = Encoder(args.model)
    start = time.perf_counter()
    pairs = training_pairs(db, encoder, args.records, args.photos, args.seed)
    held_out = np.random.default_rng(args.seed).random(len(pairs)) < 0.2
    w_part = fit(pairs[~held_out])  # to judge the margins without looking at fold 9
    w = fit(pairs)
    train_acc = float(((pairs[:, 0] - pairs[:, 1]) @ w > 0).mean())
    print(f"{len(pairs)} training pairs in {time.perf_counter() - start:.0f} s, "
          f"pair accuracy {train_acc:.3f}")
    print("| pages | count | pair accuracy | " +
          " | ".join(f"margin {m}: upright turned / turned kept" for m in MARGINS) + " |")
    print("|" + " --- |" * (3 + len(MARGINS)))

    def row(name: str, m: np.ndarray) -> None:
        cells = [f"{(m < -t).mean():.3f} / {(m <= t).mean():.3f}" for t in MARGINS]
        print(f"| {name} | {len(m)} | {(m > 0).mean():.3f} | " + " | ".join(cells) + " |")

    row("folds 1-8, held out of a fit on the rest",
        (pairs[held_out, 0] - pairs[held_out, 1]) @ w_part)
    for severity in ("digital", "moderate", "severe"):
        row(f"fold 9 {severity}", validation_margins(db, encoder, w, severity, args.validate))
    build_id = add_upright_output(args.model, w)
    check = Encoder(args.model)
    frames = np.stack([encoder_input(render(db.record(c), PaperStyle(px_per_mm=2.0)))
                       for c in db.split(VALID_FOLD)[:4]])
    emb, score = check.encode(frames)
    diff = float(np.abs(score - emb @ w).max())
    print(f"{args.model}: build {build_id}; graph vs numpy score max abs diff {diff:.1e}")
    return 0 if diff < 1e-4 else 1


if __name__ == "__main__":
    raise SystemExit(main())
