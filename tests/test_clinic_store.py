"""The clinic database: lossless cases, edits, schema versions, and failures that leave
the saved cases intact (read-only folder, full disk, damage, two processes at once)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from clinic_fakes import MODEL, add_cases, details, embedding, index_agrees, source

from ecgviewer.core.clinic.base import ClinicBase, open_clinic
from ecgviewer.core.clinic.case import CaseSource
from ecgviewer.core.clinic.errors import CaseNotFoundError, ClinicStoreError, InvalidCaseError
from ecgviewer.core.clinic.home import data_home
from ecgviewer.core.clinic.store import DB_FILE, SCHEMA_VERSION, ClinicStore

WORKER = Path(__file__).with_name("clinic_kill_worker.py")


@pytest.fixture
def base(tmp_path):
    b = ClinicBase(MODEL, tmp_path / "home")
    yield b
    b.close()


def test_a_case_comes_back_exactly_as_saved(base):
    src = source(1, samples=5000)
    case_id = base.add(src, details(1, patient="P-9"), embedding(1))
    case = base.store.get(case_id)
    assert case.case_id == f"clinic:{case_id}" and case.kind == "signal"
    assert case.source.record.signals.tobytes() == src.record.signals.tobytes()
    assert (case.source.record.sampling_rate, case.source.record.leads) == \
        (src.record.sampling_rate, src.record.leads)
    assert np.array_equal(case.embedding, embedding(1)) and case.model_build_id == MODEL.build_id
    assert case.details == details(1, patient="P-9")


def test_a_photo_keeps_its_bytes_and_corners(base):
    corners = np.array([[1, 2], [300, 2], [300, 200], [1, 200]], np.float32)
    src = CaseSource("image", image=b"\x89PNG fake bytes", image_suffix=".png", corners=corners)
    case = base.store.get(base.add(src, details(2), embedding(2)))
    assert case.source.image == src.image and np.array_equal(case.source.corners, corners)


def test_edit_and_remove(base):
    first, second = add_cases(base, 0, 2)
    base.update(first, replace(base.store.get(first).details, statements=("AFIB", "LVH"),
                               report="edited"))
    assert base.store.get(first).details.statements == ("AFIB", "LVH")
    assert index_agrees(base)
    base.remove(second)
    with pytest.raises(CaseNotFoundError, match="no clinic case"):
        base.store.get(second)
    with pytest.raises(CaseNotFoundError):
        base.remove(second)
    assert [c.id for c in base.store.list_cases()] == [first] and index_agrees(base)
    assert base.add(source(5), details(5), embedding(5)) > second  # ids are never reused


def test_the_same_ecg_is_saved_once(base):
    case_id = base.add(source(3), details(3), embedding(3))
    with pytest.raises(InvalidCaseError, match=f"already saved as clinic:{case_id}"):
        base.add(source(3), details(4), embedding(4))
    assert base.store.count() == 1


@pytest.mark.parametrize("change, message", [
    ({"statements": ()}, "at least one SCP statement"),
    ({"statements": ("XYZ",)}, "Unknown SCP statement"),
    ({"age": 400}, "between 0 and"),
    ({"sex": "f"}, "Sex must be"),
    ({"patient_ref": "x" * 65}, "at most 64"),
    ({"confirmed_by": " "}, "who confirmed"),
    ({"confirmed_at": "yesterday"}, "ISO 8601"),
])
def test_details_are_checked(change, message):
    with pytest.raises(InvalidCaseError, match=message):
        replace(details(0), **change)


def test_one_patients_earlier_ecgs_oldest_first(base):
    ids = add_cases(base, 0, 3, patient="P-1")
    add_cases(base, 10, 1, patient="P-2")
    later = base.store.get(ids[2]).details.confirmed_at
    assert [c.id for c in base.earlier_cases("P-1")] == sorted(
        ids, key=lambda i: base.store.get(i).details.confirmed_at)
    assert all(c.details.confirmed_at < later for c in base.earlier_cases("P-1", before=later))


def test_a_database_from_a_newer_version_is_refused_untouched(base):
    add_cases(base, 0, 1)
    base.close()
    path = base.home / DB_FILE
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(ClinicStoreError, match="newer ecgviewer"):
        ClinicStore(base.home)
    assert path.read_bytes() == before


def test_a_damaged_database_gets_a_clear_message_and_search_goes_on(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / DB_FILE).write_bytes(b"this is not a database" * 100)
    with pytest.raises(ClinicStoreError, match="damaged or not a database"):
        ClinicStore(home)
    clinic, notes = open_clinic(MODEL, home)
    assert clinic is None and "not searched" in notes[0]


def test_no_database_is_created_just_by_searching(tmp_path):
    assert open_clinic(MODEL, tmp_path / "nothing-saved") == (None, [])
    assert not (tmp_path / "nothing-saved").exists()


def test_a_full_disk_saves_nothing_and_keeps_the_rest(base):
    add_cases(base, 0, 3)
    db = base.store._db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 2}")  # room for a few pages only
    with pytest.raises(ClinicStoreError, match="is full: nothing was saved"):
        base.add(source(9, samples=20_000), details(9), embedding(9))
    assert base.store.count() == 3 and index_agrees(base)


def _lock_folder(folder: Path):
    """Make ``folder`` unwritable even for root (chattr +i); None if this system can't."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(folder)], capture_output=True).returncode:
        return None
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_folder_searches_but_refuses_to_save(tmp_path):
    home = tmp_path / "home"
    base = ClinicBase(MODEL, home)
    ids = add_cases(base, 0, 4)
    base.close()
    unlock = _lock_folder(home)
    if unlock is None:
        pytest.skip("cannot make a folder read-only here")
    try:
        locked = ClinicBase(MODEL, home)
        assert locked.read_only
        assert [c.id for c, _ in locked.search(embedding(2), 1)] == [ids[2]]
        with pytest.raises(ClinicStoreError, match="read-only: nothing was saved"):
            locked.add(source(9), details(9), embedding(9))
        with pytest.raises(ClinicStoreError, match="read-only"):
            locked.remove(ids[0])
        locked.close()
    finally:
        unlock()
    assert ClinicStore(home).count() == 4


def test_two_processes_adding_at_once_lose_nothing(tmp_path):
    home = tmp_path / "home"
    ClinicBase(MODEL, home).close()
    procs = [subprocess.Popen([sys.executable, str(WORKER), "add", str(home), str(first)],
                              stdout=subprocess.PIPE, text=True) for first in (20_000, 30_000)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0] and all("done" in o for o in outputs)
    base = ClinicBase(MODEL, home)
    assert base.store.count() == 80 and index_agrees(base)


def test_the_data_folder_follows_ecgviewer_home(monkeypatch, tmp_path):
    monkeypatch.setenv("ECGVIEWER_HOME", str(tmp_path / "h"))
    assert data_home() == tmp_path / "h"
    monkeypatch.delenv("ECGVIEWER_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert data_home() == tmp_path / "xdg" / "ecgviewer"


def test_an_older_database_is_migrated_with_its_cases(base, monkeypatch):
    from ecgviewer.core.clinic import store as store_module

    ids = add_cases(base, 0, 2)
    base.close()
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + (
        "ALTER TABLE cases ADD COLUMN device TEXT; -- a later version's column",))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    migrated = ClinicStore(base.home)
    assert migrated._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert "device" in [r[1] for r in migrated._db.execute("PRAGMA table_info(cases)")]
    assert [c.id for c in migrated.list_cases()] == ids
