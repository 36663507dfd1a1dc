"""Start fast: the window comes first, the model and case base load behind it."""

from __future__ import annotations

import subprocess
import sys

from ecgviewer.ui.app import warm_up


def test_the_window_module_does_not_import_the_search_stack():
    code = ("import sys; import ecgviewer.ui.app, ecgviewer.ui.main_window; "
            "print(' '.join(m for m in ('onnxruntime', 'hnswlib', 'pydicom', 'wfdb') "
            "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert "onnxruntime" not in loaded and "hnswlib" not in loaded


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
