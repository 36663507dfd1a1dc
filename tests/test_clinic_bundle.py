"""Case bundles: a round trip keeps every case identical; a damaged, altered or newer
bundle, or a cancelled import, changes nothing."""

from __future__ import annotations

import hashlib
import json
import zipfile

import numpy as np
import pytest
from clinic_fakes import MODEL, add_cases, details, embedding, index_agrees, source

from ecgviewer.core.clinic.base import ClinicBase
from ecgviewer.core.clinic.bundle import MANIFEST, VERSION, export_bundle
from ecgviewer.core.clinic.case import CaseSource
from ecgviewer.core.clinic.errors import BundleError, Cancelled


@pytest.fixture
def filled(tmp_path):
    """A base with 6 signal cases and a photo case, and its bundle."""
    base = ClinicBase(MODEL, tmp_path / "district")
    add_cases(base, 0, 6, patient="P-3")
    corners = np.array([[5, 6], [700, 8], [702, 500], [4, 498]], np.float32)
    base.add(CaseSource("image", image=b"\xff\xd8\xff photo bytes", image_suffix=".jpg",
                        corners=corners), details(6), embedding(6))
    bundle = tmp_path / "cases.zip"
    assert base.export(bundle) == 7
    return base, bundle


@pytest.fixture
def empty(tmp_path):
    base = ClinicBase(MODEL, tmp_path / "clinic")
    yield base
    base.close()


def _comparable(case):
    src = case.source
    payload = (src.record.signals.tobytes(), src.record.sampling_rate, src.record.leads) \
        if src.kind == "signal" else (src.image, src.image_suffix, src.corners.tobytes())
    return (case.uid, case.details, case.content_sha256, case.embedding.tobytes(),
            case.model_build_id, case.updated_at, payload)


def test_round_trip_into_an_empty_home_keeps_every_case_identical(filled, empty):
    base, bundle = filled
    progress = []
    report = empty.import_bundle(bundle, progress=lambda done, total: progress.append(
        (done, total)))
    assert (len(report.added), report.skipped, report.refused) == (7, 0, [])
    original = [_comparable(base.store.get(c.id)) for c in base.store.list_cases()]
    imported = [_comparable(empty.store.get(c.id)) for c in empty.store.list_cases()]
    assert imported == original
    assert progress[-1] == (14, 14) and progress == sorted(progress)
    assert index_agrees(empty)
    hit = empty.search(embedding(2), 1)[0][0]
    assert hit.details.report == "report 2"


def test_duplicates_are_skipped(filled, empty):
    base, bundle = filled
    empty.add(source(3), details(3), embedding(3))  # already here, under another id
    report = empty.import_bundle(bundle)
    assert (len(report.added), report.skipped) == (6, 1)
    assert empty.import_bundle(bundle).to_json()["skipped"] == 7
    assert empty.store.count() == 7


def test_patient_references_can_be_left_out(filled, empty, tmp_path):
    base, _ = filled
    stripped = tmp_path / "stripped.zip"
    export_bundle(base.store, stripped, strip_patient=True)
    with zipfile.ZipFile(stripped) as zf:
        assert not any(b"P-3" in zf.read(n) for n in zf.namelist())
    empty.import_bundle(stripped)
    assert {c.details.patient_ref for c in empty.store.list_cases()} == {None}


