"""Images of paper ECGs (scans, phone photos, PDFs): recognised and loaded here, read by
the photo path (:mod:`ecgviewer.core.photo`).

Loading checks sizes from the file and from the image header before decoding, decodes
large JPEGs at a reduced size directly, and keeps the native decoders' own warnings off
the terminal (:func:`ecgviewer.core.nativelog.quiet_native`).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np

from ecgviewer.core.errors import CorruptFileError, NotAnEcgImageError, UnsupportedFormatError
from ecgviewer.core.nativelog import quiet_native
from ecgviewer.core.readers import Reader, check_file

#: Image files larger than this are refused before reading (a 50 MP PNG is ~150 MB).
MAX_IMAGE_BYTES = 256 * 1024 * 1024
#: Larger images are refused before decoding; phone cameras stay well below.
MAX_PIXELS = 50_000_000
#: Images are shrunk to this on loading: a 12 MP photo resolves the 1 mm grid finely.
WORK_PIXELS = 12_000_000
#: A shorter side than this cannot show a 12-lead ECG legibly.
MIN_SIDE = 300
#: PDFs are drawn at this resolution (or less, to stay within WORK_PIXELS).
PDF_DPI = 300
#: Of a multi-page PDF, this many pages are looked at for the ECG grid (drawn at
#: _CHOOSE_PX_PER_MM, the 1 mm grid 4 px apart), and the page whose grid stands out most
#: from its spectrum (by MIN_GRID_CONTRAST, within GRID_PITCH_TOLERANCE of 1 or 5 mm:
#: scans are printed a little off scale) is read.
PDF_PAGES_SCANNED = 8
_CHOOSE_PX_PER_MM = 4.0
MIN_GRID_CONTRAST = 30.0
GRID_PITCH_TOLERANCE = 1.12
#: A PDF's "startxref" must lie within this many bytes of its end.
PDF_TAIL_BYTES = 64 * 1024

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
    (b"%PDF-", "PDF"),
)
EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".pdf")


def image_format(head: bytes) -> str | None:
    """The image format named by a file's first bytes, or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return None


def _sniff(path: Path, head: bytes) -> bool:
    return image_format(head) is not None


def load_image(path: str | os.PathLike, notes: list[str] | None = None) -> np.ndarray:
    """An image file (or the page of a PDF with the ECG) as RGB uint8, upright, at most
    WORK_PIXELS; what the reading chose (which PDF page) is appended to ``notes``."""
    p = Path(path)
    check_file(p, MAX_IMAGE_BYTES)
    try:
        with p.open("rb") as fh:
            head = fh.read(16)
            fh.seek(max(0, p.stat().st_size - PDF_TAIL_BYTES))
            tail = fh.read()
        data = b"" if image_format(head) == "PDF" else p.read_bytes()  # pdfium reads the file
    except OSError as exc:
        raise CorruptFileError(f"The file {p.name} cannot be read: {exc.strerror}.") from exc
    fmt = image_format(head)
    if fmt == "PDF" and b"startxref" not in tail:
        # pdfium would scan the whole file to rebuild what is missing: seconds per 100 MB
        raise CorruptFileError(
            f"{p.name} is a PDF without its end (no cross-reference table): it is truncated "
            "or damaged. Save or export it again.")
    if fmt is None:
        raise UnsupportedFormatError(
            f"{p.name} is not an image ecgviewer can read: use PNG, JPEG, TIFF, BMP, WebP or PDF."
        )
    with quiet_native():
        image = _render_pdf(p, [] if notes is None else notes) if fmt == "PDF" \
            else _decode(data, fmt, p.name)
    h, w = image.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise NotAnEcgImageError(
            f"{p.name} is only {w}x{h} pixels, too small to read an ECG from: use a photo or "
            f"scan at least {MIN_SIDE} pixels on its shorter side."
        )
    return shrink(image, WORK_PIXELS)


def _decode(data: bytes, fmt: str, name: str) -> np.ndarray:
    """Decode a raster image; big JPEGs are decoded at 1/2, 1/4 or 1/8 size directly.

    OpenCV applies the EXIF orientation of JPEGs, so phone photos come out upright.
    """
    import cv2

    size = _declared_size(data, fmt)
    if size is not None:
        _check_pixels(size[0] * size[1], name)
    reduce = 1
    if fmt == "JPEG" and size is not None:
        while reduce < 8 and size[0] * size[1] / (2 * reduce) ** 2 >= WORK_PIXELS:
            reduce *= 2
    flag = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2,
            4: cv2.IMREAD_REDUCED_COLOR_4, 8: cv2.IMREAD_REDUCED_COLOR_8}[reduce]
    try:
        bgr = cv2.imdecode(np.frombuffer(data, np.uint8), flag)
    except cv2.error:
        bgr = None
    if bgr is None:
        raise CorruptFileError(
            f"{name} looks like a {fmt} image but cannot be decoded: the file is damaged "
            "or incomplete."
        )
    _check_pixels(bgr.shape[0] * bgr.shape[1] * reduce**2, name)
    if bgr.ndim == 2:
        return cv2.cvtColor(bgr, cv2.COLOR_GRAY2RGB)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def _declared_size(data: bytes, fmt: str) -> tuple[int, int] | None:
    """(width, height) from a PNG or JPEG header without decoding, else None."""
    if fmt == "PNG" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if fmt != "JPEG":
        return None
    i = 2
    while i + 9 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return None


