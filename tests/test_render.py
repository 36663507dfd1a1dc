"""The paper renderer: page geometry, calibration measured on the pixels, robustness."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from conftest import synthetic_record
from ecgviewer.core.errors import EcgError
from ecgviewer.core.record import EcgRecord
from ecgviewer.core.paper import LAYOUTS, TOP_MM, TRACE_WIDTH_MM, PaperStyle
from ecgviewer.core.render import render

WHITE = (255, 255, 255)


def plain(**kw) -> PaperStyle:
    """Black trace on white, grid-free, no labels: every dark pixel is trace or pulse."""
    return PaperStyle(paper_rgb=WHITE, minor_grid_rgb=WHITE, major_grid_rgb=WHITE,
                      labels=False, **kw)


def ink(image: np.ndarray) -> np.ndarray:
    """Darkness 0-1 per pixel (1 is black)."""
    return 1.0 - image.min(axis=2) / 255.0


def band(style: PaperStyle, row: int) -> slice:
    """Pixel rows of layout row ``row``."""
    top = TOP_MM + row * style.row_height_mm
    return slice(int(top * style.px_per_mm), int((top + style.row_height_mm) * style.px_per_mm))


def slot_ink(image: np.ndarray, style: PaperStyle, row: int, col: int) -> float:
    """Total ink in one lead slot, leaving out 1 mm at each edge (column separators)."""
    n_cols = len(LAYOUTS[style.layout][0])
    x0 = style.left_mm + col * TRACE_WIDTH_MM / n_cols + 1.0
    x1 = x0 + TRACE_WIDTH_MM / n_cols - 2.0
    ppm = style.px_per_mm
    return float(ink(image)[band(style, row), int(x0 * ppm):int(x1 * ppm)].sum())


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("speed", [25.0, 50.0])
@pytest.mark.parametrize("gain", [5.0, 10.0, 20.0])
def test_page_size_is_page_mm_times_resolution(record, layout, speed, gain):
    for ppm in (2.0, 4.0):
        style = PaperStyle(layout=layout, speed_mm_s=speed, gain_mm_mv=gain, px_per_mm=ppm)
        image = render(record, style)
        width_mm, height_mm = style.page_mm
        assert image.shape == (round(height_mm * ppm), round(width_mm * ppm), 3)
        assert image.dtype == np.uint8


def test_whole_page_is_grid(record):
    image = render(record, PaperStyle())
    style = PaperStyle()
    minor = np.array(style.minor_grid_rgb)
    # The first pixel row and column are grid lines: the page is grid edge to edge.
    assert (image[0] != np.array(style.paper_rgb)).any(axis=1).all()
    assert (image[:, 0] != np.array(style.paper_rgb)).any(axis=1).all()
    assert (image == minor).all(axis=2).any()


def _pulse_mm(style: PaperStyle) -> tuple[float, float]:
    """(height, width) of row 0's calibration pulse, measured on the rendered pixels."""
    flat = EcgRecord(np.zeros((12, 5000), np.float32), 500.0,
                     ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"))
    ppm = style.px_per_mm
    margin = ink(render(flat, style))[band(style, 0), : int(style.left_mm * ppm) - 1]
    assert margin.sum() > 0, "no calibration pulse in the left margin"
    ys, xs = np.nonzero(margin)

    def centre(profile: np.ndarray) -> float:
        return float((np.arange(profile.size) * profile).sum() / profile.sum())

    # Half-way up, only the two vertical edges are inked: their centres give the width.
    mid = margin[(ys.min() + ys.max()) // 2]
    split = int(np.nonzero(mid)[0].mean())
    left, right = centre(mid[:split]), split + centre(mid[split:])
    # Down the middle of the pulse only the top is inked; left of it, only the baseline.
    top = centre(margin[:, int(round((left + right) / 2))])
    base = centre(margin[:, int(round((xs.min() + left) / 2))])
    height, width = base - top, right - left
    return height / ppm, width / ppm


@pytest.mark.parametrize("gain, speed, tall, wide", [
    (10.0, 25.0, 10.0, 5.0),
    (20.0, 25.0, 20.0, 5.0),
    (5.0, 25.0, 5.0, 5.0),
    (10.0, 50.0, 10.0, 10.0),
])
@pytest.mark.parametrize("ppm", [4.0, 10.0])
def test_calibration_pulse_measures_one_millivolt_and_point_two_seconds(gain, speed, tall, wide,
                                                                         ppm):
    height, width = _pulse_mm(plain(gain_mm_mv=gain, speed_mm_s=speed, px_per_mm=ppm))
    tolerance = 1.0 / ppm  # one pixel
    assert height == pytest.approx(tall, abs=tolerance)
    assert width == pytest.approx(wide, abs=tolerance)


def test_signal_amplitude_matches_gain():
    """A 1 mV step in lead I rises gain mm on the page, like the pulse beside it."""
    signals = np.zeros((12, 5000), np.float32)
    signals[0, 2500:] = 1.0  # lead I steps up 1 mV at 5 s
    rec = EcgRecord(signals, 500.0, ("I", "II", "III", "aVR", "aVL", "aVF",
                                     "V1", "V2", "V3", "V4", "V5", "V6"))
    style = plain(layout="12x1", px_per_mm=10.0)
    trace = ink(render(rec, style))[band(style, 0)]
    ppm = style.px_per_mm
    x_before, x_after = int((style.left_mm + 60) * ppm), int((style.left_mm + 190) * ppm)
    rows = np.arange(trace.shape[0])

    def level(x):
        column = trace[:, x]
        return (rows * column).sum() / column.sum()

    assert (level(x_before) - level(x_after)) / ppm == pytest.approx(10.0, abs=0.1)


def test_render_is_deterministic(record):
    for layout in LAYOUTS:
        style = PaperStyle(layout=layout)
        assert render(record, style).tobytes() == render(record, style).tobytes()


def test_limb_leads_are_derived_from_i_and_ii(record):
    """Only I and II recorded: III, aVR, aVL and aVF are drawn; V1-V6 cannot be derived."""
    i, ii = record.lead("I"), record.lead("II")
    two = EcgRecord(np.stack([i, ii]), record.sampling_rate, ("I", "II"))
    six = EcgRecord(np.stack([i, ii, ii - i, -(i + ii) / 2, i - ii / 2, ii - i / 2]),
                    record.sampling_rate, ("I", "II", "III", "aVR", "aVL", "aVF"))
    style = plain()
    image = render(two, style)
    assert np.array_equal(image, render(six, style))
    for row, leads in enumerate(LAYOUTS["3x4+1"]):
        for col, lead in enumerate(leads):
            inked = slot_ink(image, style, row, col) > 0
            assert inked == (not lead.startswith("V")), lead


def test_missing_lead_leaves_its_slot_empty(record):
    keep = [n for n in record.leads if n != "V6"]
    partial = EcgRecord(np.stack([record.lead(n) for n in keep]), record.sampling_rate, keep)
    style = plain()
    image = render(partial, style)
    assert slot_ink(image, style, 2, 3) == 0  # V6: row 3, column 4 of 3x4+1
    assert slot_ink(image, style, 1, 3) > 0  # V5 beside it is drawn
    labelled = render(partial, dataclasses.replace(style, labels=True))
    assert slot_ink(labelled, style, 2, 3) > 0  # the V6 label stays, so the gap is explained


def test_traces_stay_in_their_column_and_on_the_trace_area():
    """A 20 s record at 50 mm/s: each column and the page end where they should."""
    long = synthetic_record(rate=500.0, seconds=20.0)
    only_i = EcgRecord(long.signals[:1] + 1.0, 500.0, ("I",))  # raised: no baseline overlap
    for speed in (25.0, 50.0):
        style = plain(speed_mm_s=speed, px_per_mm=4.0)
        ppm = style.px_per_mm
        col_end = style.left_mm + TRACE_WIDTH_MM / 4
        row0 = ink(render(only_i, style))[band(style, 0)]
        for k in (1, 2, 3):  # blank the column separators
            x = round((style.left_mm + k * TRACE_WIDTH_MM / 4) * ppm)
            row0[:, x - 2:x + 3] = 0
        # I fills column 1 up to its end; nothing of it spills past the separator.
        assert row0[:, int((col_end - 1.0) * ppm):int(col_end * ppm) - 2].sum() > 0
        assert row0[:, int(col_end * ppm) - 2:].sum() == 0
        page = ink(render(long, style))
        trace_end = int((style.left_mm + TRACE_WIDTH_MM) * ppm)
        assert page[:, trace_end + 2:].sum() == 0


def test_start_s_shows_a_later_window(record):
    style = plain(layout="12x1")
    assert not np.array_equal(render(record, style),
                              render(record, dataclasses.replace(style, start_s=1.0)))
    late = render(record, dataclasses.replace(style, start_s=60.0))  # past the end: pulses only
    assert ink(late)[:, int(style.left_mm * style.px_per_mm):].sum() == 0


def test_twelve_by_one_page_fits_paper():
    width, height = PaperStyle(layout="12x1").page_mm
    assert height <= 297 and width <= 297  # fits A4 portrait, long side down the page


@pytest.mark.parametrize("field, value", [
    ("layout", "4x3"),
    ("layout", None),
    ("speed_mm_s", 0.0),
    ("speed_mm_s", float("nan")),
    ("gain_mm_mv", 0.0),
    ("gain_mm_mv", -10.0),
    ("gain_mm_mv", float("inf")),
    ("gain_mm_mv", "10"),
    ("px_per_mm", 0.0),
    ("px_per_mm", 100.0),
    ("trace_width_mm", 0.0),
    ("grid_width_mm", -0.1),
    ("start_s", -1.0),
    ("trace_rgb", (0, 0, 256)),
    ("paper_rgb", (255, 255)),
])
def test_invalid_style_raises_ecg_error(field, value):
    with pytest.raises(EcgError):
        PaperStyle(**{field: value})


def test_oversized_page_is_refused():
    with pytest.raises(EcgError, match="too large"):
        PaperStyle(layout="12x1", gain_mm_mv=40.0, px_per_mm=20.0)
