"""Hand-computed checks of the retrieval metrics, baselines and the fold-9 harness."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from model_export.baselines import (cosine_neighbours, oracle_neighbours, random_neighbours,
                                    raw_signal_embeddings)
from model_export.metrics import (average_precision_at_k, jaccard, mean_average_precision,
                                  precision_at_k, relevance_matrix, same_set, shares_any,
                                  text_scores, tokenize)

S = frozenset


def test_precision_at_k():
    hits = np.array([[1, 0, 1, 0], [0, 0, 0, 1]], bool)
    assert precision_at_k(hits, 1) == 0.5
    assert precision_at_k(hits, 2) == 0.25
    assert precision_at_k(hits, 4) == pytest.approx(3 / 8)


def test_average_precision_divides_by_min_k_relevant():
    hits = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0], bool)
    assert average_precision_at_k(hits, 3, 10) == pytest.approx((1 + 2 / 3) / 3)
    assert average_precision_at_k(hits, 50, 10) == pytest.approx((1 + 2 / 3) / 10)
    assert average_precision_at_k(np.array([1, 1], bool), 2, 10) == 1.0
    with pytest.raises(ValueError):
        average_precision_at_k(hits, 0, 10)


def test_map_skips_queries_without_relevant_cases():
    hits = np.array([[0, 1], [0, 0]], bool)
    assert mean_average_precision(hits, np.array([1, 0]), 2) == pytest.approx(0.5)


def test_superclass_set_and_shared_statement_relevance():
    assert same_set(S({"MI", "STTC"}), S({"STTC", "MI"}))
    assert not same_set(S({"MI"}), S({"MI", "STTC"}))
    assert same_set(S(), S())  # label-less cases match each other
    assert shares_any(S({"IMI", "NDT"}), S({"NDT"}))
    assert not shares_any(S(), S())
    rel = relevance_matrix([S({"NORM"}), S()], [S({"NORM"}), S({"MI"}), S()], same_set)
    assert rel.tolist() == [[True, False, False], [False, False, True]]


def test_jaccard():
    assert jaccard(S("AB"), S("BC")) == pytest.approx(1 / 3)
    assert jaccard(S("A"), S("A")) == 1.0
    assert jaccard(S(), S()) == 0.0  # the reference oracle convention


def test_oracle_ranks_by_jaccard_ties_in_index_order():
    index = [S("C"), S("A"), S("AB"), S("B"), S("ABC")]
    # J with {A,B}: 0, 1/2, 1, 1/2, 2/3
    assert oracle_neighbours([S("AB")], index, 5).tolist() == [[2, 4, 1, 3, 0]]


def test_cosine_neighbours_ignore_norm():
    index = np.array([[1.0, 0.0], [0.0, 5.0], [3.0, 3.0]])
    assert cosine_neighbours(np.array([[0.0, 0.1], [10.0, 0.0]]), index, 2).tolist() == [
        [1, 2], [0, 2]]


def test_random_neighbours_distinct_and_seeded():
    a = random_neighbours(20, 50, 10, seed=3)
    assert a.shape == (20, 10)
    assert all(len(set(row)) == 10 for row in a)
    assert (a == random_neighbours(20, 50, 10, seed=3)).all()


def test_raw_embeddings_ignore_lead_gain_and_offset():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 12, 100)).astype(np.float32)
    scaled = x * rng.uniform(0.5, 2.0, (1, 12, 1)) + rng.uniform(-1, 1, (1, 12, 1))
    np.testing.assert_allclose(raw_signal_embeddings(x), raw_signal_embeddings(scaled),
                               atol=1e-4)


def test_tokenize():
    assert tokenize("Überleitung 2:1, ST-Senkung.") == "ueberleitung 2 1 st senkung"


def test_identical_texts_score_full_bleu():
    texts = ["sinus rhythm, normal ECG", "inferior myocardial infarction, abnormal QRS"]
    scores = text_scores(texts, texts)
    assert scores["BLEU-1"] == pytest.approx(1.0)
    assert scores["ROUGE-L"] == pytest.approx(1.0)
    assert "METEOR" not in scores


@pytest.mark.skipif(shutil.which("java") is None, reason="METEOR needs Java")
def test_meteor_runs():
    from model_export.metrics import start_meteor

    meteor = start_meteor()  # one Java process: it takes seconds to load its tables
    texts = ["sinus rhythm normal ecg", "atrial fibrillation left bundle branch block"]
    assert text_scores(texts, texts, meteor)["METEOR"] > 0.9
    assert text_scores(texts, texts[::-1], meteor)["METEOR"] < 0.3


def test_random_baseline_on_fold9(ptbxl_dir, tmp_path):
    from model_export.evaluate import Benchmark, main

    bench = Benchmark(ptbxl_dir)
    r = bench.baseline("random", text=False)
    assert r["queries"] == len(bench.queries) > 200
    assert 0.2 < r["supP@10"] < 0.32
    assert 0.0 < r["mAP@10"] < r["supP@10"]

    ids = [c.ecg_id for c in (*bench.queries, *bench.index)]
    emb = np.random.default_rng(0).standard_normal((len(ids), 8))
    assert 0.2 < bench.score_embeddings("noise", ids, emb)["supP@10"] < 0.32
    with pytest.raises(ValueError, match="no embedding"):
        bench.score_embeddings("partial", ids[1:], emb[1:])

    out = tmp_path / "eval.json"
    assert main(["--data", str(ptbxl_dir), "--baselines", "random", "--no-text",
                 "--json", str(out)]) == 0
    assert json.loads(out.read_text())["methods"]["random"]["supP@10"] == r["supP@10"]


def test_subset_precision_counts_only_queries_with_a_label():
    from model_export.metrics import subset_precision

    index = [S({"AFIB"}), S(), S({"STACH"}), S({"AFIB", "AFLT"})]
    queries = [S({"AFIB"}), S(), S({"AFLT", "STACH"})]
    nbrs = np.array([[0, 1], [0, 2], [2, 3]])
    # query 0: AFIB, none -> 1/2; query 1 (sinus) is left out; query 2: STACH, AFLT -> 2/2
    assert subset_precision(queries, index, nbrs, 2) == (pytest.approx(0.75), 2)
    assert subset_precision(queries, index, nbrs, 1) == (pytest.approx(1.0), 2)
    p, n = subset_precision([S()], index, nbrs[:1], 2)
    assert n == 0 and np.isnan(p)


def test_label_precision_per_label_with_query_counts():
    from model_export.metrics import label_precision, most_frequent

    index = [S({"AFIB", "PVC"}), S({"SR"}), S({"AFIB"})]
    queries = [S({"AFIB"}), S({"AFIB", "PVC"}), S({"SR"})]
    nbrs = np.array([[0, 1], [1, 2], [1, 0]])
    out = label_precision(queries, index, nbrs, 2, ["AFIB", "PVC", "SR", "LVH"])
    assert out == {"AFIB": (pytest.approx(0.5), 2), "PVC": (0.0, 1), "SR": (0.5, 1)}
    # AFIB in 2 queries; PVC and SR tie at 1, broken by the index (SR once, PVC once) then name
    assert most_frequent(queries, 2, tie_break=index) == ["AFIB", "PVC"]
    assert most_frequent(queries, 3, tie_break=[S({"SR"})]) == ["AFIB", "SR", "PVC"]


def test_rhythm_metrics_on_fold9(ptbxl_dir):
    from model_export.evaluate import Benchmark

    bench = Benchmark(ptbxl_dir)
    assert "AFIB" in bench.rhythm_statements and "SR" not in bench.rhythm_statements
    q_ids = [c.ecg_id for c in bench.queries]
    x_ids = [c.ecg_id for c in bench.index]
    # a ranking that puts the index's AFIB cases first for every query
    afib = [j for j, c in enumerate(bench.index) if "AFIB" in c.scp_codes][:10]
    nbrs = np.tile(afib, (len(q_ids), 1))
    r = bench.score_neighbours("afib first", q_ids, x_ids, nbrs)
    by = r["rhythmP@10 by statement"]
    assert by["AFIB"]["P"] == 1.0 and by["AFIB"]["queries"] > 10
    assert by["STACH"]["P"] == 0.0
    assert r["rhythm queries"] == sum(1 for c in bench.queries if bench.rhythm_codes(c))
    assert 0.0 < r["rhythmP@10"] < 1.0
    assert len(r["P@10 by statement"]) == 20
    assert r["P@10 by statement"]["AFIB"]["P"] == 1.0
