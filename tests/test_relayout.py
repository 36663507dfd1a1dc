"""Re-laying any printer's page onto the renderer's 3x4+1 geometry before encoding.

Pages are built here from the app's own renderer, then moved the way other carts print
them (a header above the leads, rows spaced apart, the pulse at the end of each row,
three rhythm strips), so where every lead should land is known exactly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import numpy as np
import pytest

from conftest import REPO
from ecgviewer.core.readers import read
from ecgviewer.core.ink import paper_darkness
from ecgviewer.core.relayout import find_rows, ink_mask, relayout
from ecgviewer.core.paper import LAYOUTS, PaperStyle
from ecgviewer.core.render import render

PPM = 5.0
#: Twelve leads that differ as real ones do (ECGSYN, Dower projection; see make_sample).
SAMPLE = read(REPO / "resources" / "samples" / "demo_ecg.hea")


def _page(layout: str = "3x4+1") -> np.ndarray:
    return render(SAMPLE, PaperStyle(layout=layout, px_per_mm=PPM))


def _traces(page: np.ndarray) -> np.ndarray:
    return ink_mask(paper_darkness(page))


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Share of ``b``'s trace pixels that ``a`` has within a pixel."""
    from scipy.ndimage import binary_dilation

    return float((binary_dilation(_traces(a), iterations=1) & _traces(b)).sum() / _traces(b).sum())


def _other_cart(page: np.ndarray, header_mm: float = 30.0, gap_mm: float = 8.0) -> np.ndarray:
    """Our page as another cart prints it: a header with text above, rows pulled apart."""
    style = PaperStyle(px_per_mm=PPM)
    rows = [int(round(style.baseline_mm(r) * PPM)) for r in range(4)]
    half = int(15 * PPM)
    header, gap = int(header_mm * PPM), int(gap_mm * PPM)
    out = np.full((header + 4 * (2 * half + gap), page.shape[1], 3), 255, np.uint8)
    import cv2

    cv2.putText(out, "Pat. 12345  62 y  HR 71/min  QRS 96 ms", (60, 60), cv2.FONT_HERSHEY_DUPLEX,
                1.2, (0, 0, 0), 2)
    for r, y in enumerate(rows):
        top = header + r * (2 * half + gap)
        out[top:top + 2 * half] = page[y - half:y + half]
    return out


def test_the_apps_own_page_is_left_as_it_is():
    """Its rows are found where the renderer put them, so it is searched as printed."""
    page = _page()
    assert len(find_rows(_traces(page), PPM)) == 4
    assert relayout(page, PPM) is None
    shifted = np.full_like(page, 255)
    shifted[40:] = page[:-40]  # 8 mm lower: a header above the leads
    assert _overlap(relayout(shifted, PPM).page, page) > 0.95


def test_a_header_and_wider_rows_are_moved_back_onto_the_standard_rows():
    page = _page()
    moved = _other_cart(page)
    assert _overlap(moved[:page.shape[0]], page) < 0.3  # as printed, few traces where ours are
    assert _overlap(relayout(moved, PPM).page, page) > 0.9


def test_a_twelve_row_page_is_cut_into_the_standard_slots():
    page, twelve = _page(), _page("12x1")
    relaid = relayout(twelve, PPM)
    assert relaid is not None and relaid.page.shape == page.shape
    assert relaid.limb_order == "standard"
    assert _overlap(relaid.page, page) > 0.75  # less: a 12x1 row's tall complexes reach the next


def test_pages_it_cannot_read_are_left_as_they_are():
    assert relayout(_page("6x2"), PPM) is None  # a 6x2 page is read as printed
    blank = np.full((650, 1350, 3), 255, np.uint8)
    assert relayout(blank, PPM) is None


