"""Soak: open many varied photos in one GUI process and watch the reference counts of
True, False and None (a C extension that releases a reference it does not own crashes
the app much later, far from the cause: PySide6 6.12.0's ``Signal.emit`` did).

    xvfb-run -a env QT_QPA_PLATFORM=xcb python tests/ui/soak_photos.py OUT_DIR [--photos 200]

Prints one JSON line: photos opened, outcomes by kind, reference counts after the
warm-up and at the end. Exit 0 when every photo ended in an outcome or a one-line error.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import synthetic_record  # noqa: E402
from ecgviewer.core.imageio import save_image  # noqa: E402
from ecgviewer.core.render import render
from model_export.photo_augment import photo_like, random_paper_style, scan_like  # noqa: E402

WARM_UP = 20


def make_photo(i: int, folder: Path) -> Path:
    """Photo ``i``: each kind in turn (grid past the edges, headers, sideways, upside
    down, scans, a large frame, paper without a grid, and images that must be refused)."""
    rng = np.random.default_rng(i)
    path = folder / f"photo{i:03d}.jpg"
    kind = i % 10
    if kind == 0:  # not an ECG: noise and text
        image = rng.integers(0, 255, (900, 1200, 3), dtype=np.uint8)
        cv2.putText(image, "not an ECG", (100, 400), cv2.FONT_HERSHEY_SIMPLEX, 4, (0, 0, 0), 8)
        save_image(path, image)
        return path
    if kind == 1:  # a truncated JPEG
        save_image(path, np.full((900, 1200, 3), 200, np.uint8))
        path.write_bytes(path.read_bytes()[:2000])
        return path
    style = random_paper_style(rng, (4.0, 4.0))
    if kind == 7 and i % 20 == 7:  # plain paper: no grid, scaled by the pulses
        style = replace(style, minor_grid_rgb=style.paper_rgb, major_grid_rgb=style.paper_rgb)
    page = render(synthetic_record(seed=i % 7), style)
    h, w = page.shape[:2]
    if kind == 2:  # the grid runs past the photo's edges on all four sides, a header on top
        page = page[int(0.05 * h):int(0.96 * h), int(0.03 * w):int(0.97 * w)].copy()
        cv2.putText(page, "HR 112 bpm  PR 150 ms  QRS 96 ms", (30, 50),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.2, (20, 20, 20), 3)
        image = page
    elif kind == 3:
        image, _ = scan_like(page, rng)
    elif kind == 4:  # sideways
        image, _ = photo_like(np.ascontiguousarray(np.rot90(page)), rng, "mild")
    elif kind == 5:  # upside down
        image, _ = photo_like(np.ascontiguousarray(np.rot90(page, 2)), rng, "moderate")
    elif kind == 6 and i % 50 == 6:  # a 12 MP frame
        image, _ = photo_like(page, rng, "mild")
        image = cv2.resize(image, (4000, 3000), interpolation=cv2.INTER_CUBIC)
    else:
        image, _ = photo_like(page, rng, ("mild", "moderate", "severe")[i % 3])
    save_image(path, image)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--photos", type=int, default=200)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ecgviewer.ui.main_window import MainWindow
    from ecgviewer.ui.settings import Settings

    app = QApplication.instance() or QApplication(["ecgviewer-soak"])
    window = MainWindow(Settings(QSettings(str(args.out / "settings.ini"), QSettings.IniFormat)))
    window.resize(1200, 800)
    window.show()
    outcomes: Counter = Counter()
    counts = {}
    for i in range(args.photos):
        path = make_photo(i, args.out)
        loop = QEventLoop()
        window.queryFinished.connect(loop.quit)
        QTimer.singleShot(120_000, loop.quit)
        window.open_files([str(path)])
        loop.exec()
        window.queryFinished.disconnect(loop.quit)
        o = window.outcome
        if window.error_bar.text():
            outcomes["refused"] += 1
            assert "\n" not in window.error_bar.text(), window.error_bar.text()
        elif o is not None and o.paper_error:
            outcomes["no grid: corners offered"] += 1
        else:
            outcomes["searched"] += 1
            if i % 4 == 0:  # drag-corner mode: handles on the photo, then back
                window.corners_action.setChecked(True)
                app.processEvents()
                window.corners_action.setChecked(False)
        window.resize(1000 + 37 * (i % 9), 700 + 23 * (i % 7))  # resizes, scroll bars
        app.processEvents()
        window.error_bar.hide()
        path.unlink()
        if i + 1 == WARM_UP:
            gc.collect()
            counts["warm"] = [sys.getrefcount(v) for v in (True, False, None)]
    gc.collect()
    counts["end"] = [sys.getrefcount(v) for v in (True, False, None)]
    window.close()
    print(json.dumps({"photos": args.photos, "outcomes": dict(outcomes),
                      "refcounts_true_false_none": counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
