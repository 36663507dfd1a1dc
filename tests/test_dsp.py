"""The numpy signal processing against scipy's definitions (scipy is a test dependency)."""

from __future__ import annotations

import numpy as np
import pytest

from ecgviewer.core import dsp

signal = pytest.importorskip("scipy.signal", reason="scipy (training extra) is the reference")


@pytest.mark.parametrize("n, up, down", [(5000, 1, 5), (2570, 500, 257), (1000, 2, 1),
                                         (5000, 1, 2), (9, 3, 2), (10000, 1, 10),
                                         (20000, 2, 1)])
def test_resample_poly_is_scipys(n, up, down):
    x = np.random.default_rng(n).standard_normal((2, n)).cumsum(axis=1)
    expected = signal.resample_poly(x, up, down, axis=1)
    got = dsp.resample_poly(x, up, down)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-9)


def test_bandpass_matches_sosfiltfilt_away_from_the_edges():
    rate = 500
    t = np.arange(5000) / rate
    x = np.random.default_rng(1).standard_normal((3, 5000)).cumsum(axis=1) * 0.01
    x += np.sin(2 * np.pi * 12 * t) + 0.3 * np.sin(2 * np.pi * 50 * t)
    sos = signal.butter(2, [8, 20], btype="band", fs=rate, output="sos")
    expected = signal.sosfiltfilt(sos, x, axis=1)
    got = dsp.bandpass_zero_phase(x, 8, 20, rate)
    np.testing.assert_allclose(got[:, 500:-500], expected[:, 500:-500], atol=1e-6)


def test_bandpass_edges_follow_the_longer_signal():
    """At the ends, the result is what the same filter gives inside a longer recording."""
    rate = 500
    x = np.random.default_rng(2).standard_normal((1, 15000)).cumsum(axis=1) * 0.01
    x += np.sin(2 * np.pi * 10 * np.arange(15000) / rate)
    inside = dsp.bandpass_zero_phase(x, 8, 20, rate)[:, 5000:10000]
    alone = dsp.bandpass_zero_phase(x[:, 5000:10000], 8, 20, rate)
    assert np.abs(alone - inside)[:, :100].max() < 0.2 * np.abs(inside).max()


@pytest.mark.parametrize("seed", range(5))
def test_find_peaks_is_scipys(seed):
    rng = np.random.default_rng(seed)
    x = np.convolve(np.abs(rng.standard_normal(4000)), np.ones(15) / 15, "same")
    x[200:210] = x.max() + 1  # flat tops count once, at their middle
    x[1001:1004] = x[1000:1005].max() + 0.01
    expected, props = signal.find_peaks(x, height=0.7, distance=40)
    got, heights = dsp.find_peaks(x, 0.7, 40)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_allclose(heights, props["peak_heights"])