@pytest.mark.parametrize("rhythm_row", [0, 1, 2])
def test_of_three_rhythm_strips_lead_ii_is_the_one_kept(rhythm_row):
    """A 3x4+3 page (strips V1, II, V5 in any order): the strip that repeats lead II of the
    block is the one placed on the standard rhythm row."""
    rec = SAMPLE
    page = _page()
    style = PaperStyle(px_per_mm=PPM)
    half = int(15 * PPM)
    block = page[:int(round(style.baseline_mm(2) * PPM)) + half]
    rhythm_y = int(round(style.baseline_mm(3) * PPM))
    ii = page[rhythm_y - half:rhythm_y + half]
    others = [_strip(rec, lead) for lead in ("V1", "V5")]
    strips = others[:rhythm_row] + [ii] + others[rhythm_row:]
    tall = np.concatenate([block] + strips + [np.full((40, page.shape[1], 3), 255, np.uint8)])
    relaid = relayout(tall, PPM)
    assert relaid is not None
    got = relaid.page[rhythm_y - half:rhythm_y + half]
    assert _overlap(got, ii) > 0.9


def _strip(rec, lead: str) -> np.ndarray:
    """A full-width rhythm strip of ``lead``, cut from a 12x1 page."""
    style = PaperStyle(layout="12x1", px_per_mm=PPM)
    page = render(rec, style)
    row = [name for (name,) in LAYOUTS["12x1"]].index(lead)
    y = int(round(style.baseline_mm(row) * PPM))
    half = int(15 * PPM)
    strip = np.full((2 * half, page.shape[1], 3), 255, np.uint8)
    part = page[max(0, y - half):y + half]
    strip[:len(part)] = part
    return strip


def _cabrera(rec):
    """``rec`` with its limb leads printed in the Cabrera order: the renderer's slots
    I, II, III, aVR, aVL, aVF show aVL, I, -aVR, II, aVF, III."""
    lead = {name: rec.signals[rec.leads.index(name)] for name in rec.leads}
    shown = {"I": lead["aVL"], "II": lead["I"], "III": -lead["aVR"],
             "aVR": lead["II"], "aVL": lead["aVF"], "aVF": lead["III"]}
    signals = np.stack([shown.get(name, lead[name]) for name in rec.leads])
    return dataclasses.replace(rec, signals=signals)


def _slot(page: np.ndarray, row: int, col: int) -> np.ndarray:
    style = PaperStyle(px_per_mm=PPM)
    y = int(round(style.baseline_mm(row) * PPM))
    x = int(round((style.left_mm + 62.5 * col) * PPM))
    return page[y - int(12 * PPM):y + int(12 * PPM), x + 5:x + int(62.5 * PPM) - 5]


def test_limb_leads_printed_in_the_cabrera_order_are_put_back_in_theirs():
    """The limb-lead relations (II = I + III, ...) tell the orders apart: lead I, printed
    in the second row, lands in the first, and the chest leads stay where they are."""
    standard = _page()
    cabrera = _other_cart(render(_cabrera(SAMPLE), PaperStyle(px_per_mm=PPM)))
    relaid = relayout(cabrera, PPM)
    assert relaid is not None and relaid.limb_order == "Cabrera"
    assert _overlap(_slot(relaid.page, 0, 0), _slot(standard, 0, 0)) > 0.9  # lead I
    assert _overlap(_slot(relaid.page, 1, 2), _slot(standard, 1, 2)) > 0.9  # V2
    assert _overlap(_slot(relaid.page, 0, 0), _slot(standard, 1, 0)) < 0.8  # not II


def test_a_page_in_the_standard_order_is_read_in_it():
    relaid = relayout(_other_cart(_page()), PPM)
    assert relaid is not None and relaid.limb_order == "standard"


def _folded(page: np.ndarray, x_frac: float = 0.55, tilt: float = 0.05) -> np.ndarray:
    """``page`` folded once across its time axis: a dark crease, a little off vertical."""
    h, w = page.shape[:2]
    d = np.arange(w)[None, :] - (x_frac * w + (np.arange(h)[:, None] - h / 2) * tilt)
    return (page * (1 - 0.4 * np.exp(-(d / 3) ** 2))[..., None]).astype(np.uint8)


