"""Any printer's page -> the app's own 3x4+1 page, before encoding.

Carts print the same twelve leads in their own frame: a header of patient text above
the leads, rows spaced as they like, the calibration pulse at either end of a row, one
to three rhythm strips, or 12x1 (a 6x2 page is left as it is: see :func:`_lanes`). The encoder learned the app's renderer, where each
lead sits at one place, so a rectified photo is re-laid first: its trace rows are found
(the isoelectric line is the most inked height of a row), each row's 10 s of signal is
located (the pulse told apart by its flat top), and the ink is copied onto a fresh page
of the renderer's geometry: row by row onto its baselines, 25 mm/s from its left margin,
with its grid, pulses and labels. Pages whose rows cannot be read are left as they are.
Qt-free: numpy and OpenCV.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ecgviewer.core.paper import LAYOUTS, PaperStyle

from ecgviewer.core.render import render_blank

#: Ink is darker than this share of the page's darkest print (the trace): faded thermal
#: print stays ink, the major lines of a grey grid do not.
INK_LEVEL = 0.6
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
#: A "baseline" covering more than this share of the columns is an edge or a rule (a
#: trace, 250 of a page's 270 mm and its pulse, covers less).
MAX_BASELINE_COVER = 0.97
#: Rows are evenly spaced: a gap this much wider than another means a row was missed.
MAX_GAP_RATIO = 1.35
#: Baselines closer than this (mm) are one row.
MIN_ROW_GAP_MM = 14.0
#: The calibration pulse: 10 mm tall (1 mV at 10 mm/mV), 3-7 mm wide, flat on top.
PULSE_MM, PULSE_WIDTH_MM = 10.0, (3.0, 7.5)
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


@dataclass(frozen=True)
class _Row:
    baseline: int  # px
    top: int  # px: the band of the page that belongs to this row
    bottom: int
    start: int  # px: where its 10 s of signal begin
    end: int


def relayout(page: np.ndarray, px_per_mm: float) -> np.ndarray | None:
    """The page re-laid onto the renderer's 3x4+1 geometry at ``px_per_mm``, or None
    when its rows are not surely those of a 3x4 page (1-3 rhythm strips) or a 12x1 page,
    or already lie where the renderer puts them."""
    darkness = _darkness(page)
    ink = ink_mask(darkness)
    rows = find_rows(ink, px_per_mm)
    lanes = _lanes(ink, rows, px_per_mm)
    if lanes is None:
        return None
    style = PaperStyle(px_per_mm=px_per_mm)
    if len(rows) in (4, 5) and _in_place(lanes, style, px_per_mm):
        return None
    out = render_blank(style)
    darkness = _trace_ink(darkness, ink)
    canvas = np.zeros(out.shape[:2], np.uint8)  # the ink moved onto the new page
    mm_per_s = ROW_MM / ROW_SECONDS
    left = style.left_mm
    slots = [(r, lead, left + c * 62.5) for r, row in enumerate(LAYOUTS["3x4+1"])
             for c, lead in enumerate(row)] + [(3, "rhythm", left)]
    for r, name, x_mm in slots:
        source = lanes.get(name)
        if source is None:
            continue
        row, t0, seconds = source
        _paste(canvas, darkness, row, row.start + int(round(t0 * mm_per_s * px_per_mm)),
               int(round(seconds * mm_per_s * px_per_mm)), int(round(x_mm * px_per_mm)),
               int(round(style.baseline_mm(r) * px_per_mm)))
    paper = 255 - canvas
    return cv2.min(out, cv2.merge([paper, paper, paper]))


def _in_place(lanes: dict[str, tuple[_Row, float, float]], style: PaperStyle,
              px_per_mm: float) -> bool:
    """Whether a page's first four rows already are the renderer's 3x4+1 page: every row
    on its baseline and the signal from its left margin. The encoder learned such pages
    as photographed, so they are searched as they are (so is a 6x2 page of the renderer
    that lost a row to the photo)."""
    rows = [lanes[row[0]][0] for row in LAYOUTS["3x4+1"]] + [lanes["rhythm"][0]]
    tolerance = IN_PLACE_MM * px_per_mm
    return all(abs(row.baseline - style.baseline_mm(r) * px_per_mm) <= tolerance
               and abs(row.start - style.left_mm * px_per_mm) <= tolerance
               for r, row in enumerate(rows))


def ink_mask(darkness: np.ndarray) -> np.ndarray:
    """Trace (and text) pixels: dark in their brightest channel, above the darkness that
    their whole row or column shares (a grid line runs the whole page, and a grey grid
    is as dark as faded thermal print; a trace leaves even a flat baseline for its
    margins and every QRS, over a tenth of the row). ``darkness`` is :func:`_darkness`'s.
    """
    shade = darkness.astype(np.float32) / 255.0
    lines = np.maximum(np.percentile(shade[:, ::3], 10, axis=1)[:, None],  # a sample will do
                       np.percentile(shade[::3], 10, axis=0)[None, :])
    # Coloured grid lines are light in the brightest channel already; only a grey grid
    # needs taking out (at the cost of a trace flat enough to pass for a grid line).
    ink = shade
    if float(np.percentile(lines, 95)) > GREY_GRID_DARKNESS:
        # a line bent by a pixel or two by the photo still darkens its neighbours' rows
        ink = shade - cv2.dilate(lines, np.ones((3, 3), np.uint8))
    trace = float(np.percentile(ink[::2, ::2], 99.7))  # the darkest print is trace
    return ink > max(0.1, INK_LEVEL * trace)


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


def _darkness(page: np.ndarray) -> np.ndarray:
    """How dark each pixel is in its brightest channel against the local paper, 0-255:
    coloured grid lines stay light there, black, blue or faded traces do not."""
    if page.ndim == 3:
        r, g, b = cv2.split(page)
        brightest = cv2.max(cv2.max(r, g), b)  # several times faster than numpy's max
    else:
        brightest = page
    paper = cv2.dilate(brightest, np.ones((15, 15), np.uint8))
    return 255 - cv2.divide(brightest, paper, scale=255)  # uint8, saturated: fast


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
            found.append((float(cover[y]), (y, int(xs[0]), int(xs[-1]) + 1)))
    best = max((c for c, _ in found), default=0.0)
    rows = sorted(row for c, row in found if c >= MIN_ROW_RELATIVE * best)
    gaps = np.diff([r[0] for r in rows])
    if len(gaps) and gaps.max() > MAX_GAP_RATIO * gaps.min():
        return []
    return rows


def _lanes(ink: np.ndarray, rows: list[tuple[int, int, int]], px_per_mm: float
           ) -> dict[str, tuple[_Row, float, float]] | None:
    """Where each slot of the canonical page comes from: lead name (or "rhythm") ->
    (source row, start and length in s within that row's 10 s); None for a page that
    is not surely of a layout read here.

    The canonical column c of a lead shows seconds 2.5c to 2.5(c+1), and the layouts
    read here keep a lead's time where it was: 3x4 columns are consecutive 2.5 s (with
    1-3 rhythm strips below; five or six rows are 3x4 only when a strip proves it, else
    they are, or may be, 6x2), 12x1 rows all 10 s.
    """
    n = len(rows)
    if n not in (4, 5, 6, 12):
        return None
    bands = _bands(ink, rows, px_per_mm)
    canonical = LAYOUTS["3x4+1"]
    spacing = float(np.median(np.diff([row.baseline for row in bands]))) / px_per_mm
    if (n == 4 and spacing >= MIN_3X4_ROW_MM) or (n in (5, 6) and _has_rhythm_strip(ink, bands)):
        lanes = {lead: (bands[r], 2.5 * c, 2.5) for r, row in enumerate(canonical)
                 for c, lead in enumerate(row)}
        if n > 3:
            lanes["rhythm"] = (_rhythm_ii(ink, bands), 0.0, ROW_SECONDS)
        return lanes
    if n != 12:  # a 6x2 page is read as it is: re-laid, it would lose 5 s of rhythm
        return None
    row_of = {lead: r for r, (lead,) in enumerate(LAYOUTS["12x1"])}
    lanes = {lead: (bands[row_of[lead]], 2.5 * c, 2.5) for row in canonical
             for c, lead in enumerate(row)}
    lanes["rhythm"] = (bands[row_of["II"]], 0.0, ROW_SECONDS)
    return lanes


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
    """The row's 10 s: its ink less a calibration pulse at either end (at the start
    unless one is seen only at the end).

    Ink reaches OVERHANG_MM past a trace's last sample (one sample's step and half the
    stroke), so a span measured from its far end is moved back by that much.
    """
    full = int(round(ROW_MM * px_per_mm))
    overhang = int(round(OVERHANG_MM * px_per_mm))
    if x1 - x0 <= full + 2 * px_per_mm:
        return x0, x1
    reach = int(12 * px_per_mm)
    if _pulse_at(band, baseline, x1 - reach, x1, px_per_mm) \
            and not _pulse_at(band, baseline, x0, x0 + reach, px_per_mm):
        return x1 - reach - full, x1 - reach
    # a pulse at the start, or none seen (most carts, and the app, put it first)
    start = x1 - full - overhang
    return start, start + full


def _pulse_at(band: np.ndarray, baseline: int, a: int, b: int, px_per_mm: float) -> bool:
    """Whether columns a:b hold a pulse's flat top 10 mm above the baseline."""
    top = baseline - int(round(PULSE_MM * px_per_mm))
    rows = band[max(0, top - int(1.5 * px_per_mm)):max(1, top + int(1.5 * px_per_mm)),
                max(0, a):b]
    if rows.size == 0:
        return False
    run = rows.any(axis=0).astype(np.int32)
    longest = max((len(s) for s in "".join(map(str, run)).split("0")), default=0)
    lo, hi = PULSE_WIDTH_MM
    return lo * px_per_mm <= longest <= hi * px_per_mm


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
    within the middle of the row's band: the trace, little moved by a label, a
    separator or a neighbouring row's tall complex in the same column."""
    reach = int(PROFILE_REACH * (row.bottom - row.top))
    top = max(row.top, row.baseline - reach)
    band = ink[top:row.baseline + reach, max(0, row.start):row.end]
    counts = band.sum(axis=0)
    middle = np.argmax(np.cumsum(band, axis=0) >= np.maximum(counts, 1)[None, :] / 2, axis=0)
    return np.where(counts > 0, row.baseline - top - middle, 0).astype(np.float64)