def _check_pixels(pixels: int, name: str) -> None:
    if pixels > MAX_PIXELS:
        raise UnsupportedFormatError(
            f"{name} has {pixels / 1e6:.0f} megapixels; ecgviewer reads images of up to "
            f"{MAX_PIXELS // 1_000_000} megapixels. Save a smaller copy and open that."
        )


def _render_pdf(path: Path, notes: list[str]) -> np.ndarray:
    """The page of a PDF that shows an ECG grid (carts often put a report page first),
    else its first page, as RGB; ``notes`` says which page of several was read."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(f"{path.name} is a PDF that cannot be opened ({exc}).") from exc
    index = 0
    try:
        if len(pdf) == 0:
            raise CorruptFileError(f"{path.name} is a PDF without pages.")
        index = _ecg_page(pdf, notes) if len(pdf) > 1 else 0
        page = pdf[index]
        w_pt, h_pt = page.get_size()
        if not (0 < w_pt < 1e5 and 0 < h_pt < 1e5):
            raise CorruptFileError(f"{path.name}: its page {index + 1} has an impossible size.")
        scale = min(PDF_DPI / 72.0, float(np.sqrt(WORK_PIXELS / max(w_pt * h_pt, 1.0))))
        return page.render(scale=scale, rev_byteorder=True).to_numpy()[..., :3].copy()
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(
            f"{path.name}: its page {index + 1} cannot be drawn ({exc}).") from exc
    finally:
        pdf.close()


def _ecg_page(pdf, notes: list[str]) -> int:
    """The index of the page with the strongest ECG grid among the first PDF_PAGES_SCANNED,
    drawn small (the 1 mm grid a few pixels apart); 0 when none shows one."""
    scores = []
    for i in range(min(len(pdf), PDF_PAGES_SCANNED)):
        page = pdf[i]
        w_pt, h_pt = page.get_size()
        if not (0 < w_pt < 1e5 and 0 < h_pt < 1e5):
            raise CorruptFileError(f"Page {i + 1} of the PDF has an impossible size.")
        scale = _CHOOSE_PX_PER_MM * 25.4 / 72.0
        gray = page.render(scale=scale, grayscale=True).to_numpy()
        scores.append(grid_contrast(gray.reshape(gray.shape[:2]), _CHOOSE_PX_PER_MM))
    best = int(np.argmax(scores))
    if scores[best] < MIN_GRID_CONTRAST:
        notes.append(f"PDF: none of its {len(pdf)} pages shows an ECG grid; page 1 was read.")
        return 0
    notes.append(f"PDF: page {best + 1} of {len(pdf)} shows the ECG grid and was read.")
    return best


def grid_contrast(gray: np.ndarray, px_per_mm: float) -> float:
    """How strongly a page repeats at the ECG grid's 1 mm or 5 mm pitch, across and down.

    Each axis's darkness profile is compared, in its spectrum, with the spectrum's median;
    the weaker axis counts, since text lines repeat down a page but not across it.
    """
    dark = 255.0 - gray.astype(np.float32)
    axes = []
    for profile in (dark.mean(axis=0), dark.mean(axis=1)):
        if len(profile) < 16 * px_per_mm:
            return 0.0
        power = np.abs(np.fft.rfft((profile - profile.mean()) * np.hanning(len(profile)))) ** 2
        freqs = np.fft.rfftfreq(len(profile))
        floor = float(np.median(power[1:])) + 1e-9
        peak = 0.0
        for pitch_mm in (1.0, 5.0):
            f = 1.0 / (pitch_mm * px_per_mm)
            band = (freqs > f / GRID_PITCH_TOLERANCE) & (freqs < f * GRID_PITCH_TOLERANCE)
            if band.any():
                peak = max(peak, float(power[band].max()) / floor)
        axes.append(peak)
    return min(axes)


def shrink(image: np.ndarray, max_pixels: float) -> np.ndarray:
    """Downscale (area-averaging) so the image has at most ``max_pixels`` pixels."""
    import cv2

    h, w = image.shape[:2]
    scale = float(np.sqrt(max_pixels / (h * w)))
    if scale >= 1.0:
        return image
    size = (max(1, int(w * scale)), max(1, int(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


READER = Reader("image", "image", _sniff, EXTENSIONS)
