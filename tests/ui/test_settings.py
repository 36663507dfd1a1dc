"""Preferences declared once as data: typed, defaulted, and robust to what is on disk."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ecgviewer.ui.settings import Option, Settings


def _settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))


def test_every_preference_is_an_option_with_its_default(tmp_path):
    settings = _settings(tmp_path)
    options = {name: value for name, value in vars(Settings).items() if isinstance(value, Option)}
    assert {"device", "top_k", "layout", "speed", "gain", "language"} <= set(options)
    for name, option in options.items():
        assert getattr(settings, name) == option.default
        assert not option.allowed or option.default in option.allowed


def test_stored_values_round_trip_and_bad_ones_read_as_defaults(tmp_path):
    settings = _settings(tmp_path)
    settings.layout, settings.gain, settings.top_k = "12x1", 20.0, 7
    again = _settings(tmp_path)
    assert (again.layout, again.gain, again.top_k) == ("12x1", 20.0, 7)
    store = again.store
    store.setValue("paper/layout", "9x9")  # a layout this version does not draw
    store.setValue("paper/gain", "loud")  # not a number
    store.setValue("search/top_k", 500)  # beyond the bounds
    assert (again.layout, again.gain, again.top_k) == ("3x4+1", 10.0, 50)


def test_sources_map_to_the_stored_choice(tmp_path):
    settings = _settings(tmp_path)
    assert settings.sources == ("ptbxl", "clinic")
    settings.sources = ("clinic",)
    assert settings.source_choice == "clinic" and _settings(tmp_path).sources == ("clinic",)