def _rhythm_ii(ink: np.ndarray, bands: list[_Row]) -> _Row:
    """Of the rhythm strips, the one most like lead II's first 2.5 s in the 3x4 block
    (carts print II, V1 and V5 in their own order)."""
    strips = bands[3:]
    if len(strips) == 1:
        return strips[0]
    reference = _profile(ink, bands[1])
    reference = reference[:len(reference) // 4]
    best, best_score = strips[0], -np.inf
    for strip in strips:
        candidate = _profile(ink, strip)[:len(reference)]
        n = min(len(candidate), len(reference))
        a, b = candidate[:n], reference[:n]
        score = float(np.corrcoef(a, b)[0, 1]) if n > 10 and a.std() > 0 and b.std() > 0 \
            else -1.0
        if np.isfinite(score) and score > best_score:
            best, best_score = strip, score
    return best


def _paste(out: np.ndarray, darkness: np.ndarray, row: _Row, x0: int, width: int, x0_out: int,
           baseline_out: int) -> None:
    """Add to ``out`` (ink, 0-255) the ink of ``row``'s columns x0:x0+width, moved so
    the row's baseline lands on ``baseline_out`` and x0 on ``x0_out``."""
    h, w = out.shape[:2]
    top, bottom = row.top - row.baseline + baseline_out, row.bottom - row.baseline + baseline_out
    src = darkness[row.top:row.bottom, max(0, x0):x0 + width]
    sx = max(0, -x0)
    ya, yb = max(0, top), min(h, bottom)
    xa, xb = x0_out + sx, min(w, x0_out + sx + src.shape[1])
    if ya >= yb or xa >= xb:
        return
    part = src[ya - top:yb - top, :xb - xa]
    region = out[ya:yb, xa:xb]
    np.maximum(region, part, out=region)
