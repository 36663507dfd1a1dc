"""The geometry of ECG paper: layouts, margins, and how a page of them looks.

Plain data (no numpy, no OpenCV), so that the window, the settings and anything that
only lays out pages load it without the drawing stack; ``render`` draws with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

from ecgviewer.core.errors import EcgError


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
#: Millivolts of height per row. 12x1 rows are lower so the page stays paper-sized
#: (250 mm at 10 mm/mV, not 370); big complexes may reach into the next row, as on paper.
ROW_MV = {"3x4+1": 3.0, "6x2": 3.0, "12x1": 2.0}
BASELINE_AT = 0.6  # baseline height within a row, from the top: more room for R than S

#: Paper geometry in millimetres. The trace area is 250 mm wide: 10 s at 25 mm/s.
TRACE_WIDTH_MM = 250.0
LEFT_MM = 15.0  # room for the calibration pulse, widened when a fast speed needs more
RIGHT_MM = 5.0
TOP_MM = 5.0
BOTTOM_MM = 5.0
CAL_START_MM = 4.0
CAL_LEAD_MM = 2.0  # flat baseline either side of the pulse
CAL_WIDTH_S = 0.2
CAL_MV = 1.0
#: Pages beyond this are refused: 150 MB of RGB, far past any screen or printer.
MAX_PAGE_PIXELS = 50_000_000

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
        if not isinstance(self.layout, str) or self.layout not in LAYOUTS:
            raise EcgError(f"Unknown layout {self.layout!r}; choose one of {', '.join(LAYOUTS)}.")
        _check_range("Paper speed", self.speed_mm_s, 5.0, 100.0, "mm/s")
        _check_range("Gain", self.gain_mm_mv, 1.0, 40.0, "mm/mV")
        _check_range("Resolution", self.px_per_mm, 0.5, 20.0, "px/mm")
        _check_range("Trace width", self.trace_width_mm, 0.05, 2.0, "mm")
        _check_range("Grid line width", self.grid_width_mm, 0.05, 1.0, "mm")
        _check_range("Start time", self.start_s, 0.0, 86_400.0, "s")
        for name in ("paper_rgb", "minor_grid_rgb", "major_grid_rgb", "trace_rgb"):
            value = getattr(self, name)
            if not (isinstance(value, (tuple, list)) and len(value) == 3
                    and all(isinstance(c, Integral) and 0 <= c <= 255 for c in value)):
                raise EcgError(f"{name} must be three integers 0-255, not {value!r}.")
        width, height = self.page_px
        if width * height > MAX_PAGE_PIXELS:
            raise EcgError(
                f"A {width}x{height} px page is too large to draw; lower the resolution "
                f"({self.px_per_mm:g} px/mm) or the gain."
            )

    @property
    def row_height_mm(self) -> float:
        """Rows hold ROW_MV millivolts, in whole 5 mm squares, at least 15 mm."""
        return max(15.0, 5.0 * round(ROW_MV[self.layout] * self.gain_mm_mv / 5.0))

    @property
    def n_rows(self) -> int:
        rows = len(LAYOUTS[self.layout])
        return rows + 1 if self.layout.endswith("+1") else rows

    @property
    def cal_width_mm(self) -> float:
        return CAL_WIDTH_S * self.speed_mm_s

    @property
    def left_mm(self) -> float:
        """The left margin: LEFT_MM, or more (whole 5 mm) when a fast pulse needs it."""
        need = CAL_START_MM + self.cal_width_mm + CAL_LEAD_MM + 1.0
        return max(LEFT_MM, 5.0 * math.ceil(need / 5.0))

    @property
    def page_mm(self) -> tuple[float, float]:
        """(width, height) of the page in millimetres."""
        width = self.left_mm + TRACE_WIDTH_MM + RIGHT_MM
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

    def baseline_mm(self, row: int) -> float:
        """Height of row ``row``'s isoelectric line from the top of the page."""
        return TOP_MM + (row + BASELINE_AT) * self.row_height_mm


def _check_range(what: str, value: object, lo: float, hi: float, unit: str) -> None:
    if not isinstance(value, Real) or isinstance(value, bool) or not lo <= value <= hi:
        shown = f"{value:g}" if isinstance(value, Real) else repr(value)
        raise EcgError(f"{what} {shown} {unit} is outside {lo:g}-{hi:g} {unit}.")
