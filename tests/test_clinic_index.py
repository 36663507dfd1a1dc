"""The clinic index is a cache: it agrees with the database, follows changes cheaply,
is rebuilt whenever it disagrees or is damaged, and holds confirmed statements exactly
as the bundled case base does."""

from __future__ import annotations

import json

import numpy as np
import pytest
from clinic_fakes import MODEL, add_cases, details, embedding, index_agrees, source

from ecgviewer.core.casebase import with_confirmed_statements
from ecgviewer.core.clinic.base import ClinicBase, ModelInfo
from ecgviewer.core.clinic.embed import reembed_stale
from ecgviewer.core.clinic.errors import Cancelled
from ecgviewer.core.clinic.index import META_FILE


@pytest.fixture
def base(tmp_path):
    b = ClinicBase(MODEL, tmp_path / "home")
    add_cases(b, 0, 30)
    yield b
    b.close()


def test_vectors_carry_the_confirmed_statements_like_the_bundled_base(base):
    case = base.store.list_cases()[4]
    expected = with_confirmed_statements(case.embedding[None], MODEL.label_codes,
                                         [list(case.details.statements)])[0]
    stored = np.array(base.index._index.get_items([case.id]))[0]
    assert np.allclose(stored, expected / np.linalg.norm(expected), atol=1e-6)


def test_each_case_finds_itself_first(base):
    for i in (0, 7, 29):
        found, similarity = base.search(embedding(i), 3)[0]
        assert found.details.report == f"report {i}" and similarity > 0.8


def test_a_change_made_by_another_process_is_seen(base, tmp_path):
    other = ClinicBase(MODEL, base.home)
    new = other.add(source(100), details(100), embedding(100))
    other.remove(1)
    found = [c.id for c, _ in base.search(embedding(100), 30)]
    assert found[0] == new and 1 not in found
    assert index_agrees(base)


def test_an_index_file_that_disagrees_or_is_damaged_is_rebuilt(base):
    meta_path = base.home / META_FILE
    meta = json.loads(meta_path.read_text())
    (base.home / meta["file"]).write_bytes(b"garbage")
    reopened = ClinicBase(MODEL, base.home)
    assert index_agrees(reopened)
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps(meta | {"revision": "stale"}))
    assert index_agrees(ClinicBase(MODEL, base.home))
    meta_path.write_text("{not json")
    assert index_agrees(ClinicBase(MODEL, base.home))


def test_one_index_file_is_kept(base):
    add_cases(base, 50, 3)
    assert len(list(base.home.glob("clinic-index-*.bin"))) == 1


def test_removing_down_to_none_and_searching(base):
    for case in base.store.list_cases():
        base.remove(case.id)
    assert base.search(embedding(0), 5) == [] and index_agrees(base)


def test_after_a_model_change_cases_are_re_encoded_with_progress(base, monkeypatch):
    newer = ModelInfo("model-2", MODEL.label_codes, MODEL.dim)
    moved = ClinicBase(newer, base.home)
    assert moved.search(embedding(0), 5) == []  # nothing searchable by the new model yet
    assert len(moved.stale_cases()) == 30

    from ecgviewer.core.clinic import embed as embed_module

    # the new "model" encodes case clinic:N as -embedding(N)
    monkeypatch.setattr(embed_module, "embed_source",
                        lambda encoder, src, name: -embedding(int(name.split(":")[1])))
    progress = []
    with pytest.raises(Cancelled, match="10 of 30"):
        reembed_stale(moved, None, progress=lambda d, t: progress.append(d),
                      cancel=lambda: len(progress) >= 10)
    assert len(moved.stale_cases()) == 20 and index_agrees(moved)
    assert reembed_stale(moved, None, progress=lambda d, t: progress.append((d, t))) == 20
    assert progress[-1] == (20, 20)
    assert moved.stale_cases() == [] and index_agrees(moved)
    case = moved.store.get(5)
    assert case.model_build_id == "model-2" and np.array_equal(case.embedding, -embedding(5))


def test_re_encoding_in_the_background_after_a_model_change(base, monkeypatch):
    from ecgviewer.core.clinic import embed as embed_module

    monkeypatch.setattr(embed_module, "embed_source",
                        lambda encoder, src, name: -embedding(int(name.split(":")[1])))
    assert embed_module.reencode_in_background(base, None) is None  # nothing stale
    moved = ClinicBase(ModelInfo("model-3", MODEL.label_codes, MODEL.dim), base.home)
    job = embed_module.reencode_in_background(moved, None)
    job._thread.join(30)
    assert not job.running and job.error is None and job.progress == (30, 30)
    assert moved.stale_cases() == [] and index_agrees(moved)


def test_a_saved_case_stands_even_if_the_index_cannot_follow(base, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("hnswlib failed")

    monkeypatch.setattr(base.index, "apply", broken)
    case_id = base.add(source(77), details(77), embedding(77))
    monkeypatch.undo()
    assert base.store.get(case_id) and index_agrees(base)
