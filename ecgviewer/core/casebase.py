"""The case base: an hnswlib cosine index, SQLite metadata and optional tracings.

Files in one folder, all stamped with one build id so a mismatched set is refused:
``index.bin`` + ``index.json`` (hnswlib index and its build id), ``cases.sqlite`` (one row
per case, plus a ``meta`` table and, in newer builds, a ``rhythm`` table of rate and RR
regularity measured from each case's signal) and ``tracings.npz`` (signals; shipped by the
installer, absent in a bare checkout).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import numpy as np

from ecgviewer.core.errors import ResourceError
from ecgviewer.core.record import STANDARD_LEADS, EcgRecord, RecordMetadata
from ecgviewer.core.results import Neighbor, Statement
from ecgviewer.core.rhythm import RhythmFeatures

INDEX_FILE = "index.bin"
INDEX_META_FILE = "index.json"
DB_FILE = "cases.sqlite"
TRACINGS_FILE = "tracings.npz"
EF_SEARCH = 128

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cases (
    label INTEGER PRIMARY KEY,      -- the row's label in the hnswlib index
    case_id TEXT UNIQUE NOT NULL,   -- "ptbxl:00042"
    ecg_id INTEGER NOT NULL,
    age REAL, sex TEXT,
    report TEXT NOT NULL,
    statements TEXT NOT NULL,       -- JSON [{code, description, likelihood}], most likely first
    fold INTEGER
);
"""
RHYTHM_SCHEMA = """
CREATE TABLE rhythm (               -- ecgviewer.core.rhythm.measure of the case's signal
    label INTEGER PRIMARY KEY REFERENCES cases(label),
    beats INTEGER NOT NULL, confidence REAL NOT NULL,
    heart_rate_bpm REAL, rr_cv REAL, rmssd_ms REAL, irregularity REAL,  -- NULL: not measured
    reason TEXT NOT NULL            -- why not measured; '' when measured
);
"""
RHYTHM_COLUMNS = ("beats", "confidence", "heart_rate_bpm", "rr_cv", "rmssd_ms", "irregularity",
                  "reason")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class CaseBase:
    """Read-only view of a built case base; ``search`` returns :class:`Neighbor` objects."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        for name in (INDEX_FILE, INDEX_META_FILE, DB_FILE):
            if not (self.folder / name).exists():
                raise ResourceError(
                    f"The case base in {self.folder} is incomplete ({name} is missing): "
                    "reinstall ecgviewer or rebuild the case base."
                )
        self._db = sqlite3.connect(f"file:{self.folder / DB_FILE}?mode=ro", uri=True,
                                   check_same_thread=False)
        try:
            self.meta = dict(self._db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise ResourceError(f"The case metadata {DB_FILE} is damaged ({exc}).") from exc
        index_meta = json.loads((self.folder / INDEX_META_FILE).read_text())
        self.build_id = self.meta.get("build_id", "")
        if index_meta.get("build_id") != self.build_id:
            raise ResourceError(
                "The case index and the case metadata come from different builds "
                f"({index_meta.get('build_id')} vs {self.build_id}): reinstall ecgviewer."
            )
        self.model_build_id = self.meta.get("model_build_id", "")
        self.dim = int(index_meta["dim"])
        self.count = int(index_meta["count"])
        import hnswlib  # imported here so training code can use this module's numpy helpers

        self._index = hnswlib.Index(space="cosine", dim=self.dim)
        try:
            self._index.load_index(str(self.folder / INDEX_FILE), max_elements=self.count)
        except RuntimeError as exc:  # hnswlib's word for a truncated or altered file
            raise ResourceError(
                f"The case index {INDEX_FILE} is damaged ({exc}): reinstall ecgviewer."
            ) from exc
        self._index.set_ef(EF_SEARCH)
        self._tracings = self._open_tracings()
        self._signals: np.ndarray | None = None

    def _open_tracings(self) -> np.lib.npyio.NpzFile | None:
        path = self.folder / TRACINGS_FILE
        if not path.exists():
            return None
        tracings = np.load(path)
        found = str(tracings["build_id"])
        if found != self.build_id:
            raise ResourceError(
                f"The installed case tracings ({found}) do not belong to this case base "
                f"({self.build_id}): reinstall ecgviewer."
            )
        return tracings

    @property
    def has_tracings(self) -> bool:
        return self._tracings is not None

    def rhythm(self, case_ids: list[str]) -> dict[str, RhythmFeatures]:
        """Stored rhythm features of these cases; empty for a case base built without them."""
        try:
            rows = self._db.execute(
                f"SELECT case_id, {', '.join(RHYTHM_COLUMNS)} FROM rhythm JOIN cases USING (label) "
                f"WHERE case_id IN ({','.join('?' * len(case_ids))})", case_ids).fetchall()
        except sqlite3.OperationalError:  # no rhythm table: an older build
            return {}
        return {row[0]: RhythmFeatures(**dict(zip(RHYTHM_COLUMNS, row[1:]))) for row in rows}

    def verify(self) -> list[str]:
        """Integrity problems found (empty when all is well): used by ``--self-test``."""
        problems = []
        expected = self.meta.get("index_sha256")
        if expected and file_sha256(self.folder / INDEX_FILE) != expected:
            problems.append("The case index file does not match its recorded checksum.")
        rows = self._db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        if rows != self.count or self._index.get_current_count() != self.count:
            problems.append(
                f"The case base holds {rows} metadata rows and "
                f"{self._index.get_current_count()} index entries; expected {self.count}."
            )
        return problems

    def search(self, embeddings: np.ndarray, k: int) -> list[list[Neighbor]]:
        """The ``k`` nearest cases for each embedding row, most similar first."""
        k = min(k, self.count)
        labels, distances = self._index.knn_query(np.atleast_2d(embeddings), k=k)
        return [self.neighbors([int(label) for label in row], [1.0 - float(d) for d in drow])
                for row, drow in zip(labels, distances)]

    def neighbors(self, labels: list[int], similarities: list[float]) -> list[Neighbor]:
        """The cases with these index labels, in that order (one query for them all)."""
        rows = {row[0]: row[1:] for row in self._db.execute(
            "SELECT label, case_id, ecg_id, age, sex, report, statements FROM cases "
            f"WHERE label IN ({','.join('?' * len(labels))})", labels)}
        out = []
        for label, similarity in zip(labels, similarities):
            case_id, ecg_id, age, sex, report, statements = rows[label]
            out.append(Neighbor(
                case_id=case_id, ecg_id=ecg_id, similarity=round(similarity, 4), report=report,
                statements=tuple(Statement(**s) for s in json.loads(statements)),
                age=age, sex=sex,
            ))
        return out

    def tracing(self, case_id: str) -> EcgRecord | None:
        """The case's signal when tracings are installed, else None."""
        if self._tracings is None:
            return None
        row = self._db.execute("SELECT label FROM cases WHERE case_id = ?", (case_id,)).fetchone()
        if row is None:
            return None
        if self._signals is None:  # decompressed once, on the first case shown
            self._signals = self._tracings["signals"]
        signals = self._signals[row[0]].astype(np.float32) / 1000.0  # stored in uV
        rate = float(self._tracings["sampling_rate"])
        return EcgRecord(signals, rate, STANDARD_LEADS,
                         RecordMetadata(record_name=case_id, format="case base"))


