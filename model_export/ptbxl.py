"""PTB-XL access for training, evaluation and case-base building.

The data folder is ``--data``, else ``$ECGVIEWER_DATA``, else ``../shared/ptbxl``. Nothing
from it is ever copied into the repository; caches go under ``cache/`` (git-ignored).
"""

from __future__ import annotations

import ast
import csv
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from ecgviewer.core.readers import read
from ecgviewer.core.record import EcgRecord

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "ptbxl"
CACHE = REPO / "cache"
TRAIN_FOLDS = tuple(range(1, 9))
VALID_FOLD = 9
RATE = 100.0  # every case is used at 100 Hz: the rate all PTB-XL records share


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The PTB-XL folder to use; raises FileNotFoundError with the places it looked."""
    for candidate in (explicit, os.environ.get("ECGVIEWER_DATA"), DEFAULT_DATA):
        if candidate and (Path(candidate) / "ptbxl_database.csv").exists():
            return Path(candidate)
    raise FileNotFoundError(
        "PTB-XL not found: pass --data, set ECGVIEWER_DATA, or place it at ../shared/ptbxl"
    )


@dataclass(frozen=True)
class Statement:
    code: str
    description: str
    diagnostic: bool
    diagnostic_class: str | None


@dataclass(frozen=True)
class Case:
    """One PTB-XL row: metadata, labels and where its signal lives."""

    ecg_id: int
    patient_id: int | None
    age: float | None
    sex: str | None
    report: str
    scp_codes: dict[str, float]
    fold: int
    path_lr: Path | None
    path_hr: Path | None


class PtbXl:
    """The statements table and the cases whose signals are present in the folder."""

    def __init__(self, root: str | os.PathLike | None = None):
        self.root = data_dir(root)

    @cached_property
    def statements(self) -> dict[str, Statement]:
        out: dict[str, Statement] = {}
        with open(self.root / "scp_statements.csv", newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                code = row[""]
                out[code] = Statement(
                    code=code,
                    description=row["description"],
                    diagnostic=row["diagnostic"] == "1.0",
                    diagnostic_class=row["diagnostic_class"] or None,
                )
        return out

    @cached_property
    def cases(self) -> list[Case]:
        """Cases with a signal file here, in ecg_id order (fold 10 is never present)."""
        out = []
        with open(self.root / "ptbxl_database.csv", newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                lr = self.root / (row["filename_lr"] + ".hea")
                hr = self.root / (row["filename_hr"] + ".hea")
                if not lr.exists() and not hr.exists():
                    continue
                out.append(Case(
                    ecg_id=int(row["ecg_id"]),
                    patient_id=int(float(row["patient_id"])) if row["patient_id"] else None,
                    age=float(row["age"]) if row["age"] else None,
                    sex={"0": "male", "1": "female"}.get(row["sex"]),
                    report=row["report"].strip(),
                    scp_codes=ast.literal_eval(row["scp_codes"]),
                    fold=int(row["strat_fold"]),
                    path_lr=lr if lr.exists() else None,
                    path_hr=hr if hr.exists() else None,
                ))
        return sorted(out, key=lambda c: c.ecg_id)

    def split(self, folds: tuple[int, ...] | int) -> list[Case]:
        folds = (folds,) if isinstance(folds, int) else folds
        return [c for c in self.cases if c.fold in folds]

    def record(self, case: Case) -> EcgRecord:
        """The case at 100 Hz; 500 Hz-only cases are downsampled (marked as derived)."""
        if case.path_lr is not None:
            return read(case.path_lr)
        return read(case.path_hr).resampled(RATE)

    # --- labels -----------------------------------------------------------------------
    def diagnostic_codes(self, case: Case) -> frozenset[str]:
        return frozenset(c for c in case.scp_codes if c in self.statements
                         and self.statements[c].diagnostic)

    def superclasses(self, case: Case) -> frozenset[str]:
        return frozenset(self.statements[c].diagnostic_class for c in self.diagnostic_codes(case)
                         if self.statements[c].diagnostic_class)

    def statement_text(self, case: Case) -> str:
        """English text from the SCP codes, most likely statement first."""
        codes = sorted(case.scp_codes.items(), key=lambda kv: (-kv[1], kv[0]))
        return ", ".join(self.statements[c].description for c, _ in codes if c in self.statements)

    def signals(self, cases: list[Case]) -> np.ndarray:
        """(cases, 12, 1000) float32 mV at 100 Hz, cached under cache/ (never committed)."""
        CACHE.mkdir(exist_ok=True)
        ids = np.array([c.ecg_id for c in cases])
        key = f"signals_{len(ids)}_{int(ids.sum())}_{int((ids * ids).sum()) % 1_000_003}.npy"
        path = CACHE / key
        if path.exists():
            return np.load(path)
        out = np.zeros((len(cases), 12, 1000), np.float32)
        for i, case in enumerate(cases):
            rec = self.record(case).with_standard_leads()
            n = min(1000, rec.n_samples)
            out[i, :, :n] = rec.signals[:, :n]
        np.save(path, out)
        return out
