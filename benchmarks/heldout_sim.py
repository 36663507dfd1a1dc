"""A second printout-and-photo simulator that training never uses: other code, other
layouts, other damage. Only the photo benchmark (`bench_heldout_photos.py`) imports it.

It shares nothing with ``ecgviewer.core.render`` or ``model_export.photo_augment``: its
printers put a header of patient text above the leads, start each row with the
calibration pulse at either end, space rows as they like, print 1-3 rhythm strips, use
the Cabrera order or simultaneous columns, print thin and faded, or print no grid at
all; its camera crumples, folds and creases the sheet, lights it unevenly, warms or
cools its colours, shakes, defocuses, compresses, and photographs a monitor.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

STANDARD_3X4 = (("I", "II", "III"), ("aVR", "aVL", "aVF"), ("V1", "V2", "V3"), ("V4", "V5", "V6"))
CABRERA_3X4 = (("aVL", "I", "-aVR"), ("II", "aVF", "III"), ("V1", "V2", "V3"), ("V4", "V5", "V6"))


@dataclass(frozen=True)
class Printer:
    """One ECG cart's printout: columns of 2.5 s per lead group, rhythm strips below."""

    name: str
    columns: tuple[tuple[str, ...], ...] = STANDARD_3X4
    rhythm: tuple[str, ...] = ("II",)
    simultaneous: bool = False  # every column shows the same 2.5 s
    header_mm: float = 30.0
    footer_mm: float = 8.0
    left_mm: float = 8.0
    row_mm: float = 38.0
    pulse_at_end: bool = False
    grid: tuple[tuple[int, int, int], tuple[int, int, int]] | None = ((255, 190, 170),
                                                                      (240, 110, 90))
    ink: tuple[int, int, int] = (10, 10, 10)
    trace_mm: float = 0.25
    font: int = cv2.FONT_HERSHEY_DUPLEX
    faded: float = 0.0  # thermal paper: how much of the ink's darkness is lost


#: The held-out printer styles: none of them is a style the app's own renderer draws.
PRINTERS = {
    "thermal-header": Printer("thermal-header", header_mm=32, row_mm=40, faded=0.45,
                              grid=((250, 215, 190), (235, 160, 120)), trace_mm=0.22),
    "cabrera-3rhythm": Printer("cabrera-3rhythm", columns=CABRERA_3X4,
                               rhythm=("V1", "II", "V5"), header_mm=20, row_mm=30,
                               pulse_at_end=True, grid=((215, 235, 215), (120, 190, 130)),
                               ink=(20, 20, 90), font=cv2.FONT_HERSHEY_COMPLEX_SMALL),
    "simultaneous-grey": Printer("simultaneous-grey", simultaneous=True, header_mm=24,
                                 row_mm=35, grid=((220, 220, 220), (150, 150, 150)),
                                 left_mm=12, trace_mm=0.35),
    "gridless": Printer("gridless", grid=None, header_mm=28, row_mm=36),
}


def _lead(signals: dict[str, np.ndarray], name: str) -> np.ndarray:
    return -signals[name[1:]] if name.startswith("-") else signals[name]


def _limb_leads(record_signals: np.ndarray, leads: tuple[str, ...]) -> dict[str, np.ndarray]:
    have = dict(zip(leads, record_signals))
    i, ii = have["I"], have["II"]
    have.setdefault("III", ii - i)
    have.setdefault("aVR", -(i + ii) / 2)
    have.setdefault("aVL", i - ii / 2)
    have.setdefault("aVF", ii - i / 2)
    return have


