"""R peaks, rate and RR irregularity on synthetic records with known beats; rhythm re-ranking."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from ecgviewer.core.record import STANDARD_LEADS, EcgRecord
from ecgviewer.core.results import Neighbor
from ecgviewer.core.errors import ResourceError
from ecgviewer.core.results import Statement
from ecgviewer.core.rhythm import (RHYTHM_CLASSES, RhythmClassifier, RhythmFeatures,
                                   blended_order, case_classes, features_from_peaks, measure,
                                   r_peaks, rerank, rhythm_distance)


def beats_record(beat_times: np.ndarray, rate: float = 100.0, seconds: float = 10.0,
                 seed: int = 0, noise_mv: float = 0.02) -> EcgRecord:
    """12 leads with a QRS spike and a T wave at each beat, baseline wander and noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(rate * seconds)) / rate
    trace = np.zeros_like(t)
    for b in beat_times:
        trace += 1.2 * np.exp(-((t - b) / 0.012) ** 2) - 0.2 * np.exp(-((t - b - 0.03) / 0.01) ** 2)
        trace += 0.35 * np.exp(-((t - b - 0.28) / 0.05) ** 2)
    gains = np.linspace(-1.0, 1.5, 12)
    wander = 0.3 * np.sin(2 * np.pi * 0.3 * t)
    signals = gains[:, None] * trace + wander + noise_mv * rng.standard_normal((12, t.size))
    return EcgRecord(signals.astype(np.float32), rate, STANDARD_LEADS)


def regular(bpm: float, seconds: float = 10.0) -> np.ndarray:
    return np.arange(0.4, seconds - 0.3, 60.0 / bpm)


def fibrillating(seed: int = 1, seconds: float = 10.0) -> np.ndarray:
    rr = np.random.default_rng(seed).uniform(0.45, 1.1, 40)
    times = 0.3 + np.concatenate([[0], np.cumsum(rr)])
    return times[times < seconds - 0.3]


@pytest.mark.parametrize("rate", [100.0, 500.0])
@pytest.mark.parametrize("bpm", [40, 75, 150])
def test_regular_rhythm_rate_and_regularity(bpm, rate):
    f = measure(beats_record(regular(bpm), rate))
    assert f.measurable and f.confidence > 0.9
    assert f.beats == len(regular(bpm))
    assert f.heart_rate_bpm == pytest.approx(bpm, rel=0.02)
    assert f.irregularity < 0.03 and f.rr_cv < 0.03


def test_one_peak_per_beat_and_exact_rr():
    times = fibrillating()
    peaks, _ = r_peaks(beats_record(times, 500.0).signals, 500.0)
    np.testing.assert_allclose(peaks / 500.0, times, atol=0.03)
    np.testing.assert_allclose(np.diff(peaks) / 500.0, np.diff(times), atol=0.004)


def test_fibrillation_is_irregular():
    for seed in range(1, 6):
        times = fibrillating(seed)
        f = measure(beats_record(times, seed=seed))
        rr = np.diff(times)
        assert f.heart_rate_bpm == pytest.approx(60 / rr.mean(), rel=0.02)
        assert f.irregularity > 0.1
        assert f.rmssd_ms == pytest.approx(np.sqrt(np.mean(np.diff(rr) ** 2)) * 1000, rel=0.1)


def test_one_premature_beat_barely_moves_irregularity():
    times = regular(70)
    times[6] -= 0.3  # a premature beat, then a compensatory pause
    f = measure(beats_record(times))
    assert f.measurable and f.rr_cv > 0.1
    assert f.irregularity < 0.05


def test_one_noisy_lead_is_outvoted():
    rec = beats_record(regular(80))
    noisy = rec.signals.copy()
    noisy[3] += np.random.default_rng(0).standard_normal(noisy.shape[1]).astype(np.float32)
    f = measure(EcgRecord(noisy, rec.sampling_rate, rec.leads))
    assert f.heart_rate_bpm == pytest.approx(80, rel=0.02) and f.irregularity < 0.03


