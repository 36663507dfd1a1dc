"""Case-base search at scale: the shipped HNSW settings on synthetic 256-d embeddings.

For each size: build time, index file size, the memory a fresh process needs to hold it,
single-query latency (p50/p95, one thread, as the app queries) and recall@10 against
exact cosine search, at the app's ef_search and at the others given, beside the latency
of that exact search itself (numpy, one query at a time). The index is built exactly as
``casebase.write_casebase`` builds it (cosine, M=32, ef_construction=200, seed 0).

Vectors are clustered, like embeddings of ECGs (500 diagnostic "shapes", each with a
spread: ``--spread`` 0.35 keeps them apart, 1.0 makes them overlap), or plain Gaussian (``--data gaussian``, the hardest case for HNSW). Queries are
drawn from the same distribution and are not in the index.

    python benchmarks/bench_index_scale.py                       # 10k and 100k
    python benchmarks/bench_index_scale.py --sizes 10000 100000 1000000 --threads 2
    python benchmarks/bench_index_scale.py --extrapolate 1000000 # estimate, clearly labelled

Sizes not measured but named in ``--extrapolate`` are estimated from the largest measured
size: build time as N log N, memory linearly, latency as log N; recall is not estimated.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# One BLAS thread: a single query's brute-force product is tiny, and BLAS threads spinning
# on a shared machine turn its p95 into noise. Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import hnswlib  # noqa: E402
import numpy as np  # noqa: E402

from ecgviewer.core.casebase import EF_SEARCH  # noqa: E402

DIM = 256
M = 32
EF_CONSTRUCTION = 200
K = 10
CHUNK = 50_000


# VmHWM, not ru_maxrss: the latter keeps the forking parent's peak across exec.
SERVE = """
import re, sys, hnswlib
if sys.argv[1]:
    index = hnswlib.Index(space="cosine", dim=int(sys.argv[2]))
    index.load_index(sys.argv[1], max_elements=int(sys.argv[3]))
