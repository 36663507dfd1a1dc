"""``ecgviewer info``: what a file is, without rendering or searching it."""

from __future__ import annotations

import os
from typing import Any

from ecgviewer.core.readers import detect, read


def describe(path: str | os.PathLike) -> dict[str, Any]:
    """A JSON-ready summary: format and kind, then signal facts or image facts."""
    reader = detect(path)
    if reader.kind == "image":
        from ecgviewer.core.readers.image_reader import describe_image

        return describe_image(path)  # its real format (PNG, JPEG, ...), not the reader's name
    record = read(path)
    return {
        "format": reader.name,
        "kind": "signal",
        "sampling_rate": record.sampling_rate,
        "leads": list(record.leads),
        "samples": record.n_samples,
        "duration_s": round(record.duration_s, 6),
        "age": record.metadata.age,
        "sex": record.metadata.sex,
        "derived": list(record.metadata.derived),
    }
