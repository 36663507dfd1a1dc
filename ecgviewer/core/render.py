"""Record -> image of standard ECG paper.

One look for everything: the screen, PDF export, the encoder's input and the synthetic
training images. Drawing is plain OpenCV on a numpy array, so it is fast and bit-for-bit
deterministic. The whole page is grid: a rectified photo of the grid area and a rendering
share one frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ecgviewer.core.errors import EcgError
from ecgviewer.core.record import EcgRecord

#: Leads per row for each layout; each column shows the next slice of time.
LAYOUTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "3x4+1": (
        ("I", "aVR", "V1", "V4"),
        ("II", "aVL", "V2", "V5"),
        ("III", "aVF", "V3", "V6"),
    ),
    "6x2": (
        ("I", "V1"), ("II", "V2"), ("III", "V3"),
        ("aVR", "V4"), ("aVL", "V5"), ("aVF", "V6"),
    ),
    "12x1": tuple((lead,) for lead in
                  ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")),
}
RHYTHM_LEAD = "II"

#: Paper geometry in millimetres. The trace area is 250 mm wide: 10 s at 25 mm/s.
TRACE_WIDTH_MM = 250.0
LEFT_MM = 15.0  # room for the calibration pulse
RIGHT_MM = 5.0
TOP_MM = 5.0
BOTTOM_MM = 5.0
CAL_START_MM = 4.0
CAL_WIDTH_S = 0.2
CAL_MV = 1.0

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class PaperStyle:
    """How a page looks; the defaults are a standard clinical printout."""

    layout: str = "3x4+1"
    speed_mm_s: float = 25.0
    gain_mm_mv: float = 10.0
    px_per_mm: float = 4.0
    paper_rgb: RGB = (255, 255, 255)
    minor_grid_rgb: RGB = (250, 200, 200)
    major_grid_rgb: RGB = (235, 120, 120)
    trace_rgb: RGB = (0, 0, 0)
    trace_width_mm: float = 0.3
    grid_width_mm: float = 0.1
    labels: bool = True
    start_s: float = 0.0

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise EcgError(f"Unknown layout {self.layout!r}; choose one of {', '.join(LAYOUTS)}.")
        if not 5.0 <= self.speed_mm_s <= 100.0:
            raise EcgError(f"Paper speed {self.speed_mm_s:g} mm/s is outside 5-100 mm/s.")
        if not 1.0 <= self.gain_mm_mv <= 40.0:
            raise EcgError(f"Gain {self.gain_mm_mv:g} mm/mV is outside 1-40 mm/mV.")
        if not 0.5 <= self.px_per_mm <= 20.0:
            raise EcgError(f"Resolution {self.px_per_mm:g} px/mm is outside 0.5-20 px/mm.")

    @property
    def row_height_mm(self) -> float:
        """Rows are 3 mV tall, in whole 5 mm squares, at least 15 mm."""
        return max(15.0, 5.0 * round(3.0 * self.gain_mm_mv / 5.0))

    @property
    def n_rows(self) -> int:
        rows = len(LAYOUTS[self.layout])
        return rows + 1 if self.layout.endswith("+1") else rows

    @property
    def page_mm(self) -> tuple[float, float]:
        """(width, height) of the page in millimetres."""
        width = LEFT_MM + TRACE_WIDTH_MM + RIGHT_MM
        height = TOP_MM + self.n_rows * self.row_height_mm + BOTTOM_MM
        return width, height

    @property
    def page_px(self) -> tuple[int, int]:
        """(width, height) of the rendered image in pixels."""
        w, h = self.page_mm
        return int(round(w * self.px_per_mm)), int(round(h * self.px_per_mm))

    @property
    def shown_s(self) -> float:
        """Seconds of signal the trace area holds at this speed."""
        return TRACE_WIDTH_MM / self.speed_mm_s


def render(record: EcgRecord, style: PaperStyle = PaperStyle()) -> np.ndarray:
    """Draw ``record`` on ECG paper; returns an RGB uint8 array (height, width, 3)."""
    rec = record.with_standard_leads()
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
    lines: list[np.ndarray] = []
    labels: list[tuple[str, float, float]] = []
    strips = [(r, c, lead) for r, row in enumerate(rows) for c, lead in enumerate(row)]
    if style.layout.endswith("+1"):
        strips.append((len(rows), -1, RHYTHM_LEAD))

    for row, col, lead in strips:
        baseline_mm = TOP_MM + (row + 0.6) * style.row_height_mm
        if col < 0:  # rhythm strip: the whole width
            t0, seconds, x0_mm = style.start_s, style.shown_s, LEFT_MM
        else:
            t0, seconds, x0_mm = style.start_s + col * col_s, col_s, LEFT_MM + col * col_mm
        if col <= 0:
            lines.append(_calibration(baseline_mm, style))
        labels.append((lead, x0_mm + 1.0, baseline_mm - 0.45 * style.row_height_mm))
        if col > 0:  # short separator where one column ends and the next begins
            lines.append(np.array([[x0_mm, baseline_mm - 2.5], [x0_mm, baseline_mm + 2.5]]))
        if lead not in rec.leads:
            continue
        lo = int(round(t0 * rec.sampling_rate))
        hi = min(rec.n_samples, int(round((t0 + seconds) * rec.sampling_rate)))
        if hi - lo < 2:
            continue
        y = rec.lead(lead)[lo:hi].astype(np.float64)
        x_mm = x0_mm + (np.arange(hi - lo) / rec.sampling_rate) * style.speed_mm_s
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
    """A 1 mV, 0.2 s rectangular pulse at the start of a row."""
    x0 = CAL_START_MM
    x1 = x0 + CAL_WIDTH_S * style.speed_mm_s
    top = baseline_mm - CAL_MV * style.gain_mm_mv
    return np.array([
        [x0 - 2.0, baseline_mm], [x0, baseline_mm], [x0, top],
        [x1, top], [x1, baseline_mm], [x1 + 2.0, baseline_mm],
    ])


def _grid(width: int, height: int, style: PaperStyle) -> np.ndarray:
    """Paper with 1 mm minor and 5 mm major lines, drawn by array slicing (fast)."""
    image = np.empty((height, width, 3), np.uint8)
    image[:] = style.paper_rgb
    ppm = style.px_per_mm
    line_px = max(1, int(round(style.grid_width_mm * ppm)))
    for every_mm, rgb, px in ((1, style.minor_grid_rgb, line_px), (5, style.major_grid_rgb, line_px * 2 if ppm >= 4 else line_px)):
        xs = np.round(np.arange(0, width / ppm + 1e-6, every_mm) * ppm).astype(int)
        ys = np.round(np.arange(0, height / ppm + 1e-6, every_mm) * ppm).astype(int)
        for k in range(px):
            image[:, np.clip(xs + k, 0, width - 1)] = rgb
            image[np.clip(ys + k, 0, height - 1), :] = rgb
    return image
