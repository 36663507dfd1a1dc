"""Shared fixtures: the optional PTB-XL folder and small synthetic records."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from ecgviewer.core.record import STANDARD_LEADS, EcgRecord

REPO = Path(__file__).resolve().parent.parent


def _ptbxl_dir() -> Path | None:
    for candidate in (os.environ.get("ECGVIEWER_DATA"), REPO.parent / "shared" / "ptbxl"):
        if candidate and (Path(candidate) / "ptbxl_database.csv").exists():
            return Path(candidate)
    return None


@pytest.fixture
def ptbxl_dir() -> Path:
    """The PTB-XL folder; tests using it skip when it is absent (it is never committed)."""
    found = _ptbxl_dir()
    if found is None:
        pytest.skip("PTB-XL data not found: set ECGVIEWER_DATA or place it at ../shared/ptbxl")
    return found


def synthetic_record(rate: float = 500.0, seconds: float = 10.0, seed: int = 0) -> EcgRecord:
    """A 12-lead ECG-like signal (spiky beats at 72/min plus noise), in mV."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(rate * seconds)) / rate
    phase = (t * 1.2) % 1.0
    beat = 1.2 * np.exp(-((phase - 0.3) / 0.012) ** 2) + 0.25 * np.exp(-((phase - 0.55) / 0.05) ** 2)
    gains = np.linspace(-1.0, 1.5, len(STANDARD_LEADS))
    signals = gains[:, None] * beat[None, :] + 0.01 * rng.standard_normal((12, t.size))
    return EcgRecord(signals.astype(np.float32), rate, STANDARD_LEADS)


@pytest.fixture
def record() -> EcgRecord:
    return synthetic_record()


@pytest.fixture(autouse=True)
def _own_clinic_home(tmp_path, monkeypatch):
    """No test reads or writes the user's own clinic cases (ECGVIEWER_HOME)."""
    monkeypatch.setenv("ECGVIEWER_HOME", str(tmp_path / "ecgviewer-home"))
