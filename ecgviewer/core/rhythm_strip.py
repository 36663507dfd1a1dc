"""Rhythm of a photographed printout: the 10 s rhythm strip traced on the rectified page.

A rectified photo (``photo.rectify``) is the printout's grid area at PAGE_PX_PER_MM, in
the renderer's frame. On a 3x4+1 page the bottom row is lead II over the whole 10 s;
each pixel column's ink centre gives one sample, and the beats are found as in a signal
(``rhythm.r_peaks``). Other layouts have no strip covering 10 s and are not measured.
"""

from __future__ import annotations

import cv2
import numpy as np

from ecgviewer.core.photo import PAGE_PX_PER_MM, flatten_lighting
from ecgviewer.core.paper import TRACE_WIDTH_MM, PaperStyle
from ecgviewer.core.rhythm import RhythmFeatures, features_from_peaks, r_peaks

#: The page this reads: the renderer's default (3x4+1, 25 mm/s, 10 mm/mV).
STRIP_STYLE = PaperStyle(px_per_mm=PAGE_PX_PER_MM)
#: A page whose size differs more than this from STRIP_STYLE's is another layout.
SIZE_TOLERANCE = 0.05
#: Millimetres above and below the strip's baseline searched for its trace (a row is
#: 30 mm: 18 above the baseline, 12 below).
ABOVE_MM, BELOW_MM = 17.0, 11.0
#: A pixel is ink when its brightest channel is darker than the paper by half the
#: strip's darkest ink (blurred photos lighten a thin trace), at least INK_SHADE_MIN and
#: at most INK_SHADE_MAX: grid lines of any colour stay lighter than that in at least one
#: channel (as in ``photo.line_map``).
INK_SHADE_MIN, INK_SHADE_MAX = 0.2, 0.5
#: A strip whose columns hold ink less often than this is not traced.
MIN_INKED_COLUMNS = 0.8


def is_strip_page(page: np.ndarray) -> bool:
    """Whether a rectified page has the size of the default 3x4+1 printout."""
    width_mm, height_mm = STRIP_STYLE.page_mm
    h, w = page.shape[:2]
    return (abs(w / PAGE_PX_PER_MM / width_mm - 1) <= SIZE_TOLERANCE
            and abs(h / PAGE_PX_PER_MM / height_mm - 1) <= SIZE_TOLERANCE)


def strip_signal(page: np.ndarray) -> tuple[np.ndarray, float] | None:
    """(lead II in mV, samples per second) traced on a rectified 3x4+1 page, or None.

    None when too little of the strip is inked (see :func:`is_strip_page` for the
    layout). Columns without ink are filled by linear interpolation.
    """
    width_mm, height_mm = STRIP_STYLE.page_mm
    h, w = page.shape[:2]
    sx, sy = w / width_mm, h / height_mm  # px per mm as found (within the tolerance)
    baseline = STRIP_STYLE.baseline_mm(STRIP_STYLE.n_rows - 1) * sy
    top, bottom = int(baseline - ABOVE_MM * sy), int(min(h, baseline + BELOW_MM * sy))
    left = int(round(STRIP_STYLE.left_mm * sx))
    right = int(round((STRIP_STYLE.left_mm + TRACE_WIDTH_MM) * sx))
    band = flatten_lighting(page[top:bottom, left:right])
    brightest = cv2.max(cv2.max(band[..., 0], band[..., 1]), band[..., 2]).astype(np.float32)
    shade = 1.0 - brightest / 255.0
    ink = shade > np.clip(0.5 * np.percentile(shade, 99.9), INK_SHADE_MIN, INK_SHADE_MAX)
    inked = ink.any(axis=0)
    if inked.mean() < MIN_INKED_COLUMNS:
        return None
    centre = top + followed_centres(ink, baseline - top)
    cols = np.arange(len(centre))
    centre = np.interp(cols, cols[inked], centre[inked])
    millivolts = (baseline - centre) / (STRIP_STYLE.gain_mm_mv * sy)
    return millivolts.astype(np.float32), STRIP_STYLE.speed_mm_s * sx


def followed_centres(ink: np.ndarray, start: float, max_gap: float | None = None
                     ) -> np.ndarray:
    """Per column, the centre of the ink run nearest the previous column's (NaN: no ink,
    or none within ``max_gap`` px of it, or 3 ``max_gap`` after a column without).

    Following the trace keeps a neighbouring row's deep complex or a lead label that
    reaches into the band from pulling the centre away; ``max_gap`` keeps a column where
    the trace is missing (a break between columns, faded print) from jumping to a label,
    and the wider reach after a miss finds the trace again where it wandered.
    """
    padded = np.zeros((ink.shape[0] + 2, ink.shape[1]), np.int8)
    padded[1:-1] = ink
    edges = np.diff(padded, axis=0)
    out = np.full(ink.shape[1], np.nan)
    previous, on_trace = start, False
    for col in range(ink.shape[1]):
        begins = np.flatnonzero(edges[:, col] == 1)
        if len(begins) == 0:
            on_trace = False
            continue
        ends = np.flatnonzero(edges[:, col] == -1) - 1
        gap = np.maximum(0, np.maximum(begins - previous, previous - ends))
        best = int(np.argmin(gap))
        if max_gap is not None and gap[best] > max_gap * (1 if on_trace else 3):
            on_trace = False
            continue
        out[col] = previous = (begins[best] + ends[best]) / 2.0
        on_trace = True
    return out


def measure_page(page: np.ndarray) -> RhythmFeatures:
    """Rhythm features from a rectified page's rhythm strip."""
    if not is_strip_page(page):
        return RhythmFeatures(beats=0, confidence=0.0,
                              reason="no 10 s rhythm strip (a 3x4+1 printout is needed)")
    traced = strip_signal(page)
    if traced is None:
        return RhythmFeatures(beats=0, confidence=0.0, reason="rhythm strip not found")
    signal, rate = traced
    peaks, confidence = r_peaks(signal[None], rate)
    return features_from_peaks(peaks, rate, confidence)
