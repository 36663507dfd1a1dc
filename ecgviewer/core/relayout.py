"""Any printer's page -> the app's own 3x4+1 page, before encoding.

Carts print the same twelve leads in their own frame: a header of patient text above
the leads, rows spaced as they like, the calibration pulse at either end of a row, one
to three rhythm strips, or 12x1 (a 6x2 page is left as it is: see :func:`_lanes`), and
the limb leads in the standard or the Cabrera order. The encoder learned the app's
renderer, where each lead sits at one place, so a rectified photo is re-laid first: its
trace rows are found (the isoelectric line is the most inked height of a row), each
row's 10 s of signal is located (the pulse told apart by its flat top), the limb leads'
order is read from the traces themselves (see :func:`order_residuals`), and the ink is
copied onto a fresh page of the renderer's geometry: row by row onto its baselines,
25 mm/s from its left margin, with its grid, pulses and labels. Pages whose rows cannot
be read are left as they are. Qt-free: numpy and OpenCV.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from ecgviewer.core.ink import paper_darkness
from ecgviewer.core.paper import LAYOUTS, PaperStyle
from ecgviewer.core.render import render_blank
from ecgviewer.core.rhythm_strip import followed_centres

#: Ink is darker than this share of the page's darkest print (the trace): faded thermal
#: print stays ink, the major lines of a grey grid do not.
INK_LEVEL = 0.6
#: On a page whose ink level is at most FAINT_PAGE_LEVEL (faded print), what is copied
#: also takes fainter ink, down to FAINT_INK_SHARE of the level, that continues sure
#: ink within FAINT_REACH_MM (see :func:`_with_faint_ink`).
FAINT_PAGE_LEVEL, FAINT_INK_SHARE, FAINT_REACH_MM = 0.4, 0.6, 1.0
#: Ink pieces smaller than this (mm^2) on their own are not copied.
SPECK_MM2 = 1.2
#: Fold lines (see :func:`fold_lines`): darker than this (of 1), within FOLD_SLOPE
#: (dx/dy) of vertical, at most MAX_FOLDS of them (more are a grid), blanked over
#: FOLD_WIDTH of the page's width (1.5 mm of a 297 mm page).
FOLD_DARKNESS, FOLD_SLOPE, MAX_FOLDS, FOLD_WIDTH = 0.15, 0.25, 3, 0.005
#: Grid lines this dark in the brightest channel (of 1) are grey, and are taken out.
GREY_GRID_DARKNESS = 0.12
#: Seconds of signal on a full row at 25 mm/s, and the mm they take.
ROW_SECONDS, ROW_MM = 10.0, 250.0
#: A trace row's baseline holds ink in at least this share of the page's columns ...
MIN_BASELINE_COVER = 0.08
#: ... and at least this share of the best row's.
MIN_ROW_RELATIVE = 0.45
#: How far (mm) a bent baseline may stray from its row's height and still count.
BASELINE_TOLERANCE_MM = 1.2
#: A trace row spans this share of 10 s, and holds ink in this share of the columns it
#: spans (faded print breaks up); a line of text is shorter or sparser.
MIN_ROW_SPAN, MIN_ROW_FILL = 0.7, 0.45
#: Ink within this (mm) along a row is one stroke, and a stroke narrower than this (mm)
#: is a stray mark, not the end of a trace (see _in_strokes).
STROKE_GAP_MM, MIN_STROKE_MM = 2.0, 2.0
#: A "baseline" covering more than this share of the columns is an edge or a rule (a
#: trace, 250 of a page's 270 mm and its pulse, covers less).
MAX_BASELINE_COVER = 0.97
#: Rows are evenly spaced: a gap this much wider than another means a row was missed.
MAX_GAP_RATIO = 1.35
#: Baselines closer than this (mm) are one row.
MIN_ROW_GAP_MM = 14.0
#: The calibration pulse: 10 mm tall (1 mV at 10 mm/mV), 3-7 mm wide, flat on top.
PULSE_MM, PULSE_WIDTH_MM = 10.0, (3.0, 7.5)
#: How far (mm) a photographed pulse's top may lie from 10 mm above the baseline.
PULSE_HEIGHT_TOLERANCE_MM = 3.0
#: Columns this close (mm) to a pulse's top belong to the pulse (its upright strokes).
PULSE_MARGIN_MM = 0.6
#: How far ink reaches past a trace's last sample, mm.
OVERHANG_MM = 0.4
#: Share of a row's band, either side of its baseline, that its profile is read from.
PROFILE_REACH = 0.35
#: A page whose rows lie within this (mm) of the renderer's is left as it is.
IN_PLACE_MM = 5.0
#: A 3x4 row holds +-1.5 mV at 10 mm/mV: rows closer than this (mm) are 12x1 rows, some
#: of them lost to the photo.
MIN_3X4_ROW_MM = 25.0
#: Correlation and relative size difference within which two stretches of trace are taken
#: for the same lead at the same time (see _has_rhythm_strip).
SAME_TRACE_CORRELATION, SAME_TRACE_SIZE = 0.99, 0.05
#: Traces thinner than this (px at the page's resolution) are thickened by a pixel, as
#: the renderer draws 0.3 mm.
MIN_STROKE_PX = 2.0
#: The orders carts print the six limb leads in, as two groups of three recorded at the
#: same time (the first two 3x4 columns, or the first six 12x1 rows); "-aVR" is aVR
#: printed upside down. The first is the standard order, kept unless another is proven.
LIMB_ORDERS: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "standard": (("I", "II", "III"), ("aVR", "aVL", "aVF")),
    "Cabrera": (("aVL", "I", "-aVR"), ("II", "aVF", "III")),
    "Cabrera (aVR upright)": (("aVL", "I", "aVR"), ("II", "aVF", "III")),
}
#: Each limb lead as a sum of leads I and II (Einthoven, Goldberger): any three leads of
#: one instant obey one linear relation, which tells the orders apart.
LIMB_LEADS_IN_I_II = {"I": (1.0, 0.0), "II": (0.0, 1.0), "III": (-1.0, 1.0),
                      "aVR": (-0.5, -0.5), "aVL": (1.0, -0.5), "aVF": (-0.5, 1.0),
                      "-aVR": (0.5, 0.5)}
#: Another order is taken only when its relation leaves less than this share of the
#: traces unexplained, and this much less than the standard order's relation.
MAX_ORDER_RESIDUAL, ORDER_MARGIN = 0.25, 0.35
#: A traced trace moves at most this far (mm) from one column to the next.
FOLLOW_GAP_MM = 2.0
#: The band (Gaussian widths, mm) the relations are checked in, and the least trace
#: (mm) traced in all three leads of a group that counts.
ORDER_BAND_MM, ORDER_MIN_MM = (2.5, 12.0), 10.0


@dataclass(frozen=True)
class Relaid:
    """A page re-laid onto the renderer's geometry, and the limb-lead order it was
    printed in (a key of LIMB_ORDERS)."""

    page: np.ndarray
    limb_order: str = "standard"


@dataclass(frozen=True)
class _Row:
    baseline: int  # px
    top: int  # px: the band of the page that belongs to this row
    bottom: int
    start: int  # px: where its 10 s of signal begin
    end: int


@dataclass(frozen=True)
class _Slot:
    """Where a canonical slot's ink comes from: a row, and seconds t0 to t0 + seconds
    of its 10 s; ``inverted`` for a lead printed upside down (-aVR)."""

    row: _Row
    t0: float
    seconds: float
    inverted: bool = False


def relayout(page: np.ndarray, px_per_mm: float) -> Relaid | None:
    """The page re-laid onto the renderer's 3x4+1 geometry at ``px_per_mm``, or None
    when its rows are not surely those of a 3x4 page (1-3 rhythm strips) or a 12x1 page,
    or already lie where the renderer puts them (its own page, searched as printed)."""
    darkness = paper_darkness(page)
    contrast, level = _ink_contrast(darkness)
    ink = contrast > level
    rows = find_rows(ink, px_per_mm)
    found = _lanes(ink, rows, px_per_mm)
    if found is None:
        return None
    lanes, order = found
    style = PaperStyle(px_per_mm=px_per_mm)
    if len(rows) in (4, 5) and _in_place(lanes, style, px_per_mm):
        return None
    out = render_blank(style)
    copied = _without_specks(_with_faint_ink(ink, contrast, level, px_per_mm), px_per_mm)
    darkness = _trace_ink(darkness, copied)
    canvas = np.zeros(out.shape[:2], np.uint8)  # the ink moved onto the new page
    mm_per_s = ROW_MM / ROW_SECONDS
    left = style.left_mm
    slots = [(r, lead, left + c * 62.5) for r, row in enumerate(LAYOUTS["3x4+1"])
             for c, lead in enumerate(row)] + [(3, "rhythm", left)]
    for r, name, x_mm in slots:
        slot = lanes.get(name)
        if slot is None:
            continue
        row = slot.row
        _paste(canvas, darkness, row, row.start + int(round(slot.t0 * mm_per_s * px_per_mm)),
               int(round(slot.seconds * mm_per_s * px_per_mm)), int(round(x_mm * px_per_mm)),
               int(round(style.baseline_mm(r) * px_per_mm)), slot.inverted)
    paper = 255 - canvas
    return Relaid(cv2.min(out, cv2.merge([paper, paper, paper])), order)


def _in_place(lanes: dict[str, _Slot], style: PaperStyle, px_per_mm: float) -> bool:
    """Whether a page's first four rows already are the renderer's 3x4+1 page: every row
    on its baseline and the signal from its left margin. The encoder learned such pages
    as photographed, so they are searched as they are (so is a 6x2 page of the renderer
    that lost a row to the photo)."""
    block = sorted({slot.row for name, slot in lanes.items() if name != "rhythm"},
                   key=lambda row: row.baseline)
    rows = block[:3] + [lanes["rhythm"].row]
    tolerance = IN_PLACE_MM * px_per_mm
    return all(abs(row.baseline - style.baseline_mm(r) * px_per_mm) <= tolerance
               and abs(row.start - style.left_mm * px_per_mm) <= tolerance
               for r, row in enumerate(rows))


def ink_mask(darkness: np.ndarray) -> np.ndarray:
    """Trace (and text) pixels: dark in their brightest channel, above the darkness that
    their whole row or column shares (a grid line runs the whole page, and a grey grid
    is as dark as faded thermal print; a trace leaves even a flat baseline for its
    margins and every QRS, over a tenth of the row), and not on a fold line (see
    :func:`fold_lines`). ``darkness`` is :func:`paper_darkness`'s.
    """
    contrast, level = _ink_contrast(darkness)
    return contrast > level


def _ink_contrast(darkness: np.ndarray) -> tuple[np.ndarray, float]:
    """:func:`ink_mask`'s contrast map (of 1) and the level ink lies above."""
    shade = darkness.astype(np.float32) / 255.0
    lines = np.maximum(np.percentile(shade[:, ::3], 10, axis=1)[:, None],  # a sample will do
                       np.percentile(shade[::3], 10, axis=0)[None, :])
    # Coloured grid lines are light in the brightest channel already; only a grey grid
    # needs taking out (at the cost of a trace flat enough to pass for a grid line).
    ink = shade
    if float(np.percentile(lines, 95)) > GREY_GRID_DARKNESS:
        # a line bent by a pixel or two by the photo still darkens its neighbours' rows
        ink = shade - cv2.dilate(lines, np.ones((3, 3), np.uint8))
    folds = fold_lines(ink)
    if folds is not None:
        ink = np.where(folds, 0.0, ink)
    trace = float(np.percentile(ink[::2, ::2], 99.7))  # the darkest print is trace
    return ink, max(0.1, INK_LEVEL * trace)