def print_page(signals: np.ndarray, rate: float, leads: tuple[str, ...], printer: Printer,
               rng: np.random.Generator, dpi: float = 150.0) -> np.ndarray:
    """One printed page (RGB uint8) of a 10 s, mV record, at ``dpi`` and 25 mm/s, 10 mm/mV.

    The sheet is A4 landscape-ish (297 x 210 mm, less when few rows); the grid, where
    there is one, covers the whole sheet, header and all, as on most carts.
    """
    ppm = dpi / 25.4 * float(rng.uniform(0.96, 1.04))  # the cart's own scale error
    lanes = len(printer.columns[0]) + len(printer.rhythm)
    height_mm = printer.header_mm + lanes * printer.row_mm + printer.footer_mm
    width_mm = 297.0
    w, h = int(width_mm * ppm), int(height_mm * ppm)
    page = np.full((h, w, 3), 252, np.uint8)
    if printer.grid is not None:
        minor, major = printer.grid
        for step, colour, width in ((1.0, minor, 1), (5.0, major, max(1, int(ppm * 0.15)))):
            for x in np.arange(0, width_mm, step):
                cv2.line(page, (int(x * ppm), 0), (int(x * ppm), h), colour, width)
            for y in np.arange(0, height_mm, step):
                cv2.line(page, (0, int(y * ppm)), (w, int(y * ppm)), colour, width)
    by_name = _limb_leads(signals, leads)
    ink = tuple(int(c + (250 - c) * printer.faded) for c in printer.ink)
    thick = max(1, int(round(printer.trace_mm * ppm)))
    text = (f"Pat. {rng.integers(10000, 99999)}  {rng.integers(18, 90)} y  "
            f"HR {rng.integers(45, 130)}/min  PR {rng.integers(110, 220)} ms  "
            f"QRS {rng.integers(70, 140)} ms  QT {rng.integers(320, 460)} ms")
    for k, line in enumerate((text, "Unconfirmed report  -  25 mm/s  10 mm/mV  0.05-100 Hz")):
        cv2.putText(page, line, (int(12 * ppm), int((9 + 8 * k) * ppm)), printer.font,
                    0.07 * ppm, ink, max(1, int(0.1 * ppm)), cv2.LINE_AA)
    pulse_mm, trace0_mm = (5.0, printer.left_mm) if not printer.pulse_at_end else (5.0, 5.0)
    n = signals.shape[1]
    column_s = 2.5
    lanes_leads = [list(row) for row in zip(*printer.columns)] + [[r] for r in printer.rhythm]
    for lane, names in enumerate(lanes_leads):
        base = printer.header_mm + (lane + 0.65) * printer.row_mm
        x0 = trace0_mm + (0 if printer.pulse_at_end else pulse_mm + 2)
        segments = []
        for col, name in enumerate(names):
            if len(names) == 1:
                t0, t1, start_mm = 0.0, 10.0, x0
            else:
                t0 = 0.0 if printer.simultaneous else col * column_s
                t1, start_mm = t0 + column_s, x0 + col * column_s * 25
            a, b = int(t0 * rate), min(n, int(t1 * rate))
            y = _lead(by_name, name)[a:b]
            xs = start_mm + np.arange(len(y)) / rate * 25
            segments.append(np.stack([xs, base - 10 * y], 1))
            cv2.putText(page, name, (int((start_mm + 1) * ppm), int((base - 12) * ppm)),
                        printer.font, 0.04 * ppm, ink, max(1, int(0.07 * ppm)), cv2.LINE_AA)
        trace_end = x0 + 250
        px = (trace_end + 2) if printer.pulse_at_end else trace0_mm
        pulse = np.array([[px, base], [px, base - 10], [px + pulse_mm, base - 10],
                          [px + pulse_mm, base]])
        for poly in segments + [pulse]:
            pts = np.round(poly * ppm * 16).astype(np.int32)
            cv2.polylines(page, [pts], False, ink, thick, cv2.LINE_AA, 4)
    return page


# ------------------------------------------------------------------------- the camera


