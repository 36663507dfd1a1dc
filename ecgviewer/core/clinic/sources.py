"""Searching the bundled PTB-XL cases and the clinic's together, merged by similarity.

Both indexes hold cosine similarities of the same encoder's vectors, with confirmed
statements in them the same way, so their similarities compare directly.
"""

from __future__ import annotations

import logging

import numpy as np

from ecgviewer.core import statements as scp
from ecgviewer.core.clinic.case import ClinicCase
from ecgviewer.core.errors import EcgError
from ecgviewer.core.results import Neighbor, Statement

log = logging.getLogger(__name__)

PTBXL, CLINIC = "ptbxl", "clinic"
SOURCES = (PTBXL, CLINIC)
#: Confirmed statements are certain: shown at the likelihood PTB-XL gives a sure one.
CONFIRMED_LIKELIHOOD = 100.0


def clinic_neighbor(case: ClinicCase, similarity: float) -> Neighbor:
    return Neighbor(
        case_id=case.case_id, ecg_id=case.id, similarity=round(similarity, 4),
        report=case.details.report,
        statements=tuple(Statement(c, scp.describe(c, c), CONFIRMED_LIKELIHOOD)
                         for c in case.details.statements),
        age=case.details.age, sex=case.details.sex, source=CLINIC)


def search_sources(casebase, clinic, embedding: np.ndarray, k: int,
                   sources: tuple[str, ...] = SOURCES) -> tuple[list[Neighbor], list[str]]:
    """The ``k`` nearest cases of the chosen sources, most similar first, and notes.

    A clinic base that cannot be read costs only its own cases: the bundled ones are
    still returned, with a note saying why the clinic's are missing.
    """
    found: list[Neighbor] = []
    notes: list[str] = []
    if PTBXL in sources:
        found += casebase.search(embedding, k)[0]
    if CLINIC in sources and clinic is not None:
        try:
            found += [clinic_neighbor(c, s) for c, s in clinic.search(embedding[0], k)]
        except EcgError as exc:
            log.warning("clinic cases not searched: %s", exc)
            notes.append(f"The clinic's own cases were not searched: {exc}")
    found.sort(key=lambda n: -n.similarity)  # stable: on a tie the bundled case stays first
    return found[:k], notes
