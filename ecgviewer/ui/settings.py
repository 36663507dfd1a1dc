"""User preferences kept in QSettings, and the dialog that edits them.

Every preference is declared once, as data (:class:`Option`: key, type, default, the
values allowed); a value that is missing, of the wrong type or no longer allowed reads
back as the default. Tests pass their own QSettings (an INI file) instead of touching
the user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from ecgviewer.core.paper import LAYOUTS

SPEEDS = (25.0, 50.0)
GAINS = (5.0, 10.0, 20.0)
#: Shipped UI languages: code -> name in that language (never translated).
LANGUAGES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}
MAX_RECENT = 10
#: Where similar cases come from, as stored: both bases, or one of them.
SOURCE_CHOICES = {"all": ("ptbxl", "clinic"), "ptbxl": ("ptbxl",), "clinic": ("clinic",)}


@dataclass(frozen=True)
class Option:
    """One preference: a typed attribute of :class:`Settings`, stored under ``key``.

    ``allowed`` lists the values accepted; ``bounds`` (low, high) clamps a number.
    """

    key: str
    kind: type
    default: Any
    allowed: tuple = ()
    bounds: tuple[Any, Any] | None = None

    def read(self, store: QSettings) -> Any:
        try:
            value = self.kind(store.value(self.key, self.default))
        except (TypeError, ValueError):
            return self.default
        if self.bounds is not None:
            value = min(self.bounds[1], max(self.bounds[0], value))
        return value if not self.allowed or value in self.allowed else self.default

    def __get__(self, settings: Settings | None, owner=None):
        return self if settings is None else self.read(settings.store)

    def __set__(self, settings: Settings, value: Any) -> None:
        settings.store.setValue(self.key, self.kind(value))


class Settings:
    """Typed access to the app's QSettings: each preference is an :class:`Option`."""

    device = Option("compute/device", str, "cpu", ("cpu", "cuda"))
    top_k = Option("search/top_k", int, 10, bounds=(1, 50))
    source_choice = Option("search/sources", str, "all", tuple(SOURCE_CHOICES))
    layout = Option("paper/layout", str, "3x4+1", tuple(LAYOUTS))
    speed = Option("paper/speed", float, 25.0, SPEEDS)
    gain = Option("paper/gain", float, 10.0, GAINS)
    language = Option("ui/language", str, "", ("", *LANGUAGES))  # "": the system's

    def __init__(self, store: QSettings | None = None):
        self.store = store if store is not None else QSettings()

    @property
    def sources(self) -> tuple[str, ...]:
        """Where similar cases come from: ("ptbxl", "clinic"), or one of them."""
        return SOURCE_CHOICES[self.source_choice]

    @sources.setter
    def sources(self, value: tuple[str, ...]) -> None:
        self.source_choice = next(k for k, v in SOURCE_CHOICES.items() if v == tuple(value))

    @property
    def recent_files(self) -> list[str]:
        value = self.store.value("files/recent", [])
        if isinstance(value, str):  # QSettings returns a lone item as a plain string
            value = [value]
        return [str(v) for v in value or []][:MAX_RECENT]

    def add_recent(self, path: str) -> None:
        files = [path] + [f for f in self.recent_files if f != path]
        self.store.setValue("files/recent", files[:MAX_RECENT])


class SettingsDialog(QDialog):
    """Edits :class:`Settings`; changes apply when the user presses OK."""

    def __init__(self, settings: Settings, parent=None):
        from ecgviewer.core.encoder import cuda_available  # onnxruntime: not at startup

        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Settings"))
        form = QFormLayout()

        self.device = QComboBox()
        self.device.addItem(self.tr("CPU"), "cpu")
        self.device.addItem(self.tr("CUDA (NVIDIA GPU)"), "cuda")
        cuda = cuda_available()
        if not cuda:
            self.device.model().item(1).setEnabled(False)
        self.device.setCurrentIndex(1 if cuda and settings.device == "cuda" else 0)
        form.addRow(self.tr("Compute device:"), self.device)
        device_note = QLabel(
            self.tr("CUDA is used only after a test inference on it works; otherwise the CPU "
                    "is used and the window says so.") if cuda else
            self.tr("CUDA is not available on this computer: ecgviewer uses the CPU."))
        device_note.setWordWrap(True)
        device_note.setObjectName("note")
        form.addRow("", device_note)

        self.top_k = QSpinBox()
        self.top_k.setRange(1, 50)
        self.top_k.setValue(settings.top_k)
        form.addRow(self.tr("Number of similar cases:"), self.top_k)

        self.sources = QComboBox()
        for text, value in ((self.tr("Bundled and clinic cases"), "all"),
                            (self.tr("Bundled cases only (PTB-XL)"), "ptbxl"),
                            (self.tr("This clinic's cases only"), "clinic")):
            self.sources.addItem(text, value)
        self.sources.setCurrentIndex(self.sources.findData(settings.source_choice))
        form.addRow(self.tr("Similar cases from:"), self.sources)

        self.layout_box = QComboBox()
        for name in LAYOUTS:
            self.layout_box.addItem(name, name)
        self.layout_box.setCurrentIndex(list(LAYOUTS).index(settings.layout))
        form.addRow(self.tr("Default layout:"), self.layout_box)

        self.speed = QComboBox()
        for value in SPEEDS:
            self.speed.addItem(self.tr("%1 mm/s").replace("%1", f"{value:g}"), value)
        self.speed.setCurrentIndex(SPEEDS.index(settings.speed))
        form.addRow(self.tr("Default paper speed:"), self.speed)

        self.gain = QComboBox()
        for value in GAINS:
            self.gain.addItem(self.tr("%1 mm/mV").replace("%1", f"{value:g}"), value)
        self.gain.setCurrentIndex(GAINS.index(settings.gain))
        form.addRow(self.tr("Default gain:"), self.gain)

        self.language = QComboBox()
        self.language.addItem(self.tr("System language"), "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(settings.language))
        form.addRow(self.tr("Language:"), self.language)
        language_note = QLabel(self.tr("A new language applies when ecgviewer is restarted."))
        language_note.setObjectName("note")
        form.addRow("", language_note)

        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        s = self.settings
        s.device = self.device.currentData()
        s.top_k = self.top_k.value()
        s.source_choice = self.sources.currentData()
        s.layout = self.layout_box.currentData()
        s.speed = self.speed.currentData()
        s.gain = self.gain.currentData()
        s.language = self.language.currentData()
        super().accept()
