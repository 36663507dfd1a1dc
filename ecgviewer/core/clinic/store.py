"""The clinic's cases in one SQLite database: the source of truth.

WAL journal with ``synchronous=FULL``, so a committed case survives a crash or a power
cut and readers never wait for a writer; every change is one transaction. The schema
carries a version (``PRAGMA user_version``) and is brought up to date by
:data:`MIGRATIONS` on opening; a database from a newer ecgviewer is refused untouched.
``meta.revision`` changes, in the same transaction, with every change that alters what
the index holds (cases added or removed, statements, embeddings), so the index cache
can tell whether it is current.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ecgviewer.core.clinic.case import (CaseDetails, CaseSource, ClinicCase, signal_bytes,
                                        signal_from_bytes, utc_now)
from ecgviewer.core.clinic.errors import CaseNotFoundError, ClinicStoreError, InvalidCaseError
from ecgviewer.core.record import EcgRecord, RecordMetadata

DB_FILE = "clinic.sqlite"
BUSY_TIMEOUT_MS = 10_000

#: Schema scripts; MIGRATIONS[i] takes the database from version i to version i + 1.
MIGRATIONS = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,   -- "clinic:<id>", the label in the index
        uid TEXT UNIQUE NOT NULL,               -- the same in every clinic it is shared to
        content_sha256 TEXT UNIQUE NOT NULL,    -- the ECG's fingerprint: no duplicates
        kind TEXT NOT NULL CHECK (kind IN ('signal', 'image')),
        sampling_rate REAL, leads TEXT, signal BLOB,   -- signal: float32 LE (leads, samples)
        image BLOB, image_suffix TEXT, corners TEXT,   -- photo: original bytes, JSON corners
        embedding BLOB NOT NULL,                -- float32 LE, the encoder's own output
        model_build_id TEXT NOT NULL,           -- the model that made it
        statements TEXT NOT NULL,               -- JSON list of confirmed SCP codes
        report TEXT NOT NULL,
        age REAL, sex TEXT, patient_ref TEXT,
        confirmed_by TEXT NOT NULL, confirmed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX cases_patient ON cases (patient_ref);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

_SUMMARY = ("id, uid, content_sha256, kind, embedding, model_build_id, statements, report, "
            "age, sex, patient_ref, confirmed_by, confirmed_at, updated_at")
_SOURCE = "sampling_rate, leads, signal, image, image_suffix, corners"


@dataclass(frozen=True)
class Change:
    """One committed change: the case, and the revision before and after it."""

    case_id: int
    before: str
    after: str


class ClinicStore:
    """The database in ``home``; opened read-only (searching works, saving refuses with a
    clear message) when the folder cannot be written."""

    def __init__(self, home: str | os.PathLike):
        self.home = Path(home)
        self.path = self.home / DB_FILE
        self._lock = threading.RLock()
        self.read_only = False
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            self._db = self._connect(f"file:{self.path}", writable=True)
            self._migrate()
        except (sqlite3.OperationalError, PermissionError, OSError) as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower():
                raise ClinicStoreError(self._explain(exc)) from exc
            if not self.path.exists():
                raise ClinicStoreError(f"Cannot create the clinic's case database in "
                                       f"{self.home}: {_reason(exc)}.") from exc
            if getattr(self, "_db", None) is not None:
                self._db.close()
            self.read_only = True
            self._db = self._connect(f"file:{self.path}?mode=ro&immutable=1", writable=False)
            self._check_version(self._version())

    def _connect(self, uri: str, writable: bool) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                                 timeout=BUSY_TIMEOUT_MS / 1000)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if writable:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = FULL")
            return db
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and writable:
                raise
            raise ClinicStoreError(self._damaged(exc)) from exc

    def _damaged(self, exc: Exception) -> str:
        return (f"The clinic's case database {self.path} is damaged or not a database "
                f"({exc}): restore it from a backup or a case bundle.")

    def _version(self) -> int:
        try:
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise ClinicStoreError(self._damaged(exc)) from exc

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise ClinicStoreError(
                f"The clinic's case database {self.path} was written by a newer ecgviewer "
                f"(schema {version}, this version knows up to {SCHEMA_VERSION}): update ecgviewer.")

    def _migrate(self) -> None:
        self._check_version(self._version())
        if self._version() == SCHEMA_VERSION:
            return
        with self._transaction():
            version = self._version()  # another process may have migrated meanwhile
            self._check_version(version)
            for script in MIGRATIONS[version:]:
                for statement in _statements(script):
                    self._db.execute(statement)
            if version == 0:
                self._db.execute("INSERT INTO meta VALUES ('revision', ?)", (_token(),))
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def _transaction(self):
        """BEGIN IMMEDIATE ... COMMIT, with SQLite's failures in words a user can act on."""
        with self._lock:
            if self.read_only:
                raise ClinicStoreError(
                    f"The clinic's case folder {self.home} is read-only: nothing was saved. "
                    "Ask for write access, or set ECGVIEWER_HOME to a folder you can write.")
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise ClinicStoreError(self._explain(exc)) from exc
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.IntegrityError):
                    raise InvalidCaseError(f"The case conflicts with a saved one ({exc}).") from exc
                if isinstance(exc, sqlite3.Error):
                    raise ClinicStoreError(self._explain(exc)) from exc
                raise

    def _explain(self, exc: sqlite3.Error) -> str:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return ("Another ecgviewer window is saving clinic cases: nothing was saved; "
                    "try again in a moment.")
        if "full" in text:
            return (f"The disk holding {self.home} is full: nothing was saved; free some "
                    "space and try again.")
        if "readonly" in text or "read-only" in text:
            return (f"The clinic's case folder {self.home} is read-only: nothing was saved.")
        if isinstance(exc, sqlite3.DatabaseError) and ("malformed" in text or "not a database" in text):
            return self._damaged(exc)
        return f"The clinic's case database failed ({exc}): nothing was saved."

    def bump(self, db: sqlite3.Connection) -> tuple[str, str]:
        before = db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]
        after = _token()
        db.execute("UPDATE meta SET value = ? WHERE key = 'revision'", (after,))
        return before, after

    # ------------------------------------------------------------------ writing

    def add(self, source: CaseSource, details: CaseDetails, embedding: np.ndarray,
            model_build_id: str) -> Change:
        """Save a new case; an ECG already saved is refused, naming its case."""
        with self._transaction() as db:
            before, after = self.bump(db)
            case_id = self.insert(db, source, details, embedding, model_build_id)
        return Change(case_id, before, after)

    def insert(self, db: sqlite3.Connection, source: CaseSource, details: CaseDetails,
               embedding: np.ndarray, model_build_id: str, uid: str | None = None,
               updated_at: str | None = None, content_sha256: str | None = None) -> int:
        """One row, inside a transaction the caller holds (see :meth:`batch`)."""
        content = content_sha256 or source.content_sha256()
        found = db.execute("SELECT id FROM cases WHERE content_sha256 = ?", (content,)).fetchone()
        if found:
            raise DuplicateCaseError(f"This ECG is already saved as clinic:{found[0]}.",
                                     found[0])
        signal = rate = leads = image = suffix = corners = None
        if source.kind == "signal":
            r = source.record
            signal, rate, leads = signal_bytes(r.signals), r.sampling_rate, json.dumps(list(r.leads))
        else:
            image, suffix = source.image, source.image_suffix.lower()
            corners = None if source.corners is None else json.dumps(source.corners.tolist())
        d = details
        cursor = db.execute(
            f"INSERT INTO cases (uid, content_sha256, kind, {_SOURCE}, embedding, "
            "model_build_id, statements, report, age, sex, patient_ref, confirmed_by, "
            "confirmed_at, updated_at) VALUES (" + ", ".join("?" * 19) + ")",
            (uid or uuid.uuid4().hex, content, source.kind, rate, leads, signal, image, suffix,
             corners, _embedding_bytes(embedding), model_build_id, json.dumps(list(d.statements)),
             d.report, d.age, d.sex, d.patient_ref, d.confirmed_by, d.confirmed_at,
             updated_at or utc_now()))
        return int(cursor.lastrowid)

    @contextmanager
    def batch(self):
        """One transaction for many inserts (an import): all of them or none. The caller
        calls :meth:`bump` in it if it changed anything."""
        with self._transaction() as db:
            yield db

    def update(self, case_id: int, details: CaseDetails) -> Change:
        """New details for a case; the revision changes only if its statements do."""
        with self._transaction() as db:
            row = db.execute("SELECT statements FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise CaseNotFoundError(f"There is no clinic case {case_id}.")
            if json.loads(row[0]) != list(details.statements):
                before, after = self.bump(db)
            else:
                before = after = self._revision(db)
            d = details
            db.execute("UPDATE cases SET statements = ?, report = ?, age = ?, sex = ?, "
                       "patient_ref = ?, confirmed_by = ?, confirmed_at = ?, updated_at = ? "
                       "WHERE id = ?",
                       (json.dumps(list(d.statements)), d.report, d.age, d.sex, d.patient_ref,
                        d.confirmed_by, d.confirmed_at, utc_now(), case_id))
        return Change(case_id, before, after)

    def remove(self, case_id: int) -> Change:
        with self._transaction() as db:
            if db.execute("DELETE FROM cases WHERE id = ?", (case_id,)).rowcount == 0:
                raise CaseNotFoundError(f"There is no clinic case {case_id}.")
            before, after = self.bump(db)
        return Change(case_id, before, after)

    def set_embedding(self, case_id: int, content_sha256: str, embedding: np.ndarray,
                      model_build_id: str) -> Change | None:
        """A case re-encoded by another model; None if it was removed meanwhile."""
        with self._transaction() as db:
            updated = db.execute(
                "UPDATE cases SET embedding = ?, model_build_id = ? "
                "WHERE id = ? AND content_sha256 = ?",
                (_embedding_bytes(embedding), model_build_id, case_id, content_sha256)).rowcount
            if not updated:
                return None
            before, after = self.bump(db)
        return Change(case_id, before, after)

    # ------------------------------------------------------------------ reading

    def _revision(self, db: sqlite3.Connection) -> str:
        return db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]

    def revision(self) -> str:
        with self._lock:
            return self._read(lambda: self._revision(self._db))

    def _read(self, fn):
        try:
            return fn()
        except sqlite3.Error as exc:
            raise ClinicStoreError(self._explain(exc)) from exc

    def count(self) -> int:
        with self._lock:
            return self._read(lambda: self._db.execute("SELECT COUNT(*) FROM cases").fetchone()[0])

    def get(self, case_id: int) -> ClinicCase:
        with self._lock:
            row = self._read(lambda: self._db.execute(
                f"SELECT {_SUMMARY}, {_SOURCE} FROM cases WHERE id = ?", (case_id,)).fetchone())
        if row is None:
            raise CaseNotFoundError(f"There is no clinic case {case_id}.")
        return _case(row[:14], row[14:])

    def find(self, case_ids: list[int]) -> dict[int, ClinicCase]:
        """Cases by id, without their ECG (what a result list needs)."""
        if not case_ids:
            return {}
        marks = ",".join("?" * len(case_ids))
        with self._lock:
            rows = self._read(lambda: self._db.execute(
                f"SELECT {_SUMMARY} FROM cases WHERE id IN ({marks})", case_ids).fetchall())
        return {row[0]: _case(row) for row in rows}

    def list_cases(self, patient_ref: str | None = None) -> list[ClinicCase]:
        """All cases (or one patient's, oldest confirmation first), without their ECG."""
        sql = f"SELECT {_SUMMARY} FROM cases"
        args: tuple = ()
        if patient_ref is not None:
            sql, args = sql + " WHERE patient_ref = ? ORDER BY confirmed_at, id", (patient_ref,)
        else:
            sql += " ORDER BY id"
        with self._lock:
            rows = self._read(lambda: self._db.execute(sql, args).fetchall())
        return [_case(row) for row in rows]

    def content_ids(self) -> dict[str, int]:
        """content_sha256 -> case id, to skip duplicates."""
        with self._lock:
            return dict(self._read(lambda: self._db.execute(
                "SELECT content_sha256, id FROM cases").fetchall()))

    def vectors(self, model_build_id: str) -> tuple[str, np.ndarray, list[np.ndarray],
                                                    list[list[str]]]:
        """(revision, ids, embeddings, statement codes) of the cases encoded by
        ``model_build_id``, read in one snapshot: what the index is built from."""
        with self._lock:
            def read():
                self._db.execute("BEGIN")
                try:
                    revision = self._revision(self._db)
                    rows = self._db.execute(
                        "SELECT id, embedding, statements FROM cases WHERE model_build_id = ? "
                        "ORDER BY id", (model_build_id,)).fetchall()
                finally:
                    self._db.execute("COMMIT")
                return revision, rows
            revision, rows = self._read(read)
        ids = np.array([r[0] for r in rows], np.int64)
        return (revision, ids, [np.frombuffer(r[1], "<f4") for r in rows],
                [json.loads(r[2]) for r in rows])

    def stale_ids(self, model_build_id: str) -> list[int]:
        """Cases encoded by another model than ``model_build_id``: to re-encode."""
        with self._lock:
            return [r[0] for r in self._read(lambda: self._db.execute(
                "SELECT id FROM cases WHERE model_build_id != ? ORDER BY id",
                (model_build_id,)).fetchall())]


