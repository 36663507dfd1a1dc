"""End-to-end search latency of one WFDB file, warm (model and index loaded once), exactly
as `ecgviewer search` runs it (`prepare` then `Searcher.search`): read, render, encode,
search.

    python benchmarks/bench_search.py [FILE] [--repeat 50] [--threads 0]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ecgviewer.core.casebase import CaseBase
from ecgviewer.core.encoder import Encoder
from ecgviewer.core.search import Searcher, prepare
from ecgviewer.resources import casebase_dir, model_path, sample_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default=str(sample_path()))
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads (0: all)")
    args = parser.parse_args()
    start = time.perf_counter()
    searcher = Searcher(Encoder(model_path(), threads=args.threads), CaseBase(casebase_dir()))
    print(f"load model and case base: {(time.perf_counter() - start) * 1000:.0f} ms")
    searcher.search(prepare(args.file))  # warm-up
    totals, stages = [], {}
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = searcher.search(prepare(args.file))
        totals.append((time.perf_counter() - start) * 1000)
        for key, value in result.timings_ms.items():
            stages.setdefault(key, []).append(value)
    print(f"{args.file}: end-to-end median {np.median(totals):.1f} ms, "
          f"p95 {np.percentile(totals, 95):.1f} ms over {args.repeat} warm queries")
    print("  stages (median ms): " + ", ".join(f"{k} {np.median(v):.1f}" for k, v in stages.items()))


if __name__ == "__main__":
    main()
