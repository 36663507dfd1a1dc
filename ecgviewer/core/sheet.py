"""ECG printouts without a grid: the paper sheet, and its scale from the calibration pulses.

Some carts and most office printers (and photocopies, where a light grid drops out)
print the traces on plain paper, so :mod:`ecgviewer.core.photo` finds no grid to outline
and measure. The sheet itself is then the page: the largest bright region of the photo.
Its scale comes from what every printout carries: the 1 mV calibration pulse, a
rectangle 10 mm tall at the standard 10 mm/mV (two vertical strokes of one height joined
by a flat top), printed once per row. Pages with no such pulses are not taken for ECGs
(a sheet of text is a bright quadrilateral too). Qt-free: numpy and OpenCV.
"""

from __future__ import annotations

import cv2
import numpy as np

from ecgviewer.core.ink import paper_darkness

#: The calibration pulse at the standard gain: 1 mV = 10 mm.
PULSE_MM = 10.0
#: A sheet is at least this share of the photo, and fills its convex hull this well.
MIN_SHEET_FRACTION, MIN_SHEET_SOLIDITY = 0.15, 0.9
#: Pulses (as a share of the sheet's long side: 10 mm of 297 mm is 3.4 %) are looked for
#: between these sizes, so A5 to A3 sheets photographed whole are all in range.
PULSE_RANGE = (0.015, 0.08)
#: Pulses agree when their heights lie within this share of their median (a crumpled
#: sheet's scale varies by up to 8 % across it); at least MIN_PULSES must agree.
PULSE_AGREEMENT, MIN_PULSES = 0.12, 2
#: A measured grid fits the pulses when they come out within this share of 5, 10 or
#: 20 mm (half, standard, double gain; the gaps between them stay open).
GAIN_TOLERANCE = 0.24
#: The common pulse width (0.2 s at 25 mm/s), and how far (a share) a pulse's
#: width-to-height ratio may stray from it and still be taken for one.
PULSE_WIDTH_MM, PULSE_WIDTH_TOLERANCE = 5.0, 0.15
#: The width of a pulse as a share of its height (0.2 s at 25 mm/s is 5 mm of 10 mm;
#: carts print 0.1-0.4 s).
PULSE_ASPECT = (0.2, 1.1)
#: A pulse's strokes are at most this wide for their height (a thick 0.5 mm trace on a
#: 10 mm pulse, blurred, is a fifth).
MAX_STROKE_WIDTH = 0.25
#: A pulse's inside is blank paper: at most this share of it is ink.
MAX_INK_INSIDE = 0.05
#: Ink is darker than the local paper (of 1, in the brightest channel) by this share of
#: the page's darkest print, bounded by INK_DARKNESS: blurred thin print stays ink.
INK_LEVEL, INK_DARKNESS = 0.5, (0.1, 0.3)
#: A pixel this far (CIELAB, 8 bit) from the median colour along the photo's border,
#: and 1.5 times farther than most of the border itself (a grained or patterned table),
#: is not table.
TABLE_DISTANCE = 30.0
_SIDE = 512  # long side of the copy the sheet is searched on

GRIDLESS = ("No ECG grid was found: the paper sheet was used and scaled by its calibration "
            f"pulses (taken as 1 mV = {PULSE_MM:.0f} mm at 25 mm/s), so calipers are "
            "approximate.")


def find_sheet(image: np.ndarray) -> np.ndarray | None:
    """The outline (float32 (N, 2), in ``image`` pixels) of the paper sheet, or None.

    On a copy of about 512 px with the print closed over, two readings of "paper": the
    lighter side of Otsu's cut (a scan, a sheet filling the frame, an even table) and
    everything unlike the colour along the photo's border (a table with shadows on the
    sheet as dark as it). The larger region that is big and solid enough to be a sheet
    lying in view wins.
    """
    scale = min(1.0, _SIDE / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) \
        if scale < 1 else image
    k = max(3, int(0.02 * max(small.shape[:2])))
    closed = cv2.GaussianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)),
                              (0, 0), 1.5)
    grey = cv2.cvtColor(closed, cv2.COLOR_RGB2GRAY)
    _, lighter = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    lab = cv2.cvtColor(closed, cv2.COLOR_RGB2LAB).astype(np.float32)
    frame = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    table = np.median(frame, axis=0)
    spread = float(np.percentile(np.linalg.norm(frame - table, axis=1), 90))  # wood grain
    unlike_border = (np.linalg.norm(lab - table, axis=2)
                     > max(TABLE_DISTANCE, 1.5 * spread)).astype(np.uint8)
    best, best_area = None, 0.0
    for mask in (lighter, unlike_border):
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        if not contours:
            continue
        contour = max(contours, key=cv2.contourArea)
        area = cv2.contourArea(contour)
        if area >= max(best_area, MIN_SHEET_FRACTION * mask.size) and \
                area >= MIN_SHEET_SOLIDITY * cv2.contourArea(cv2.convexHull(contour)):
            best, best_area = contour, area
    return None if best is None else best.reshape(-1, 2).astype(np.float32) / scale