def _with_faint_ink(ink: np.ndarray, contrast: np.ndarray, level: float, px_per_mm: float
                    ) -> np.ndarray:
    """``ink`` and the fainter ink (down to FAINT_INK_SHARE of its level) that continues
    it within FAINT_REACH_MM: what is copied onto the new page. Faded thin print, shaken
    by the camera, keeps its steep QRS strokes dark while its flat stretches fade; the
    rows are found on the sure ink alone, where header text and grid stay out. Dark
    print (an ink level above FAINT_PAGE_LEVEL) needs none of this, and keeps its
    own line width."""
    if level > FAINT_PAGE_LEVEL:
        return ink
    faint = (contrast > FAINT_INK_SHARE * level).astype(np.uint8)
    grown = ink.astype(np.uint8)
    square = np.ones((3, 3), np.uint8)
    for _ in range(max(1, int(round(FAINT_REACH_MM * px_per_mm)))):
        grown = cv2.dilate(grown, square) & faint
    return grown.astype(bool) | ink


def fold_lines(ink: np.ndarray) -> np.ndarray | None:
    """Where a printout folded across its time axis left a crease: a dark, straight,
    near-vertical line over at least half the page's height (no trace, pulse or label
    has one), as a mask FOLD_WIDTH wide; None when there is none, or when so many show
    that they are a grid's lines (those are :func:`ink_mask`'s to take out). Left in,
    a fold is the darkest print on the page: it sets the ink level, hides the faded
    trace and is copied onto every row."""
    h, w = ink.shape
    # at half size: a fold is long and the search four times cheaper (it runs per page)
    dark = np.ascontiguousarray(ink[::2, ::2] > FOLD_DARKNESS).astype(np.uint8)
    half = dark.shape[0]
    found = cv2.HoughLinesP(dark, 1, np.pi / 360, threshold=half // 4,
                            minLineLength=half // 2, maxLineGap=max(2, half // 50))
    if found is None:
        return None
    lines = [(2 * x1, 2 * y1, 2 * x2, 2 * y2) for x1, y1, x2, y2 in found.reshape(-1, 4)
             if abs(x2 - x1) <= FOLD_SLOPE * abs(y2 - y1)]
    positions = sorted((x1 + x2) / 2 for x1, _, x2, _ in lines)
    distinct = 1 + int(np.count_nonzero(np.diff(positions) > FOLD_WIDTH * w)) if lines else 0
    if not 0 < distinct <= MAX_FOLDS:
        return None
    mask = np.zeros((h, w), np.uint8)
    width = max(3, int(round(FOLD_WIDTH * w)))
    for x1, y1, x2, y2 in lines:  # the whole line, end to end: a fold runs edge to edge
        dx = (x2 - x1) / max(1, y2 - y1)
        cv2.line(mask, (int(round(x1 - dx * y1)), 0), (int(round(x2 + dx * (h - y2))), h),
                 1, width)
    return mask.astype(bool)


def _without_specks(ink: np.ndarray, px_per_mm: float) -> np.ndarray:
    """``ink`` less its specks: pieces under SPECK_MM2 on their own (grid crossings
    with the faint ink grown along their lines, dust, JPEG blocks), which the encoder
    would read as signal. The renderer's page brings its own labels."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= SPECK_MM2 * px_per_mm ** 2
    keep[0] = False
    return keep[labels]


def _trace_ink(darkness: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The ink as the renderer draws it, 0-255: the darkest print (faded thermal, blue)
    becomes black, and a trace thinner than the renderer's is thickened."""
    dark = np.where(ink, darkness, 0).astype(np.float32)
    level = float(np.percentile(dark[ink], 90)) if ink.any() else 255.0
    dark = np.clip(dark * (255.0 / max(level, 1.0)), 0, 255).astype(np.uint8)
    runs = np.count_nonzero(ink[1:] & ~ink[:-1])  # vertical runs of ink
    if runs and np.count_nonzero(ink) / runs < MIN_STROKE_PX:
        dark = cv2.dilate(dark, np.ones((2, 1), np.uint8))
    return dark


def find_rows(ink: np.ndarray, px_per_mm: float) -> list[tuple[int, int, int]]:
    """(baseline, first column, last column) of each trace row, top to bottom; empty
    when the rows found are not evenly spaced (one missed or one too many).

    A trace spends most of its time on the isoelectric line, so a row's baseline is a
    height where many columns hold ink (within a little more than a millimetre: a
    crumpled sheet bends it); printed text, made of short strokes, holds less, and its
    lines have gaps between words, where a trace runs on unbroken.
    """
    near = cv2.dilate(ink.astype(np.uint8),
                      np.ones((max(1, int(BASELINE_TOLERANCE_MM * px_per_mm)) | 1, 1), np.uint8))
    cover = np.convolve(near.mean(axis=1).astype(np.float64), np.ones(3) / 3, mode="same")
    gap = int(MIN_ROW_GAP_MM * px_per_mm)
    peaks: list[int] = []
    for y in np.argsort(cover)[::-1]:
        if cover[y] < MIN_BASELINE_COVER:
            break
        if all(abs(int(y) - p) >= gap for p in peaks):
            peaks.append(int(y))
    found = []
    for y in peaks:
        columns = ink[max(0, y - gap // 2):y + gap // 2].any(axis=0)
        xs = np.flatnonzero(columns)
        if cover[y] > MAX_BASELINE_COVER or not len(xs) \
                or xs[-1] - xs[0] < MIN_ROW_SPAN * ROW_MM * px_per_mm:
            continue  # a solid edge, or a line of text
        if columns[xs[0]:xs[-1] + 1].mean() >= MIN_ROW_FILL:
            strokes = np.flatnonzero(columns & _in_strokes(columns, px_per_mm))
            ends = (strokes[0], strokes[-1]) if len(strokes) else (xs[0], xs[-1])
            found.append((float(cover[y]), (y, int(ends[0]), int(ends[1]) + 1)))
    best = max((c for c, _ in found), default=0.0)
    rows = sorted(row for c, row in found if c >= MIN_ROW_RELATIVE * best)
    gaps = np.diff([r[0] for r in rows])
    if len(gaps) and gaps.max() > MAX_GAP_RATIO * gaps.min():
        return []
    return rows


def _in_strokes(columns: np.ndarray, px_per_mm: float) -> np.ndarray:
    """Inked columns that belong to a stroke at least MIN_STROKE_MM wide, counting gaps
    under STROKE_GAP_MM as ink: a trace (broken, faded) or a pulse, and not the odd
    grid line dark enough to pass for faded print."""
    gap = max(1, int(round(STROKE_GAP_MM * px_per_mm)))
    closed = cv2.morphologyEx(columns.astype(np.uint8)[None], cv2.MORPH_CLOSE,
                              np.ones((1, gap), np.uint8))[0].astype(bool)
    edges = np.diff(np.concatenate([[0], closed.astype(np.int8), [0]]))
    keep = np.zeros_like(closed)
    for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
        if b - a >= MIN_STROKE_MM * px_per_mm:
            keep[a:b] = True
    return keep


def _lanes(ink: np.ndarray, rows: list[tuple[int, int, int]], px_per_mm: float
           ) -> tuple[dict[str, _Slot], str] | None:
    """Where each slot of the canonical page comes from (lead name, or "rhythm", ->
    its source), and the limb-lead order read (see :func:`limb_order`); None for a page
    that is not surely of a layout read here.

    The canonical column c of a lead shows seconds 2.5c to 2.5(c+1). 3x4 columns are
    consecutive 2.5 s (with 1-3 rhythm strips below; five or six rows are 3x4 only when
    :func:`_is_3x4` proves it, else they are, or may be, 6x2), so a lead printed in
    another column than the canonical one brings another 2.5 s of itself; 12x1 rows are
    all 10 s.
    """
    n = len(rows)
    if n not in (4, 5, 6, 12):
        return None
    bands = _bands(ink, rows, px_per_mm)
    spacing = float(np.median(np.diff([row.baseline for row in bands]))) / px_per_mm
    if n == 4 and spacing < MIN_3X4_ROW_MM:
        return None
    if n == 12:
        groups = [[_Slot(bands[3 * g + r], 0.0, ROW_SECONDS) for r in range(3)]
                  for g in range(2)]
        chest = {f"V{k + 1}": _Slot(bands[6 + k], 0.0, ROW_SECONDS) for k in range(6)}
    else:  # a 3x4 block: limb group g is column g of rows 0-2; V1-V3, V4-V6 columns 2, 3
        groups = [[_Slot(bands[r], 2.5 * g, 2.5) for r in range(3)] for g in range(2)]
        chest = {lead: _Slot(bands[r], 2.5 * c, 2.5) for r in range(3)
                 for c, lead in ((2, f"V{r + 1}"), (3, f"V{r + 4}"))}
    traced = trace_groups(ink, groups, px_per_mm)
    if n in (5, 6) and not _is_3x4(ink, bands, traced):
        return None  # a 6x2 page is read as it is: re-laid, it would lose 5 s of rhythm
    order = limb_order(traced)
    found = dict(chest)
    for group, names in zip(groups, LIMB_ORDERS[order]):
        for slot, name in zip(group, names):
            found[name.lstrip("-")] = replace(slot, inverted=name.startswith("-"))
    lanes = {}
    for row in LAYOUTS["3x4+1"]:
        for c, lead in enumerate(row):
            slot = found[lead]
            # a 12x1 row, or a lead printed in another 3x4 column: the same share of 10 s
            t0 = 2.5 * c if slot.seconds == ROW_SECONDS else slot.t0
            lanes[lead] = replace(slot, t0=t0, seconds=2.5)
    ii = found["II"]
    if n == 12:
        lanes["rhythm"] = _Slot(ii.row, 0.0, ROW_SECONDS)
    elif n > 3:
        lanes["rhythm"] = _Slot(_rhythm_ii(ink, bands, ii), 0.0, ROW_SECONDS)
    return lanes, order


def limb_order(traced: list[np.ndarray | None]) -> str:
    """Which of LIMB_ORDERS the two groups of three simultaneous limb-lead traces
    (:func:`trace_groups`) were printed in (see :func:`order_residuals`)."""
    residual = order_residuals(traced)
    best = min(residual, key=residual.get)
    if best != "standard" and _proven(residual[best], residual["standard"]):
        return best
    return "standard"


def _proven(residual: float, rival: float) -> bool:
    """Whether relations left ``residual`` unexplained, against a rival's."""
    return residual < MAX_ORDER_RESIDUAL and residual < ORDER_MARGIN * rival


def _is_3x4(ink: np.ndarray, bands: list[_Row], traced: list[np.ndarray | None]) -> bool:
    """Whether the first three of five or six rows are a 3x4 block (with rhythm strips
    below) rather than a 6x2 page's first rows.

    On a 3x4 page the rows change lead every 2.5 s, so the first two columns obey two
    different limb-lead relations; on a 6x2 page the rows keep their leads for 5 s, so
    the second 2.5 s obeys the first one's. When neither is proven (a blurred photo
    breaks the relations), a rhythm strip repeating a slot of the block proves 3x4.
    ``traced`` are the block's first two columns (:func:`trace_groups`).
    """
    block = min(order_residuals(traced).values())
    kept = {name: (order[0], order[0]) for name, order in LIMB_ORDERS.items()}
    six_by_two = min(order_residuals(traced, kept).values())
    if _proven(block, six_by_two):
        return True
    if _proven(six_by_two, block):
        return False
    return _has_rhythm_strip(ink, bands)


def trace_groups(ink: np.ndarray, groups: list[list[_Slot]], px_per_mm: float
                 ) -> list[np.ndarray | None]:
    """Each group's three traces, band-passed (see :func:`order_residuals`), at the
    columns traced in all three; None for a group traced too little."""
    traced = []
    for group in groups:
        heights = [_heights(ink, slot, px_per_mm) for slot in group]
        n = min(len(h) for h in heights)
        traced.append(_band_pass(np.stack([h[:n] for h in heights]), px_per_mm))
    return traced


def order_residuals(traced: list[np.ndarray | None],
                    orders: dict[str, tuple[tuple[str, ...], ...]] = LIMB_ORDERS
                    ) -> dict[str, float]:
    """For each of ``orders``, how badly the traced groups (:func:`trace_groups`) break
    its limb-lead relations.

    Of three limb leads recorded at one instant, one is a linear sum of the other two
    (II = I + III, aVR + aVL + aVF = 0, and in the Cabrera order aVL + (-aVR) = 1.5 I):
    the traced heights obey the relation of the order they were printed in and not the
    others'. The relation is linear, so it survives a band-pass, which takes out what a
    crumpled sheet adds (slow bends, a QRS moved by a millimetre between rows). The
    residual is weighed against the traces' own size: 0 is an exact fit, about 1 none.
    """
    residual = {}
    for order, names in orders.items():
        misfit = size = 0.0
        for h, group_names in zip(traced, names):
            if h is None:
                continue
            # c . (I, II) coefficients of the three leads = 0: the cross product of the
            # coefficient columns
            basis = np.array([LIMB_LEADS_IN_I_II[name] for name in group_names])
            c = np.cross(basis[:, 0], basis[:, 1])
            misfit += float(np.sum((c @ h) ** 2))
            size += float(np.sum((c[:, None] * h) ** 2))
        residual[order] = misfit / size if size > 0 else np.inf
    return residual


def _band_pass(heights: np.ndarray, px_per_mm: float) -> np.ndarray | None:
    """Rows of traced heights (NaN: no ink) band-passed (Gaussians of ORDER_BAND_MM), at
    the columns inked in every row; None when under ORDER_MIN_MM of them are."""
    both = np.all(np.isfinite(heights), axis=0)
    if both.sum() < ORDER_MIN_MM * px_per_mm:
        return None
    cols = np.arange(heights.shape[1])
    filled = np.stack([np.interp(cols, cols[both], row[both]) for row in heights])
    fine, coarse = (cv2.GaussianBlur(filled.astype(np.float32), (0, 1), sigmaX=mm * px_per_mm)
                    for mm in ORDER_BAND_MM)
    return (fine - coarse)[:, both].astype(np.float64)


def _heights(ink: np.ndarray, slot: _Slot, px_per_mm: float) -> np.ndarray:
    """The trace's height (px) above its baseline in each column of a slot's time, NaN
    where it holds no ink; 0.1 s at either end is left out (column separators, a pulse).
    The trace is followed from column to column, so a lead label or a neighbouring
    row's tall complex in the same columns is not taken for it."""
    px_per_s = ROW_MM / ROW_SECONDS * px_per_mm
    row = slot.row
    a = max(0, row.start + int(round((slot.t0 + 0.1) * px_per_s)))
    b = max(a, row.start + int(round((slot.t0 + slot.seconds - 0.1) * px_per_s)))
    centres = followed_centres(ink[row.top:row.bottom, a:b], row.baseline - row.top,
                               max_gap=FOLLOW_GAP_MM * px_per_mm)
    return row.baseline - row.top - centres


def _bands(ink: np.ndarray, rows: list[tuple[int, int, int]], px_per_mm: float) -> list[_Row]:
    """Each row's share of the page (to half-way to its neighbours) and its 10 s.

    A cart starts every row at the same place, so the rows' own estimates (one may
    miss its pulse behind a tall complex) are replaced by their median.
    """
    spans = []
    for i, (y, x0, x1) in enumerate(rows):
        up = (y - rows[i - 1][0]) // 2 if i else int(20 * px_per_mm)
        down = (rows[i + 1][0] - y) // 2 if i + 1 < len(rows) else int(15 * px_per_mm)
        top, bottom = max(0, y - up), min(ink.shape[0], y + down)
        spans.append((y, top, bottom, _signal_span(ink[top:bottom], y - top, x0, x1, px_per_mm)))
    start = int(np.median([span[0] for *_, span in spans]))
    end = start + int(round(ROW_MM * px_per_mm))
    return [_Row(y, top, bottom, start, end) for y, top, bottom, _ in spans]


def _signal_span(band: np.ndarray, baseline: int, x0: int, x1: int, px_per_mm: float
                 ) -> tuple[int, int]:
    """The row's 10 s within its ink's extent x0:x1: the trace less a calibration pulse
    at either end (at the start unless one is seen only at the end) and less stray marks.

    The trace is measured from its end away from the pulse, as carts leave a gap of
    their own between pulse and trace. Ink reaches OVERHANG_MM past a trace's last
    sample (one sample's step and half the stroke), so a span measured from its far end
    is moved back by that much.
    """
    full = int(round(ROW_MM * px_per_mm))
    overhang = int(round(OVERHANG_MM * px_per_mm))
    reach = int(12 * px_per_mm)
    near = int(MIN_ROW_GAP_MM * px_per_mm) // 2
    columns = band[max(0, baseline - near):baseline + near].any(axis=0)
    pulses = {}
    # a pulse's far upright stroke stands alone, and may lie outside the row's strokes
    for side, (a, b) in (("start", (x0 - reach, x0 + reach)), ("end", (x1 - reach, x1 + reach))):
        pulses[side] = _pulse_run(band, baseline, a, b, px_per_mm)
        if pulses[side] is not None:
            margin = int(round(PULSE_MARGIN_MM * px_per_mm))
            pa, pb = pulses[side]
            columns[max(0, pa - margin):pb + margin] = False
    xs = np.flatnonzero((columns & _in_strokes(columns, px_per_mm))[x0:x1]) + x0
    if not len(xs):
        return x0, x1
    t0, t1 = int(xs[0]), int(xs[-1]) + 1
    if pulses["end"] is not None and pulses["start"] is None:
        return t0, t0 + full
    if t1 - t0 < full:  # a row cut short: what there is
        return t0, t1
    return t1 - full - overhang, t1 - overhang


def _pulse_run(band: np.ndarray, baseline: int, a: int, b: int, px_per_mm: float
               ) -> tuple[int, int] | None:
    """The columns (start, end) of a pulse's flat top 10 mm above the baseline within
    columns a:b, or None."""
    a = max(0, a)
    top = baseline - int(round(PULSE_MM * px_per_mm))
    reach = int(PULSE_HEIGHT_TOLERANCE_MM * px_per_mm)
    rows = band[max(0, top - reach):max(1, top + reach), a:b]
    if rows.size == 0:
        return None
    edges = np.diff(np.concatenate([[0], rows.any(axis=0).astype(np.int8), [0]]))
    runs = list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)))
    if not runs:
        return None
    lo, hi = PULSE_WIDTH_MM
    ra, rb = max(runs, key=lambda r: r[1] - r[0])
    return (a + int(ra), a + int(rb)) if lo * px_per_mm <= rb - ra <= hi * px_per_mm else None


