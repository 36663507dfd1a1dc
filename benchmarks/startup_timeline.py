"""Where the cold start to the sample's results goes: one timestamped line per step.

Wraps the steps of ``ecgviewer gui SAMPLE --screenshot`` (window shown, worker imports,
read, model load, search, display page, outcome shown, screenshot saved) and prints the
milliseconds since this script started (after the interpreter's own start), with the thread of each. Complements
``bench_startup.py``, which times whole processes. Run it a few times (the first run
writes .pyc files):

    QT_QPA_PLATFORM=offscreen python benchmarks/startup_timeline.py [FILE]
"""

import sys
import threading
import time

T0 = time.perf_counter()


def mark(what: str) -> None:
    ms = (time.perf_counter() - T0) * 1000
    print(f"{ms:7.1f} ms  [{threading.current_thread().name[:10]}] {what}", file=sys.stderr,
          flush=True)


import ecgviewer.ui.app as app  # noqa: E402  (timed from here)
import ecgviewer.ui.main_window as mw  # noqa: E402

mark("ui imported")


def in_worker(task, *args):
    mark(f"task {task} starts")
    import ecgviewer.ui.worker as w
    mark("worker imported")
    if task == "run_query":
        from ecgviewer.core import search
        op, osr = search.prepare, search.Searcher.search
        def prep(*a, **k):
            r = op(*a, **k); mark("prepared"); return r
        w.prepare = prep
        import ecgviewer.ui.tasks as t
        og = t.SearcherCache.get
        def get(self, d):
            r = og(self, d); mark("searcher loaded"); return r
        t.SearcherCache.get = get
        def srch(self, *a, **k):
            r = osr(self, *a, **k); mark("searched"); return r
        search.Searcher.search = srch
        orr = w.render
        def rend(*a, **k):
            r = orr(*a, **k); mark("display page rendered"); return r
        w.render = rend
    r = getattr(w, task)(*args); mark(f"task {task} done"); return r
mw.in_worker = in_worker
oshow = mw.MainWindow._show_outcome
def show(self, o):
    mark("show outcome"); r = oshow(self, o); mark("outcome shown"); return r
mw.MainWindow._show_outcome = show
osave = app.save_screenshot
def save(w, p):
    mark("capture"); r = osave(w, p); mark("saved"); return r
app.save_screenshot = save
oshow2 = mw.MainWindow.show
def wshow(self):
    mark("window.show"); oshow2(self); mark("shown")
mw.MainWindow.show = wshow
import tempfile
from ecgviewer.resources import sample_path
with tempfile.TemporaryDirectory() as tmp:
    app.run_gui([sys.argv[1] if len(sys.argv) > 1 else str(sample_path())],
                screenshot=f"{tmp}/results.png")
mark("exit")
