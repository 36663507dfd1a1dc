"""Images of paper ECGs (scans, phone photos): recognised here, read by the photo path."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ecgviewer.core.readers import Reader, register

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
    (b"%PDF-", "PDF"),
)


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


def describe_image(path: str | os.PathLike) -> dict[str, Any]:
    """Facts about an image query: its real format, size, and where the ECG grid is in it.

    ``width`` and ``height`` are those of the image as read (upright, and shrunk if it
    was very large); ``corners`` (TL, TR, BR, BL) and ``px_per_mm`` are in those pixels.
    An image without an ECG grid is still described: corners and pitch are then null
    and ``notes`` says why; so is the pitch of a grid too blurred to measure.
    """
    from ecgviewer.core.errors import NotAnEcgImageError
    from ecgviewer.core.photo import load_photo, rectify

    with open(path, "rb") as fh:
        fmt = image_format(fh.read(16))
    image = load_photo(path)
    height, width = image.shape[:2]
    facts: dict[str, Any] = {"format": fmt, "kind": "image", "width": width, "height": height}
    try:
        rect = rectify(image)
    except NotAnEcgImageError as exc:
        return {**facts, "corners": None, "px_per_mm": None, "paper_found": False,
                "notes": [str(exc)]}
    return {
        **facts,
        "corners": [[round(float(x), 1), round(float(y), 1)] for x, y in rect.corners],
        "px_per_mm": None if rect.px_per_mm is None else round(rect.px_per_mm, 3),
        "paper_found": rect.found,
        "notes": rect.notes,
    }


register(Reader("image", "image", _sniff))