def _has_rhythm_strip(ink: np.ndarray, bands: list[_Row]) -> bool:
    """Whether rows 4-6 of a six-row page include a rhythm strip (3x4+3) rather than
    being the second half of a 6x2 page: a rhythm strip repeats, to the sample, a 2.5 s
    slot of the 3x4 block above it (the same lead at the same time), while the twelve
    slots of a 6x2 page are twelve different leads. The match must be close: a 6x2
    page's aVF can pass for its II."""
    profiles = [_profile(ink, row) for row in bands]
    for strip in profiles[3:]:
        for block in profiles[:3]:
            quarter = min(len(strip), len(block)) // 4
            for c in range(4):
                part = slice(c * quarter, (c + 1) * quarter)
                if _same_trace(strip[part], block[part]):
                    return True
    return False


def _same_trace(a: np.ndarray, b: np.ndarray) -> bool:
    """Two stretches of trace that are one signal (shape and size)."""
    if len(a) < 10 or a.std() < 1.0 or b.std() < 1.0:
        return False
    return bool(np.corrcoef(a, b)[0, 1] > SAME_TRACE_CORRELATION
                and 1 - SAME_TRACE_SIZE < a.std() / b.std() < 1 + SAME_TRACE_SIZE)


def _profile(ink: np.ndarray, row: _Row) -> np.ndarray:
    """Per column of the row's signal, the ink's median height above its baseline (px),
    within the middle of the row's band (0 where there is none): the trace, little
    moved by a label, a separator or a neighbouring row's tall complex in the same
    column."""
    profile, inked = _profile_inked(ink, row)
    return np.where(inked, profile, 0.0)


