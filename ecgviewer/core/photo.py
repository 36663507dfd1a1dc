"""Photos and scans of paper ECGs -> the grid area, flattened, in the renderer's frame.

A rendered page is all grid, so once the grid area of a photo is found, warped flat and
scaled by its own millimetre grid, it is directly comparable with a rendering and goes
through the same :func:`~ecgviewer.core.preprocess.encoder_input`.

Steps: find the grid area on a small copy (grid lines are dense there and sparse
elsewhere) and fit a quadrilateral to it; warp that flat and move its sides onto where
the periodic grid lines end; measure the grid pitch along each axis (that gives the
page size in mm, so the aspect is right whatever the perspective); resample to a fixed
px/mm and even out the lighting. A grid too blurred to measure is still used, at an
assumed size; paper without a grid is outlined as a sheet and scaled by its calibration
pulses (:mod:`ecgviewer.core.sheet`); a grid taller than wide is turned a quarter.
Qt-free: numpy and OpenCV. Images are loaded by
:func:`ecgviewer.core.readers.image_reader.load_image`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
import cv2
import numpy as np

from ecgviewer.core.errors import EcgError, NotAnEcgImageError
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.sheet import GRIDLESS, find_sheet, pulse_scale, pulses_agree

#: Resolution of the rectified page: sharp on screen, cheap to encode.
PAGE_PX_PER_MM = 5.0

#: Tuned on the photo benchmarks (``python -m model_export.bench_photos``,
#: ``benchmarks/bench_rectify.py``): change them only with both rerun.
#: Levels (of the 95th percentile of line density) the density map is cut at, in the
#: order they are preferred when regions fit equally well.
DENSITY_CUTS = (0.4, 0.5, 0.3, 0.6, 0.7)
#: A grid region must cover this share of the image, and fill its quadrilateral this well
#: (intersection over union), to count.
MIN_AREA_FRACTION, MIN_QUAD_IOU = 0.05, 0.85
#: Grid periods: the leading axis' autocorrelation peak must reach MIN_LEAD_PEAK; the
#: other axis' period must lie within PAIRED_PERIOD_RANGE of it (1/cos 45 degrees of
#: foreshortening either way) with a peak of at least MIN_PAIRED_PEAK.
MIN_LEAD_PEAK, MIN_PAIRED_PEAK = 0.25, 0.1
PAIRED_PERIOD_RANGE = (0.7, 1.43)

#: A paper sheet's outline is moved this share of the way to its centre: its margins are
#: blank, and the table along a roughly found edge is not.
SHEET_INSET = 0.015
_DETECT_SIDE = 1024  # long side of the copy the grid area is searched on
_MEASURE_SIDE = 2048  # long side of the copy that is warped and measured
_REFINE_SIDE = 1280  # long side of the flattened grid its edges are fitted on

NOT_ECG = ("This image does not look like an ECG printout: no ECG grid or trace was found. "
           "Photograph the whole printout, flat and in focus, or open the ECG file itself.")
NOT_FOUND = ("Paper edges not found: the whole image was used. Drag the corners onto the "
             "grid's corners and search again.")
CUT_OFF = "Part of the ECG grid seems to lie outside the photo."
TURNED = {1: "The printout lay sideways in the photo: it was turned upright.",
          2: "The printout was upside down in the photo: it was turned upright.",
          3: "The printout lay sideways in the photo: it was turned upright."}
#: A grid taller than wide is a printout photographed sideways: ten seconds at 25 mm/s
#: are 250 mm, more than any printout's grid is tall (12x1 pages come closest, 250 mm).
SIDEWAYS_ASPECT = 1.0
#: Grid width assumed when its squares cannot be measured: the renderer's default page.
ASSUMED_WIDTH_MM = PaperStyle().page_mm[0]
PITCH_ASSUMED = ("The grid's squares could not be measured (the photo may be blurred): the "
                 f"grid is taken to be a standard {ASSUMED_WIDTH_MM:.0f} mm wide page, so "
                 "calipers are approximate. Check the corners.")


@dataclass
class Rectified:
    """A photo's grid area, flattened.

    ``page`` is RGB at :data:`PAGE_PX_PER_MM` with the grid's own aspect ratio;
    ``corners`` (float32 (4, 2): TL, TR, BR, BL) are where that area lies in the source
    image; ``px_per_mm`` is the source's grid pitch at the centre of that area (None
    when the grid's squares could not be measured); ``page_mm`` the area's (width,
    height) measured on the grid, or assumed (see :data:`PITCH_ASSUMED`).
    """

    page: np.ndarray
    corners: np.ndarray
    px_per_mm: float | None
    page_mm: tuple[float, float]
    found: bool
    notes: list[str] = field(default_factory=list)
    quarters: int = 0  # clockwise quarter turns that made the page upright

    def turned(self, quarters: int) -> Rectified:
        """The page turned ``quarters`` x 90 degrees clockwise; corners and notes follow."""
        total = (self.quarters + quarters) % 4
        notes = [n for n in self.notes if n not in TURNED.values()] + \
            ([TURNED[total]] if total else [])
        return replace(self, page=np.ascontiguousarray(np.rot90(self.page, -quarters)),
                       corners=np.roll(self.corners, quarters % 4, axis=0),
                       page_mm=self.page_mm if quarters % 2 == 0 else self.page_mm[::-1],
                       quarters=total, notes=notes)


def _long_side(image: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """A smaller copy for analysis, and its scale relative to ``image``.

    ``side`` is a soft cap on the long side: up to 25% more is kept as is. Large
    images shrink by a whole factor (1/2, 1/3, ...), which OpenCV's area averaging does
    about 20 times faster than an arbitrary one; small ones exactly to ``side``.
    """
    ratio = max(image.shape[:2]) / side
    if ratio <= 1.25:
        return image, 1.0
    scale = 1 / int(np.ceil(ratio)) if image.shape[0] * image.shape[1] > 4e6 else 1 / ratio
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale


# ----------------------------------------------------------------------- rectification


def rectify(image: np.ndarray, corners: np.ndarray | None = None) -> Rectified:
    """Find, flatten and measure the ECG grid area of an RGB photo or scan.

    The attempts of :func:`_attempts` are tried in order and the first that gives a page
    wins: user corners (trusted, at an assumed size if their grid cannot be measured),
    else each detected area with its sides refined, then as detected, then the whole
    image, then the paper sheet scaled by its calibration pulses (a printout without a
    grid, or one too blurred to measure: see :mod:`ecgviewer.core.sheet`), then a
    detected area that still looks like a grid at an assumed size. The whole image and
    user corners are less sure to hold a grid, so there a grid the calibration pulses
    contradict is no grid. Raises
    :class:`NotAnEcgImageError` only when neither a grid nor pulses show anywhere. ECG
    printouts are landscape, so a grid taller than wide is turned a quarter clockwise
    (which quarter turn is right, and whether a page lies upside down, only the trace
    can tell: see :mod:`ecgviewer.core.search`).
    """
    work, scale = _long_side(image, _MEASURE_SIDE)
    for attempt in _attempts(work, corners, scale):
        result = _flatten(work, attempt.quad, attempt.assumed_width_mm, attempt.gridless,
                          check_pulses=not attempt.found or corners is not None)
        if result is not None:
            break
    else:
        raise NotAnEcgImageError(NOT_ECG)
    page, page_mm, px_per_mm = result
    notes = [PITCH_ASSUMED] if attempt.assumed_width_mm else \
        [GRIDLESS] if attempt.gridless else []
    if not attempt.found:
        notes.append(NOT_FOUND)
    elif _touches_border(attempt.quad, work.shape):
        notes.append(CUT_OFF)
    rect = Rectified(page=page, corners=(attempt.quad / scale).astype(np.float32),
                     px_per_mm=None if px_per_mm is None else px_per_mm / scale,
                     page_mm=page_mm, found=attempt.found, notes=notes)
    return rect.turned(1) if page_mm[1] > SIDEWAYS_ASPECT * page_mm[0] else rect


@dataclass(frozen=True)
class _Attempt:
    """A quadrilateral to flatten: measured by its own grid, by its calibration pulses
    (``gridless``), or (``assumed_width_mm``) taken to be that wide; ``found`` is False
    for the whole image."""

    quad: np.ndarray
    assumed_width_mm: float | None = None
    found: bool = True
    gridless: bool = False


def _attempts(work: np.ndarray, corners: np.ndarray | None, scale: float
              ) -> Iterator[_Attempt]:
    """Where the grid may be, most exact first; each is made only when the ones before
    it failed (refining and the second detection cost time)."""
    if corners is not None:
        quad = _user_quad(corners) * scale
        yield _Attempt(quad)
        yield _Attempt(quad, gridless=True)
        yield _Attempt(quad, ASSUMED_WIDTH_MM)
        return
    seen = []
    for area in find_grid_areas(work):
        seen.append(area)
        yield _Attempt(refine_quad(work, area))
        yield _Attempt(area)
    h, w = work.shape[:2]
    yield _Attempt(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), found=False)
    outline = find_sheet(work)
    if outline is not None:  # inset: an edge of table left in the page would pass for ink
        quad = fit_quad(outline)
        yield _Attempt(quad + SHEET_INSET * (quad.mean(axis=0) - quad), gridless=True)
    for area in seen:
        if looks_like_grid(_warp(work, area)[0]):
            yield _Attempt(area, ASSUMED_WIDTH_MM)
            return


def _user_quad(corners: np.ndarray) -> np.ndarray:
    """Corners the user placed, as float32 (4, 2), if they outline a real quadrilateral."""
    quad = np.asarray(corners, np.float32).reshape(4, 2)
    if not np.isfinite(quad).all() or not cv2.isContourConvex(quad) \
            or cv2.contourArea(quad) < 64 * 64:
        raise EcgError("The four corners must outline the ECG grid: place them on its "
                       "top-left, top-right, bottom-right and bottom-left corners.")
    return quad


def _warp(work: np.ndarray, quad: np.ndarray, margin: float = 0.0, side: int = _MEASURE_SIDE
          ) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:
    """Warp ``quad`` to an upright rectangle of about its own size, plus a white margin.

    Returns (flat image, source-to-flat homography, (x0, y0, width, height) of the quad's
    rectangle in the flat image). ``margin`` is a fraction of width and height per side.
    """
    top, bottom = np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])
    left, right = np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])
    fit = min(1.0, side / max(top, bottom, left, right))
    w = max(16, int(round((top + bottom) / 2 * fit)))
    h = max(16, int(round((left + right) / 2 * fit)))
    x0, y0 = int(round(margin * w)), int(round(margin * h))
    box = np.float32([[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h]])
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), box)
    flat = cv2.warpPerspective(work, m, (w + 2 * x0, h + 2 * y0), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))
    return flat, m, (x0, y0, w, h)


def _flatten(work: np.ndarray, quad: np.ndarray, assumed_width_mm: float | None = None,
             gridless: bool = False, check_pulses: bool = False
             ) -> tuple[np.ndarray, tuple[float, float], float | None] | None:
    """Warp ``quad`` flat, measure its grid (``gridless``: its calibration pulses),
    resample to PAGE_PX_PER_MM. With ``check_pulses`` a grid the calibration pulses
    contradict is no grid (see :func:`~ecgviewer.core.sheet.pulses_agree`).

    Returns (page, (width_mm, height_mm), source px per mm at the quad's centre). When
    it cannot be measured: None, or with ``assumed_width_mm`` the quad taken to be that
    wide, with square pixels, and None for the px per mm.
    """
    flat, _, (_, _, w, h) = _warp(work, quad)
    pitch = pulse_scale(flat) if gridless else measure_grid(flat)
    if pitch is not None and not gridless and check_pulses and not pulses_agree(flat, pitch):
        return None
    if pitch is None and assumed_width_mm is None:
        return None
    width_mm, height_mm = (w / pitch[0], h / pitch[1]) if pitch else \
        (assumed_width_mm, assumed_width_mm * h / w)
    size = (int(round(width_mm * PAGE_PX_PER_MM)), int(round(height_mm * PAGE_PX_PER_MM)))
    page = cv2.resize(flat, size, interpolation=cv2.INTER_AREA if size[0] < w else cv2.INTER_LINEAR)
    to_source = cv2.getPerspectiveTransform(
        np.float32([[0, 0], [width_mm, 0], [width_mm, height_mm], [0, height_mm]]),
        quad.astype(np.float32))
    return (flatten_lighting(page), (width_mm, height_mm),
            _scale_at_centre(to_source, width_mm, height_mm) if pitch else None)


def refine_quad(work: np.ndarray, quad: np.ndarray, passes: int = 2) -> np.ndarray:
    """Move the sides of a rough quad onto the edges of the grid.

    The rough quad comes from a blurred density map that cannot tell printed text or pen
    marks next to the grid from the grid. Warped flat (with a margin), the grid's lines
    run along the axes at a measurable pitch, so long, evenly spaced lines mark the grid
    and little else: vertical ones end at the top and bottom edges, horizontal ones at
    the sides. Each side moves (by at most 2.5% of the diagonal) to the straight line
    with the most of that evidence just inside it and the least just outside. Returns
    ``quad`` unchanged when the grid cannot be measured.
    """
    for _ in range(passes):
        flat, m, (x0, y0, w, h) = _warp(work, quad, margin=0.1, side=_REFINE_SIDE)
        lines = line_map(flat, strict_ink=True)
        grid = _analyse_grid(lines[y0:y0 + h, x0:x0 + w])
        if grid is None:
            return quad
        lines = np.minimum(lines / grid.level, 1.0)
        mm_x, mm_y = grid.px_per_mm
        box, size = (x0, y0, w, h), mm_x + mm_y  # evidence is smoothed over ~2 mm
        vertical = _normalised(_periodic_lines(lines, grid.line_period[0], int(5 * mm_y)),
                               box, size)
        horizontal = _normalised(_periodic_lines(lines.T, grid.line_period[1], int(5 * mm_x)).T,
                                 box, size)
        if vertical is None or horizontal is None:
            return quad
        strip = max(2, int(round(3 * min(mm_x, mm_y))))
        reach = 0.025 * np.hypot(w, h)  # and the strips stay on the canvas:
        reach_y, reach_x = max(1, int(min(y0 - strip, reach))), max(1, int(min(x0 - strip, reach)))
        rows = _edge_contrast(vertical, strip)
        cols = _edge_contrast(np.ascontiguousarray(horizontal.T), strip)
        sides = [_best_edge(rows, y0, (x0, x0 + w), +1, reach_y),  # top
                 _transposed(_best_edge(cols, x0 + w, (y0, y0 + h), -1, reach_x)),  # right
                 _best_edge(rows, y0 + h, (x0, x0 + w), -1, reach_y),  # bottom
                 _transposed(_best_edge(cols, x0, (y0, y0 + h), +1, reach_x))]  # left
        corners = np.array([_intersect(sides[i - 1], sides[i]) for i in range(4)], np.float32)
        if not np.isfinite(corners).all():
            return quad
        quad = cv2.perspectiveTransform(corners[None], np.linalg.inv(m))[0]
    return quad


def _transposed(line: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A line found on the transposed image, in the image's own (x, y)."""
    return line[0][::-1].copy(), line[1][::-1].copy()


def _normalised(evidence: np.ndarray, box: tuple[int, int, int, int], size: float
                ) -> np.ndarray | None:
    """Evidence smoothed over ``size`` px, 1 at the median of the box's centre, capped at 1.5."""
    x0, y0, w, h = box
    k = max(3, int(round(size)))
    evidence = cv2.blur(evidence, (k, k))
    centre = float(np.median(evidence[y0 + h // 4:y0 + 3 * h // 4, x0 + w // 4:x0 + 3 * w // 4]))
    return np.minimum(evidence / centre, 1.5) if centre > 0 else None


def _edge_contrast(evidence: np.ndarray, strip: int) -> np.ndarray:
    """Per pixel: evidence summed over the ``strip`` rows from it down, minus that over
    the ``strip`` rows up to it."""
    def window(anchor: int) -> np.ndarray:
        return cv2.boxFilter(evidence, -1, (1, strip), anchor=(0, anchor), normalize=False,
                             borderType=cv2.BORDER_CONSTANT)

    return window(0) - window(strip - 1)


def _best_edge(contrast: np.ndarray, row: int, span: tuple[int, int], inward: int,
               reach: int) -> tuple[np.ndarray, np.ndarray]:
    """The near-horizontal line with the most evidence on its ``inward`` side.

    The line runs across ``span`` (columns) with its ends within ``reach`` rows of
    ``row``; it is scored by the evidence just inside it minus that just outside
    (``contrast``, from :func:`_edge_contrast`), searched coarse to fine. Returns
    (point, direction) in (x, y).
    """
    c0, c1 = span
    cols = np.arange(c0 + (c1 - c0) // 20, c1 - (c1 - c0) // 20, 3)
    t = (cols - c0) / max(1, c1 - c0)
    limit = contrast.shape[0] - 1

    def score(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        y = np.rint(row + a[:, None, None] + (b[None, :] - a[:, None])[..., None] * t)
        return inward * contrast[np.clip(y, 0, limit).astype(np.intp), cols].mean(axis=-1)

    best = (0, 0)
    for step, radius in ((max(1, reach // 10), reach), (1, max(1, reach // 10))):
        a = best[0] + np.arange(-radius, radius + 1, step)
        b = best[1] + np.arange(-radius, radius + 1, step)
        i, j = np.unravel_index(int(np.argmax(score(a, b))), (len(a), len(b)))
        best = (int(a[i]), int(b[j]))
    start = np.array([c0, row + best[0]], np.float64)
    end = np.array([c1, row + best[1]], np.float64)
    return start, (end - start) / np.linalg.norm(end - start)


def _periodic_lines(lines: np.ndarray, period: float, along: int) -> np.ndarray:
    """Evidence of long vertical lines repeating about every ``period`` px across x.

    Lines are averaged over ``along`` px down each column (a grid line is long; text
    strokes, pen marks and noise are not), then each column is compared with the
    emptiest columns 30-70% of a period to either side: only a line between gaps
    scores, even where the pitch drifts a little.
    """
    long = cv2.blur(lines, (1, max(3, along)))
    gap = cv2.erode(long, np.ones((1, max(1, int(round(0.4 * period)))), np.uint8))
    half = max(1, int(round(period / 2)))
    contrast = long - 0.5 * (np.roll(gap, half, axis=1) + np.roll(gap, -half, axis=1))
    return cv2.blur(np.maximum(contrast, 0), (max(3, int(round(period))), 1))


def _scale_at_centre(h: np.ndarray, width: float, height: float) -> float:
    """sqrt(|det J|) of homography ``h`` at the centre of a width x height rectangle."""
    c = np.float32([[[width / 2, height / 2], [width / 2 + 1, height / 2],
                     [width / 2, height / 2 + 1]]])
    p = cv2.perspectiveTransform(c, h)[0]
    (ax, ay), (bx, by) = p[1] - p[0], p[2] - p[0]
    return float(np.sqrt(abs(ax * by - ay * bx)))


def _touches_border(quad: np.ndarray, shape: tuple[int, ...], sides: int = 1) -> bool:
    """Whether ``quad`` reaches at least ``sides`` edges of an image of ``shape``."""
    h, w = shape[:2]
    margin = 0.005 * max(h, w)
    touching = [(quad[:, 0] < margin).any(), (quad[:, 1] < margin).any(),
                (quad[:, 0] > w - margin).any(), (quad[:, 1] > h - margin).any()]
    return sum(touching) >= sides


def flatten_lighting(page: np.ndarray) -> np.ndarray:
    """Divide out shading and colour cast: every channel's local paper level becomes 255.

    The paper level is the local maximum over ~3 mm (there is paper between grid lines
    everywhere), smoothed; traces, grid and text keep their contrast against it.
    """
    k = int(3 * PAGE_PX_PER_MM) | 1
    paper = cv2.dilate(page, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.blur(paper, (4 * k, 4 * k)).astype(np.float32)
    out = page.astype(np.float32) * (255.0 / np.maximum(paper, 1.0))
    return np.clip(out, 0, 255).astype(np.uint8)


# ------------------------------------------------------------------ grid-area detection


def line_map(image: np.ndarray, k: int = 5, along: int = 1, strict_ink: bool = False,
             ink: np.ndarray | None = None) -> np.ndarray:
    """float32 contrast of thin, light dark lines (up to ~k-1 px wide): the grid's lines.

    Any grid colour darkens at least one channel, so the darkest channel is used. The
    contrast is relative to the local paper level (shadows do not hide lines), but not
    to levels below half the paper's, so dark table tops do not turn noise into lines.
    Ink (the trace, printed text, pen), darker than half the paper in every channel,
    is removed: grid lines are lighter than that in at least one channel. With
    ``along`` > 1 the image is first averaged along lines of that length in four
    directions and the strongest response kept: straight lines stay, noise fades.
    ``strict_ink`` lowers the ink threshold where the grid is coloured (see
    :func:`_ink_threshold`), for sharp enough images; ``ink`` gives the ink mask
    instead (found at a higher resolution, where thin print is still dark).
    """
    r, g, b = cv2.split(image)
    darkest = cv2.GaussianBlur(cv2.min(cv2.min(r, g), b), (0, 0), 0.7)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    square = np.ones((2 * k - 1, 2 * k - 1), np.uint8)
    hat = np.zeros(darkest.shape, np.float32)
    for direction in _line_kernels(along):
        smooth = darkest if direction is None else cv2.filter2D(darkest, -1, direction)
        np.maximum(hat, cv2.morphologyEx(smooth, cv2.MORPH_BLACKHAT, kernel), out=hat)
    paper = cv2.dilate(darkest, square).astype(np.float32)
    floor = max(0.5 * float(np.percentile(paper[::4, ::4], 95)), 16.0)  # a sample will do
    lines = hat / np.maximum(paper, floor)
    if ink is None:
        shade = _shade(image, k)
        ink = shade > (_ink_threshold(shade, lines) if strict_ink else 0.5)
    lines[cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 0
    return lines


def _shade(image: np.ndarray, k: int = 5) -> np.ndarray:
    """How much darker than the local paper each pixel is in its brightest channel, 0-1."""
    r, g, b = cv2.split(image)
    brightest = cv2.GaussianBlur(cv2.max(cv2.max(r, g), b), (0, 0), 0.7)
    paper = cv2.dilate(brightest, np.ones((2 * k - 1, 2 * k - 1), np.uint8))
    return 1.0 - brightest / np.maximum(paper, 1).astype(np.float32)


def _ink_threshold(shade: np.ndarray, lines: np.ndarray) -> float:
    """How much darker than the paper (in its brightest channel) a pixel must be to be ink.

    Coloured grid lines barely darken their brightest channel, so there even faint grey
    text is ink; grey grid lines do, and the threshold rises with them (up to half).
    """
    on_line = shade[lines > 0.05]
    if on_line.size < 100:
        return 0.5
    return float(np.clip(2.5 * np.median(on_line), 0.2, 0.5))


def _line_kernels(length: int) -> list[np.ndarray | None]:
    """Averaging kernels along horizontal, vertical and both diagonal lines."""
    if length <= 1:
        return [None]
    eye = np.eye(length, dtype=np.float32) / length
    flat = np.full((1, length), 1.0 / length, np.float32)
    return [flat, flat.T, eye, eye[::-1].copy()]


def find_grid_areas(image: np.ndarray) -> Iterator[np.ndarray]:
    """Candidate corners (float32 (4, 2): TL, TR, BR, BL) of the ECG grid area, best first
    and each only when asked for (the second is rarely needed).

    Grid lines are dense all over an ECG grid and sparse on blank paper margins, text
    and most table tops. The density map is cut at several levels and, at each, the
    largest region is fitted with a quadrilateral. Too high a cut breaks the grid up;
    too low a cut lets a textured table top join it, which makes the region reach
    three or four edges of the photo. Of the rest, the region that fills its
    quadrilateral best wins (then the usually most exact level). The search runs again
    at half the size, where lines blurred wider than the line filter show, and its
    answer comes second.
    """
    for side in (_DETECT_SIDE, _DETECT_SIDE // 2):
        area = _grid_area_at(image, side)
        if area is not None:
            yield area


def _grid_area_at(image: np.ndarray, detect_side: int) -> np.ndarray | None:
    """:func:`find_grid_areas`' best on a copy with a long side of about ``detect_side``."""
    small, scale = _long_side(image, detect_side)
    side = max(small.shape[:2])
    ink = (_shade(image) > 0.5).astype(np.uint8) * 255  # before shrinking blurs print into grey
    ink = cv2.resize(ink, small.shape[1::-1], interpolation=cv2.INTER_AREA) > 0
    lines = np.minimum(line_map(small, along=7, ink=ink), 0.15)
    density = cv2.blur(lines, (side // 32, side // 32))
    level = float(np.percentile(density, 95))
    if level < 0.004:  # no lines anywhere: a blank or out-of-focus image
        return None
    opening = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side // 40, side // 40))
    found = []
    for rank, cut in enumerate(DENSITY_CUTS):
        mask = cv2.morphologyEx((density > cut * level).astype(np.uint8), cv2.MORPH_OPEN, opening)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        if not contours:
            continue
        contour = max(contours, key=cv2.contourArea)
        if cv2.contourArea(contour) < MIN_AREA_FRACTION * mask.size:
            continue
        quad = fit_quad(contour.reshape(-1, 2).astype(np.float32))
        blob = cv2.drawContours(np.zeros_like(mask), [contour], -1, 1, -1)
        box = cv2.fillConvexPoly(np.zeros_like(mask), np.round(quad).astype(np.int32), 1)
        iou = np.count_nonzero(blob & box) / max(1, np.count_nonzero(blob | box))
        if iou >= MIN_QUAD_IOU:
            found.append((_touches_border(quad, mask.shape, sides=3), -round(iou, 2), rank, quad))
    return min(found, key=lambda f: f[:3])[3] / scale if found else None


def fit_quad(points: np.ndarray) -> np.ndarray | None:
    """A quadrilateral around a blob's outline: rough corners, then a line per side.

    Each side is the straight line that most outline points near the rough side lie
    on (a small RANSAC), so rounded corners, bites and bumps (a pen stroke, text that
    merged with the grid) do not pull it.
    """
    hull = cv2.convexHull(points)
    perimeter = cv2.arcLength(hull, True)
    rough = None
    for eps in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            rough = approx.reshape(4, 2)
            break
    if rough is None:
        rough = cv2.boxPoints(cv2.minAreaRect(points))
    rough = order_corners(rough.astype(np.float32))
    diag = float(np.linalg.norm(rough[2] - rough[0]))
    lines = []
    for i in range(4):
        a, b = rough[i], rough[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        u = (b - a) / max(length, 1e-6)
        rel = points - a
        t = rel @ u / max(length, 1e-6)
        d = np.abs(rel @ np.array([-u[1], u[0]]))
        near = points[(t > 0.05) & (t < 0.95) & (d < 0.06 * diag)]
        lines.append(_dominant_line(near, u, max(1.5, 0.004 * diag)) or (a, u))
    quad = np.array([_intersect(lines[i - 1], lines[i]) for i in range(4)], np.float32)
    if not np.isfinite(quad).all() or np.abs(quad - rough).max() > 0.1 * diag:
        return rough
    return quad


def _dominant_line(points: np.ndarray, direction: np.ndarray, tol: float
                   ) -> tuple[np.ndarray, np.ndarray] | None:
    """The line (point, unit direction) through most ``points``, roughly along ``direction``."""
    if len(points) < 10:
        return None
    rng = np.random.default_rng(0)  # deterministic: the same photo gives the same corners
    pairs = rng.integers(0, len(points), (64, 2))
    best, best_count = None, 0
    for i, j in pairs:
        v = points[j] - points[i]
        norm = float(np.linalg.norm(v))
        if not norm or norm < 0.2 * np.ptp(points @ direction) or abs(v @ direction) < 0.9 * norm:
            continue
        normal = np.array([-v[1], v[0]]) / norm
        inliers = np.abs((points - points[i]) @ normal) < tol
        if inliers.sum() > best_count:
            best, best_count = inliers, int(inliers.sum())
    if best is None or best_count < 10:
        return None
    vx, vy, x0, y0 = cv2.fitLine(points[best], cv2.DIST_L2, 0, 0.01, 0.01).ravel()
    return np.array([x0, y0]), np.array([vx, vy])


def _intersect(l1: tuple[np.ndarray, np.ndarray], l2: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    (p, u), (q, v) = l1, l2
    det = u[0] * -v[1] - u[1] * -v[0]
    if abs(det) < 1e-9:
        return np.array([np.nan, np.nan])
    s = ((q - p)[0] * -v[1] - (q - p)[1] * -v[0]) / det
    return p + s * u


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Four points as TL, TR, BR, BL of an upright-ish page (turned up to 45 degrees)."""
    centre = pts.mean(axis=0)
    pts = pts[np.argsort(np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0]))]  # clockwise
    expected = np.array([[1, 0], [0, 1], [-1, 0], [0, -1]], np.float32)

    def score(k: int) -> float:
        q = np.roll(pts, -k, axis=0)
        sides = np.roll(q, -1, axis=0) - q
        sides /= np.linalg.norm(sides, axis=1, keepdims=True) + 1e-9
        return float((sides * expected).sum())

    return np.roll(pts, -max(range(4), key=score), axis=0).astype(np.float32)


# --------------------------------------------------------------------- grid measurement


@dataclass(frozen=True)
class _Grid:
    """What the line map of a flattened grid says about the grid."""

    px_per_mm: tuple[float, float]  # along x, along y
    line_period: tuple[float, float]  # spacing of the finest visible lines, px
    level: float  # typical line contrast


def measure_grid(flat: np.ndarray) -> tuple[float, float] | None:
    """Grid pitch (px per mm along x, along y) of a flattened grid area, or None.

    Tried again at half size when it fails: blur can spread lines wider than the line
    filter takes, and halving narrows them.
    """
    for shrink in (1, 2):
        small = flat if shrink == 1 else cv2.resize(flat, None, fx=0.5, fy=0.5,
                                                     interpolation=cv2.INTER_AREA)
        grid = _analyse_grid(line_map(small, strict_ink=True))
        if grid is not None:
            return grid.px_per_mm[0] * shrink, grid.px_per_mm[1] * shrink
    return None


def looks_like_grid(flat: np.ndarray) -> bool:
    """Whether a flattened area shows lines repeating at about the same spacing along both
    axes, at full, half or quarter size: a grid too blurred or skewed to measure, as
    opposed to text (rows only) or texture (no clear spacing). Either axis may lead: down
    the page the trace rows often repeat more clearly than the grid."""
    for shrink in (1, 2, 4):
        small = flat if shrink == 1 else cv2.resize(flat, None, fx=1 / shrink, fy=1 / shrink,
                                                    interpolation=cv2.INTER_AREA)
        lines = line_map(small, strict_ink=True)
        level = _grid_level(lines)
        acfs = [_autocorrelation(np.minimum(lines, level), axis) for axis in (0, 1)] \
            if level else [None]
        if any(acf is None for acf in acfs):
            continue
        for ref in (0, 1):  # the clearest spacing on one axis, and about the same on the other
            peak = _strongest_period(acfs[ref], 2.0, len(acfs[ref]) / 6, repeats=False)
            if peak is None or peak[1] < 0.25:
                continue
            other = _strongest_period(acfs[1 - ref], PAIRED_PERIOD_RANGE[0] * peak[0],
                                      PAIRED_PERIOD_RANGE[1] * peak[0],
                                      repeats=False)
            if other is not None and other[1] >= 0.15:
                return True
    return False


def _analyse_grid(lines: np.ndarray) -> _Grid | None:
    """Pitch and line spacing of the grid in a flattened grid area's line map, or None.

    Column means of the line map are periodic with the vertical grid lines, row means
    with the horizontal ones. Line contrast is capped at the grid's typical level
    first, so leftovers of the darker trace (its rows, its beats) cannot outweigh the
    many grid lines. The periods are read as a pair (see :func:`_paired_periods`). A 5-fold
    subdivision marks the period as the 5 mm square; otherwise it is the 1 mm square,
    unless that would make the page implausibly small.
    """
    level = _grid_level(lines)
    if level == 0.0:
        return None
    capped = np.minimum(lines, level)
    acfs = [_autocorrelation(capped, axis) for axis in (0, 1)]
    if acfs[0] is None or acfs[1] is None:
        return None
    periods = _paired_periods(acfs)
    if periods is None:
        return None
    fifths = [_has_fifths(acf, p) for acf, p in zip(acfs, periods)]
    extent = (lines.shape[1] / periods[0], lines.shape[0] / periods[1])  # in periods
    mm = 5.0 if any(fifths) or max(extent) < 120 else 1.0
    if min(extent) * mm < 20 or not 0.2 <= extent[0] / extent[1] <= 5:
        return None
    return _Grid(px_per_mm=(periods[0] / mm, periods[1] / mm),
                 line_period=tuple(p / 5 if f else p for p, f in zip(periods, fifths)),
                 level=level)


def _paired_periods(acfs: list[np.ndarray]) -> list[float] | None:
    """Grid periods along x and y from their autocorrelations, or None.

    One axis is read on its own, the other then within a factor of 1/cos(45 deg) of it
    (the same kind of square, foreshortened). The axis with the finer clear period goes
    first: along the time axis nothing but the grid repeats finely, while down the page
    the rows of the trace repeat strongly and coarsely.
    """
    first = [_strongest_period(acf, 2.0, len(acf) / 6) for acf in acfs]
    order = sorted((p[0], axis) for axis, p in enumerate(first) if p and p[1] >= MIN_LEAD_PEAK)
    lo, hi = PAIRED_PERIOD_RANGE
    for period, ref in order:
        other = _strongest_period(acfs[1 - ref], lo * period, hi * period, repeats=False)
        if other is not None and other[1] >= MIN_PAIRED_PEAK:
            return [period, other[0]] if ref == 0 else [other[0], period]
    return None


def _grid_level(lines: np.ndarray) -> float:
    """Typical contrast of the lines in a line map (mostly grid lines), 0 if there are few."""
    sample = lines[::2, ::2]
    on_line = sample[sample > 0.02]
    return float(np.median(on_line)) if on_line.size >= 0.02 * sample.size else 0.0


def _autocorrelation(lines: np.ndarray, axis: int) -> np.ndarray | None:
    """Normalised autocorrelation of the line map's profile across ``axis``, or None if flat.

    The profile is taken in four bands, so a slightly skewed grid still lines up within
    each; their autocorrelations are summed.
    """
    n = lines.shape[1 - axis]
    acf = np.zeros(n)
    amplitude = 0.0
    for band in np.array_split(lines, 4, axis=axis):
        profile = band.mean(axis=axis).astype(np.float64)
        profile -= cv2.blur(profile[None], (max(3, n // 20), 1), borderType=cv2.BORDER_REFLECT)[0]
        amplitude += profile.std() / 4
        spec = np.fft.rfft(profile, 2 * n)
        acf += np.fft.irfft(spec * np.conj(spec))[:n]
    if amplitude < 0.002 or acf[0] <= 0:
        return None
    return acf / acf[0]


def _strongest_period(acf: np.ndarray, lo: float, hi: float, repeats: bool = True
                      ) -> tuple[float, float] | None:
    """(sub-pixel period, autocorrelation there) of the grid's period in [lo, hi] px.

    With ``repeats``: multiples of a period correlate about as well as the period
    itself, so the shortest lag is taken whose peak is at least half the best one and
    which recurs at twice and three times the lag (the grid is the finest strictly
    periodic pattern on the page; beats and trace rows repeat more coarsely). Without
    (a range narrow enough to hold no multiple): the highest peak, so that the 5 mm
    square wins over the 1 mm lines around it. Peak heights are interpolated: a
    period between two whole pixels splits its peak.
    """
    lo_i, hi_i = max(1, int(np.floor(lo))), min(len(acf) - 2, int(np.ceil(hi)))
    if hi_i - lo_i < 2:
        return None
    lags = np.arange(lo_i, hi_i + 1)
    peaks = lags[(acf[lags] > acf[lags - 1]) & (acf[lags] >= acf[lags + 1])]
    if len(peaks) == 0:
        return None
    heights = np.array([_parabola(acf, i)[1] for i in peaks])
    if heights.max() <= 0:
        return None
    for lag, height in zip(peaks, heights):
        if repeats:
            ok = height >= max(0.5 * heights.max(), 0.1) and all(
                _peak_near(acf, k * lag) >= 0.5 * height for k in (2, 3))
        else:
            ok = height == heights.max()
        if ok:
            half = _peak_at_half(acf, int(lag), height) if repeats else None
            return half if half is not None else (_refine_period(acf, int(lag)), float(height))
    return None


def _peak_at_half(acf: np.ndarray, lag: int, height: float) -> tuple[float, float] | None:
    """(period, height) of a clear peak at half ``lag``: the true period, when sampling
    makes every other fine line answer more weakly; else None."""
    lo, hi = max(2, int(np.floor(0.45 * lag))), int(np.ceil(0.55 * lag))
    if hi < lo or lag < 4:
        return None
    i = lo + int(np.argmax(acf[lo:hi + 1]))
    if acf[i] > acf[i - 1] and acf[i] >= acf[i + 1] and acf[i] >= 0.5 * height:
        return _refine_period(acf, i), float(acf[i])
    return None


def _peak_near(acf: np.ndarray, lag: float) -> float:
    """The highest autocorrelation within 10% of ``lag`` (-1 beyond the profile)."""
    lo, hi = int(np.floor(0.9 * lag)), int(np.ceil(1.1 * lag)) + 1
    return float(acf[lo:hi].max()) if hi <= len(acf) else -1.0


def _parabola(acf: np.ndarray, i: int) -> tuple[float, float]:
    """(position, height) of the parabola through acf[i-1:i+2]: a sub-pixel peak."""
    a, b, c = acf[i - 1], acf[i], acf[i + 1]
    if not (b >= a and b >= c and a - 2 * b + c < 0):  # not a peak: no refinement
        return float(i), float(b)
    offset = 0.5 * (a - c) / (a - 2 * b + c)
    return i + offset, float(b - 0.25 * (a - c) * offset)


def _refine_period(acf: np.ndarray, lag: int) -> float:
    """Sub-pixel period: the peak near ``lag``, then near 2, 4, 8... times it (up to a
    third of the profile), each multiple located with the estimate so far."""
    period = _parabola(acf, lag)[0]
    k = 2
    while k * period <= len(acf) / 3:
        lo = max(1, int(round(k * period - period / 4)))
        hi = max(lo, min(len(acf) - 2, int(round(k * period + period / 4))))
        period = _parabola(acf, lo + int(np.argmax(acf[lo:hi + 1])))[0] / k
        k *= 2
    return period


def _has_fifths(acf: np.ndarray, period: float) -> bool:
    """Whether a peak at period/5 stands out above the dip at period/10 (1 mm lines)."""
    fifth = period / 5
    if fifth < 2:
        return False
    peak = acf[int(np.floor(0.8 * fifth)):int(np.ceil(1.2 * fifth)) + 1].max()
    dip = acf[int(np.floor(0.35 * fifth)):int(np.ceil(0.65 * fifth)) + 1].min()
    return bool(peak - dip > 0.05)
