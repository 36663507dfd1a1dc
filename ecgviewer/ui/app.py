"""Starting the GUI: QApplication, translations, the log file, and headless screenshots.

Translations are Qt's own: ``resources/translations/ecgviewer_<lang>.ts`` are the sources
(edited with Qt Linguist or by hand, refreshed with ``pyside6-lupdate``) and the ``.qm``
files beside them are compiled with ``pyside6-lrelease``; both tools ship with PySide6.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QLibraryInfo,
    QLocale,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from ecgviewer import __version__
from ecgviewer.core.errors import EcgError
from ecgviewer.core.atomic import write_atomic
from ecgviewer.resources import icon_path, translations_dir
from ecgviewer.ui.logs import APP_NAME, log_dir
from ecgviewer.ui.settings import LANGUAGES, Settings

log = logging.getLogger("ecgviewer")

LOG_FILE = "ecgviewer.log"
#: A screenshot run gives up after this long (a hung search must not hang a CI job).
SCREENSHOT_TIMEOUT_MS = 120_000

STYLESHEET = """
QLabel#panelTitle { font-size: 15pt; font-weight: bold; color: #1b2a3a; }
QLabel#disclaimer { background: #fff8e1; border: 1px solid #ecd58a; border-radius: 4px;
                    padding: 6px 8px; color: #4d3d00; }
QLabel#summary { padding: 2px 2px; }
QLabel#panelStatus, QLabel#caseMissing { color: #444; padding: 8px; }
QLabel#paneHeader { font-size: 12pt; padding: 2px 2px; }
QLabel#note { color: #555; }
QLabel#welcomeTitle { font-size: 20pt; font-weight: bold; color: #1b2a3a; }
QLabel#caliperLabel { font-weight: bold; color: #14589c; }
QFrame#errorBar { background: #fdecea; border: 1px solid #f1b0ab; border-radius: 4px; }
QFrame#errorBar QLabel { color: #7a1c16; font-weight: bold; }
QFrame#infoBar { background: #e8f1fb; border: 1px solid #b5cfee; border-radius: 4px; }
QFrame#welcome { background: #f6f7f9; border: 1px dashed #b8c0cc; border-radius: 8px; }
QPushButton#bigButton { font-size: 13pt; padding: 8px 18px; }
QListWidget#caseList { border: none; }
"""


def setup_logging() -> Path:
    """Log to a rotating file in the user's data directory; returns its path."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    if not any(getattr(h, "baseFilename", None) == str(path) for h in log.handlers):
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return path


def resolve_language(setting: str) -> str:
    """The language to show: the setting, else the system's if shipped, else English."""
    if setting in LANGUAGES:
        return setting
    system = QLocale.system().name()[:2]
    return system if system in LANGUAGES else "en"


def install_translators(app: QApplication, language: str) -> None:
    """ecgviewer's own catalogue plus Qt's (standard buttons and dialogs); numbers are
    formatted for the same language."""
    QLocale.setDefault(QLocale(language))
    for old in getattr(app, "_ecg_translators", []):
        app.removeTranslator(old)
    translators = []
    if language != "en":
        ours = QTranslator(app)
        if ours.load(f"ecgviewer_{language}", str(translations_dir())):
            translators.append(ours)
        else:
            log.warning("no translation for %s in %s", language, translations_dir())
        qt = QTranslator(app)
        if qt.load(QLocale(language), "qtbase", "_",
                   QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
            translators.append(qt)
    for translator in translators:
        app.installTranslator(translator)
    app._ecg_translators = translators


def create_app() -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(icon_path())))
    QGuiApplication.setDesktopFileName("ecgviewer")  # Wayland matches the .desktop icon
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 11.0))  # readable at arm's length
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
    return app


def save_screenshot(widget, path: str) -> bool:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    if not widget.grab().save(buffer, "PNG"):
        return False
    write_atomic(Path(path), bytes(data.data()))
    return True


def save_report(window, path: str, finished) -> None:
    """Export the PDF report of what the window shows (as File > Export PDF does), then
    call ``finished(saved)``: how an installed copy's PDF export is tested headless."""
    runner = window.render_runner
    pending: list[int] = []

    def done(key: str, generation: int, _result) -> None:
        if key == "export" and generation in pending:
            finished(True)

    def failed(key: str, generation: int, message: str) -> None:
        if key == "export" and generation in pending:
            print(f"ecgviewer: {message}", file=sys.stderr)
            finished(False)

    runner.done.connect(done, Qt.QueuedConnection)
    runner.failed.connect(failed, Qt.QueuedConnection)
    pending.append(window.export_to(path))


def warm_up(window) -> None:
    """Load the model and case base on the query thread while the window waits for a
    file, so that the first search does not pay for it; a failure is left for that search
    to report."""

    def load(stage) -> None:
        try:
            window.searchers.get(window.settings.device)
        except EcgError as exc:
            log.info("model and case base not preloaded: %s", exc)

    window.query_runner.submit("warm-up", load)


def run_gui(files: list[str], screenshot: str | None = None,
            settings: Settings | None = None) -> int:
    """Start the window; with ``screenshot``, open ``files``, wait for the outcome, save a
    PNG of the window (or, for a ``.pdf`` name, the report File > Export PDF writes) and
    exit (0, or 2 when the file could not be opened)."""
    from ecgviewer.ui.main_window import MainWindow

    app = create_app()
    log_path = setup_logging()
    settings = settings or Settings()
    language = resolve_language(settings.language)
    install_translators(app, language)
    log.info("ecgviewer %s starting (language %s, log %s)", __version__, language, log_path)
    window = MainWindow(settings, language)

    def excepthook(kind, value, tb):
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        window.show_error(QCoreApplication.translate(
            "App", "Unexpected error: %1. Details are in the log file %2.")
            .replace("%1", str(value)).replace("%2", str(log_path)))

    sys.excepthook = excepthook
    if screenshot:
        window.resize(1440, 900)
    window.show()
    if not screenshot:
        QTimer.singleShot(0, lambda: warm_up(window))
    if screenshot:
        def capture(ok: bool) -> None:
            app.processEvents()
            if not ok and window.error_bar.text():
                print(f"ecgviewer: {window.error_bar.text()}", file=sys.stderr)
            if ok and window.outcome is not None and screenshot.lower().endswith(".pdf"):
                save_report(window, screenshot, lambda saved: app.exit(0 if saved else 2))
                return
            saved = save_screenshot(window, screenshot)
            app.exit(0 if ok and saved else 2)

        def timeout() -> None:
            print("ecgviewer: the screenshot timed out waiting for the results", file=sys.stderr)
            app.exit(3)

        window.queryFinished.connect(lambda ok: QTimer.singleShot(0, lambda: capture(ok)))
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, timeout)
        if not files:
            QTimer.singleShot(0, lambda: capture(True))
    if files:
        window.open_files(files)
    try:
        return app.exec()
    finally:
        sys.excepthook = sys.__excepthook__
        window.close()
