"""Draw the application icon: an ECG trace on red ECG paper in a rounded square.

Deterministic (no fonts, no randomness; PNG and ICO are encoded here with zlib, not by a
library whose defaults may change), so rerunning it reproduces the committed files::

    python installer/make_icon.py            # writes resources/icons/ecgviewer.{png,ico}
    python installer/make_icon.py --check    # exit 1 if the committed files differ

Needs only numpy and OpenCV (both runtime dependencies of ecgviewer).
"""

from __future__ import annotations

import argparse
import struct
import sys
import zlib
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
SUPERSAMPLE = 4

PAPER = (236, 244, 255)      # BGR: very light pink paper
MINOR = (200, 210, 250)      # light red 1 mm lines
MAJOR = (120, 140, 235)      # red 5 mm lines
TRACE = (60, 35, 25)         # near-black blue trace
BORDER = (70, 70, 200)       # darker red rim


def _beat(t: np.ndarray) -> np.ndarray:
    """One stylised PQRST complex on t in [0, 1): sums of Gaussians, amplitude in ~[-0.3, 1]."""
    def g(mu, sigma, amp):
        return amp * np.exp(-0.5 * ((t - mu) / sigma) ** 2)
    return (g(0.18, 0.035, 0.14) + g(0.37, 0.010, -0.12) + g(0.40, 0.012, 1.0)
            + g(0.43, 0.012, -0.28) + g(0.68, 0.060, 0.26))


def draw(size: int) -> np.ndarray:
    """The icon at ``size`` x ``size`` pixels as a BGRA uint8 array."""
    s = size * SUPERSAMPLE
    img = np.zeros((s, s, 3), np.uint8)
    img[:] = PAPER
    margin = round(s * 0.03)
    inner = s - 2 * margin
    simple = size <= 32  # small sizes: no 1 mm grid, bolder lines

    # Grid: 25 minor squares across the inner area, a major line every 5.
    cells = 25
    step = inner / cells
    for i in range(cells + 1):
        major = i % 5 == 0
        if simple and not major:
            continue
        colour = MAJOR if major else MINOR
        width = max(1, round(s * (0.008 if major else 0.003) * (1.6 if simple else 1.0)))
        p = round(margin + i * step)
        cv2.line(img, (p, 0), (p, s - 1), colour, width, cv2.LINE_AA)
        cv2.line(img, (0, p), (s - 1, p), colour, width, cv2.LINE_AA)

    # Trace: two beats across the square, baseline a little below the middle.
    n = 800
    x = np.linspace(0.0, 1.0, n)
    y = _beat((x * 2.0) % 1.0)
    px = margin + x * inner
    py = margin + inner * (0.62 - 0.48 * y)
    pts = np.stack([px, py], axis=1)
    shift = 4  # sub-pixel precision for polylines
    pts_fixed = np.round(pts * (1 << shift)).astype(np.int32).reshape(-1, 1, 2)
    thickness = max(1, round(s * (0.05 if simple else 0.032)))
    cv2.polylines(img, [pts_fixed], False, TRACE, thickness, cv2.LINE_AA, shift)

    # Rounded-square mask, with a rim.
    radius = round(s * 0.18)
    mask = np.zeros((s, s), np.uint8)
    _rounded_rect(mask, margin, margin, s - margin - 1, s - margin - 1, radius, 255)
    rim = np.zeros((s, s), np.uint8)
    rim_w = max(SUPERSAMPLE, round(s * (0.04 if simple else 0.025)))
    _rounded_rect(rim, margin + rim_w, margin + rim_w, s - margin - 1 - rim_w,
                  s - margin - 1 - rim_w, max(1, radius - rim_w), 255)
    border = (mask > 0) & (rim == 0)
    img[border] = BORDER

    bgra = np.dstack([img, mask])
    small = cv2.resize(bgra.astype(np.float32), (size, size), interpolation=cv2.INTER_AREA)
    # Premultiplied resampling would be more exact at the edge; the rim colour is opaque
    # right up to the edge, so straight alpha is visually the same here.
    return np.clip(np.round(small), 0, 255).astype(np.uint8)


def _rounded_rect(mask: np.ndarray, x0: int, y0: int, x1: int, y1: int, r: int, value: int) -> None:
    cv2.rectangle(mask, (x0 + r, y0), (x1 - r, y1), value, -1)
    cv2.rectangle(mask, (x0, y0 + r), (x1, y1 - r), value, -1)
    for cx, cy in ((x0 + r, y0 + r), (x1 - r, y0 + r), (x0 + r, y1 - r), (x1 - r, y1 - r)):
        cv2.circle(mask, (cx, cy), r, value, -1, cv2.LINE_AA)


def png_bytes(bgra: np.ndarray) -> bytes:
    """A minimal RGBA PNG, encoded with zlib level 9 (byte-for-byte reproducible)."""
    h, w = bgra.shape[:2]
    rgba = bgra[:, :, [2, 1, 0, 3]]
    raw = b"".join(b"\x00" + rgba[row].tobytes() for row in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _dib_bytes(bgra: np.ndarray) -> bytes:
    """An ICO image entry as a classic 32-bit DIB (BITMAPINFOHEADER + XOR + AND mask).

    Used below 256 px: every Windows version and NSIS read these; PNG entries are
    only used for the 256 px image, as Windows Vista and later expect.
    """
    h, w = bgra.shape[:2]
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    xor = bgra[::-1].tobytes()  # bottom-up rows, BGRA
    row_bytes = ((w + 31) // 32) * 4
    and_rows = []
    for row in bgra[::-1]:
        bits = np.packbits((row[:, 3] == 0).astype(np.uint8))
        and_rows.append(bits.tobytes().ljust(row_bytes, b"\x00"))
    return header + xor + b"".join(and_rows)


def ico_bytes(images: dict[int, np.ndarray]) -> bytes:
    entries, blobs = [], []
    offset = 6 + 16 * len(images)
    for size in sorted(images):
        data = png_bytes(images[size]) if size >= 256 else _dib_bytes(images[size])
        dim = 0 if size >= 256 else size
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        blobs.append(data)
        offset += len(data)
    return struct.pack("<HHH", 0, 1, len(images)) + b"".join(entries) + b"".join(blobs)


def build() -> dict[str, bytes]:
    images = {size: draw(size) for size in ICO_SIZES}
    return {"ecgviewer.png": png_bytes(images[256]), "ecgviewer.ico": ico_bytes(images)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    parser.add_argument("--check", action="store_true",
                        help="compare with the files in --out instead of writing them")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        stale = [name for name, data in files.items()
                 if not (args.out / name).is_file() or (args.out / name).read_bytes() != data]
        for name in stale:
            print(f"make_icon: {args.out / name} is missing or out of date", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        print(f"wrote {args.out / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
