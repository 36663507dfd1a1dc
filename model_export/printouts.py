"""An ECG printed, lying on a table (maybe turned), photographed or scanned, rectified:
the path a paper query takes, made synthetically for training, the probe and benchmarks.

Randomness comes from the Generator passed in, in a fixed order (the caller draws the
style first, then the photo), so a seed gives the same photo wherever it is made.
"""

from __future__ import annotations

import numpy as np

from ecgviewer.core.errors import EcgError
from ecgviewer.core.photo import Rectified, rectify
from ecgviewer.core.record import EcgRecord
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render
from model_export.photo_augment import photo_like, scan_like

#: How a printout is captured: phone photos of three severities, or a flat-bed scan.
CAPTURES = ("mild", "moderate", "severe", "scan")


def photographed(record: EcgRecord, style: PaperStyle, rng: np.random.Generator,
                 capture: str, quarters: int = 0) -> np.ndarray:
    """An RGB photo (or scan) of ``record`` printed in ``style``, the sheet lying turned
    ``quarters`` quarter turns counter-clockwise."""
    if capture not in CAPTURES:
        raise ValueError(f"unknown capture {capture!r}; one of {', '.join(CAPTURES)}")
    page = np.ascontiguousarray(np.rot90(render(record, style), quarters))
    if capture == "scan":
        return scan_like(page, rng)[0]
    return photo_like(page, rng, capture)[0]


def rectified(photo: np.ndarray) -> Rectified | None:
    """The page the app's ``rectify`` makes of ``photo``; None when it finds none."""
    try:
        return rectify(photo)
    except EcgError:
        return None
