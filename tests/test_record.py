"""EcgRecord: lead names, derived limb leads, resampling and validation."""

from __future__ import annotations

import numpy as np
import pytest

from ecgviewer.core.errors import InvalidSignalError
from ecgviewer.core.record import STANDARD_LEADS, EcgRecord, normalise_lead_name
from conftest import synthetic_record


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("AVR", "aVR"), ("avr", "aVR"), ("aVR", "aVR"), ("MDC_ECG_LEAD_AVR", "aVR"),
        ("Lead II", "II"), ("lead_v1", "V1"), ("ECG I", "I"), (" v6 ", "V6"),
        ("MDC_ECG_LEAD_III", "III"), ("Resp", "Resp"),
    ],
)
def test_lead_names_are_normalised(raw, expected):
    assert normalise_lead_name(raw) == expected


def test_record_normalises_lead_names_on_construction():
    signals = np.arange(30, dtype=np.float32).reshape(3, 10) / 10
    rec = EcgRecord(signals, 500, ("lead i", "AVF", "MDC_ECG_LEAD_V2"))
    assert rec.leads == ("I", "aVF", "V2")
    np.testing.assert_array_equal(rec.lead("avf"), signals[1])  # any spelling, right row


def test_limb_leads_are_derived_from_i_and_ii():
    full = synthetic_record(rate=100, seconds=2)
    keep = ["I", "II"] + [f"V{k}" for k in range(1, 7)]
    partial = EcgRecord(np.stack([full.lead(n) for n in keep]), 100, tuple(keep))
    rec = partial.with_standard_leads()
    assert rec.leads == STANDARD_LEADS
    i, ii, iii = rec.lead("I"), rec.lead("II"), rec.lead("III")
    np.testing.assert_allclose(i + iii, ii, atol=1e-6)  # Einthoven
    np.testing.assert_allclose(rec.lead("aVR") + rec.lead("aVL") + rec.lead("aVF"), 0, atol=1e-6)
    np.testing.assert_allclose(rec.lead("aVR"), -(i + ii) / 2, atol=1e-6)
    assert "III derived from I and II" in rec.metadata.derived
    np.testing.assert_array_equal(rec.lead("V3"), full.lead("V3"))


def test_resampling_keeps_a_sine_amplitude():
    t = np.arange(5000) / 500
    rec = EcgRecord(np.sin(2 * np.pi * 5 * t)[None, :], 500, ("II",))
    down = rec.resampled(100)
    assert down.sampling_rate == 100 and down.n_samples == 1000
    middle = down.signals[0, 100:-100]  # away from the filter's edge effects
    assert abs(np.abs(middle).max() - 1.0) < 0.02
    assert down.duration_s == pytest.approx(10.0)
    assert down.metadata.derived == ("resampled from 500 Hz to 100 Hz",)


@pytest.mark.parametrize(
    "signals, rate, leads, message",
    [
        (np.array([[0.1, np.nan, 0.2]]), 500, ("I",), "NaN"),
        (np.zeros((2, 10)), 500, ("I", "i"), "same lead twice"),
        (np.zeros((1, 10)), 0, ("I",), "sampling rate of 0 Hz"),
        (np.zeros((1, 10)), 1e6, ("I",), r"sampling rate of 1e\+06 Hz"),
        (np.full((1, 10), 3000.0), 500, ("I",), "units or gain"),
        (np.zeros((2, 10)), 500, ("I",), "names 1 leads but holds 2"),
    ],
)
def test_invalid_records_are_refused(signals, rate, leads, message):
    with pytest.raises(InvalidSignalError, match=message):
        EcgRecord(signals, rate, leads)
