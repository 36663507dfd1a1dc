"""The clinic's own case base at scale: with N clinic cases (default 10,000), how long
saving one more takes, and how much slower a search gets than without them.

    python benchmarks/bench_clinic.py [--cases 10000] [--repeat 30] [--home DIR]

The cases are synthetic (10 s, 12 leads at 100 Hz, float32 as the app keeps them; vectors
scattered around the sample's own, random confirmed statements); the model, the bundled
case base and the query (the bundled sample) are the shipped ones. ``--home`` keeps the
built base for a rerun. Targets (issue 14): saving <= 200 ms, search <= 10 ms slower.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from ecgviewer.core import statements as scp
from ecgviewer.core.casebase import CaseBase
from ecgviewer.core.clinic.base import ClinicBase, ModelInfo
from ecgviewer.core.clinic.case import CaseDetails, CaseSource
from ecgviewer.core.encoder import Encoder
from ecgviewer.core.record import STANDARD_LEADS
from ecgviewer.core.search import Searcher, embed_query, prepare, record_query
from ecgviewer.resources import casebase_dir, model_path, sample_path


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def build(base: ClinicBase, count: int, around: np.ndarray, rng) -> None:
    codes = sorted(scp.table())
    have = base.store.count()
    with base.store.batch() as db:
        for i in range(have, count):
            signals = (rng.standard_normal((12, 1000)) * 0.2).astype(np.float32)
            vector = around + 0.6 * rng.standard_normal(around.size).astype(np.float32) / \
                np.sqrt(around.size)
            picked = tuple(rng.choice(codes, size=int(rng.integers(1, 4)), replace=False))
            base.store.insert(db, CaseSource.from_signal(signals, 100.0, STANDARD_LEADS),
                              CaseDetails(picked, f"synthetic case {i}", 60.0, "female", None,
                                          "bench"),
                              vector / np.linalg.norm(vector), base.model.build_id)
        base.store.bump(db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--home", help="folder for the clinic base (kept; default: temporary)")
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="bench-clinic-"))
    rng = np.random.default_rng(0)

    encoder = Encoder(model_path())
    query = prepare(sample_path())
    _, around = embed_query(encoder, query)
    base = ClinicBase(ModelInfo.of(encoder), home)
    start = time.perf_counter()
    build(base, args.cases, around[0], rng)
    print(f"{base.store.count()} clinic cases in {home} (built in {_ms(start) / 1000:.1f} s)")
    base.index.revision = None  # time the rebuild from the database, as after a model change
    start = time.perf_counter()
    base.index._rebuild(base.store)
    print(f"index rebuilt from the database: {_ms(start):.0f} ms")
    start = time.perf_counter()
    ClinicBase(ModelInfo.of(encoder), home).sync()
    print(f"index loaded by a new process: {_ms(start):.0f} ms")

    saves, encoded_saves = [], []
    record = query.record
    for i in range(args.repeat):
        noisy = (record.signals + rng.normal(0, 0.001, record.signals.shape)).astype(np.float32)
        source = CaseSource.from_signal(noisy, record.sampling_rate, record.leads)
        details = CaseDetails(("NORM",), "saved in the benchmark", 50.0, "male", None, "bench")
        if i % 2:  # what the GUI does: the query's embedding is known, save it
            start = time.perf_counter()
            base.add(source, details, around[0])
            saves.append(_ms(start))
        else:  # what 'cases add' does after reading the file: draw, encode, save
            start = time.perf_counter()
            _, embedding = embed_query(encoder, record_query(source.record, "bench"))
            base.add(source, details, embedding[0])
            encoded_saves.append(_ms(start))
    print(f"save one case (median of {len(saves)}): {np.median(saves):.1f} ms; "
          f"draw + encode + save: {np.median(encoded_saves):.1f} ms")

    searcher = Searcher(encoder, CaseBase(casebase_dir()))
    searcher.search(prepare(sample_path()))
    searcher.clinic = base
    searcher.search(prepare(sample_path()))
    without, with_clinic, stage = [], [], {None: [], "clinic": []}
    for _ in range(args.repeat):
        for clinic, times in ((None, without), (base, with_clinic)):
            searcher.clinic = clinic
            start = time.perf_counter()
            result = searcher.search(prepare(sample_path()))
            times.append(_ms(start))
            stage[None if clinic is None else "clinic"].append(result.timings_ms["search"])
    clinic_share = sum(n.source == "clinic" for n in result.neighbors)
    paired = np.median(np.array(with_clinic) - np.array(without))
    print(f"search end to end (median of {args.repeat}, alternating): without clinic cases "
          f"{np.median(without):.1f} ms, with {base.store.count()}: {np.median(with_clinic):.1f} ms "
          f"(median paired difference {paired:+.1f} ms)")
    print(f"  search stage alone: {np.median(stage[None]):.2f} ms vs "
          f"{np.median(stage['clinic']):.2f} ms; clinic cases among the top 10: {clinic_share}")


if __name__ == "__main__":
    main()
