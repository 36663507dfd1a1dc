"""Every visible string is translated in French, Spanish and Portuguese, and the compiled
catalogues match their sources."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ecgviewer.resources import translations_dir
from ecgviewer.ui.app import install_translators

REPO = Path(__file__).resolve().parents[2]
UI_SOURCES = sorted(str(p) for p in (REPO / "ecgviewer" / "ui").glob("*.py"))
LANGS = ("fr", "es", "pt")


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {(c.findtext("name"), m.findtext("source")): m.find("translation")
            for c in root.iter("context") for m in c.iter("message")}


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_with_its_placeholders(lang):
    messages = _messages(translations_dir() / f"ecgviewer_{lang}.ts")
    assert len(messages) > 100
    for (context, source), translation in messages.items():
        assert translation.get("type") is None and translation.text, (context, source)
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", translation.text))
        assert ("&" in source.replace("&&", "")) == ("&" in translation.text), source
        assert source.count("<b>") == translation.text.count("<b>"), source


@pytest.mark.parametrize("lang", LANGS)
def test_catalogues_are_in_step_with_the_code_and_compiled(lang, tmp_path):
    ts = translations_dir() / f"ecgviewer_{lang}.ts"
    fresh = tmp_path / ts.name
    shutil.copy(ts, fresh)
    subprocess.run([_tool("pyside6-lupdate"), *UI_SOURCES, "-no-obsolete", "-locations", "none",
                    "-ts", str(fresh)], check=True, capture_output=True)
    assert set(_messages(fresh)) == set(_messages(ts)), "run pyside6-lupdate (see README)"
    qm = tmp_path / f"ecgviewer_{lang}.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True,
                   capture_output=True)
    assert qm.read_bytes() == ts.with_suffix(".qm").read_bytes(), "run pyside6-lrelease"


def test_the_window_speaks_french(qtbot, settings):
    from ecgviewer.ui.main_window import MainWindow

    app = QApplication.instance()
    install_translators(app, "fr")
    try:
        window = MainWindow(settings, "fr")
        qtbot.addWidget(window)
        assert window.open_action.text() == "&Ouvrir…"
        assert window.cases.findChild(type(window.query_header), "panelTitle").text() == (
            "Cas confirmés similaires")
        assert "diagnostic" in window.cases.disclaimer.text()
        assert window.cases.describe("AFIB", "atrial fibrillation") == "fibrillation auriculaire"
    finally:
        install_translators(app, "en")
