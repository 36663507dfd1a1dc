"""Rhythm from the rhythm strip of drawn pages and synthetic photos against the signal's.

    python benchmarks/check_rhythm_strip.py pages [--limit N]
    python benchmarks/check_rhythm_strip.py photos --severity moderate [--limit 30]

``pages``: fold-9 records drawn at 5 px/mm (a perfect rectification). ``photos``: the
first half of ``--limit`` from the fold-9 records with an abnormal rhythm, the rest from
the others, printed in the default style and photographed (``photo_augment``), then
rectified and turned upright as the app does. Prints how many were measured, the heart
rate difference to the 12-lead signal's and how often both fall on the same side of the
regular/irregular step.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from ecgviewer.core.encoder import Encoder
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render
from ecgviewer.core.rhythm import IRREGULAR_AT, measure
from ecgviewer.core.rhythm_strip import STRIP_STYLE, measure_page
from ecgviewer.core.search import embed_query, image_query
from ecgviewer.resources import model_path
from model_export.photo_augment import photo_like, scan_like
from model_export.ptbxl import VALID_FOLD, PtbXl

RHYTHMS = ("AFIB", "STACH", "SBRAD", "SARRH", "AFLT", "PACE")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["pages", "photos"])
    ap.add_argument("--severity", default="moderate",
                    choices=["mild", "moderate", "severe", "scan"])
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    db = PtbXl()
    cases = db.split(VALID_FOLD)
    if args.what == "photos":
        n = args.limit or 30
        odd = [c for c in cases if any(k in c.scp_codes for k in RHYTHMS)]
        cases = odd[:n // 2] + [c for c in cases if c not in odd][:n - n // 2]
        encoder = Encoder(model_path())
    elif args.limit:
        cases = cases[:args.limit]
    pairs, failed, seconds = [], [], 0.0
    for i, case in enumerate(cases):
        record = db.record(case)
        if args.what == "pages":
            page = render(record, STRIP_STYLE)
        else:
            rng = np.random.default_rng((0, i, sum(map(ord, args.severity))))
            printed = render(record, PaperStyle(px_per_mm=5.0))
            photo = (scan_like(printed, rng) if args.severity == "scan"
                     else photo_like(printed, rng, args.severity))[0]
            query = image_query(photo, str(case.ecg_id))
            if query.page is None:
                failed.append((case.ecg_id, "no paper found"))
                continue
            page = embed_query(encoder, query)[0].page
        start = time.perf_counter()
        strip = measure_page(page)
        seconds += time.perf_counter() - start
        signal = measure(record)
        if strip.measurable and signal.measurable:
            pairs.append((signal, strip))
        else:
            failed.append((case.ecg_id, strip.reason or signal.reason))
    rate = np.abs([b.heart_rate_bpm - a.heart_rate_bpm for a, b in pairs])
    same = np.mean([(a.irregularity > IRREGULAR_AT) == (b.irregularity > IRREGULAR_AT)
                    for a, b in pairs])
    print(f"{args.what} {args.severity if args.what == 'photos' else ''}: {len(cases)}, "
          f"measured {len(pairs)}; heart rate |strip - signal| median {np.median(rate):.2f}, "
          f"95 % {np.percentile(rate, 95):.2f}, max {rate.max():.2f} /min; same regular/"
          f"irregular {same:.3f}; {1000 * seconds / len(cases):.0f} ms per page")
    print("not measured:", failed)


if __name__ == "__main__":
    main()