def test_a_fold_line_is_not_ink():
    """A crease runs edge to edge: left in, it is the darkest print on the page, copied
    onto every row. It is no ink, and the rows' ink around it is kept."""
    page = _other_cart(_page())
    folded = _folded(page)
    ink = _traces(folded)
    h, w = ink.shape
    y = int(12 * PPM)  # in the header, above its text
    x = int(0.55 * w + (y - h / 2) * 0.05)
    assert not ink[y, x - 8:x + 9].any()
    assert abs(int(ink.sum()) - int(_traces(page).sum())) < 0.02 * _traces(page).sum()
    relaid = relayout(folded, PPM)
    assert relaid is not None and _overlap(relaid.page, relayout(page, PPM).page) > 0.9


def test_faded_shaken_print_is_copied_with_its_faint_stretches():
    """Faded thin print shaken by the camera keeps its steep strokes dark while its flat
    stretches fade below the ink level; the faint ink that continues the dark is copied
    too (0.54 of the crisp page's trace without it)."""
    import cv2

    def printout(fade: float, shake: int) -> np.ndarray:
        page = _other_cart(render(SAMPLE, PaperStyle(px_per_mm=PPM, trace_width_mm=0.2)))
        page = 255 - (255 - page.astype(np.float32)) * (1 - fade)  # header text fades too
        if shake:
            page = cv2.filter2D(page, -1, np.full((shake, 1), 1 / shake, np.float32))
        return page.astype(np.uint8)

    crisp = relayout(printout(0.0, 0), PPM).page
    assert _overlap(relayout(printout(0.4, 3), PPM).page, crisp) > 0.58


def test_specks_are_not_copied():
    """Dust, JPEG blocks and dark grid crossings, each a few pixels on its own, stay off
    the new page (the encoder would read them as signal); the traces are all there."""
    page = _other_cart(_page())
    dotted = page.copy()
    rng = np.random.default_rng(0)
    h, w = page.shape[:2]
    for y, x in zip(rng.integers(0, h - 2, 400), rng.integers(0, w - 2, 400)):
        dotted[y:y + 2, x:x + 2] = 40
    clean, specked = relayout(page, PPM).page, relayout(dotted, PPM).page
    assert np.count_nonzero((clean != specked).any(axis=2)) < 300  # 1,200 when copied


def test_a_grey_grid_s_lines_are_no_folds():
    from ecgviewer.core.relayout import fold_lines

    page = render(SAMPLE, PaperStyle(px_per_mm=PPM, minor_grid_rgb=(220, 220, 220),
                                     major_grid_rgb=(150, 150, 150)))
    assert fold_lines(paper_darkness(page).astype(np.float32) / 255) is None
    assert fold_lines(paper_darkness(_folded(page)).astype(np.float32) / 255) is None  # among them


def test_a_pulse_at_the_end_of_the_rows_is_not_taken_for_signal():
    """A cart printing the pulse after the trace, with a gap of its own: the 10 s
    start where the trace does, not a pulse's width later."""
    page = _page()
    left = int(round(PaperStyle(px_per_mm=PPM).left_mm * PPM))  # the margin holds the pulse
    trace = page[:, left:left + int(250 * PPM) + 2]
    moved = np.full((page.shape[0], page.shape[1] + 100, 3), 255, np.uint8)
    moved[:, 5:5 + trace.shape[1]] = trace  # the trace first, from near the edge
    gap = 5 + trace.shape[1] + int(6 * PPM)
    moved[:, gap:gap + left] = page[:, :left]  # then the pulses
    relaid = relayout(moved, PPM)
    assert relaid is not None
    assert _overlap(relaid.page, page) > 0.9


def test_the_query_notes_say_the_limb_leads_were_read_in_another_order():
    from ecgviewer.core.photo import Rectified
    from ecgviewer.core.search import photo_page

    page = _other_cart(render(_cabrera(SAMPLE), PaperStyle(px_per_mm=PPM)))
    rect = Rectified(page=page, corners=np.zeros((4, 2), np.float32), px_per_mm=None,
                     page_mm=(page.shape[1] / PPM, page.shape[0] / PPM), found=True)
    _, notes = photo_page(rect)
    assert notes == ["The limb leads were printed in the Cabrera order "
                     "(aVL, I, -aVR, II, aVF, III) and were read so."]
    assert photo_page(replace(rect, page=_other_cart(_page())))[1] == []
