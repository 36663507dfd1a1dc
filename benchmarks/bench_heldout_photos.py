"""Photo benchmark on the held-out simulator (`heldout_sim.py`, which training never
sees): fold-9 records printed by other carts' layouts, photographed with other damage,
then searched exactly as the app searches a photo (``image_query`` + ``embed_query``).

    python benchmarks/bench_heldout_photos.py [--data DIR] [--limit N]
        [--printers thermal-header,cabrera-3rhythm,...] [--damages clean,moderate,monitor]
        [--json runs/heldout.json]

Prints superclass-set P@10 (and its ratio to the same records' digital files), the
share of photos whose grid was found, and the median search preparation time, per
printer style and damage. Fixed seeds: the same photos on every run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from heldout_sim import PRINTERS, photograph, print_page  # noqa: E402

from ecgviewer.core.encoder import Encoder  # noqa: E402
from ecgviewer.core.record import STANDARD_LEADS  # noqa: E402
from ecgviewer.core.search import embed_query, image_query  # noqa: E402
from ecgviewer.resources import model_path  # noqa: E402
from model_export.build_casebase import confirmed_index, embed_cases  # noqa: E402
from model_export.evaluate import Benchmark  # noqa: E402
from model_export.ptbxl import RATE, TRAIN_FOLDS, VALID_FOLD, PtbXl  # noqa: E402


def photo_embeddings(signals: np.ndarray, encoder: Encoder, printer: str, damage: str
                     ) -> tuple[np.ndarray, int, list[float]]:
    """Embeddings of each record's photo, how many had no grid found, prepare times (s)."""
    out, missing, times = [], 0, []
    for i, record in enumerate(signals):
        rng = np.random.default_rng((i, sum(map(ord, printer + damage))))
        page = print_page(record, RATE, STANDARD_LEADS, PRINTERS[printer], rng)
        photo = photograph(page, rng, damage)
        start = time.perf_counter()
        query = image_query(photo, f"{printer}-{i}")
        if query.page is None:  # no grid found: the app asks for corners; scored as is
            missing += 1
            query = image_query(photo, f"{printer}-{i}", corners=np.float32(
                [[0, 0], [photo.shape[1], 0], [photo.shape[1], photo.shape[0]],
                 [0, photo.shape[0]]]))
        out.append(embed_query(encoder, query)[1][0])
        times.append(time.perf_counter() - start)
    return np.stack(out), missing, times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data")
    parser.add_argument("--model", type=Path, default=model_path())
    parser.add_argument("--printers", default=",".join(PRINTERS))
    parser.add_argument("--damages", default="clean,moderate,monitor")
    parser.add_argument("--limit", type=int, default=0, help="first N fold-9 records only")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    db = PtbXl(args.data)
    encoder = Encoder(args.model)
    queries = db.split(VALID_FOLD)[:args.limit or None]
    index = db.split(TRAIN_FOLDS)
    q_ids, x_ids = [c.ecg_id for c in queries], [c.ecg_id for c in index]
    q_signals = db.signals(queries)
    x_digital = confirmed_index(encoder, index, embed_cases(encoder, db.signals(index)))
    bench = Benchmark(args.data)
    digital = bench.score("digital", q_ids, embed_cases(encoder, q_signals), x_ids, x_digital)
    rows = []
    print(f"digital files: supP@10 {digital['supP@10']:.3f} ({len(queries)} fold-9 records)")
    print("| printer | damage | supP@10 | / digital | grid found | prepare median s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for printer in args.printers.split(","):
        for damage in args.damages.split(","):
            emb, missing, times = photo_embeddings(q_signals, encoder, printer, damage)
            score = bench.score(f"{printer}/{damage}", q_ids, emb, x_ids, x_digital)
            row = {"printer": printer, "damage": damage, "supP@10": score["supP@10"],
                   "ratio": score["supP@10"] / digital["supP@10"],
                   "grid found": 1 - missing / len(queries),
                   "prepare median s": float(np.median(times))}
            rows.append(row)
            print(f"| {printer} | {damage} | {row['supP@10']:.3f} | {row['ratio']:.2f} | "
                  f"{row['grid found']:.2f} | {row['prepare median s']:.2f} |", flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"digital": digital["supP@10"], "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
