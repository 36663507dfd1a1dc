"""Photos and scans of paper ECGs: loading, rectification, the info command, augmentation.

Synthetic photos come from model_export.photo_augment, so the true grid corners and
pitch are known exactly.
"""

from __future__ import annotations

import json
import struct
import zlib

import cv2
import numpy as np
import pytest

from conftest import synthetic_record
from ecgviewer.cli import main
from ecgviewer.core import photo
from ecgviewer.core.readers import image_reader
from ecgviewer.core.errors import (
    CorruptFileError,
    EcgError,
    NotAnEcgImageError,
    UnsupportedFormatError,
)
from ecgviewer.core.preprocess import encoder_input
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render
from model_export import photo_augment

NOT_ECG = "not look like an ECG printout"


def _page(layout: str = "3x4+1", colour: str = "pink", px_per_mm: float = 5.0) -> tuple:
    minor, major = photo_augment.GRID_COLOURS[colour]
    style = PaperStyle(layout=layout, px_per_mm=px_per_mm, minor_grid_rgb=minor,
                       major_grid_rgb=major)
    return render(synthetic_record(), style), style


def _true_px_per_mm(corners: np.ndarray, style: PaperStyle) -> float:
    """The photo's scale at the page centre, from the known corners."""
    w, h = style.page_mm
    to_photo = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]),
                                           corners.astype(np.float32))
    return photo._scale_at_centre(to_photo, w, h)


def _corner_error(found: np.ndarray, true: np.ndarray) -> float:
    """Largest corner distance as a fraction of the page diagonal."""
    diag = np.linalg.norm(true[2] - true[0])
    return float(np.linalg.norm(found - true, axis=1).max() / diag)


def _similar(a: np.ndarray, b: np.ndarray) -> bool:
    """Same picture up to lossy compression: compared at 1/8 size, where JPEG's
    smearing of single-pixel grid lines averages out."""
    size = (a.shape[1] // 8, a.shape[0] // 8)
    if a.shape != b.shape:
        return False
    small_a, small_b = (cv2.resize(x, size, interpolation=cv2.INTER_AREA).astype(int)
                        for x in (a, b))
    return np.abs(small_a - small_b).mean() < 4


def _write(path, rgb: np.ndarray, params=()) -> str:
    ok, data = cv2.imencode(path.suffix, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), list(params))
    assert ok
    path.write_bytes(data.tobytes())
    return str(path)


# ----------------------------------------------------------------------- rectification


@pytest.mark.parametrize("colour, tilt, layout, seed", [
    ("pink", 0, "3x4+1", 0),
    ("red", 15, "6x2", 1),
    ("orange", 25, "3x4+1", 2),
    ("green", 30, "12x1", 3),
    ("blue", 35, "3x4+1", 4),
    ("grey", 40, "6x2", 5),
    ("pink", 40, "3x4+1", 6),
])
def test_rectify_recovers_corners_and_pitch(colour, tilt, layout, seed):
    page, style = _page(layout, colour)
    rng = np.random.default_rng(seed)
    image, corners = photo_augment.photo_like(page, rng, "moderate", tilt_deg=tilt)
    rect = photo.rectify(image)
    assert rect.found and rect.notes == []
    assert _corner_error(rect.corners, corners) <= 0.02
    assert rect.px_per_mm == pytest.approx(_true_px_per_mm(corners, style), rel=0.05)
    width_mm, height_mm = style.page_mm
    assert rect.page_mm[0] == pytest.approx(width_mm, rel=0.05)
    assert rect.page_mm[1] == pytest.approx(height_mm, rel=0.05)
    assert rect.page.shape[1] == pytest.approx(width_mm * photo.PAGE_PX_PER_MM, rel=0.05)


FAINT_12X1 = pytest.mark.xfail(strict=True, reason=(
    "known limit: a blurred 12x1 page whose light trace cannot be told from its grid; "
    "the trace's 20 mm rows outweigh the faint horizontal grid lines, so the height is "
    "misread (the corners are right)"))


@pytest.mark.parametrize("severity, seed", [
    ("mild", 0), ("mild", 1), ("mild", 2),
    ("moderate", 0), pytest.param("moderate", 1, marks=FAINT_12X1), ("moderate", 2),
])
def test_rectify_random_photos(severity, seed):
    rng = np.random.default_rng(100 + seed)
    style = photo_augment.random_paper_style(rng, px_per_mm=(4.5, 6.0))
    image, corners = photo_augment.photo_like(render(synthetic_record(), style), rng, severity)
    rect = photo.rectify(image)
    assert _corner_error(rect.corners, corners) <= 0.02
    assert rect.px_per_mm == pytest.approx(_true_px_per_mm(corners, style), rel=0.05)