def test_not_measurable_outcomes():
    flat = measure(EcgRecord(np.zeros((12, 1000), np.float32), 100.0, STANDARD_LEADS))
    assert not flat.measurable and flat.heart_rate_bpm is None and flat.confidence == 0.0
    noise = np.random.default_rng(0).standard_normal((12, 1000)).astype(np.float32)
    f = measure(EcgRecord(noise, 100.0, STANDARD_LEADS))
    assert not f.measurable and f.confidence < 0.3 and f.irregularity is None
    short = measure(beats_record(regular(60, 3.0), seconds=3.0))
    assert not short.measurable and "beats" in short.reason
    assert "implausible" in features_from_peaks(np.arange(5) * 500, 100.0, 1.0).reason


def feats(bpm: float, irregularity: float) -> RhythmFeatures:
    return RhythmFeatures(beats=10, confidence=1.0, heart_rate_bpm=bpm, rr_cv=0.0,
                          rmssd_ms=0.0, irregularity=irregularity)


def test_rhythm_distance_scales_and_neutral_cases():
    q = feats(60, 0.02)
    unmeasured = RhythmFeatures(beats=2, confidence=0.0, reason="only 2 beats found")
    d = rhythm_distance(q, [feats(60, 0.02), feats(78, 0.02), feats(60, 0.04), None,
                            unmeasured, feats(60, 0.2), feats(200, 0.5)])
    np.testing.assert_allclose(d[[0, 1, 3, 4, 6]], [0.0, 1.0, 1.0, 1.0, 3.0], atol=1e-9)
    assert 0.0 < d[2] < 0.5  # still regular
    assert d[5] > 2.8  # regular against irregular
    af = feats(90, 0.15)
    assert rhythm_distance(af, [feats(90, 0.35)])[0] < 0.02  # irregular is irregular
    assert (rhythm_distance(unmeasured, [q, feats(150, 0.3)]) == 0).all()


def neighbor(case_id: str, similarity: float) -> Neighbor:
    return Neighbor(case_id=case_id, ecg_id=0, similarity=similarity, report="",
                    statements=(), age=None, sex=None)


def test_rerank_moves_the_matching_rhythm_up():
    nbrs = [neighbor("sinus", 0.90), neighbor("none", 0.88), neighbor("af", 0.85)]
    cases = {"sinus": feats(70, 0.02), "af": feats(95, 0.2)}
    af_query = feats(100, 0.18)
    assert [n.case_id for n in rerank(nbrs, af_query, cases, 0.0)] == ["sinus", "none", "af"]
    assert [n.case_id for n in rerank(nbrs, af_query, cases, 0.05, k=2)] == ["af", "none"]
    unmeasured = RhythmFeatures(beats=0, confidence=0.0, reason="only 0 beats found")
    assert rerank(nbrs, unmeasured, cases, 0.05) == nbrs
    assert rerank(nbrs, af_query, cases, 0.05)[0].similarity == 0.85  # similarity kept


def test_case_classes_name_the_abnormal_rhythm_else_sinus():
    assert case_classes(["SR", "NORM"]) == {"SR"}
    assert case_classes(["NORM"]) == {"SR"}  # no rhythm stated: sinus
    assert case_classes(["AFIB", "PVC"]) == {"AFIB"}
    assert case_classes(["SR", "BIGU"]) == {"OTHER"}
    assert case_classes(["STACH", "SARRH"]) == {"STACH", "SARRH"}


def _classifier_for_afib() -> RhythmClassifier:
    """Irregular beats -> AFIB, the rest -> SR (inputs: see class_inputs)."""
    coef = np.zeros((len(RHYTHM_CLASSES), 7))
    coef[RHYTHM_CLASSES.index("AFIB"), 4] = 12.0  # the irregularity step
    intercept = np.full(len(RHYTHM_CLASSES), -8.0)
    intercept[RHYTHM_CLASSES.index("SR")] = 0.0
    intercept[RHYTHM_CLASSES.index("AFIB")] = -6.0
    return RhythmClassifier(("AFIB",), coef, intercept)


