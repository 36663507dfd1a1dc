"""The SCP statement translations: complete, and used with a fallback."""

import csv

import pytest

from ecgviewer.core import statements


def test_every_code_has_all_four_languages():
    table = statements.table()
    assert len(table) == 71
    for code, entry in table.items():
        assert set(entry) == set(statements.LANGUAGES), code
        assert all(text.strip() for text in entry.values()), code


def test_the_table_covers_exactly_ptbxls_statements(ptbxl_dir):
    with open(ptbxl_dir / "scp_statements.csv", encoding="utf-8") as fh:
        codes = {row[""] for row in csv.DictReader(fh)}
    assert codes == set(statements.table())


@pytest.mark.parametrize("language, expected", [
    ("en", "inferior myocardial infarction"),
    ("fr", "infarctus du myocarde inférieur"),
    ("es", "infarto de miocardio inferior"),
    ("pt_BR", "infarto do miocárdio inferior"),
])
def test_describe_in_each_language(language, expected):
    assert statements.describe("IMI", "fallback", language) == expected


def test_unknown_codes_and_languages_fall_back():
    assert statements.describe("XYZ", "as stored", "fr") == "as stored"
    assert statements.describe("NORM", "x", "de") == "normal ECG"


def test_translations_survive_a_resources_override_without_them(monkeypatch, tmp_path):
    monkeypatch.setenv("ECGVIEWER_RESOURCES", str(tmp_path))
    statements.table.cache_clear()
    try:
        assert statements.describe("AFIB", "x", "es") == "fibrilación auricular"
    finally:
        statements.table.cache_clear()