def test_flat_scan():
    page, style = _page("3x4+1", "red")
    scan, corners = photo_augment.scan_like(page, np.random.default_rng(7))
    rect = photo.rectify(scan)
    assert rect.found
    assert _corner_error(rect.corners, corners) <= 0.02
    assert rect.px_per_mm == pytest.approx(_true_px_per_mm(corners, style), rel=0.05)


def test_rendering_is_its_own_grid_area():
    """A page that is all grid (a cropped scan, or a rendering) comes back as itself."""
    page, style = _page("6x2", "green", px_per_mm=4.0)
    rect = photo.rectify(page)
    h, w = page.shape[:2]
    assert _corner_error(rect.corners, np.float32([[0, 0], [w, 0], [w, h], [0, h]])) <= 0.02
    assert rect.px_per_mm == pytest.approx(4.0, rel=0.05)


def test_rectified_photo_matches_rendering_in_encoder_frame():
    """The rectified photo lines up with the rendering to within one frame pixel (about
    0.55 mm): the rendering correlates best with it when moved by at most that much."""
    page, _ = _page("3x4+1", "pink")
    image, _ = photo_augment.photo_like(page, np.random.default_rng(11), "moderate")
    frame = encoder_input(photo.rectify(image).page)[0]
    clean = encoder_input(page)[0]
    assert frame.shape == clean.shape

    def corr(shift: int, axis: int) -> float:
        return float(np.corrcoef(frame.ravel(), np.roll(clean, shift, axis).ravel())[0, 1])

    shifts = range(-4, 5)
    for axis in (0, 1):
        scores = [corr(d, axis) for d in shifts]
        assert abs(shifts[int(np.argmax(scores))]) <= 1 and max(scores) > 0.5, (axis, scores)


@pytest.mark.parametrize("layout", ["3x4+1", "6x2", "12x1"])
def test_sideways_printout_is_turned_upright(layout):
    """A grid that comes out taller than wide lay sideways: it is turned a quarter
    clockwise, and the corners follow (TL is the page's own top left)."""
    page, style = _page(layout, "red", px_per_mm=4.0)
    sideways = np.ascontiguousarray(np.rot90(page))  # turned a quarter counter-clockwise
    image, corners = photo_augment.photo_like(sideways, np.random.default_rng(4), "mild")
    rect = photo.rectify(image)
    assert rect.quarters == 1 and rect.notes == [photo.TURNED[1]]
    assert rect.page.shape[1] > rect.page.shape[0]
    assert rect.page_mm == pytest.approx(style.page_mm, rel=0.05)
    assert _corner_error(rect.corners, np.roll(corners, 1, axis=0)) <= 0.02
    back = rect.turned(2).turned(2)
    assert np.array_equal(back.page, rect.page) and back.notes == rect.notes


def test_user_corners_override_detection():
    page, style = _page()
    image, corners = photo_augment.photo_like(page, np.random.default_rng(3), "mild")
    centre = corners.mean(axis=0)
    inset = (centre + 0.8 * (corners - centre)).astype(np.float32)  # a smaller quad
    rect = photo.rectify(image, inset)
    np.testing.assert_allclose(rect.corners, inset, atol=1e-3)
    assert rect.found
    assert rect.page_mm[0] == pytest.approx(0.8 * style.page_mm[0], rel=0.06)


