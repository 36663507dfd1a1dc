"""``ecgviewer info``: what a file is, without searching it."""

from __future__ import annotations

import os
from typing import Any

from ecgviewer.core.readers import detect, read
from ecgviewer.core.readers.image_reader import image_format, load_image


def describe(path: str | os.PathLike) -> dict[str, Any]:
    """A JSON-ready summary: format and kind, then signal facts or image facts."""
    reader = detect(path)
    if reader.kind == "image":
        return describe_image(path)
    from ecgviewer.core.search import record_notes

    record = read(path)
    standard = record.with_standard_leads()
    return {
        "format": reader.name,
        "kind": "signal",
        "sampling_rate": record.sampling_rate,
        "leads": list(record.leads),
        "samples": record.n_samples,
        "duration_s": round(record.duration_s, 6),
        "age": record.metadata.age,
        "sex": record.metadata.sex,
        "derived": list(standard.metadata.derived),
        "notes": record_notes(standard),
    }


def describe_image(path: str | os.PathLike) -> dict[str, Any]:
    """Facts about an image query: its real format, size, and where the ECG grid is in it.

    ``width`` and ``height`` are those of the image as read (upright, and shrunk if it
    was very large); ``corners`` (TL, TR, BR, BL) and ``px_per_mm`` are in those pixels.
    An image without an ECG grid is still described: corners and pitch are then null
    and ``notes`` says why; so is the pitch of a grid too blurred to measure.
    """
    from ecgviewer.core.search import image_query

    reading: list[str] = []  # which page of a PDF was read
    image = load_image(path, reading)
    with open(path, "rb") as fh:
        fmt = image_format(fh.read(16))
    height, width = image.shape[:2]
    facts: dict[str, Any] = {"format": fmt, "kind": "image", "width": width, "height": height}
    query = image_query(image, str(path))
    rect = query.rectified
    if rect is None:
        return {**facts, "corners": None, "px_per_mm": None, "paper_found": False,
                "notes": reading + [query.paper_error]}
    return {
        **facts,
        "corners": [[round(float(x), 1), round(float(y), 1)] for x, y in rect.corners],
        "px_per_mm": None if rect.px_per_mm is None else round(rect.px_per_mm, 3),
        "paper_found": rect.found,
        "notes": reading + rect.notes,
    }
