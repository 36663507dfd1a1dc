"""The training's recorder variation (issue 12): each difference does what it says."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch", reason="the trainer needs the training extra")
from model_export import train_product  # noqa: E402
from model_export.ptbxl import RATE  # noqa: E402


@pytest.fixture
def only(monkeypatch):
    def choose(**probabilities):
        for name in ("MONITOR_FILTER_P", "HUM_P", "DERIVED_LIMB_P"):
            monkeypatch.setattr(train_product, name, probabilities.get(name, 0.0))
    return choose


def test_derived_limb_leads_follow_einthoven(only):
    only(DERIVED_LIMB_P=1.0)
    x = np.random.default_rng(0).standard_normal((12, 1000)).astype(np.float32)
    y = train_product.augment_signal(x, np.random.default_rng(1))
    i, ii = y[0].astype(np.float64), y[1].astype(np.float64)
    np.testing.assert_allclose(y[2], ii - i, atol=1e-5)         # III
    np.testing.assert_allclose(y[3], -(i + ii) / 2, atol=1e-5)  # aVR
    assert not np.allclose(y[2], x[2] * (y[0] / x[0]).mean())  # not the recorded III


def test_monitor_filter_removes_what_lies_above_40_hz(only):
    t = np.arange(1000) / RATE
    x = np.tile(np.sin(2 * np.pi * 47 * t), (12, 1)).astype(np.float32)

    def amplitude_47(y):
        spectrum = np.abs(np.fft.rfft(y[0])) / 500
        return spectrum[np.argmin(np.abs(np.fft.rfftfreq(1000, 1 / RATE) - 47))]

    only()
    plain = amplitude_47(train_product.augment_signal(x, np.random.default_rng(2)))
    only(MONITOR_FILTER_P=1.0)
    filtered = amplitude_47(train_product.augment_signal(x, np.random.default_rng(2)))
    assert plain > 0.7 and filtered < 0.1 * plain


@pytest.mark.parametrize("seed", range(4))
def test_mains_hum_shows_at_its_sampled_frequency(only, seed):
    only(HUM_P=1.0)
    y = train_product.augment_signal(np.zeros((12, 1000), np.float32), np.random.default_rng(seed))
    spectrum = np.abs(np.fft.rfft(y[6] - y[6].mean()))
    freqs = np.fft.rfftfreq(1000, 1 / RATE)
    mains = spectrum[(np.abs(freqs - 40) < 0.2) | (freqs > 49.8)].max()  # 60 Hz aliases to 40
    assert mains > 4 * np.median(spectrum[(freqs > 5) & (freqs < 35)])
