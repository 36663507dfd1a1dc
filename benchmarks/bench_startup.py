"""Cold start of the desktop app against a bare PySide6 window, side by side in one run.

Three fresh processes per round, interleaved so that machine load hits them alike:

- **bare**: a PySide6 QMainWindow of the same size, shown, grabbed to a PNG, exit;
- **window**: ``ecgviewer gui --screenshot OUT.png`` (no file): the usable window, grabbed;
- **results**: ``ecgviewer gui SAMPLE --screenshot OUT.png``: the sample read, drawn,
  searched and its similar cases shown, grabbed.

Each is timed from spawn to the moment its screenshot file appears (all three write it
atomically, so it appears whole: the window, or the results, were on screen), and from
spawn to exit, with its peak resident memory (``wait4``). The targets are on the first:
what a user waits for; exit adds the teardown of Python, Qt and the model.
"Cold" means a new process; the files are in the page cache and the ``.pyc`` files
written (``PYTHONDONTWRITEBYTECODE`` is cleared for the children: an installed app has
them), as on a second launch. Settings and logs go to a temporary folder, never the user's.
``--app`` times an installed or built copy (``dist/ecgviewer/ecgviewer``) instead of this
checkout's ``python -m ecgviewer``; the bare window always runs on this Python.

    python benchmarks/bench_startup.py [--runs 7] [--sample FILE] [--app EXE] [--json]

Targets (issue 15): window <= 2x bare, results <= 3x bare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "resources" / "samples" / "demo_ecg.hea"
TARGETS = {"window": 2.0, "results": 3.0}

BARE = """
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("ECG"))
window.resize(1440, 900)
window.show()
def grab():
    saved = window.grab().save(sys.argv[1] + ".part.png")
    os.replace(sys.argv[1] + ".part.png", sys.argv[1])
    app.exit(0 if saved else 2)
QTimer.singleShot(0, grab)
sys.exit(app.exec())
"""


def commands(sample: str, out: Path, app: str | None) -> dict[str, list[str]]:
    gui = [app, "gui"] if app else [sys.executable, "-m", "ecgviewer", "gui"]
    return {
        "bare": [sys.executable, "-c", BARE, str(out / "bare.png")],
        "window": gui + ["--screenshot", str(out / "window.png")],
        "results": gui + [sample, "--screenshot", str(out / "results.png")],
    }


def timed(command: list[str], env: dict[str, str], shot: Path) -> tuple[float, float, float]:
    """(seconds from spawn to ``shot`` appearing, to exit, peak RSS in MB) of one process."""
    shot.unlink(missing_ok=True)
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    shown = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        now = time.perf_counter() - start
        if shown is None and shot.exists():
            shown = now
        if pid:
            break
        time.sleep(0.001)
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode != 0 or shown is None:
        raise SystemExit(f"bench_startup: {command[1:]} failed ({process.returncode}):\n{stderr}")
    return shown, now, usage.ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="rounds (median reported)")
    parser.add_argument("--sample", default=str(SAMPLE))
    parser.add_argument("--app", help="an ecgviewer executable to time instead of this checkout")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ecgviewer-startup-") as tmp:
        out = Path(tmp)
        env = {**os.environ, "HOME": tmp, "XDG_CONFIG_HOME": f"{tmp}/config",
               "XDG_DATA_HOME": f"{tmp}/data", "XDG_CACHE_HOME": f"{tmp}/cache"}
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        runs = commands(args.sample, out, args.app)
        shots = {name: out / f"{name}.png" for name in runs}
        for name, command in runs.items():  # one unmeasured round: page cache, .pyc files
            timed(command, env, shots[name])
        samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in runs}
        for _ in range(args.runs):
            for name, command in runs.items():
                samples[name].append(timed(command, env, shots[name]))

    bare_shown = statistics.median(v[0] for v in samples["bare"])
    bare_exit = statistics.median(v[1] for v in samples["bare"])
    report = {"runs": args.runs, "platform": env["QT_QPA_PLATFORM"], "cpus": os.cpu_count(),
              "app": args.app or f"{sys.executable} -m ecgviewer"}
    for name, values in samples.items():
        shown = [v[0] for v in values]
        exits = [v[1] for v in values]
        report[name] = {"shown_s": round(statistics.median(shown), 3),
                        "shown_min_s": round(min(shown), 3), "shown_max_s": round(max(shown), 3),
                        "x_bare": round(statistics.median(shown) / bare_shown, 2),
                        "exit_s": round(statistics.median(exits), 3),
                        "exit_x_bare": round(statistics.median(exits) / bare_exit, 2),
                        "peak_rss_mb": round(statistics.median(v[2] for v in values), 1)}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.runs} rounds, QT_QPA_PLATFORM={report['platform']}, {report['cpus']} CPUs, "
          f"app: {report['app']}")
    print(f"{'':8} {'shown s':>8} {'min s':>6} {'max s':>6} {'x bare':>7} {'exit s':>7} "
          f"{'x bare':>7} {'peak MB':>8}  target (shown)")
    for name in runs:
        row = report[name]
        target = TARGETS.get(name)
        verdict = "" if target is None else \
            f"<= {target:g}x {'met' if row['x_bare'] <= target else 'NOT met'}"
        print(f"{name:8} {row['shown_s']:8.3f} {row['shown_min_s']:6.3f} {row['shown_max_s']:6.3f} "
              f"{row['x_bare']:7.2f} {row['exit_s']:7.3f} {row['exit_x_bare']:7.2f} "
              f"{row['peak_rss_mb']:8.1f}  {verdict}")


if __name__ == "__main__":
    main()