print(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
"""


def serving_mb(path: Path, n: int) -> float:
    """Peak memory a fresh process needs to hold the index, beyond importing hnswlib."""
    def peak_kb(*argv: str) -> int:
        return int(subprocess.run([sys.executable, "-c", SERVE, *argv], capture_output=True,
                                  text=True, check=True).stdout)
    return (peak_kb(str(path), str(DIM), str(n)) - peak_kb("", "", "")) / 1024


def vectors(n: int, data: str, seed: int, centres: np.ndarray, spread: float) -> np.ndarray:
    """``n`` float32 rows of the chosen distribution, drawn in chunks."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), np.float32)
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        noise = rng.standard_normal((size, DIM), dtype=np.float32)
        if data == "gaussian":
            out[start:start + size] = noise
        else:
            picks = rng.integers(0, len(centres), size)
            out[start:start + size] = centres[picks] + spread * noise
    return out


def exact_top_k(base: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Exact cosine neighbours by brute force, in chunks of the base."""
    q = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    best_sim = np.full((len(q), k), -np.inf, np.float32)
    best_id = np.zeros((len(q), k), np.int64)
    for start in range(0, len(base), CHUNK):
        chunk = base[start:start + CHUNK]
        sims = q @ (chunk / np.linalg.norm(chunk, axis=1, keepdims=True)).T
        sims_all = np.concatenate([best_sim, sims], axis=1)
        ids_all = np.concatenate([best_id, np.arange(start, start + len(chunk))[None].repeat(len(q), 0)],
                                 axis=1)
        top = np.argpartition(-sims_all, k - 1, axis=1)[:, :k]
        best_sim = np.take_along_axis(sims_all, top, 1)
        best_id = np.take_along_axis(ids_all, top, 1)
    return best_id


def exact_latency_ms(base: np.ndarray, queries: np.ndarray) -> list[float]:
    """One query at a time by brute force (the alternative to an index): ms per query."""
    normed = base / np.linalg.norm(base, axis=1, keepdims=True)
    times = []
    for query in queries[:100]:
        start = time.perf_counter()
        sims = normed @ (query / np.linalg.norm(query))
        np.argpartition(-sims, K)[:K]
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure(n: int, args, centres: np.ndarray) -> dict:
    base = vectors(n, args.data, seed=1, centres=centres, spread=args.spread)
    queries = vectors(args.queries, args.data, seed=2, centres=centres, spread=args.spread)
    truth = exact_top_k(base, queries, K)
    exact = exact_latency_ms(base, queries)

    index = hnswlib.Index(space="cosine", dim=DIM)
    start = time.perf_counter()
    index.init_index(max_elements=n, ef_construction=EF_CONSTRUCTION, M=M, random_seed=0)
    index.add_items(base, np.arange(n), num_threads=args.threads)
    build_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.bin"
        index.save_index(str(path))
        file_mb = path.stat().st_size / 2**20
        memory_mb = serving_mb(path, n)
        start = time.perf_counter()
        loaded = hnswlib.Index(space="cosine", dim=DIM)
        loaded.load_index(str(path), max_elements=n)
        load_s = time.perf_counter() - start
    del loaded
    index.set_num_threads(1)

    row = {"n": n, "build_s": round(build_s, 1), "build_per_s": round(n / build_s),
           "load_s": round(load_s, 2), "index_file_mb": round(file_mb, 1),
           "serve_mb": round(memory_mb, 1),
           "exact_p50_ms": round(float(np.percentile(exact, 50)), 2),
           "exact_p95_ms": round(float(np.percentile(exact, 95)), 2), "ef": {}}
    for ef in sorted(set(args.ef) | {EF_SEARCH}):
        index.set_ef(ef)
        times, found = [], np.empty((len(queries), K), np.int64)
        for i, query in enumerate(queries):
            start = time.perf_counter()
            labels, _ = index.knn_query(query[None], k=K)
            times.append((time.perf_counter() - start) * 1000)
            found[i] = labels[0]
        recall = np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth)])
        row["ef"][ef] = {"p50_ms": round(float(np.percentile(times, 50)), 3),
                         "p95_ms": round(float(np.percentile(times, 95)), 3),
                         "recall_at_10": round(float(recall), 4)}
    return row


def extrapolate(n: int, ref: dict) -> dict:
    """An estimate for ``n`` from a measured row: labelled, recall left out."""
    scale = n / ref["n"]
    growth = math.log(n) / math.log(ref["n"])
    return {"n": n, "estimated_from": ref["n"],
            "build_s": round(ref["build_s"] * scale * growth),
            "index_file_mb": round(ref["index_file_mb"] * scale),
            "serve_mb": round(ref["serve_mb"] * scale),
            "p50_ms": round(ref["ef"][EF_SEARCH]["p50_ms"] * growth, 3),
            "p95_ms": round(ref["ef"][EF_SEARCH]["p95_ms"] * growth, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--extrapolate", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--ef", type=int, nargs="*", default=[32, 64, 256],
                        help="ef_search values besides the app's")
    parser.add_argument("--data", choices=["clustered", "gaussian"], default="clustered")
    parser.add_argument("--spread", type=float, default=0.35,
                        help="clustered: noise around the 500 centres (theirs is 1.0 per axis)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="build threads (queries always use one)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    centres = 1.0 * np.random.default_rng(0).standard_normal((500, DIM), dtype=np.float32)
    shape = f"clustered (spread {args.spread:g})" if args.data == "clustered" else args.data
    print(f"{shape} {DIM}-d vectors, cosine, M={M}, ef_construction={EF_CONSTRUCTION}, "
          f"app ef_search={EF_SEARCH}, {args.queries} queries, {args.threads} build threads")
    rows = []
    for n in sorted(args.sizes):
        row = measure(n, args, centres)
        rows.append(row)
        app = row["ef"][EF_SEARCH]
        print(f"n={n:>9,}  build {row['build_s']:7.1f} s ({row['build_per_s']:,}/s)  "
              f"load {row['load_s']:5.2f} s  index {row['index_file_mb']:7.1f} MB  "
              f"serving {row['serve_mb']:7.1f} MB  ef={EF_SEARCH}: p50 {app['p50_ms']:.3f} ms  "
              f"p95 {app['p95_ms']:.3f} ms  recall@10 {app['recall_at_10']:.4f}  "
              f"(exact search: p50 {row['exact_p50_ms']} ms, p95 {row['exact_p95_ms']} ms)",
              flush=True)
        for ef, r in row["ef"].items():
            print(f"    ef_search={ef:<4} p50 {r['p50_ms']:.3f} ms  p95 {r['p95_ms']:.3f} ms  "
                  f"recall@10 {r['recall_at_10']:.4f}")
    estimates = [extrapolate(n, rows[-1]) for n in args.extrapolate if n not in args.sizes]
    for e in estimates:
        print(f"n={e['n']:>9,}  ESTIMATED from n={e['estimated_from']:,} (not measured): "
              f"build ~{e['build_s']} s, index ~{e['index_file_mb']} MB, "
              f"serving ~{e['serve_mb']} MB, p50 ~{e['p50_ms']} ms, p95 ~{e['p95_ms']} ms")
    if args.json:
        args.json.write_text(json.dumps({"data": args.data, "measured": rows,
                                         "estimated": estimates}, indent=2))


if __name__ == "__main__":
    main()
