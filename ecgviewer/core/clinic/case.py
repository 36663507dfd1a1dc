"""What a clinic case is: the ECG as kept (signal or original image), and what the
clinician confirmed about it. Plain data, validated on construction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from ecgviewer.core import statements as scp
from ecgviewer.core.clinic.errors import InvalidCaseError
from ecgviewer.core.record import EcgRecord, RecordMetadata

SEXES = ("female", "male")
MAX_AGE = 130
MAX_REPORT = 20_000
MAX_REF = 64
#: Image formats kept as their original bytes (what the photo loader reads).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".pdf")


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class CaseSource:
    """The ECG itself, losslessly: a signal record, or a photo's bytes and the corners of
    its grid (TL, TR, BR, BL in the photo's pixels) it was read with."""

    kind: str  # "signal" or "image"
    record: EcgRecord | None = None
    image: bytes | None = None
    image_suffix: str = ""
    corners: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.kind == "signal":
            if self.record is None:
                raise InvalidCaseError("A signal case needs its record.")
        elif self.kind == "image":
            if not self.image or self.image_suffix.lower() not in IMAGE_SUFFIXES:
                raise InvalidCaseError("A photo case needs the image's bytes and a known "
                                       f"image type ({', '.join(IMAGE_SUFFIXES)}).")
            if self.corners is not None:
                corners = np.asarray(self.corners, np.float32)
                if corners.shape != (4, 2) or not np.isfinite(corners).all():
                    raise InvalidCaseError("A photo case's corners must be four x,y points.")
                object.__setattr__(self, "corners", corners)
        else:
            raise InvalidCaseError(f"Unknown case kind {self.kind!r}.")

    @classmethod
    def from_signal(cls, signals: np.ndarray, rate: float, leads: tuple[str, ...]) -> CaseSource:
        return cls("signal", record=EcgRecord(signals, rate, leads,
                                              RecordMetadata(format="clinic case")))

    def content_sha256(self) -> str:
        """The ECG's fingerprint: two cases with the same one are duplicates. A photo is
        the same ECG whatever corners it was read with, so corners are left out."""
        digest = hashlib.sha256()
        if self.kind == "signal":
            r = self.record
            digest.update(b"signal\0" + json.dumps([r.sampling_rate, list(r.leads),
                                                    list(r.signals.shape)]).encode())
            digest.update(signal_bytes(r.signals))
        else:
            digest.update(b"image\0" + self.image)
        return digest.hexdigest()


def signal_bytes(signals: np.ndarray) -> bytes:
    """float32 little-endian, (leads, samples) row-major: how signals are kept and shared."""
    return np.ascontiguousarray(signals, dtype="<f4").tobytes()


def signal_from_bytes(data: bytes, n_leads: int) -> np.ndarray:
    values = np.frombuffer(data, dtype="<f4")
    if n_leads <= 0 or values.size % n_leads:
        raise InvalidCaseError("A kept signal does not divide into its leads.")
    return values.reshape(n_leads, -1).astype(np.float32)


@dataclass(frozen=True)
class CaseDetails:
    """What the clinician confirmed: SCP statement codes (at least one), report, age, sex,
    an optional pseudonymous patient reference (never a name), who confirmed it, when."""

    statements: tuple[str, ...]
    report: str = ""
    age: float | None = None
    sex: str | None = None
    patient_ref: str | None = None
    confirmed_by: str = ""
    confirmed_at: str = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        codes = tuple(dict.fromkeys(c.strip() for c in self.statements if c.strip()))
        if not codes:
            raise InvalidCaseError("Confirm at least one SCP statement for the case.")
        known = scp.table()
        unknown = [c for c in codes if known and c not in known]
        if unknown:
            raise InvalidCaseError(f"Unknown SCP statement code(s): {', '.join(unknown)}.")
        object.__setattr__(self, "statements", codes)
        if self.age is not None and not 0 <= float(self.age) <= MAX_AGE:
            raise InvalidCaseError(f"An age must lie between 0 and {MAX_AGE} years.")
        if self.sex not in (None, *SEXES):
            raise InvalidCaseError("Sex must be 'female', 'male' or left out.")
        ref = (self.patient_ref or "").strip() or None
        if ref is not None and (len(ref) > MAX_REF or not ref.isprintable()):
            raise InvalidCaseError(f"A patient reference is one line of at most {MAX_REF} "
                                   "characters.")
        object.__setattr__(self, "patient_ref", ref)
        if len(self.report) > MAX_REPORT:
            raise InvalidCaseError(f"A report is at most {MAX_REPORT} characters.")
        if not self.confirmed_by.strip():
            raise InvalidCaseError("Say who confirmed the case.")
        try:
            datetime.fromisoformat(self.confirmed_at)
        except (TypeError, ValueError) as exc:
            raise InvalidCaseError("The confirmation time must be an ISO 8601 date.") from exc

    def to_json(self) -> dict:
        return {"statements": list(self.statements), "report": self.report,
                "age": self.age, "sex": self.sex, "patient_ref": self.patient_ref,
                "confirmed_by": self.confirmed_by, "confirmed_at": self.confirmed_at}


@dataclass(frozen=True)
class ClinicCase:
    """A saved case. ``source`` is None when listed without the ECG itself."""

    id: int
    uid: str
    details: CaseDetails
    kind: str
    content_sha256: str
    embedding: np.ndarray
    model_build_id: str
    updated_at: str
    source: CaseSource | None = None

    @property
    def case_id(self) -> str:
        return f"clinic:{self.id}"

    def to_json(self) -> dict:
        out = {"id": self.id, "case_id": self.case_id, "uid": self.uid, "kind": self.kind,
               "content_sha256": self.content_sha256, "model_build_id": self.model_build_id,
               "updated_at": self.updated_at, **self.details.to_json()}
        out["descriptions"] = [scp.describe(c, c) for c in self.details.statements]
        if self.source is not None and self.source.kind == "signal":
            r = self.source.record
            out |= {"sampling_rate": r.sampling_rate, "leads": list(r.leads),
                    "samples": r.n_samples}
        elif self.source is not None:
            out["corners"] = (None if self.source.corners is None
                              else self.source.corners.tolist())
        return out