def with_confirmed_statements(embeddings: np.ndarray, label_codes: tuple[str, ...],
                              case_codes: list[list[str]]) -> np.ndarray:
    """Index vectors for past cases whose statements a cardiologist confirmed.

    The encoder's vector ends with its predicted SCP-statement probabilities (``label_codes``
    names them). For a past case the confirmed statements are known, so that part is
    replaced by them, at the same norm: a query then ranks cases by morphology (first part)
    and by how well the confirmed statements match what the model reads in the query.
    Cases without confirmed statements keep the model's prediction.
    """
    out = np.array(embeddings, dtype=np.float32, copy=True)
    n = len(label_codes)
    if n == 0:
        return out
    column = {code: i for i, code in enumerate(label_codes)}
    for row, codes in enumerate(case_codes):
        confirmed = np.zeros(n, np.float32)
        confirmed[[column[c] for c in codes if c in column]] = 1.0
        if confirmed.any():
            scale = np.linalg.norm(out[row, -n:]) / np.linalg.norm(confirmed)
            out[row, -n:] = confirmed * scale
    return out


def write_casebase(folder: Path, build_id: str, model_build_id: str, embeddings: np.ndarray,
                   rows: list[dict], tracings: np.ndarray | None = None,
                   sampling_rate: float = 100.0,
                   rhythm: list[RhythmFeatures] | None = None) -> None:
    """Build a case base in ``folder``; row ``i`` of ``embeddings`` belongs to ``rows[i]``.

    ``rows`` items: case_id, ecg_id, age, sex, report, statements (list of dicts), fold;
    ``rhythm``, when given, holds each row's rhythm features.
    Files are written under temporary names and renamed, so a failed build leaves the
    previous case base intact.
    """
    folder.mkdir(parents=True, exist_ok=True)
    import hnswlib

    count, dim = embeddings.shape
    index = hnswlib.Index(space="cosine", dim=dim)
    index.init_index(max_elements=count, ef_construction=200, M=32, random_seed=0)
    index.add_items(embeddings.astype(np.float32), np.arange(count), num_threads=1)
    tmp_index = folder / (INDEX_FILE + ".tmp")
    index.save_index(str(tmp_index))

    tmp_db = folder / (DB_FILE + ".tmp")
    tmp_db.unlink(missing_ok=True)
    db = sqlite3.connect(tmp_db)
    db.executescript(SCHEMA + RHYTHM_SCHEMA)
    meta = {"build_id": build_id, "model_build_id": model_build_id, "count": str(count),
            "dim": str(dim), "index_sha256": file_sha256(tmp_index)}
    db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    db.executemany(
        "INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(i, r["case_id"], r["ecg_id"], r["age"], r["sex"], r["report"],
          json.dumps(r["statements"], ensure_ascii=False), r["fold"]) for i, r in enumerate(rows)],
    )
    if rhythm is not None:
        insert_rhythm(db, rhythm)
    db.commit()
    db.close()

    tmp_meta = folder / (INDEX_META_FILE + ".tmp")
    tmp_meta.write_text(json.dumps({"build_id": build_id, "dim": dim, "count": count,
                                    "space": "cosine"}, indent=2))
    if tracings is not None:
        write_tracings(folder / TRACINGS_FILE, tracings, sampling_rate, build_id)
    os.replace(tmp_index, folder / INDEX_FILE)
    os.replace(tmp_db, folder / DB_FILE)
    os.replace(tmp_meta, folder / INDEX_META_FILE)


def insert_rhythm(db: sqlite3.Connection, rhythm: list[RhythmFeatures]) -> None:
    """Rows of the rhythm table: ``rhythm[i]`` belongs to the case labelled ``i``."""
    db.executemany(f"INSERT INTO rhythm VALUES (?, {', '.join('?' * len(RHYTHM_COLUMNS))})",
                   [(i, *(getattr(f, c) for c in RHYTHM_COLUMNS)) for i, f in enumerate(rhythm)])


def write_tracings(path: Path, signals: np.ndarray, sampling_rate: float, build_id: str) -> None:
    """Case signals (cases, 12, samples) in mV, stored as int16 microvolts, atomically."""
    tmp = path.with_name("tracings.tmp.npz")
    microvolts = np.clip(np.round(signals * 1000), -32768, 32767).astype(np.int16)
    np.savez_compressed(tmp, signals=microvolts, sampling_rate=sampling_rate, build_id=build_id)
    os.replace(tmp, path)