def test_classifier_agreement_lifts_cases_of_the_query_rhythm():
    model = _classifier_for_afib()
    af_query, sinus_query = feats(100, 0.2), feats(70, 0.02)
    assert model.probabilities(af_query, {})["AFIB"] > 0.99
    assert model.probabilities(sinus_query, {})["SR"] > 0.99
    af = Neighbor(case_id="af", ecg_id=1, similarity=0.80, report="",
                  statements=(Statement("AFIB", "atrial fibrillation", 100.0),), age=None, sex=None)
    nbrs = [neighbor("sinus", 0.90), af]
    classes = model.probabilities(af_query, {})
    assert [n.case_id for n in rerank(nbrs, af_query, {}, 0.0, None, classes, 0.3)] == ["af", "sinus"]
    assert [n.case_id for n in rerank(nbrs, af_query, {}, 0.0, None, classes, 0.05)] == ["sinus", "af"]
    assert rerank(nbrs, sinus_query, {}, 0.0, None, model.probabilities(sinus_query, {}), 0.3) == nbrs


def test_classifier_file_round_trip_and_damage(tmp_path):
    import json

    model = _classifier_for_afib()
    path = tmp_path / "rhythm_classes.json"
    path.write_text(json.dumps(model.to_json()))
    loaded = RhythmClassifier.load(path)
    assert loaded.codes == ("AFIB",) and np.allclose(loaded.coef, model.coef)
    assert RhythmClassifier.load(tmp_path / "absent.json") is None
    path.write_text('{"classes": ["SR"], "codes": [], "coef": [[0]], "intercept": [0]}')
    with pytest.raises(ResourceError, match="does not match this version"):
        RhythmClassifier.load(path)
    path.write_text("{not json")
    with pytest.raises(ResourceError, match="cannot be read"):
        RhythmClassifier.load(path)


def test_blended_order_is_stable():
    assert blended_order(np.array([0.5, 0.5, 0.6]), np.zeros(3), 1.0).tolist() == [2, 0, 1]


def _rows(n: int) -> list[dict]:
    return [{"case_id": f"test:{i}", "ecg_id": i, "age": None, "sex": None, "report": "",
             "fold": 1, "statements": []} for i in range(n)]


def test_casebase_stores_and_reads_rhythm(tmp_path):
    from ecgviewer.core.casebase import CaseBase, write_casebase

    stored = [measure(beats_record(regular(75))), measure(beats_record(fibrillating())),
              RhythmFeatures(beats=1, confidence=0.0, reason="only 1 beats found")]
    emb = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    write_casebase(tmp_path / "cb", "b1", "m1", emb, _rows(3), rhythm=stored)
    cb = CaseBase(tmp_path / "cb")
    got = cb.rhythm(["test:0", "test:1", "test:2", "test:9"])
    assert got == {"test:0": stored[0], "test:1": stored[1], "test:2": stored[2]}
    assert not got["test:2"].measurable and got["test:2"].heart_rate_bpm is None
    # the re-ranking as the query pipeline will call it
    nbrs = cb.search(emb[0], 3)[0]
    top = rerank(nbrs, stored[1], cb.rhythm([n.case_id for n in nbrs]), 1.0, k=1)
    assert top[0].case_id == "test:1"

    write_casebase(tmp_path / "none", "b2", "m1", emb, _rows(3))  # no features given
    assert CaseBase(tmp_path / "none").rhythm(["test:0"]) == {}
    with sqlite3.connect(tmp_path / "none" / "cases.sqlite") as db:  # a build before rhythm
        db.execute("DROP TABLE rhythm")
    assert CaseBase(tmp_path / "none").rhythm(["test:0"]) == {}


