"""SIGKILL at random moments during an import, adds and removes: the base is never
half-written, and after a restart its index agrees with its database."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clinic_fakes import MODEL, add_cases, index_agrees
from clinic_kill_worker import ADDS, REMOVES

from ecgviewer.core.clinic.base import ClinicBase
from ecgviewer.core.clinic.store import DB_FILE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

WORKER = Path(__file__).with_name("clinic_kill_worker.py")
RUNS = 20
BUNDLE_CASES = 500
BEFORE = 3


@pytest.fixture(scope="module")
def homes(tmp_path_factory):
    """A 500-case bundle, a home with 3 other cases, and a home holding the 500."""
    root = tmp_path_factory.mktemp("kill")
    full = ClinicBase(MODEL, root / "full")
    add_cases(full, 0, BUNDLE_CASES)
    full.export(root / "bundle.zip")
    full.close()
    small = ClinicBase(MODEL, root / "small")
    add_cases(small, 5000, BEFORE)
    small.close()
    return root


def _run(mode: str, home: Path, bundle: Path, delay: float | None) -> float:
    """The worker, killed ``delay`` s after it is ready. With ``delay`` None it finishes
    and the seconds its work took are returned; else 1.0 if it was killed mid-way."""
    proc = subprocess.Popen([sys.executable, str(WORKER), mode, str(home), str(bundle)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        if delay is None:
            start = time.perf_counter()
            assert proc.stdout.readline().strip() == "done"
            work = time.perf_counter() - start
            assert proc.wait(timeout=60) == 0
            return work
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        return float(proc.returncode == -signal.SIGKILL and "done" not in proc.stdout.read())
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()


def _timed(mode: str, source: Path, bundle: Path, tmp: Path) -> float:
    return _run(mode, shutil.copytree(source, tmp / f"timing-{mode}"), bundle, None)


def _check(home: Path) -> tuple[int, ClinicBase]:
    db = sqlite3.connect(home / DB_FILE)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    broken = db.execute("SELECT COUNT(*) FROM cases WHERE length(signal) != ? OR "
                        "length(embedding) != ?", (12 * 100 * 4, MODEL.dim * 4)).fetchone()[0]
    assert broken == 0  # every case whole
    db.close()
    base = ClinicBase(MODEL, home)  # the restart
    assert index_agrees(base)
    cases = base.store.list_cases()
    for case in cases[:1] + cases[-1:]:  # and readable
        assert base.store.get(case.id).source.record.signals.shape == (12, 100)
    return len(cases), base


@pytest.mark.parametrize("mode", ["import", "add", "remove"])
def test_killed_at_random_moments_leaves_a_whole_base(homes, tmp_path, mode):
    source = homes / ("full" if mode == "remove" else "small")
    bundle = homes / "bundle.zip"
    work = _timed(mode, source, bundle, tmp_path)
    rng = random.Random(f"kill-{mode}")
    killed, counts = 0, []
    for run in range(RUNS):
        home = shutil.copytree(source, tmp_path / f"run{run}")
        killed += int(_run(mode, home, bundle, rng.uniform(0, 1.2 * work)))
        count, base = _check(home)
        counts.append(count)
        if mode == "import":
            assert count in (BEFORE, BEFORE + BUNDLE_CASES)
        elif mode == "add":
            assert BEFORE <= count <= BEFORE + ADDS
        else:
            assert BUNDLE_CASES - REMOVES <= count <= BUNDLE_CASES
        base.close()
        shutil.rmtree(home)
    print(f"{mode}: {killed} of {RUNS} killed mid-way; cases after each run: {counts}")
    assert killed >= RUNS // 4, f"too few runs were killed mid-way ({killed}); counts {counts}"
