"""From a query to a case and back: the ECG to keep for a searched query, and the
embedding of a kept ECG through the same pipeline as any query (for a new model)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from ecgviewer.core.clinic.base import ClinicBase
from ecgviewer.core.clinic.case import IMAGE_SUFFIXES, CaseSource
from ecgviewer.core.clinic.errors import Cancelled, CaseNotFoundError
from ecgviewer.core.readers.image_reader import image_format, load_image
from ecgviewer.core.record import EcgRecord
from ecgviewer.core.search import Query, embed_query, image_query, record_query

_SUFFIX = {"PNG": ".png", "JPEG": ".jpg", "TIFF": ".tif", "BMP": ".bmp", "WebP": ".webp",
           "PDF": ".pdf"}


def case_source(path: str | os.PathLike, kind: str, record: EcgRecord | None,
                corners: np.ndarray | None) -> CaseSource:
    """What to keep of a query searched from ``path``: its record as searched, or the
    photo file's own bytes with the grid corners of the page as searched."""
    if kind == "signal":
        return CaseSource("signal", record=record)
    data = Path(path).read_bytes()
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        suffix = _SUFFIX.get(image_format(data[:16]) or "", "")
    return CaseSource("image", image=data, image_suffix=suffix,
                      corners=None if corners is None else np.asarray(corners, np.float32))


def source_query(source: CaseSource, name: str) -> Query:
    """The query a kept ECG makes, as if its file were opened again."""
    if source.kind == "signal":
        return record_query(source.record, name)
    with tempfile.TemporaryDirectory(prefix="ecgviewer-case-") as folder:
        path = Path(folder) / f"photo{source.image_suffix}"
        path.write_bytes(source.image)
        photo = load_image(path)
    return image_query(photo, name, source.corners)


def embed_source(encoder, source: CaseSource, name: str = "clinic case") -> np.ndarray:
    """The (D,) embedding of a kept ECG."""
    return embed_query(encoder, source_query(source, name))[1][0]


def reembed_stale(base: ClinicBase, encoder, progress=None, cancel=None) -> int:
    """Re-encode, with ``encoder``, every case another model encoded; returns how many.

    Each case is its own transaction, so stopping (``cancel()`` true) keeps those done;
    the others stay unsearchable until the next run. ``progress(done, total)``.
    """
    ids = base.stale_cases()
    done = 0
    for done, case_id in enumerate(ids, 1):
        if cancel is not None and cancel():
            raise Cancelled(f"Re-encoding stopped: {done - 1} of {len(ids)} cases done.")
        try:
            case = base.store.get(case_id)
        except CaseNotFoundError:
            continue  # removed meanwhile
        base.set_embedding(case, embed_source(encoder, case.source, case.case_id), save=False)
        if progress:
            progress(done, len(ids))
    base.save_index()
    return done
