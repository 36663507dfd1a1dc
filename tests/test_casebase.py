"""Case base: build ids that must agree, confirmed statements in the index, search order."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from conftest import synthetic_record
from fake_resources import write_fake_resources

from ecgviewer.core.casebase import (INDEX_META_FILE, TRACINGS_FILE, CaseBase,
                                     with_confirmed_statements, write_tracings)
from ecgviewer.core.errors import ResourceError
from ecgviewer.core.search import Searcher, record_query


@pytest.fixture(scope="module")
def resources(tmp_path_factory):
    records = [synthetic_record(rate=500.0, seed=i) for i in range(6)]
    return write_fake_resources(tmp_path_factory.mktemp("res"), records), records


def test_confirmed_statements_replace_the_predicted_part_at_the_same_norm():
    rng = np.random.default_rng(0)
    emb = rng.random((3, 7)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    out = with_confirmed_statements(emb, ("NORM", "IMI", "AFIB"), [["IMI", "AFIB"], [], ["XYZ"]])
    assert np.allclose(out[0, :4], emb[0, :4])  # morphology part untouched
    tail = np.linalg.norm(emb[0, 4:])
    assert np.allclose(out[0, 4:], np.array([0, 1, 1]) / np.sqrt(2) * tail)
    assert np.allclose(out[1], emb[1]) and np.allclose(out[2], emb[2])  # nothing confirmed
    assert np.allclose(with_confirmed_statements(emb, (), [["IMI"]] * 3), emb)


def test_each_case_finds_itself_first(resources):
    root, records = resources
    searcher = Searcher.from_resources(root)
    for i in (0, 3, 5):
        top = searcher.search(record_query(records[i], "q"), 3).neighbors[0]
        assert top.ecg_id == i + 1 and top.similarity == pytest.approx(1.0, abs=1e-3)


def test_index_and_metadata_from_different_builds_are_refused(resources, tmp_path):
    root, _ = resources
    copy = shutil.copytree(root / "casebase", tmp_path / "casebase")
    meta = json.loads((copy / INDEX_META_FILE).read_text())
    (copy / INDEX_META_FILE).write_text(json.dumps(meta | {"build_id": "other"}))
    with pytest.raises(ResourceError, match="different builds"):
        CaseBase(copy)


def test_tracings_of_another_build_are_refused(resources, tmp_path):
    root, _ = resources
    copy = shutil.copytree(root / "casebase", tmp_path / "casebase")
    write_tracings(copy / TRACINGS_FILE, np.zeros((6, 12, 1000), np.float32), 100.0, "other")
    with pytest.raises(ResourceError, match="do not belong"):
        CaseBase(copy)


def test_a_model_of_another_build_is_refused(resources, tmp_path):
    root, _ = resources
    from fake_resources import write_fake_model

    copy = shutil.copytree(root, tmp_path / "res")
    write_fake_model(copy / "model" / "encoder.onnx", build_id="another-model")
    with pytest.raises(ResourceError, match="reinstall"):
        Searcher.from_resources(copy)


def test_tracings_round_trip_in_microvolts(resources):
    root, records = resources
    tracing = CaseBase(root / "casebase").tracing("test:00002")
    expected = records[1].resampled(100.0).signals[:, :1000]
    assert tracing.sampling_rate == 100.0
    assert np.abs(tracing.signals - expected).max() <= 0.0005 + 1e-6
