"""``ecgviewer cases ...`` and ``ecgviewer search`` with clinic cases, on a tiny real model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import REPO, synthetic_record
from fake_resources import write_fake_resources

from ecgviewer.cli import main
from ecgviewer.core.imageio import save_image
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render

DEMO = str(REPO / "resources" / "samples" / "demo_ecg.hea")


@pytest.fixture(scope="module")
def resources_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("resources")
    write_fake_resources(root, [synthetic_record(seed=i) for i in range(6)])
    return root


@pytest.fixture(autouse=True)
def fake_resources(monkeypatch, resources_root):
    monkeypatch.setenv("ECGVIEWER_RESOURCES", str(resources_root))


@pytest.fixture
def photo(tmp_path) -> str:
    page = render(synthetic_record(seed=9), PaperStyle(px_per_mm=4.0))
    image = np.full((page.shape[0] + 100, page.shape[1] + 100, 3), 80, np.uint8)
    image[50:-50, 50:-50] = page
    save_image(tmp_path / "printout.jpg", image)
    return str(tmp_path / "printout.jpg")


def run(capsys, *argv: str):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out and "--json" in argv else out), err


def test_add_search_edit_remove(capsys, photo):
    code, added, _ = run(capsys, "cases", "add", DEMO, "--statements", "norm,SR", "--report",
                         "sinus rhythm, normal ECG", "--patient", "P-17", "--json")
    assert code == 0 and added == {"id": 1, "case_id": "clinic:1"}
    code, out, _ = run(capsys, "cases", "add", photo, "--statements", "IMI", "--age", "63")
    assert code == 0 and out.strip() == "2"

    code, results, _ = run(capsys, "search", DEMO, "--top", "3", "--json")
    first = results[0]["neighbors"][0]
    assert (first["source"], first["case_id"]) == ("clinic", "clinic:1")
    assert first["similarity"] == pytest.approx(1.0, abs=1e-3)
    assert [s["code"] for s in first["statements"]] == ["NORM", "SR"]
    assert {n["source"] for n in results[0]["neighbors"][1:]} <= {"ptbxl", "clinic"}
    _, only_ptbxl, _ = run(capsys, "search", DEMO, "--source", "ptbxl", "--json")
    assert {n["source"] for n in only_ptbxl[0]["neighbors"]} == {"ptbxl"}
    _, only_clinic, _ = run(capsys, "search", photo, "--source", "clinic", "--json")
    assert [n["case_id"] for n in only_clinic[0]["neighbors"]] == ["clinic:2", "clinic:1"]

    _, listed, _ = run(capsys, "cases", "list", "--json")
    assert [(c["case_id"], c["kind"], c["patient_ref"]) for c in listed] == \
        [("clinic:1", "signal", "P-17"), ("clinic:2", "image", None)]
    _, edited, _ = run(capsys, "cases", "edit", "clinic:2", "--statements", "IMI,LVH",
                       "--report", "old inferior MI", "--json")
    assert edited["statements"] == ["IMI", "LVH"] and edited["age"] == 63
    _, shown, _ = run(capsys, "cases", "show", "2", "--json")
    assert shown["report"] == "old inferior MI" and len(shown["corners"]) == 4
    assert run(capsys, "cases", "remove", "1", "--json")[1] == {"removed": 1}
    _, results, _ = run(capsys, "search", DEMO, "--source", "clinic", "--json")
    assert [n["case_id"] for n in results[0]["neighbors"]] == ["clinic:2"]


def test_export_then_import_into_an_empty_home(capsys, tmp_path, monkeypatch, photo):
    run(capsys, "cases", "add", DEMO, "--statements", "NORM", "--patient", "P-1")
    run(capsys, "cases", "add", photo, "--statements", "IMI", "--patient", "P-2")
    bundle = str(tmp_path / "cases.zip")
    _, exported, _ = run(capsys, "cases", "export", bundle, "--strip-patient", "--json")
    assert exported["exported"] == 2
    monkeypatch.setenv("ECGVIEWER_HOME", str(tmp_path / "other-clinic"))
    _, report, _ = run(capsys, "cases", "import", bundle, "--json")
    assert (report["added"], report["skipped"], report["refused"]) == (2, 0, 0)
    _, again, _ = run(capsys, "cases", "import", bundle)
    assert again.strip() == "added 0, skipped 2, refused 0"
    _, listed, _ = run(capsys, "cases", "list", "--json")
    assert [c["patient_ref"] for c in listed] == [None, None]
    _, results, _ = run(capsys, "search", DEMO, "--top", "1", "--json")
    assert results[0]["neighbors"][0]["source"] == "clinic"


@pytest.mark.parametrize("argv, message", [
    (["cases", "add", DEMO, "--statements", "NOPE"], "Unknown SCP statement code(s): NOPE."),
    (["cases", "show", "7"], "There is no clinic case 7."),
    (["cases", "remove", "x7"], "x7 is not a clinic case id"),
    (["cases", "import", "missing.zip"], "does not exist"),
])
def test_bad_input_is_one_line(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_the_same_ecg_twice_is_refused(capsys):
    assert run(capsys, "cases", "add", DEMO, "--statements", "NORM")[0] == 0
    code, _, err = run(capsys, "cases", "add", DEMO, "--statements", "SR")
    assert code == 2 and "already saved as clinic:1" in err


def test_age_and_sex_come_from_the_file_unless_given(capsys, tmp_path):
    import wfdb

    record = synthetic_record(seed=4)
    wfdb.wrsamp("aged", fs=record.sampling_rate, units=["mV"] * 12, sig_name=list(record.leads),
                p_signal=record.signals.T.astype(np.float64), fmt=["16"] * 12,
                adc_gain=[1000.0] * 12, baseline=[0] * 12, write_dir=str(tmp_path),
                comments=["Age: 56", "Sex: F"])
    path = str(tmp_path / "aged.hea")
    run(capsys, "cases", "add", path, "--statements", "LVH")
    _, shown, _ = run(capsys, "cases", "show", "1", "--json")
    assert (shown["age"], shown["sex"], shown["leads"][:2]) == (56, "female", ["I", "II"])
    run(capsys, "cases", "edit", "1", "--age", "57", "--sex", "male")
    _, shown, _ = run(capsys, "cases", "show", "1", "--json")
    assert (shown["age"], shown["sex"]) == (57, "male")


def test_what_is_kept_encodes_to_what_was_saved(capsys, photo, resources_root):
    """Re-encoding a kept case (after a model change) starts from exactly what the query
    was: the record as searched, or the photo's bytes with the corners searched."""
    from ecgviewer.core.clinic.embed import embed_source
    from ecgviewer.core.clinic.home import data_home
    from ecgviewer.core.clinic.store import ClinicStore
    from ecgviewer.core.encoder import Encoder

    run(capsys, "cases", "add", DEMO, "--statements", "NORM")
    run(capsys, "cases", "add", photo, "--statements", "IMI")
    encoder = Encoder(resources_root / "model" / "encoder.onnx")
    store = ClinicStore(data_home())
    for case_id in (1, 2):
        case = store.get(case_id)
        again = embed_source(encoder, case.source, case.case_id)
        assert np.allclose(again, case.embedding, atol=1e-5), case.kind