def _blurred_on_table(page: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """``page`` on a table, 100 px from each edge, out of focus; and the page's corners."""
    h, w = page.shape[:2]
    image = np.full((h + 200, w + 200, 3), (70, 50, 40), np.uint8)
    image[100:100 + h, 100:100 + w] = page
    return cv2.GaussianBlur(image, (0, 0), sigma), \
        np.float32([[100, 100], [100 + w, 100], [100 + w, 100 + h], [100, 100 + h]])


def test_blurred_grid_is_found_and_measured_at_half_size():
    """Blur of 2/3 mm erases the 1 mm lines and widens the 5 mm ones past the line
    filter at full size; at half size they are found and measured."""
    page, _ = _page("3x4+1", "pink", px_per_mm=3.0)
    image, corners = _blurred_on_table(page, 2.0)
    rect = photo.rectify(image)
    assert rect.found and rect.notes == []
    assert _corner_error(rect.corners, corners) <= 0.02
    assert rect.px_per_mm == pytest.approx(3.0, rel=0.05)


def test_unmeasurable_grid_is_used_at_an_assumed_size(tmp_path, capsys):
    """A grid too blurred to measure is still outlined (for the user to check), at the
    standard page width, and says so; ``info`` gives no pitch."""
    page, _ = _page("3x4+1", "green", px_per_mm=3.5)
    image, corners = _blurred_on_table(page, 5.0)
    rect = photo.rectify(image)
    assert rect.found and rect.notes == [photo.PITCH_ASSUMED]
    assert rect.px_per_mm is None
    assert rect.page_mm[0] == pytest.approx(photo.ASSUMED_WIDTH_MM)
    assert _corner_error(rect.corners, corners) <= 0.05
    assert main(["info", _write(tmp_path / "blurred.png", image), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["paper_found"] is True and info["px_per_mm"] is None
    assert photo.PITCH_ASSUMED in info["notes"]


def test_user_corners_are_trusted_where_no_grid_can_be_measured():
    """The user has the last word: corners on paper without a visible grid are used, at
    the standard page width (the app must not refuse what a clinician says is an ECG)."""
    image = np.full((600, 900, 3), 245, np.uint8)
    cv2.polylines(image, [np.int32([[100, 300], [300, 300], [320, 200], [340, 300],
                                    [800, 300]])], False, (0, 0, 0), 2)
    corners = np.float32([[50, 100], [850, 100], [850, 500], [50, 500]])
    with pytest.raises(NotAnEcgImageError, match=NOT_ECG):
        photo.rectify(image)
    rect = photo.rectify(image, corners)
    assert rect.found and rect.notes == [photo.PITCH_ASSUMED] and rect.px_per_mm is None
    np.testing.assert_allclose(rect.corners, corners, atol=1e-3)
    assert rect.page_mm == pytest.approx((photo.ASSUMED_WIDTH_MM, photo.ASSUMED_WIDTH_MM / 2))


def test_degenerate_user_corners_are_refused():
    page, _ = _page()
    with pytest.raises(EcgError, match="corners"):
        photo.rectify(page, np.zeros((4, 2), np.float32))


def test_frameless_page_cut_by_the_photo():
    """A grid reaching three edges of the photo: found, measured, and the user warned."""
    page, _ = _page("3x4+1", "pink", px_per_mm=4.0)
    h, w = page.shape[:2]
    image = np.full((h + 40, w, 3), (90, 60, 40), np.uint8)  # a strip of table above
    image[40:] = page
    rect = photo.rectify(image)
    assert rect.found and photo.CUT_OFF in rect.notes
    page_area = np.float32([[0, 40], [w, 40], [w, h + 40], [0, h + 40]])
    assert _corner_error(rect.corners, page_area) <= 0.02
    assert rect.px_per_mm == pytest.approx(4.0, rel=0.05)


def test_no_outline_falls_back_to_whole_image():
    """Grid but no quadrilateral outline (a round cut-out): whole image, and the user is told."""
    page, _ = _page("6x2", "pink", px_per_mm=4.0)
    h, w = page.shape[:2]
    disk = cv2.circle(np.zeros((h, w), np.uint8), (w // 2, h // 2), int(0.48 * h), 1, -1)
    image = np.where(disk[..., None] > 0, page, np.uint8(60))
    rect = photo.rectify(image)
    assert not rect.found and rect.notes == [photo.NOT_FOUND]
    np.testing.assert_allclose(rect.corners, [[0, 0], [w, 0], [w, h], [0, h]], atol=1)
    assert rect.px_per_mm == pytest.approx(4.0, rel=0.05)


def _text_image() -> np.ndarray:
    image = np.full((1200, 1600, 3), 245, np.uint8)
    rng = np.random.default_rng(0)
    words = "patient report the findings were discussed with ward staff today".split()
    for y in range(60, 1160, 36):
        cv2.putText(image, " ".join(rng.choice(words, 8)), (40, y), cv2.FONT_HERSHEY_SIMPLEX,
                    0.9, (20, 20, 20), 2, cv2.LINE_AA)
    return image


@pytest.mark.parametrize("make", [
    _text_image,
    lambda: np.full((1200, 1600, 3), 250, np.uint8),
    lambda: np.random.default_rng(1).integers(0, 256, (1200, 1600, 3), dtype=np.uint8),
], ids=["text", "blank", "noise"])
def test_non_ecg_images_are_refused(make):
    with pytest.raises(NotAnEcgImageError, match=NOT_ECG):
        photo.rectify(make())


def test_photographed_text_page_is_refused():
    image, _ = photo_augment.photo_like(_text_image(), np.random.default_rng(2), "mild")
    with pytest.raises(NotAnEcgImageError, match=NOT_ECG):
        photo.rectify(image)


# ---------------------------------------------------------------------------- loading


def test_load_formats(tmp_path):
    page, _ = _page(px_per_mm=3.0)
    for suffix in (".png", ".jpg", ".tif", ".bmp", ".webp"):
        loaded = image_reader.load_image(_write(tmp_path / f"page{suffix}", page))
        assert loaded.dtype == np.uint8 and _similar(loaded, page), suffix


def _exif_orientation(orientation: int) -> bytes:
    """A JPEG APP1 segment holding only an EXIF Orientation tag."""
    tiff = (b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1)
            + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack("<I", 0))
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def test_exif_rotated_jpeg_comes_out_upright(tmp_path):
    page, _ = _page(px_per_mm=3.0)
    stored = cv2.rotate(page, cv2.ROTATE_90_COUNTERCLOCKWISE)  # how the camera saved it
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(stored, cv2.COLOR_RGB2BGR),
                            [cv2.IMWRITE_JPEG_QUALITY, 95])
    assert ok
    jpeg = data.tobytes()
    path = tmp_path / "phone.jpg"
    path.write_bytes(jpeg[:2] + _exif_orientation(6) + jpeg[2:])  # 6: turn 90 deg clockwise
    assert _similar(image_reader.load_image(path), page)


def _pdf(pages: list[tuple[bytes, tuple[int, int], tuple[float, ...]] | None]) -> bytes:
    """A PDF of A4-landscape pages, each showing a JPEG (bytes, size in px, box in pt), or
    blank (None)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for page in pages:
        number = len(objects) + 1
        kids.append(f"{number} 0 R")
        if page is None:
            objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] >>")
            continue
        jpeg, size_px, (x, y, w, h) = page
        content = f"q {w:.2f} 0 0 {h:.2f} {x:.2f} {y:.2f} cm /Im0 Do Q".encode()
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Resources "
                       f"<< /XObject << /Im0 {number + 1} 0 R >> >> /Contents {number + 2} 0 R >>"
                       .encode())
        objects.append(
            (f"<< /Type /XObject /Subtype /Image /Width {size_px[0]} /Height {size_px[1]} "
             f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg)} >>"
             ).encode() + b"\nstream\n" + jpeg + b"\nendstream")
        objects.append(f"<< /Length {len(content)} >>".encode() + b"\nstream\n" + content
                       + b"\nendstream")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def _jpeg(rgb: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    assert ok
    return data.tobytes()


def _report_page() -> np.ndarray:
    """A cart's first page: lines of measurements and a table, no ECG grid."""
    page = np.full((1050, 1480, 3), 255, np.uint8)
    for y in range(80, 1000, 30):
        cv2.putText(page, "HR 72 bpm  PR 160 ms  QRS 92 ms  QT/QTc 380/410 ms  Sinus rhythm",
                    (60, y), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 1)
    page[::45, 40:1440] = 90
    return page


def test_pdf_page_with_the_ecg_is_read(tmp_path):
    page, style = _page("3x4+1", "red", px_per_mm=6.0)
    w_mm, h_mm = style.page_mm
    pt_per_mm = 72 / 25.4
    box = (10 * pt_per_mm, 25 * pt_per_mm, w_mm * pt_per_mm, h_mm * pt_per_mm)
    report = _report_page()
    full = (0.0, 0.0, 842.0, 595.0)
    path = tmp_path / "ecg.pdf"
    path.write_bytes(_pdf([(_jpeg(report), (report.shape[1], report.shape[0]), full),
                           (_jpeg(page), (page.shape[1], page.shape[0]), box), None]))
    notes: list[str] = []
    loaded = image_reader.load_image(path, notes)
    assert notes == ["PDF: page 2 of 3 shows the ECG grid and was read."]
    rect = photo.rectify(loaded)
    assert rect.px_per_mm == pytest.approx(image_reader.PDF_DPI / 25.4, rel=0.05)
    assert rect.page_mm[0] == pytest.approx(w_mm, rel=0.05)

    single = tmp_path / "single.pdf"
    single.write_bytes(_pdf([(_jpeg(page), (page.shape[1], page.shape[0]), box)]))
    notes = []
    assert photo.rectify(image_reader.load_image(single, notes)).found and notes == []

    no_ecg = tmp_path / "report.pdf"
    no_ecg.write_bytes(_pdf([(_jpeg(report), (report.shape[1], report.shape[0]), full), None]))
    notes = []
    image_reader.load_image(no_ecg, notes)
    assert notes == ["PDF: none of its 2 pages shows an ECG grid; page 1 was read."]


def test_too_small_image(tmp_path):
    small = np.full((150, 200, 3), 255, np.uint8)
    with pytest.raises(NotAnEcgImageError, match="too small"):
        image_reader.load_image(_write(tmp_path / "tiny.png", small))


def test_unreadable_image(tmp_path):
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    with pytest.raises(CorruptFileError, match="cannot be decoded"):
        image_reader.load_image(path)


def test_huge_image_is_refused_before_decoding(tmp_path):
    ihdr = struct.pack(">IIBBBBB", 10_000, 6_000, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    path = tmp_path / "huge.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk)
    with pytest.raises(UnsupportedFormatError, match="megapixels"):
        image_reader.load_image(path)


def test_large_jpeg_is_shrunk_on_loading(tmp_path):
    big = np.zeros((3600, 4800, 3), np.uint8)  # 17 MP
    big[::40] = 255
    loaded = image_reader.load_image(_write(tmp_path / "big.jpg", big))
    assert loaded.shape[0] * loaded.shape[1] <= image_reader.WORK_PIXELS
    assert loaded.shape[1] / loaded.shape[0] == pytest.approx(4 / 3, rel=0.01)


# -------------------------------------------------------------------------------- CLI


def test_info_json_reports_corners_and_pitch(tmp_path, capsys):
    page, style = _page()
    image, corners = photo_augment.photo_like(page, np.random.default_rng(5), "mild")
    path = _write(tmp_path / "photo.jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 92])
    assert main(["info", path, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["format"] == "JPEG" and info["kind"] == "image"
    assert (info["width"], info["height"]) == (image.shape[1], image.shape[0])
    assert info["paper_found"] is True
    assert _corner_error(np.array(info["corners"]), corners) <= 0.02
    assert info["px_per_mm"] == pytest.approx(_true_px_per_mm(corners, style), rel=0.05)


def test_info_on_non_ecg_image(tmp_path, capsys):
    path = _write(tmp_path / "letter.png", _text_image())
    assert main(["info", path, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["format"] == "PNG" and info["paper_found"] is False
    assert info["corners"] is None and NOT_ECG in info["notes"][0]


# ----------------------------------------------------------------------- augmentation


def test_photo_like_is_deterministic_and_in_frame():
    """Same seed, same photo; the photo has the size asked for and the page lies inside it
    (only a severe photo may cut an edge off, and then the photo is smaller)."""
    page, _ = _page(px_per_mm=3.0)
    for severity in photo_augment.SEVERITY:
        a, ca = photo_augment.photo_like(page, np.random.default_rng(9), severity, size=(800, 600))
        b, cb = photo_augment.photo_like(page, np.random.default_rng(9), severity, size=(800, 600))
        assert np.array_equal(a, b) and np.array_equal(ca, cb)
        assert a.dtype == np.uint8 and a.shape[2] == 3 and ca.shape == (4, 2)
        if photo_augment.SEVERITY[severity]["crop"] == 0:
            assert a.shape == (600, 800, 3), severity
            assert (ca >= 0).all() and (ca <= (800, 600)).all(), severity
        else:
            assert a.shape[0] <= 600 and a.shape[1] <= 800


def test_train_augment_keeps_the_frame():
    page, _ = _page(px_per_mm=2.0)
    out = photo_augment.train_augment(page, np.random.default_rng(0))
    assert out.shape == page.shape and out.dtype == np.uint8
    assert not np.array_equal(out, page)


def test_random_paper_style_varies():
    rng = np.random.default_rng(0)
    styles = [photo_augment.random_paper_style(rng) for _ in range(40)]
    assert {s.layout for s in styles} == {"3x4+1", "6x2", "12x1"}
    assert len({s.major_grid_rgb for s in styles}) >= 5
    assert all(4.0 <= s.px_per_mm <= 8.0 for s in styles)