def _crumple(image: np.ndarray, rng: np.random.Generator, amount: float) -> np.ndarray:
    """Smooth random displacement (paper that was crumpled and flattened) with the
    shading its slopes catch."""
    h, w = image.shape[:2]
    coarse = rng.normal(0, 1, (2, 6, 8)).astype(np.float32)
    field = [cv2.resize(c, (w, h), interpolation=cv2.INTER_CUBIC) * amount * w / 300
             for c in coarse]
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    warped = cv2.remap(image, xs + field[0], ys + field[1], cv2.INTER_LINEAR,
                       borderMode=cv2.BORDER_REPLICATE)
    slope = np.gradient(field[0], axis=1) + np.gradient(field[1], axis=0)
    shade = 1.0 + np.clip(slope * 2, -0.15, 0.15)[..., None]
    return np.clip(warped * shade, 0, 255).astype(np.uint8)


def _fold(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A fold line across the sheet: a dark crease with a lit side."""
    h, w = image.shape[:2]
    out = image.astype(np.float32)
    x = float(rng.uniform(0.3, 0.7)) * w
    xs = np.arange(w, dtype=np.float32)[None, :]
    d = xs - (x + (np.arange(h)[:, None] - h / 2) * float(rng.uniform(-0.1, 0.1)))
    out *= (1 - 0.35 * np.exp(-(d / 3) ** 2) + 0.08 * np.tanh(d / 40))[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _light(image: np.ndarray, rng: np.random.Generator, depth: float) -> np.ndarray:
    h, w = image.shape[:2]
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = np.hypot(xx - cx, yy - cy) / np.hypot(w, h)
    gain = 1.0 - depth * r ** 1.5
    temp = np.array([1.0 + rng.uniform(-0.12, 0.12), 1.0, 1.0 + rng.uniform(-0.12, 0.12)])
    return np.clip(image * gain[..., None] * temp, 0, 255).astype(np.uint8)


def _shake(image: np.ndarray, rng: np.random.Generator, length: int) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2] = 1.0
    m = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
    kernel = cv2.warpAffine(kernel, m, (length, length))
    return cv2.filter2D(image, -1, kernel / max(kernel.sum(), 1e-6))


def _monitor(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The page on a screen: gamma, the pixel lattice (moire once resampled), glare."""
    out = (255 * (image / 255.0) ** 1.3).astype(np.float32)
    h, w = out.shape[:2]
    lattice = 1 - 0.12 * ((np.arange(w) % 3) == 0)[None, :] - 0.12 * ((np.arange(h) % 3) == 0)[:, None]
    out *= lattice[..., None]
    out[..., 2] *= 1.08
    return np.clip(out, 0, 255).astype(np.uint8)


def photograph(page: np.ndarray, rng: np.random.Generator, damage: str) -> np.ndarray:
    """The printed page as the camera sees it: ``clean`` (a flat, square-on, sharp
    capture) or ``moderate`` (crumpled, folded, tilted, unevenly lit, shaken, JPEG)
    or ``monitor`` (a photo of the page shown on a screen)."""
    h, w = page.shape[:2]
    if damage == "monitor":
        page = _monitor(page, rng)
    if damage in ("moderate", "monitor"):
        page = _crumple(page, rng, 1.0)
        if rng.random() < 0.7:
            page = _fold(page, rng)
    margin = int(0.08 * w)
    canvas = (int(w + 2 * margin), int(h + 2 * margin))
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = 0.0 if damage == "clean" else 0.06
    dst = (src + margin + rng.uniform(-jitter, jitter, (4, 2)) * [w, h]).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    table = tuple(int(v) for v in rng.integers(30, 200, 3))
    photo = cv2.warpPerspective(page, m, canvas, borderValue=table)
    if damage != "clean":
        photo = _light(photo, rng, 0.45)
        photo = _shake(photo, rng, int(rng.integers(3, 7)))
        photo = cv2.GaussianBlur(photo, (0, 0), float(rng.uniform(0.4, 1.0)))
        photo = np.clip(photo + rng.normal(0, 4, photo.shape), 0, 255).astype(np.uint8)
    quality = 92 if damage == "clean" else int(rng.integers(55, 80))
    ok, data = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)