def _rewrite(bundle, out, replace=None, drop=(), add=None, manifest=None):
    """A copy of ``bundle`` with entries replaced, dropped or added (manifest untouched
    unless given)."""
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name in drop:
                continue
            data = (replace or {}).get(name, src.read(name))
            if name == MANIFEST and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            dst.writestr(name, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out


def _first(bundle, suffix):
    with zipfile.ZipFile(bundle) as zf:
        return next(n for n in zf.namelist() if n.endswith(suffix))


def _flip(bundle, name):
    with zipfile.ZipFile(bundle) as zf:
        data = bytearray(zf.read(name))
    data[len(data) // 2] ^= 0x01
    return {name: bytes(data)}


@pytest.mark.parametrize("kind", ["signal", "embedding", "manifest entry", "extra", "missing",
                                  "newer", "not a bundle", "truncated", "other ecg",
                                  "not a zip"])
def test_a_bad_bundle_is_refused_and_nothing_changes(filled, empty, tmp_path, kind):
    _, bundle = filled
    add_cases(empty, 100, 2)
    before = (empty.store.revision(), empty.store.count())
    bad = tmp_path / "bad.zip"
    signal = _first(bundle, "signal.f32")
    if kind == "signal":
        _rewrite(bundle, bad, replace=_flip(bundle, signal))
        message = "does not match its checksum"
    elif kind == "embedding":
        _rewrite(bundle, bad, replace=_flip(bundle, _first(bundle, "embedding.f32")))
        message = "does not match its checksum"
    elif kind == "manifest entry":
        _rewrite(bundle, bad, manifest=lambda m: m | {"entries": {
            k: v | {"sha256": "0" * 64} if k == signal else v for k, v in m["entries"].items()}})
        message = "does not match its checksum"
    elif kind == "extra":
        _rewrite(bundle, bad, add={"cases/000001/run.exe": b"MZ"})
        message = "run.exe is not in its manifest"
    elif kind == "missing":
        _rewrite(bundle, bad, drop=(signal,))
        message = "is missing"
    elif kind == "newer":
        _rewrite(bundle, bad, manifest=lambda m: m | {"version": VERSION + 1})
        message = "made by a newer ecgviewer"
    elif kind == "not a bundle":
        _rewrite(bundle, bad, manifest=lambda m: m | {"format": "something-else"})
        message = "not an ecgviewer case bundle"
    elif kind == "truncated":
        bad.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
        message = "not a readable case bundle"
    elif kind == "other ecg":  # a signal swapped for another, its checksums made to agree
        other = source(99).record.signals.astype("<f4").tobytes()
        _rewrite(bundle, bad, replace={signal: other}, manifest=lambda m: m | {"entries": {
            k: {"sha256": hashlib.sha256(other).hexdigest(), "size": len(other)}
            if k == signal else v for k, v in m["entries"].items()}})
        message = "holds another ECG than it says"
    else:
        bad.write_bytes(b"just some text, not a zip file")
        message = "not a readable case bundle"
    with pytest.raises(BundleError, match=message) as err:
        empty.import_bundle(bad)
    assert "\n" not in str(err.value)
    assert (empty.store.revision(), empty.store.count()) == before and index_agrees(empty)


def test_a_case_this_version_cannot_accept_is_refused_alone(filled, empty, tmp_path):
    _, bundle = filled
    name = _first(bundle, "case.json")
    with zipfile.ZipFile(bundle) as zf:
        info = json.loads(zf.read(name))
    data = json.dumps(info | {"statements": ["NEWCODE"]}).encode()
    bad = _rewrite(bundle, tmp_path / "newcode.zip", replace={name: data},
                   manifest=lambda m: m | {"entries": {
                       k: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                       if k == name else v for k, v in m["entries"].items()}})
    report = empty.import_bundle(bad)
    assert (len(report.added), len(report.refused)) == (6, 1)
    assert "Unknown SCP statement code(s): NEWCODE" in report.refused[0]


def test_an_embedding_of_the_wrong_size_for_its_model_is_refused(filled, tmp_path):
    _, bundle = filled
    other = ClinicBase(MODEL.__class__(MODEL.build_id, MODEL.label_codes, 8), tmp_path / "x")
    report = other.import_bundle(bundle)
    assert (len(report.added), len(report.refused)) == (0, 7)


@pytest.mark.parametrize("at", [3, 10])  # while checking, while writing
def test_a_cancelled_import_adds_nothing(filled, empty, at):
    _, bundle = filled
    steps = []
    with pytest.raises(Cancelled, match="nothing was changed"):
        empty.import_bundle(bundle, progress=lambda done, total: steps.append(done),
                            cancel=lambda: len(steps) >= at)
    assert empty.store.count() == 0 and index_agrees(empty)


def test_a_cancelled_export_leaves_no_file(filled, tmp_path):
    base, _ = filled
    out = tmp_path / "never.zip"
    with pytest.raises(Cancelled):
        base.export(out, cancel=lambda: True)
    assert list(tmp_path.glob("*never*")) == []


def test_a_full_stick_leaves_no_half_bundle(filled, tmp_path, monkeypatch):
    import errno

    from ecgviewer.core.errors import EcgError

    base, _ = filled
    calls = []

    def full(self, name, data, *args, **kwargs):
        calls.append(name)
        if len(calls) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, name, data, *args, **kwargs)

    original = zipfile.ZipFile.writestr
    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    out = tmp_path / "stick" / "cases.zip"
    out.parent.mkdir()
    with pytest.raises(EcgError, match="No space left on device"):
        base.export(out)
    assert list(out.parent.iterdir()) == []
