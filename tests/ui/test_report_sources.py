"""The PDF report says which similar cases are the clinic's own."""

from __future__ import annotations

import dataclasses

import pypdfium2 as pdfium

from ecgviewer.ui.export_pdf import export_pdf

from .conftest import open_and_wait


def _text(path) -> str:
    page = pdfium.PdfDocument(str(path))[0]
    return page.get_textpage().get_text_range()


def test_clinic_cases_are_marked_in_the_report(qtbot, window, ecg_files, tmp_path):
    assert open_and_wait(qtbot, window, [ecg_files["a"]])
    o = window.outcome
    bundled = list(o.result.neighbors[:2])
    clinic = dataclasses.replace(bundled[1], case_id="clinic:7", source="clinic")
    export_pdf(tmp_path / "mixed.pdf", window._report(o, [bundled[0], clinic], "scale"))
    export_pdf(tmp_path / "bundled.pdf", window._report(o, bundled, "scale"))
    mixed, plain = _text(tmp_path / "mixed.pdf"), _text(tmp_path / "bundled.pdf")
    assert "This clinic" in mixed and "clinic:7" in mixed and "confirmed here" in mixed
    assert "This clinic" not in plain
