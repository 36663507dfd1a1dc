"""Record -> image of standard ECG paper.

One look for everything: the screen, PDF export, the encoder's input and the synthetic
training images. Drawing is plain OpenCV on a numpy array, so it is fast and bit-for-bit
deterministic. The whole page is grid: a rectified photo of the grid area and a rendering
share one frame.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from ecgviewer.core.paper import (
    CAL_LEAD_MM,
    CAL_MV,
    CAL_START_MM,
    LAYOUTS,
    PaperStyle,
    RGB,
    RHYTHM_LEAD,
    TRACE_WIDTH_MM,
)
from ecgviewer.core.record import EcgRecord

def render(record: EcgRecord, style: PaperStyle = PaperStyle()) -> np.ndarray:
    """Draw ``record`` on ECG paper; returns an RGB uint8 array (height, width, 3).

    A lead the record lacks (and cannot derive) keeps its label and an empty slot.
    """
    return _page(record.with_standard_leads(), style)


def render_blank(style: PaperStyle = PaperStyle()) -> np.ndarray:
    """The page without traces: grid, calibration pulses, labels and separators (for
    :mod:`ecgviewer.core.relayout`, which copies a photo's traces onto it)."""
    return _page(None, style)


def _page(rec: EcgRecord | None, style: PaperStyle) -> np.ndarray:
    width, height = style.page_px
    image = _grid(width, height, style)
    ppm = style.px_per_mm
    shift = 4  # OpenCV fixed-point bits: sub-pixel accurate polylines
    scale = float(1 << shift)
    thickness = max(1, int(round(style.trace_width_mm * ppm)))
    colour = tuple(int(c) for c in style.trace_rgb)

    rows = LAYOUTS[style.layout]
    n_cols = len(rows[0])
    col_s = style.shown_s / n_cols
    col_mm = TRACE_WIDTH_MM / n_cols
    left_mm = style.left_mm
    lines: list[np.ndarray] = []
    labels: list[tuple[str, float, float]] = []
    strips = [(r, c, lead) for r, row in enumerate(rows) for c, lead in enumerate(row)]
    if style.layout.endswith("+1"):
        strips.append((len(rows), -1, RHYTHM_LEAD))

    for row, col, lead in strips:
        baseline_mm = style.baseline_mm(row)
        if col < 0:  # rhythm strip: the whole width
            t0, seconds, x0_mm = style.start_s, style.shown_s, left_mm
        else:
            t0, seconds, x0_mm = style.start_s + col * col_s, col_s, left_mm + col * col_mm
        if col <= 0:
            lines.append(_calibration(baseline_mm, style))
        labels.append((lead, x0_mm + 1.0, baseline_mm - 0.45 * style.row_height_mm))
        if col > 0:  # short separator where one column ends and the next begins
            lines.append(np.array([[x0_mm, baseline_mm - 2.5], [x0_mm, baseline_mm + 2.5]]))
        if rec is None or lead not in rec.leads:
            continue
        # Samples in [t0, t0 + seconds): the next column's first sample is not drawn twice.
        lo = math.ceil(t0 * rec.sampling_rate - 1e-9)
        hi = min(rec.n_samples, math.ceil((t0 + seconds) * rec.sampling_rate - 1e-9))
        if hi - lo < 2:
            continue
        y = rec.lead(lead)[lo:hi].astype(np.float64)
        x_mm = x0_mm + (np.arange(lo, hi) / rec.sampling_rate - t0) * style.speed_mm_s
        y_mm = baseline_mm - y * style.gain_mm_mv
        lines.append(np.stack([x_mm, y_mm], axis=1))

    pts = [np.round(line * ppm * scale).astype(np.int32) for line in lines]
    cv2.polylines(image, pts, False, colour, thickness, cv2.LINE_AA, shift)
    if style.labels:
        font_scale = 0.09 * ppm
        for text, x_mm, y_mm in labels:
            org = (int(round(x_mm * ppm)), int(round(y_mm * ppm)))
            cv2.putText(image, text, org, cv2.FONT_HERSHEY_SIMPLEX, font_scale, colour,
                        max(1, int(round(0.5 * font_scale))), cv2.LINE_AA)
    return image


def _calibration(baseline_mm: float, style: PaperStyle) -> np.ndarray:
    """A 1 mV, 0.2 s rectangular pulse at the start of a row, clear of the trace."""
    x0 = CAL_START_MM
    x1 = x0 + style.cal_width_mm
    top = baseline_mm - CAL_MV * style.gain_mm_mv
    return np.array([
        [x0 - CAL_LEAD_MM, baseline_mm], [x0, baseline_mm], [x0, top],
        [x1, top], [x1, baseline_mm], [x1 + CAL_LEAD_MM, baseline_mm],
    ])


def _grid(width: int, height: int, style: PaperStyle) -> np.ndarray:
    """Paper with 1 mm minor and 5 mm major lines; major wins where lines cross.

    Each pixel column and row gets a level (0 paper, 1 minor, 2 major); a pixel takes the
    higher of its row's and column's level. Built as three template rows copied down the
    page, which is several times faster than painting every line.
    """
    ppm = style.px_per_mm
    minor_px = max(1, int(round(style.grid_width_mm * ppm)))
    major_px = minor_px * 2 if ppm >= 4 else minor_px

    def levels(n: int) -> np.ndarray:
        level = np.zeros(n, np.uint8)
        for every_mm, value, px in ((1, 1, minor_px), (5, 2, major_px)):
            starts = np.round(np.arange(0, n / ppm + 1e-6, every_mm) * ppm).astype(int)
            level[np.clip((starts[:, None] + np.arange(px)).ravel(), 0, n - 1)] = value
        return level

    palette = np.array([style.paper_rgb, style.minor_grid_rgb, style.major_grid_rgb], np.uint8)
    templates = palette[np.maximum(levels(width)[None, :], np.arange(3)[:, None])]
    return templates[levels(height)]
