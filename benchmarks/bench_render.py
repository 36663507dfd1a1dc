"""Time ``render()`` on a 10 s, 12-lead, 500 Hz record: median and p95 per layout.

The viewer redraws on every zoom or layout change, so a page must take well under
100 ms. Run from the repository root: ``python benchmarks/bench_render.py --repeat 50``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import synthetic_record  # noqa: E402  (the tests' synthetic ECG)
from ecgviewer.core.paper import LAYOUTS, PaperStyle
from ecgviewer.core.render import render


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed renders per layout")
    parser.add_argument("--px-per-mm", type=float, default=4.0)
    args = parser.parse_args(argv)
    record = synthetic_record(rate=500.0, seconds=10.0)
    print(f"10 s, 12 leads, 500 Hz at {args.px_per_mm:g} px/mm, {args.repeat} renders each")
    for layout in LAYOUTS:
        style = PaperStyle(layout=layout, px_per_mm=args.px_per_mm)
        render(record, style)  # warm-up: first calls pay for imports and allocation
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            render(record, style)
            times.append(time.perf_counter() - start)
        ms = np.array(times) * 1e3
        width, height = style.page_px
        print(f"{layout:>6}  {width}x{height} px  median {np.median(ms):6.2f} ms  "
              f"p95 {np.percentile(ms, 95):6.2f} ms")


if __name__ == "__main__":
    main()