class DuplicateCaseError(InvalidCaseError):
    """The ECG is saved already; ``case_id`` says as which case."""

    def __init__(self, message: str, case_id: int):
        super().__init__(message)
        self.case_id = case_id


def _case(row: tuple, source_row: tuple | None = None) -> ClinicCase:
    (case_id, uid, content, kind, embedding, model, statements, report, age, sex, ref, by, at,
     updated) = row
    details = CaseDetails(tuple(json.loads(statements)), report, age, sex, ref, by, at)
    source = None
    if source_row is not None:
        rate, leads, signal, image, suffix, corners = source_row
        if kind == "signal":
            names = tuple(json.loads(leads))
            record = EcgRecord(signal_from_bytes(signal, len(names)), rate, names,
                               RecordMetadata(record_name=f"clinic:{case_id}", age=age, sex=sex,
                                              format="clinic case"))
            source = CaseSource("signal", record=record)
        else:
            source = CaseSource("image", image=bytes(image), image_suffix=suffix,
                                corners=None if corners is None else np.array(json.loads(corners)))
    return ClinicCase(case_id, uid, details, kind, content, np.frombuffer(embedding, "<f4").copy(),
                      model, updated, source)


def _embedding_bytes(embedding: np.ndarray) -> bytes:
    vector = np.asarray(embedding, dtype="<f4").reshape(-1)
    if vector.size == 0 or not np.isfinite(vector).all():
        raise InvalidCaseError("A case's embedding must be a finite, non-empty vector.")
    return vector.tobytes()


def _statements(script: str) -> list[str]:
    """A migration script as single statements (executescript would commit on its own)."""
    parts, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line.split("--")[0] + ("\n" if "--" in line else "")
        if sqlite3.complete_statement(current):
            parts.append(current.strip())
            current = ""
    return [p for p in parts if p]


def _token() -> str:
    return uuid.uuid4().hex


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)
