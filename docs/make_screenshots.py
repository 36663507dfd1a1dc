"""Regenerate the README's screenshots with the shipped model and case base.

    QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py [FILE]

Writes docs/screenshots/main_window.png (the query and its similar cases) and
comparison.png (the first case's tracing beside the query).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from ecgviewer.resources import sample_path
from ecgviewer.ui.app import create_app, save_screenshot
from ecgviewer.ui.main_window import MainWindow
from ecgviewer.ui.settings import Settings

OUT = Path(__file__).resolve().parent / "screenshots"


def main() -> int:
    app = create_app()
    window = MainWindow(Settings(), "en")
    window.resize(1440, 900)
    window.show()

    def compare() -> None:
        app.processEvents()
        save_screenshot(window, str(OUT / "comparison.png"))
        app.exit(0)

    def results(ok: bool) -> None:
        if not ok:
            app.exit(2)
            return
        app.processEvents()
        save_screenshot(window, str(OUT / "main_window.png"))
        window.cases.select(0)
        QTimer.singleShot(500, compare)

    window.queryFinished.connect(lambda ok: QTimer.singleShot(300, lambda: results(ok)))
    window.open_files([sys.argv[1] if len(sys.argv) > 1 else str(sample_path())])
    try:
        return app.exec()
    finally:
        window.close()  # stops the worker threads before Qt tears down


if __name__ == "__main__":
    raise SystemExit(main())
