"""Start fast: the window comes first, the model and case base load behind it."""

from __future__ import annotations

import os
import subprocess
import sys

from ecgviewer.ui.app import warm_up


def test_the_window_is_built_and_shown_without_numpy_opencv_or_the_model(tmp_path):
    """The usable window needs Qt only: what it imports before a file is opened."""
    code = ("import atexit, sys; from ecgviewer.ui.app import run_gui;"
            "atexit.register(lambda: print(' '.join(m for m in ('numpy', 'cv2', 'onnxruntime',"
            " 'hnswlib', 'pydicom', 'sqlite3', 'ecgviewer.core.search') if m in sys.modules)));"
            f"sys.exit(run_gui([], screenshot={str(tmp_path / 'w.png')!r}))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "w.png").is_file()
    assert run.stdout.split() == []


def test_warm_up_loads_the_searcher_before_the_first_query(qtbot, window):
    assert window.searchers.searcher is None
    warm_up(window)
    qtbot.waitUntil(lambda: window.searchers.searcher is not None, timeout=20_000)
    assert not window.error_bar.isVisible()


def test_warm_up_without_a_case_base_stays_quiet(qtbot, window, copy_resources):
    copy_resources("casebase/index.bin")
    done = []
    window.query_runner.done.connect(lambda key, gen, result: done.append(key))
    warm_up(window)
    qtbot.waitUntil(lambda: "warm-up" in done, timeout=20_000)
    assert window.searchers.searcher is None and not window.error_bar.isVisible()