def test_shipped_casebase_has_rhythm_for_every_case():
    from ecgviewer.core.casebase import CaseBase
    from ecgviewer.resources import casebase_dir

    cb = CaseBase(casebase_dir())
    ids = [r[0] for r in cb._db.execute("SELECT case_id FROM cases")]
    stored = cb.rhythm(ids)
    assert len(stored) == cb.count
    rates = [f.heart_rate_bpm for f in stored.values() if f.measurable]
    assert len(rates) > 0.98 * cb.count and 60 < np.median(rates) < 85


def test_rhythm_strip_of_a_rendered_page_matches_the_signal():
    from ecgviewer.core.paper import PaperStyle
    from ecgviewer.core.render import render
    from ecgviewer.core.rhythm_strip import STRIP_STYLE, measure_page

    for times in (regular(75), fibrillating(2)):
        rec = beats_record(times, 500.0)
        page_f, signal_f = measure_page(render(rec, STRIP_STYLE)), measure(rec)
        assert page_f.measurable
        assert page_f.heart_rate_bpm == pytest.approx(signal_f.heart_rate_bpm, rel=0.02)
        assert page_f.irregularity == pytest.approx(signal_f.irregularity, abs=0.02)
    other = measure_page(render(rec, PaperStyle(layout="6x2", px_per_mm=STRIP_STYLE.px_per_mm)))
    assert not other.measurable and "3x4+1" in other.reason
    flat = EcgRecord(np.zeros((12, 1000), np.float32), 100.0, STANDARD_LEADS)
    assert not measure_page(render(flat, PaperStyle(px_per_mm=5.0, labels=False))).measurable


def test_trace_following_keeps_to_its_own_line():
    from ecgviewer.core.rhythm_strip import followed_centres

    ink = np.zeros((40, 6), bool)
    ink[20:23, :] = True  # the trace, rows 20-22
    ink[2:6, 2:4] = True  # a neighbouring row's complex reaching in above
    ink[:, 5] = False  # a gap
    np.testing.assert_allclose(followed_centres(ink, 21.0)[:5], 21.0)
    assert np.isnan(followed_centres(ink, 21.0)[5])


def test_harness_rerank_keeps_cosine_order_at_weight_zero():
    from model_export.baselines import cosine_neighbours
    from model_export.rhythm_rerank import reranked

    rng = np.random.default_rng(0)
    q, x = rng.standard_normal((4, 8)), rng.standard_normal((30, 8))
    xf = [feats(rng.uniform(50, 150), rng.uniform(0, 0.3)) for _ in range(30)]
    qf = [feats(70, 0.02)] * 4
    assert (reranked(q, x, qf, xf, 0.0, k=5, candidates=10) == cosine_neighbours(q, x, 5)).all()
    top10 = cosine_neighbours(q, x, 10)
    heavy = reranked(q, x, qf, xf, 100.0, k=1, candidates=10)[:, 0]
    for row, cand in zip(heavy, top10):
        assert row == cand[np.argmin(rhythm_distance(qf[0], [xf[j] for j in cand]))]


def test_rhythm_only_rebuild_keeps_the_case_base(ptbxl_dir, tmp_path):
    import shutil

    from ecgviewer.core.casebase import CaseBase
    from ecgviewer.resources import casebase_dir
    from model_export.build_casebase import build_rhythm

    folder = tmp_path / "casebase"
    shutil.copytree(casebase_dir(), folder, ignore=shutil.ignore_patterns("tracings*"))
    with sqlite3.connect(folder / "cases.sqlite") as db:
        db.execute("DROP TABLE rhythm")
    before = CaseBase(folder).build_id
    index = (folder / "index.bin").read_bytes()
    assert build_rhythm(str(ptbxl_dir), folder) == before
    cb = CaseBase(folder)
    assert cb.build_id == before and (folder / "index.bin").read_bytes() == index
    assert sorted(p.name for p in folder.iterdir()) == ["cases.sqlite", "index.bin", "index.json"]
    assert len(cb.rhythm(["ptbxl:00001", "ptbxl:00002"])) == 2
