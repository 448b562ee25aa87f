"""Nullsettes metrics on hand-made scores: pairing, ties, sign-flip p-values, BH, headline, quintiles."""
import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mitbench.metrics.nullsettes import (pair_scores, quintile_metrics, sign_flip_pvalue, summarize_nullsettes,
                                         type_metrics)
from mitbench.metrics.stats import bh_adjust


def _table(rows):
    """rows: (group, type, score[, length])."""
    return pd.DataFrame([{"group": r[0], "type": r[1], "score": r[2], "length": r[3] if len(r) > 3 else 100}
                         for r in rows])


def _design(n=10, right=("T01",), wrong=("T02",), tied=("T03",), seed=0):
    """n cassettes; 'right' types score 1..n below the nonmutant, 'wrong' types above, 'tied' equal."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        g, base = f"c{i}", float(rng.normal(-100, 5))
        rows.append((g, "nonmutant", base))
        rows += [(g, t, base - (i + 1)) for t in right]
        rows += [(g, t, base + (i + 1)) for t in wrong]
        rows += [(g, t, base) for t in tied]
    return _table(rows)


def test_pair_scores_pairs_by_group():
    t = _table([("a", "nonmutant", -10.0), ("a", "T01", -12.0), ("a", "T02", -9.0), ("b", "nonmutant", -5.0),
                ("b", "T01", -5.0)])
    p = pair_scores(t).set_index(["group", "type"])
    assert p.loc[("a", "T01"), "diff"] == 2.0 and bool(p.loc[("a", "T01"), "win"])
    assert p.loc[("a", "T02"), "diff"] == -1.0 and not p.loc[("a", "T02"), "win"]
    assert bool(p.loc[("b", "T01"), "tie"]) and not p.loc[("b", "T01"), "win"]


def test_rounding_level_differences_are_ties():
    t = _table([("a", "nonmutant", -1000.0), ("a", "T01", -1000.0 - 1e-10), ("a", "T02", -1000.0 - 1e-8)])
    p = pair_scores(t).set_index("type")
    assert bool(p.loc["T01", "tie"]) and p.loc["T01", "diff"] == 0.0
    assert bool(p.loc["T02", "win"])


@pytest.mark.parametrize("rows, match", [
    ([("a", "T01", 1.0)], "no nonmutant"),
    ([("a", "nonmutant", 1.0), ("a", "nonmutant", 2.0)], "appears more than once"),
    ([("a", "nonmutant", 1.0), ("a", "T01", float("nan"))], "not finite"),
])
def test_pair_scores_rejects_bad_tables(rows, match):
    with pytest.raises(ValueError, match=match):
        pair_scores(_table(rows))


def test_sign_flip_exact_enumeration_by_hand():
    assert sign_flip_pvalue(np.array([1.0, 2.0, 3.0])) == pytest.approx(1 / 8)  # only all-plus reaches 6
    assert sign_flip_pvalue(np.array([1.0, -1.0])) == pytest.approx(3 / 4)  # sums 0, -2, 2, 0 >= 0
    assert sign_flip_pvalue(np.zeros(30)) == 1.0
    assert np.isnan(sign_flip_pvalue(np.array([])))


def test_sign_flip_monte_carlo_is_plus_one_corrected_and_seeded():
    d = np.arange(1.0, 41.0)  # all positive: no resample reaches the observed sum
    assert sign_flip_pvalue(d, n_perm=999, seed=1) == pytest.approx(1 / 1000)
    x = np.random.default_rng(3).normal(0.2, 1.0, 18)
    signs = np.array(list(itertools.product([1.0, -1.0], repeat=18)))
    exact = float(np.mean(signs @ x >= x.sum() - 1e-12))
    mc = sign_flip_pvalue(x, n_perm=20000, seed=5)
    assert mc == sign_flip_pvalue(x, n_perm=20000, seed=5)
    assert abs(mc - exact) < 0.01 and mc >= 1 / 20001


def test_type_metrics_hand_made():
    per = type_metrics(pair_scores(_design()), n_perm=1023, seed=0)  # 2^10 <= 1024: exact enumeration
    assert list(per.index) == ["T01", "T02", "T03"]
    assert per.loc["T01", "accuracy"] == 1.0 and per.loc["T02", "accuracy"] == 0.0
    assert per.loc["T03", "accuracy"] == 0.0 and per.loc["T03", "ties"] == 10 and per.loc["T03", "p"] == 1.0
    assert per.loc["T01", "p"] == pytest.approx(1 / 1024)  # only the identity reaches the observed sum
    assert per.loc["T01", "mean_diff"] == pytest.approx(5.5)
    ci = stats.binomtest(10, 10).proportion_ci(0.95, method="exact")
    assert (per.loc["T01", "ci_low"], per.loc["T01", "ci_high"]) == pytest.approx((ci.low, ci.high))
    assert per["q"].tolist() == pytest.approx(bh_adjust(per["p"].to_numpy()).tolist())


def test_summary_headline_by_hand():
    m = summarize_nullsettes(_design(), n_perm=999)
    assert m["n_types"] == 3 and m["n_cassettes"] == 10 and m["n_pairs"] == 30 and m["n_ties"] == 10
    assert m["success_rate"] == pytest.approx(1 / 3) and m["n_significant"] == 1
    assert m["mean_accuracy"] == pytest.approx(1 / 3) and m["pooled_accuracy"] == pytest.approx(1 / 3)
    assert m["mean_accuracy_p"] == pytest.approx(stats.binomtest(10, 30, 0.5, alternative="greater").pvalue)
    assert m["accuracy_T01"] == 1.0 and m["ties_T03"] == 10 and m["wins_T02"] == 0
    assert m["mean_diff_per_nt_T01"] == pytest.approx(0.055)
    assert "10 of 30 pairs tied (counted as failures)" in m["notes"]


def test_composition_like_scores_tie_every_pair():
    t = _design(right=(), wrong=(), tied=tuple(f"T{k:02d}" for k in range(1, 20)))
    m = summarize_nullsettes(t, n_perm=99)
    assert m["n_types"] == 19 and m["success_rate"] == 0.0 and m["mean_accuracy"] == 0.0
    assert m["n_ties"] == m["n_pairs"] == 190 and all(m[f"p_T{k:02d}"] == 1.0 for k in range(1, 20))


def test_quintiles_and_spearman_by_hand():
    # 10 cassettes; per-nt score rises with i; cassette i wins on its 2 types iff i >= 4 (q1, q2 lose)
    rows = []
    for i in range(10):
        base = -200.0 + i
        rows += [(f"c{i}", "nonmutant", base, 100)]
        rows += [(f"c{i}", t, base - 1 if i >= 4 else base + 1, 100) for t in ("T01", "T02")]
    out, notes = quintile_metrics(pair_scores(_table(rows)))
    assert [out[f"accuracy_q{k}"] for k in range(1, 6)] == [0.0, 0.0, 1.0, 1.0, 1.0]
    assert out["per_nt_q1_max"] == pytest.approx(-1.99)
    rho = stats.spearmanr(np.arange(10), (np.arange(10) >= 4).astype(float)).statistic
    assert out["spearman_rho"] == pytest.approx(rho) and notes == []
    flat, notes = quintile_metrics(pair_scores(_design(right=(), wrong=("T01",), tied=())))
    assert np.isnan(flat["spearman_rho"]) and "undefined" in notes[0]


def test_summary_reads_class_when_type_column_is_absent():
    t = _design().rename(columns={"type": "class"})
    assert summarize_nullsettes(t, n_perm=99)["n_types"] == 3


def test_spearman_relation_of_random_scores_matches_its_null():
    rng = np.random.default_rng(7)
    rows = [(f"c{i}", t, float(rng.normal())) for i in range(300) for t in ["nonmutant", "T01", "T02", "T03"]]
    out, _ = quintile_metrics(pair_scores(_table(rows)), n_null=99, seed=0)
    assert out["spearman_rho"] > 0.6  # the confound: a high-drawing nonmutant beats its mutants
    assert abs(out["spearman_rho"] - out["spearman_rho_null_mean"]) < 0.05 and out["spearman_rho_null_p"] > 0.05
    assert out["accuracy_q1_null"] < 0.3 < 0.7 < out["accuracy_q5_null"]
