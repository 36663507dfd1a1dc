"""Caliper arithmetic: page pixels -> milliseconds, millivolts and beats per minute."""

import pytest

from ecgviewer.core.calipers import measure


def test_one_large_square_pair_is_200_ms_and_five_squares_one_second():
    # 8 px/mm: 25 mm = 200 px = 1 s at 25 mm/s, an RR of 1 s is 60 bpm
    reading = measure((100, 300), (300, 300), px_per_mm=8, speed_mm_s=25, gain_mm_mv=10)
    assert reading.dt_ms == pytest.approx(1000)
    assert reading.rate_bpm == pytest.approx(60)
    assert reading.dv_mv == pytest.approx(0)


def test_amplitude_is_positive_upwards_and_follows_the_gain():
    up = measure((0, 400), (0, 320), px_per_mm=8, speed_mm_s=25, gain_mm_mv=10)
    assert up.dv_mv == pytest.approx(1.0)  # 80 px = 10 mm = 1 mV at 10 mm/mV
    down = measure((0, 320), (0, 400), px_per_mm=8, speed_mm_s=25, gain_mm_mv=20)
    assert down.dv_mv == pytest.approx(-0.5)


def test_speed_halves_time_and_order_of_clicks_does_not_matter():
    a = measure((300, 0), (100, 0), px_per_mm=8, speed_mm_s=50, gain_mm_mv=10)
    assert a.dt_ms == pytest.approx(500)
    assert a.rate_bpm == pytest.approx(120)


def test_intervals_shorter_than_an_rr_have_no_rate():
    qrs = measure((0, 0), (20, 0), px_per_mm=8, speed_mm_s=25, gain_mm_mv=10)  # 100 ms
    assert qrs.dt_ms == pytest.approx(100) and qrs.rate_bpm is None


def test_nonsense_settings_are_refused():
    with pytest.raises(ValueError):
        measure((0, 0), (1, 1), px_per_mm=0, speed_mm_s=25, gain_mm_mv=10)
