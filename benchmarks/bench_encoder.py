"""Encoder latency on one CPU core: median and p95 per image, fp32 and int8 if present.

    python benchmarks/bench_encoder.py [--repeat 100] [--threads 1]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ecgviewer.core.encoder import Encoder
from ecgviewer.core.preprocess import encoder_input, record_page
from ecgviewer.core.readers import read
from ecgviewer.resources import model_path, sample_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    frame = encoder_input(record_page(read(sample_path())))[None]
    for path in (model_path(), model_path().with_suffix(".int8.onnx")):
        if not path.exists():
            continue
        encoder = Encoder(path, threads=args.threads)
        for _ in range(5):
            encoder.embed(frame)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            encoder.embed(frame)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{path.name}: {encoder.build_id}, {args.threads} thread(s): "
              f"median {np.median(times):.1f} ms, p95 {np.percentile(times, 95):.1f} ms")


if __name__ == "__main__":
    main()
