"""Time ``rectify()`` on 12-megapixel synthetic phone photos: median and p95.

The issue's budget is 1 s per 12 MP photo on one core of this machine. Each photo is a
different printout (layout, grid colour, tilt) shot at ``--severity``; each is timed
``--repeat`` times after a warm-up. Corner error (as a share of the page diagonal) is
printed too, so a fast but wrong run shows. Run from the repository root:
``python benchmarks/bench_rectify.py --photos 6 --repeat 3``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import synthetic_record  # noqa: E402  (the tests' synthetic ECG)
from ecgviewer.core.errors import NotAnEcgImageError  # noqa: E402
from ecgviewer.core.photo import rectify  # noqa: E402
from ecgviewer.core.render import render
from model_export.photo_augment import photo_like, random_paper_style  # noqa: E402

SIZE = (4000, 3000)  # 12 MP, a common phone camera


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=6, help="different photos")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per photo")
    parser.add_argument("--severity", default="moderate", choices=["mild", "moderate", "severe"])
    parser.add_argument("--threads", type=int, default=1, help="OpenCV threads (1: one core)")
    args = parser.parse_args(argv)
    cv2.setNumThreads(args.threads)
    record = synthetic_record()
    times, errors, refused = [], [], 0
    for i in range(args.photos):
        rng = np.random.default_rng(i)
        style = random_paper_style(rng, px_per_mm=(9.0, 12.0))
        photo, corners = photo_like(render(record, style), rng, args.severity, size=SIZE)
        try:
            result = rectify(photo)  # warm-up
            diag = np.linalg.norm(corners[2] - corners[0])
            errors.append(float(np.linalg.norm(result.corners - corners, axis=1).max() / diag))
        except NotAnEcgImageError:  # timed all the same: the user waits for the message
            refused += 1
        for _ in range(args.repeat):
            start = time.perf_counter()
            try:
                rectify(photo)
            except NotAnEcgImageError:
                pass
            times.append(time.perf_counter() - start)
    ms = np.array(times) * 1e3
    print(f"{args.photos} photos of {SIZE[0]}x{SIZE[1]} px ({args.severity}), "
          f"{args.repeat} runs each, {args.threads} OpenCV thread(s)")
    print(f"rectify  median {np.median(ms):6.0f} ms  p95 {np.percentile(ms, 95):6.0f} ms  "
          f"max {ms.max():6.0f} ms")
    print(f"corner error  median {np.median(errors):.2%}  max {max(errors):.2%} of the diagonal"
          f"; {refused} photo(s) refused as not an ECG")


if __name__ == "__main__":
    main()
