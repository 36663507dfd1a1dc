"""``ecgviewer search``: the JSON of signal and image queries, failed files, user corners."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from conftest import REPO, synthetic_record
from ecgviewer.cli import main
from ecgviewer.core.imageio import save_image
from ecgviewer.core.paper import PaperStyle
from ecgviewer.core.render import render
from fake_resources import write_fake_resources

DEMO = REPO / "resources" / "samples" / "demo_ecg.hea"
NEIGHBOR_KEYS = {"case_id", "ecg_id", "similarity", "report", "statements", "age", "sex",
                 "source"}


@pytest.fixture(scope="module")
def resources_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("resources")
    write_fake_resources(root, [synthetic_record(seed=i) for i in range(6)])
    return root


@pytest.fixture(autouse=True)
def fake_resources(monkeypatch, resources_root):
    monkeypatch.setenv("ECGVIEWER_RESOURCES", str(resources_root))


def _search(capsys, *argv: str) -> tuple[int, list, str]:
    code = main(["search", "--json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else None, err


def _faint_image(path) -> str:
    """Paper with one trace-like stroke and no grid: nothing to detect."""
    image = np.full((600, 900, 3), 245, np.uint8)
    cv2.polylines(image, [np.int32([[100, 300], [300, 300], [320, 200], [340, 300],
                                    [800, 300]])], False, (0, 0, 0), 2)
    save_image(path, image)
    return str(path)


def test_signal_and_image_queries_share_one_json_shape(capsys, tmp_path):
    page = render(synthetic_record(seed=9), PaperStyle(px_per_mm=4.0))
    photo = np.full((page.shape[0] + 100, page.shape[1] + 100, 3), 80, np.uint8)
    photo[50:-50, 50:-50] = page
    save_image(tmp_path / "printout.jpg", photo)
    code, results, _ = _search(capsys, str(DEMO), str(tmp_path / "printout.jpg"), "--top", "3")
    assert code == 0
    assert [r["kind"] for r in results] == ["signal", "image"]
    for r in results:
        assert set(r) == {"query", "kind", "notes", "rhythm", "neighbors", "timings_ms"}
        assert len(r["neighbors"]) == 3 and set(r["neighbors"][0]) == NEIGHBOR_KEYS
    # a photo is rectified, not rendered: each step is timed under its own name
    assert set(results[0]["timings_ms"]) == {"read", "render", "encode", "rhythm", "search"}
    assert set(results[1]["timings_ms"]) == {"read", "rectify", "encode", "rhythm", "search"}
    # the sample beats regularly at about 70/min (ECGSYN, see make_sample)
    assert results[0]["rhythm"]["regular"] is True
    assert 55 < results[0]["rhythm"]["heart_rate_bpm"] < 90


def test_notes_reach_json_and_stderr(capsys, tmp_path):
    """A two-lead file is searched with four computed limb leads: the user is told."""
    rec = synthetic_record(seed=3)
    lines = ["I,II"] + [f"{a:.4f},{b:.4f}" for a, b in zip(rec.lead("I"), rec.lead("II"))]
    path = tmp_path / "two.csv"
    path.write_text("# sampling_rate: 500\n" + "\n".join(lines) + "\n")
    code, results, _ = _search(capsys, str(path))
    assert code == 0
    [note] = [n for n in results[0]["notes"] if "computed from I and II" in n]
    assert all(lead in note for lead in ("III", "aVR", "aVL", "aVF"))
    assert main(["search", str(path)]) == 0
    assert "computed from I and II" in capsys.readouterr().err
    assert main(["info", str(path), "--json"]) == 0
    assert "computed from I and II" in json.loads(capsys.readouterr().out)["notes"][0]


def test_a_failed_file_reports_its_error_and_the_rest_complete(capsys, tmp_path):
    code, results, _ = _search(capsys, _faint_image(tmp_path / "faint.png"), str(DEMO))
    assert code == 2
    assert set(results[0]) == {"query", "error"} and "ECG printout" in results[0]["error"]
    assert results[1]["kind"] == "signal" and results[1]["neighbors"]


def test_user_corners_search_an_image_nothing_was_found_in(capsys, tmp_path):
    path = _faint_image(tmp_path / "faint.png")
    code, results, _ = _search(capsys, path, "--corners", "50,100,850,100,850,500,50,500")
    assert code == 0 and results[0]["kind"] == "image" and results[0]["neighbors"]
    assert main(["search", path, "--corners", "50,100,850,100,850,500,50,500"]) == 0
    assert "could not be measured" in capsys.readouterr().err  # the note, in text mode


def test_corners_need_eight_numbers(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["search", _faint_image(tmp_path / "faint.png"), "--corners", "1,2,3"])
    assert exc.value.code == 2 and "eight numbers" in capsys.readouterr().err


def test_corners_belong_to_one_file(capsys, tmp_path):
    code = main(["search", _faint_image(tmp_path / "faint.png"), str(DEMO),
                 "--corners", "0,0,900,0,900,600,0,600"])
    assert code == 2 and "exactly one FILE" in capsys.readouterr().err


def test_rhythm_classes_rank_signal_queries_only(resources_root, tmp_path):
    """The classifier was fitted on 12-lead signal features: a photo's strip skips it."""
    from ecgviewer.core.search import Searcher, prepare

    searcher = Searcher.from_resources(resources_root)
    assert searcher.rhythm_classifier is None  # no rhythm_classes.json: distance only
    asked = []

    class Spy:
        def probabilities(self, features, scores):
            asked.append(features.measurable)
            return dict.fromkeys(("SR", "AFIB", "STACH", "SBRAD", "SARRH", "PACE", "AFLT",
                                  "OTHER"), 0.125)

    searcher.rhythm_classifier = Spy()
    searcher.search(prepare(DEMO))
    assert asked == [True]
    page = render(synthetic_record(seed=2), PaperStyle(px_per_mm=6.0))
    save_image(tmp_path / "page.png", page)
    searcher.search(prepare(tmp_path / "page.png"))
    assert asked == [True]
