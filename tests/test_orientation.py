"""Which way up a photographed page is searched: the orientation probe written into the
ONNX graph, and the search choosing between a page and its half turn."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import synthetic_record
from ecgviewer.core.casebase import write_casebase
from ecgviewer.core.encoder import Encoder
from ecgviewer.core.photo import TURNED, Rectified
from ecgviewer.core.preprocess import encoder_input, record_page
from ecgviewer.core.search import (
    HALF_TURN_MARGIN,
    Query,
    Searcher,
    embed_query,
    prefers_half_turn,
)
from fake_resources import write_fake_model
from model_export.orientation_probe import add_upright_output, fit


def _pages(seeds) -> list[np.ndarray]:
    return [record_page(synthetic_record(seed=s)) for s in seeds]


def _half_turn(page: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(page, 2))


@pytest.fixture(scope="module")
def resources(tmp_path_factory):
    """Fake resources whose model has an upright score fitted on synthetic pages."""
    root = tmp_path_factory.mktemp("resources")
    model = root / "model" / "encoder.onnx"
    write_fake_model(model)
    encoder = Encoder(model)
    pairs = np.stack([encoder.embed(np.stack([encoder_input(p),
                                              encoder_input(_half_turn(p))]))
                      for p in _pages(range(20))])
    build_id = add_upright_output(model, fit(pairs))
    encoder = Encoder(model)
    assert encoder.build_id == build_id != "test-model"
    pages = _pages(range(100, 106))
    embeddings = encoder.embed(np.stack([encoder_input(p) for p in pages]))
    rows = [{"case_id": f"test:{i}", "ecg_id": i, "age": None, "sex": None, "report": "",
             "fold": 1, "statements": []} for i in range(len(pages))]
    write_casebase(root / "casebase", "test-casebase", build_id, embeddings, rows)
    return root


def test_the_probe_scores_held_out_pages_above_their_half_turns(resources):
    encoder = Encoder(resources / "model" / "encoder.onnx")
    pages = _pages(range(50, 60))
    frames = np.stack([encoder_input(p) for p in pages] +
                      [encoder_input(_half_turn(p)) for p in pages])
    embeddings, scores = encoder.encode(frames)
    assert embeddings.shape == (20, encoder.dim) and scores.shape == (20,)
    assert (scores[:10] > scores[10:]).all()
    np.testing.assert_allclose(embeddings, encoder.embed(frames), atol=1e-6)


def _rectified(page: np.ndarray, quarters: int = 0) -> Rectified:
    h, w = page.shape[:2]
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    return Rectified(page, corners, 2.0, (w / 2, h / 2), True, quarters=quarters)


def _photo_query(rect: Rectified) -> Query:
    return Query("q", "image", rect.page, photo=rect.page, rectified=rect,
                 notes=list(rect.notes))


def test_an_upside_down_page_is_searched_the_right_way_up(resources):
    searcher = Searcher.from_resources(resources)
    page = _pages([103])[0]
    upright = searcher.search(_photo_query(_rectified(page)), 1)
    assert upright.notes == [] and upright.neighbors[0].ecg_id == 3
    flipped = searcher.search(_photo_query(_rectified(_half_turn(page))), 1)
    assert flipped.notes == [TURNED[2]] and np.array_equal(flipped.image, page)
    assert flipped.neighbors[0].ecg_id == 3
    h, w = page.shape[:2]
    np.testing.assert_allclose(flipped.corners[0], [w, h])  # the page's top left, in the photo


def test_a_model_without_the_probe_keeps_pages_as_found(tmp_path):
    """No upright score: one encoding of the page as found, never its half turn."""
    model = tmp_path / "encoder.onnx"
    write_fake_model(model)
    encoder = Encoder(model)
    assert encoder.encode(np.zeros((1, 1, 256, 512), np.float32))[1] is None
    page = _half_turn(_pages([7])[0])
    searched, embedding = embed_query(encoder, _photo_query(_rectified(page)))
    assert np.array_equal(searched.page, page) and searched.notes == []
    np.testing.assert_allclose(embedding, encoder.embed(encoder_input(page)[None]), atol=1e-6)


def test_half_turn_needs_a_margin_unless_the_page_was_sideways():
    assert not prefers_half_turn(0.0, HALF_TURN_MARGIN * 0.9, quarter_turned=False)
    assert prefers_half_turn(0.0, HALF_TURN_MARGIN * 1.1, quarter_turned=False)
    assert prefers_half_turn(0.0, 0.01, quarter_turned=True)
    assert not prefers_half_turn(0.0, -0.01, quarter_turned=True)