def pulse_scale(flat: np.ndarray) -> tuple[float, float] | None:
    """Pixels per mm (along x, along y) of a flattened, upright sheet (RGB) from its
    calibration pulses, or None when fewer than MIN_PULSES agreeing pulses show.

    Down the page the pulse is 10 mm. Across, a pulse about half as wide as it is tall
    is taken to be 0.2 s (5 mm at 25 mm/s, the common width), which corrects the aspect
    a tilted photo leaves; other widths leave the pixels square.
    """
    pulses = calibration_pulses(flat)
    if len(pulses) < MIN_PULSES:
        return None
    heights = np.array([h for _, _, h in pulses])
    median = float(np.median(heights))
    agree = np.abs(heights - median) <= PULSE_AGREEMENT * median
    if agree.sum() < MIN_PULSES:
        return None
    height = float(np.median(heights[agree]))
    width = float(np.median([w for (_, w, _), ok in zip(pulses, agree) if ok]))
    across = width / PULSE_WIDTH_MM if abs(width / height - PULSE_WIDTH_MM / PULSE_MM) \
        <= PULSE_WIDTH_TOLERANCE * PULSE_WIDTH_MM / PULSE_MM else height / PULSE_MM
    return across, height / PULSE_MM


def pulses_agree(flat: np.ndarray, px_per_mm: tuple[float, float]) -> bool:
    """Whether a grid measured at ``px_per_mm`` fits the page's calibration pulses (10 mm
    tall at 10 mm/mV, or 5 or 20 mm at half or double gain), or there are none to check.
    A page without a grid can pass for one (its text and beats repeat); its pulses then
    come out at some other height in "mm"."""
    scale = pulse_scale(flat)
    if scale is None:
        return True
    height_mm = scale[1] * PULSE_MM / px_per_mm[1]
    return any(abs(height_mm / gain - 1) <= GAIN_TOLERANCE for gain in (5.0, 10.0, 20.0))


def calibration_pulses(flat: np.ndarray) -> list[tuple[float, float, float]]:
    """(x, width, height), in px, of each pulse-shaped mark: two vertical strokes of about
    one height, their tops and feet level, joined along the top by ink, blank inside."""
    side = max(flat.shape[:2])
    darkness = paper_darkness(flat, max(3, int(0.01 * side)) | 1).astype(np.float32) / 255
    cut = float(np.clip(INK_LEVEL * np.percentile(darkness[::2, ::2], 99.7), *INK_DARKNESS))
    ink = (darkness > cut).astype(np.uint8)
    ink = cv2.dilate(ink, np.ones((1, 3), np.uint8))  # bent or aliased strokes stay whole
    lo, hi = (int(f * side) for f in PULSE_RANGE)
    upright = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((int(0.8 * lo), 1), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(upright, connectivity=8)
    # (x, top, foot, half width) of each stroke, its ends moved in by half its width
    strokes = sorted((s[0] + s[2] / 2, s[1] + (s[2] - 2) / 2, s[1] + s[3] - (s[2] - 2) / 2,
                      s[2] / 2) for s in stats[1:n]
                     if lo <= s[3] <= hi and s[2] <= MAX_STROKE_WIDTH * s[3])
    pulses = []
    for i, (xa, top_a, foot_a, half_a) in enumerate(strokes):
        height = foot_a - top_a
        for xb, top_b, foot_b, half_b in strokes[i + 1:]:
            gap = xb - xa
            if gap > PULSE_ASPECT[1] * height:
                break
            level = 0.1 * height
            if gap < PULSE_ASPECT[0] * height or abs(top_b - top_a) > level \
                    or abs(foot_b - foot_a) > level:
                continue
            top = ink[max(0, int(min(top_a, top_b)) - 3):int(max(top_a, top_b)) + 4,
                      int(xa):int(xb) + 1].any(axis=0)
            pad = int(max(half_a, half_b)) + 1
            inside = ink[int(max(top_a, top_b)) + pad:int(min(foot_a, foot_b)) - pad,
                         int(xa) + pad:int(xb) - pad + 1]
            if top.mean() >= 0.9 and inside.size and inside.mean() <= MAX_INK_INSIDE:
                lengths = [_stroke_length(darkness, *stroke) for stroke
                           in ((xa, top_a, foot_a, half_a), (xb, top_b, foot_b, half_b))]
                pulses.append(((xa + xb) / 2, gap, float(np.mean(lengths))))
                break
    return pulses


def _stroke_length(darkness: np.ndarray, x: float, top: float, foot: float, half: float
                   ) -> float:
    """Centre-to-centre length of a vertical stroke (centre ``x``, half width ``half``)
    found between ``top`` and ``foot``: the run of its darkness profile above half its
    level (the ends of a blurred line), less half the stroke's width at half its level
    (the trace's thickness, which blur widens)."""
    h, w = darkness.shape
    reach = int(0.25 * (foot - top)) + 3
    y0, y1 = max(0, int(top) - reach), min(h, int(foot) + reach)
    x0 = max(0, int(round(x - half)) - 1)
    across = darkness[int((top + foot) / 2), x0:int(round(x + half)) + 2]
    centre = x0 + int(np.argmax(across))
    along = darkness[y0:y1, max(0, centre - 1):centre + 2].max(axis=1)
    level = 0.5 * float(np.median(along[int(top) - y0:int(foot) - y0]))
    middle = (int(top) + int(foot)) // 2 - y0
    below = np.flatnonzero(along < level)
    first = below[below < middle].max(initial=-1) + 1
    last = below[below > middle].min(initial=len(along)) - 1
    width = np.count_nonzero(across >= 0.5 * across.max())
    return float(last - first + 1 - width / 2)
