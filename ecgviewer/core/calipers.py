"""Caliper arithmetic: two points on the paper -> interval, amplitude and rate.

Pure functions of page pixels and paper settings, so the GUI's calipers, tests and any
future export agree to the millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Intervals shorter than this are no RR interval (300 bpm and above): no rate is shown.
MIN_RR_MS = 200.0


@dataclass(frozen=True)
class CaliperReading:
    """``dt_ms`` is always >= 0; ``dv_mv`` is positive when the second point is higher."""

    dt_ms: float
    dv_mv: float
    rate_bpm: float | None  # 60 000 / dt, when dt can be an RR interval


def measure(p1: tuple[float, float], p2: tuple[float, float], px_per_mm: float,
            speed_mm_s: float, gain_mm_mv: float) -> CaliperReading:
    """Read the interval between two page points (x right, y down, in pixels)."""
    if px_per_mm <= 0 or speed_mm_s <= 0 or gain_mm_mv <= 0:
        raise ValueError("px_per_mm, speed_mm_s and gain_mm_mv must be positive")
    dx_mm = abs(p2[0] - p1[0]) / px_per_mm
    dy_mm = (p1[1] - p2[1]) / px_per_mm  # screen y grows downwards, voltage upwards
    dt_ms = 1000.0 * dx_mm / speed_mm_s
    dv_mv = dy_mm / gain_mm_mv
    rate = 60_000.0 / dt_ms if dt_ms >= MIN_RR_MS else None
    return CaliperReading(dt_ms=dt_ms, dv_mv=dv_mv, rate_bpm=rate)
