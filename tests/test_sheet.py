"""Printouts without a grid: the sheet is found and scaled by its calibration pulses."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from conftest import synthetic_record
from ecgviewer.core import photo, sheet
from ecgviewer.core.errors import NotAnEcgImageError
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render

WHITE = (255, 255, 255)


def _gridless_photo(px_per_mm: float = 4.0, tilt_deg: float = 4.0
                    ) -> tuple[np.ndarray, np.ndarray, PaperStyle]:
    """A gridless printout lying tilted on a dark table; the photo and the sheet's corners."""
    style = PaperStyle(px_per_mm=px_per_mm, minor_grid_rgb=WHITE, major_grid_rgb=WHITE)
    page = render(synthetic_record(), style)
    h, w = page.shape[:2]
    canvas = (w + 300, h + 300)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), tilt_deg, 1.0)
    m[:, 2] += 150
    image = cv2.warpAffine(page, m, canvas, borderValue=(60, 45, 40))
    corners = cv2.transform(np.float32([[[0, 0], [w, 0], [w, h], [0, h]]]), m)[0]
    image = cv2.GaussianBlur(image, (0, 0), 0.6)
    return image, corners, style


def test_gridless_printout_is_found_and_scaled_by_its_pulses():
    image, corners, style = _gridless_photo()
    rect = photo.rectify(image)
    assert rect.found and rect.notes == [sheet.GRIDLESS]
    assert np.linalg.norm(rect.corners - corners, axis=1).max() < 0.02 * image.shape[1]
    assert rect.px_per_mm == pytest.approx(style.px_per_mm, rel=0.04)
    assert rect.page_mm[0] == pytest.approx(style.page_mm[0], rel=0.04)


def test_gridless_printout_on_a_grained_table():
    """Wood grain repeats enough to pass for a blurred grid; the sheet and its pulses are
    the better evidence, and are tried first."""
    image, corners, style = _gridless_photo()
    h, w = image.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    grain = (40 * np.sin(yy / 9.0 + 3 * np.sin(xx / 60.0)))[..., None]
    wood = np.clip(np.array([150, 100, 60]) + grain, 0, 255).astype(np.uint8)
    table = (image[..., 0] < 70) & (image[..., 1] < 60)
    rect = photo.rectify(np.where(table[..., None], wood, image).astype(np.uint8))
    assert rect.notes == [sheet.GRIDLESS]
    assert rect.page_mm[0] == pytest.approx(style.page_mm[0], rel=0.04)


def test_user_corners_on_gridless_paper_are_scaled_by_the_pulses():
    image, corners, style = _gridless_photo(tilt_deg=0.0)
    rect = photo.rectify(image, corners)
    assert rect.notes == [sheet.GRIDLESS]
    assert rect.page_mm[0] == pytest.approx(style.page_mm[0], rel=0.04)


def test_pulses_give_the_scale_whatever_the_resolution():
    for ppm in (3.0, 6.0):
        page = render(synthetic_record(), PaperStyle(px_per_mm=ppm, minor_grid_rgb=WHITE,
                                                     major_grid_rgb=WHITE))
        assert sheet.pulse_scale(page) == pytest.approx((ppm, ppm), rel=0.04)


def test_a_tilted_photo_keeps_the_pulse_s_aspect():
    """Pulses half as wide as tall are 0.2 s: across the page they set the scale, so a
    sheet flattened a little too narrow (a tilted photo) gets its aspect back."""
    page = render(synthetic_record(), PaperStyle(px_per_mm=5.0, minor_grid_rgb=WHITE,
                                                 major_grid_rgb=WHITE))
    squeezed = cv2.resize(page, None, fx=0.9, fy=1.0, interpolation=cv2.INTER_AREA)
    assert sheet.pulse_scale(squeezed) == pytest.approx((4.5, 5.0), rel=0.04)


def test_strokes_without_a_blank_inside_are_no_pulses():
    """Two equal strokes with a flat top are a pulse only when the paper between them is
    blank: filled or scribbled rectangles (noise, a logo, a table) are not."""
    page = np.full((600, 900, 3), 250, np.uint8)
    for x in (100, 400):
        cv2.rectangle(page, (x, 200), (x + 25, 250), (0, 0, 0), 2)
    assert sheet.pulse_scale(page) == pytest.approx((5.0, 5.0), rel=0.06)
    for x in (100, 400):
        cv2.rectangle(page, (x, 200), (x + 25, 250), (0, 0, 0), -1)
    assert sheet.pulse_scale(page) is None


def test_sheet_of_text_on_a_table_is_still_refused():
    image = np.full((1200, 1600, 3), (60, 45, 40), np.uint8)
    image[150:1050, 200:1400] = 245
    rng = np.random.default_rng(0)
    words = "patient report the findings were discussed with ward staff today".split()
    for y in range(200, 1030, 36):
        cv2.putText(image, " ".join(rng.choice(words, 6)), (230, y), cv2.FONT_HERSHEY_SIMPLEX,
                    0.9, (20, 20, 20), 2, cv2.LINE_AA)
    with pytest.raises(NotAnEcgImageError):
        photo.rectify(image)
