"""User preferences kept in QSettings, and the dialog that edits them.

One wrapper so every key has one name, one type and one default; tests pass their own
QSettings (an INI file) instead of touching the user's.
"""

from __future__ import annotations

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

from ecgviewer.core.render import LAYOUTS

SPEEDS = (25.0, 50.0)
GAINS = (5.0, 10.0, 20.0)
#: Shipped UI languages: code -> name in that language (never translated).
LANGUAGES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}
MAX_RECENT = 10


class Settings:
    """Typed access to the app's QSettings."""

    def __init__(self, store: QSettings | None = None):
        self.store = store if store is not None else QSettings()

    def _get(self, key: str, default, kind):
        value = self.store.value(key, default)
        try:
            return kind(value)
        except (TypeError, ValueError):
            return default

    @property
    def device(self) -> str:
        value = self._get("compute/device", "cpu", str)
        return value if value in ("cpu", "cuda") else "cpu"

    @device.setter
    def device(self, value: str) -> None:
        self.store.setValue("compute/device", value)

    @property
    def top_k(self) -> int:
        return min(50, max(1, self._get("search/top_k", 10, int)))

    @top_k.setter
    def top_k(self, value: int) -> None:
        self.store.setValue("search/top_k", int(value))

    @property
    def sources(self) -> tuple[str, ...]:
        """Where similar cases come from: ("ptbxl", "clinic"), or one of them."""
        value = self._get("search/sources", "all", str)
        return (value,) if value in ("ptbxl", "clinic") else ("ptbxl", "clinic")

    @sources.setter
    def sources(self, value: tuple[str, ...]) -> None:
        self.store.setValue("search/sources", value[0] if len(value) == 1 else "all")

    @property
    def layout(self) -> str:
        value = self._get("paper/layout", "3x4+1", str)
        return value if value in LAYOUTS else "3x4+1"

    @layout.setter
    def layout(self, value: str) -> None:
        self.store.setValue("paper/layout", value)

    @property
    def speed(self) -> float:
        value = self._get("paper/speed", 25.0, float)
        return value if value in SPEEDS else 25.0

    @speed.setter
    def speed(self, value: float) -> None:
        self.store.setValue("paper/speed", float(value))

    @property
    def gain(self) -> float:
        value = self._get("paper/gain", 10.0, float)
        return value if value in GAINS else 10.0

    @gain.setter
    def gain(self, value: float) -> None:
        self.store.setValue("paper/gain", float(value))

    @property
    def language(self) -> str:
        """"" follows the system's language."""
        value = self._get("ui/language", "", str)
        return value if value in LANGUAGES else ""

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("ui/language", value)

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
        self.sources.setCurrentIndex(self.sources.findData(
            settings.sources[0] if len(settings.sources) == 1 else "all"))
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
        choice = self.sources.currentData()
        s.sources = ("ptbxl", "clinic") if choice == "all" else (choice,)
        s.layout = self.layout_box.currentData()
        s.speed = self.speed.currentData()
        s.gain = self.gain.currentData()
        s.language = self.language.currentData()
        super().accept()
