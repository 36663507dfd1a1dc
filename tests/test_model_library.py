"""The shared pieces of model_export that need no torch: the learning-rate schedule, the
fold-9 retrieval check the trainers choose epochs by, synthetic printout photos and the
exported model's metadata."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import onnx
from conftest import synthetic_record
from fake_resources import write_fake_model

from ecgviewer.core.encoder import Encoder
from ecgviewer.core.paper import PaperStyle
from model_export.onnx_metadata import CONFIG_KEY, metadata, stamp
from model_export.pack import Pack
from model_export.printouts import photographed, rectified
from model_export.schedule import warmup_cosine
from model_export.scoring import RetrievalCheck


def test_the_schedule_warms_up_linearly_then_falls_along_a_half_cosine():
    assert warmup_cosine(0.0) == 1.0
    assert warmup_cosine(0.5) == pytest.approx(0.5)
    assert warmup_cosine(1.0) == pytest.approx(0.0, abs=1e-12)
    assert warmup_cosine(1.7) == warmup_cosine(1.0)  # a run past its budget stays at 0
    assert warmup_cosine(0.05, 0.1) == pytest.approx(0.5)
    assert warmup_cosine(0.1, 0.1) == 1.0
    assert warmup_cosine(0.55, 0.1) == pytest.approx(0.5)  # halfway through the decay
    decay = [warmup_cosine(p, 0.1) for p in np.linspace(0.1, 1.0, 50)]
    assert all(a > b for a, b in zip(decay, decay[1:]))
    # the paper encoder's call: warm-up over W of T steps reaches (s + 1) / W at step s
    total, warm = 40, 4
    assert [warmup_cosine((s + 1) / total, warm / total) for s in range(warm)] == \
        pytest.approx([(s + 1) / warm for s in range(warm)])
    assert warmup_cosine(1.0, 1.0) == 1.0  # a one-step run is all warm-up
    with pytest.raises(ValueError):
        warmup_cosine(0.5, 1.5)


def _pack(superclass_sets: list[str], labels: list[list[int]]) -> Pack:
    n = len(labels)
    return Pack(ecg_id=np.arange(n), fold=np.ones(n, int), signals=np.zeros((n, 12, 10)),
                codes=["A", "B"], labels=np.array(labels, np.float32),
                diagnostic=np.array([True, True]), superclass_sets=superclass_sets,
                text=np.zeros((n, 4), np.float32))


def test_past_cases_are_ranked_by_their_confirmed_statements_not_the_predicted_ones():
    # rows 0-1 query, 2-3 past cases; the embeddings cannot tell the past cases apart
    pack = _pack(["NORM", "MI", "MI", "NORM"], [[1, 0], [0, 1], [0, 1], [1, 0]])
    check = replace(RetrievalCheck.for_pack(pack, np.array([0, 1]), np.array([2, 3])), k=1)
    emb = np.ones((2, 3), np.float32) / np.sqrt(3)
    queries = (emb, np.array([[0.9, 0.1], [0.1, 0.9]], np.float32))
    # the model reads each past case wrongly; its confirmed statements say otherwise
    index = (emb, np.array([[0.9, 0.1], [0.1, 0.9]], np.float32))
    assert check(queries, index) == {"supP@10": 1.0, "anyP@10": 1.0}
    # a subset of the queries scores those queries alone
    assert check.only(np.array([1]))(
        (queries[0][1:], queries[1][1:]), index) == {"supP@10": 1.0, "anyP@10": 1.0}
    wrong = replace(check, index_codes=[["A"], ["B"]])  # confirmed as the model read them
    assert wrong(queries, index) == {"supP@10": 0.0, "anyP@10": 0.0}


def test_a_printout_is_photographed_reproducibly_and_rectified_as_the_app_does():
    record = synthetic_record(rate=100.0)
    style = PaperStyle(px_per_mm=5.0)
    photo = photographed(record, style, np.random.default_rng(3), "mild")
    again = photographed(record, style, np.random.default_rng(3), "mild")
    assert np.array_equal(photo, again)
    upright = rectified(photo)
    assert upright is not None and upright.found and upright.quarters == 0
    sideways = rectified(photographed(record, style, np.random.default_rng(3), "mild", 1))
    assert sideways is not None and sideways.quarters % 2 == 1
    assert rectified(np.full((600, 800, 3), 255, np.uint8)) is None
    with pytest.raises(ValueError, match="unknown capture"):
        photographed(record, style, np.random.default_rng(3), "blurry")


def test_stamping_keeps_the_metadata_and_ties_the_build_id_to_the_graph(tmp_path):
    path = tmp_path / "model.onnx"
    write_fake_model(path)  # model_name "fake", build_id "test-model"
    build_id = stamp(path, **{CONFIG_KEY: '{"width": 8}'})
    assert build_id.startswith("fake-") and Encoder(path).build_id == build_id
    assert metadata(onnx.load(str(path)))[CONFIG_KEY] == '{"width": 8}'
    assert stamp(path) == build_id  # same graph, same id, nothing lost
    assert metadata(onnx.load(str(path)))[CONFIG_KEY] == '{"width": 8}'
    model = onnx.load(str(path))
    model.graph.initializer[0].float_data.append(0.0)  # any change to the graph...
    onnx.save(model, str(path))
    assert stamp(path) != build_id  # ...gives another id
