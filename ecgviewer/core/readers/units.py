"""Voltage units as files spell them, mapped to the millivolts every reader returns."""

from __future__ import annotations

_MV_PER_UNIT = {
    "nv": 1e-6,
    "uv": 1e-3,
    "µv": 1e-3,  # micro sign
    "μv": 1e-3,  # Greek mu
    "microvolt": 1e-3,
    "microvolts": 1e-3,
    "mv": 1.0,
    "millivolt": 1.0,
    "millivolts": 1.0,
    "v": 1e3,
    "volt": 1e3,
    "volts": 1e3,
}


def mv_per_unit(unit: str) -> float | None:
    """Millivolts per ``unit`` ("uV", "mV", "V", ...), or None when it is not a voltage."""
    return _MV_PER_UNIT.get(unit.strip().lower())