def _profile_inked(ink: np.ndarray, row: _Row) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_profile`, and which of its columns hold ink."""
    reach = int(PROFILE_REACH * (row.bottom - row.top))
    top = max(row.top, row.baseline - reach)
    band = ink[top:row.baseline + reach, max(0, row.start):row.end]
    counts = band.sum(axis=0)
    middle = np.argmax(np.cumsum(band, axis=0) >= np.maximum(counts, 1)[None, :] / 2, axis=0)
    return (row.baseline - top - middle).astype(np.float64), counts > 0


def _rhythm_ii(ink: np.ndarray, bands: list[_Row], ii: _Slot) -> _Row:
    """Of the rhythm strips, the one most like lead II's slot in the 3x4 block at the
    same time (carts print II, V1 and V5 in their own order)."""
    strips = bands[3:]
    if len(strips) == 1:
        return strips[0]
    px_per_s = (ii.row.end - ii.row.start) / ROW_SECONDS
    cut = slice(int(ii.t0 * px_per_s), int((ii.t0 + ii.seconds) * px_per_s))
    reference = _profile(ink, ii.row)[cut]
    best, best_score = strips[0], -np.inf
    for strip in strips:
        candidate = _profile(ink, strip)[cut]
        n = min(len(candidate), len(reference))
        a, b = candidate[:n], reference[:n]
        score = float(np.corrcoef(a, b)[0, 1]) if n > 10 and a.std() > 0 and b.std() > 0 \
            else -1.0
        if np.isfinite(score) and score > best_score:
            best, best_score = strip, score
    return best


def _paste(out: np.ndarray, darkness: np.ndarray, row: _Row, x0: int, width: int, x0_out: int,
           baseline_out: int, inverted: bool = False) -> None:
    """Add to ``out`` (ink, 0-255) the ink of ``row``'s columns x0:x0+width, moved so
    the row's baseline lands on ``baseline_out`` and x0 on ``x0_out`` (and turned about
    the baseline when ``inverted``)."""
    h, w = out.shape[:2]
    src = darkness[row.top:row.bottom, max(0, x0):x0 + width]
    above, below = row.baseline - row.top, row.bottom - row.baseline
    if inverted:
        src, above, below = src[::-1], below, above
    top = baseline_out - above + (1 if inverted else 0)  # row k below lands k above
    bottom = top + src.shape[0]
    sx = max(0, -x0)
    ya, yb = max(0, top), min(h, bottom)
    xa, xb = x0_out + sx, min(w, x0_out + sx + src.shape[1])
    if ya >= yb or xa >= xb:
        return
    part = src[ya - top:yb - top, :xb - xa]
    region = out[ya:yb, xa:xb]
    np.maximum(region, part, out=region)
