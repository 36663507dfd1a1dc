"""Where the app's log lives: the user's data folder, as Qt names it on each platform."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

APP_NAME = "ecgviewer"


def log_dir() -> Path:
    """The user's data directory for ecgviewer (QStandardPaths.AppDataLocation)."""
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(APP_NAME)
    return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))
