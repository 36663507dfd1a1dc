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
    """Facts about an image query: its size, and where the paper was found in it."""
    from ecgviewer.core.photo import load_photo

    image = load_photo(path)
    height, width = image.shape[:2]
    return {"width": width, "height": height}


register(Reader("image", "image", _sniff))
