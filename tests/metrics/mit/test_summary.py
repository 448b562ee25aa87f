"""MIT metrics: hand-computed values, ties, pairing by group, degenerate cases, determinism, BH."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mitbench.metrics.mit.summary import paired_scores, summarize_mit
from mitbench.metrics.stats import (bh_adjust, binom_greater_pvalue, bootstrap_groups, cohens_d, percentile_ci,
                                    proportion_ci, safe_ratio, win_rate)


def _table(scores: dict[str, list[float]], groups: dict[str, list[str]] | None = None) -> pd.DataFrame:
    rows = []
    for label, values in scores.items():
        g = (groups or {}).get(label, [f"{i:03d}" for i in range(len(values))])
        rows += [{"id": f"{label}_{i}", "class": label, "score": float(v), "group": g[i]}
                 for i, v in enumerate(values)]
    return pd.DataFrame(rows)


def test_cohens_d_pooled_ddof1_by_hand():
    x, y = [1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 2.0]
    # means 2.5 and 1; SS 5 and 2; pooled var = 7 / 5
    assert cohens_d(x, y) == pytest.approx(1.5 / math.sqrt(7 / 5), rel=1e-12)
    assert cohens_d(y, x) == pytest.approx(-1.5 / math.sqrt(7 / 5), rel=1e-12)


def test_cohens_d_degenerate_is_nan_not_inf():
    assert math.isnan(cohens_d([2.0, 2.0], [1.0, 1.0]))  # zero pooled SD, different means
    assert math.isnan(cohens_d([1.0], [2.0]))  # no degree of freedom
    assert math.isnan(cohens_d([], [1.0, 2.0]))
    assert math.isnan(safe_ratio(1.0, 0.0)) and math.isnan(safe_ratio(float("nan"), 1.0))
    assert safe_ratio(3.0, -2.0) == -1.5


def test_win_rate_ties_count_as_not_greater():
    rate, wins, ties = win_rate([2, 1, 3, 5], [1, 1, 4, 0])
    assert (rate, wins, ties) == (0.5, 2, 1)


def test_binomial_pvalue_matches_closed_form():
    # P(X >= 7 | n=10, p=.5) = (120 + 45 + 10 + 1) / 1024
    assert binom_greater_pvalue(7, 10) == pytest.approx(176 / 1024, rel=1e-12)
    assert math.isnan(binom_greater_pvalue(0, 0))


def test_bootstrap_is_seeded_and_brackets_estimate():
    rng = np.random.default_rng(1)
    groups = {"a": rng.normal(0.3, 1, 80)}
    ci1 = bootstrap_groups(groups, lambda g: g["a"].mean(1), 1000, seed=5)
    assert ci1 == bootstrap_groups(groups, lambda g: g["a"].mean(1), 1000, seed=5)
    assert ci1[0] <= groups["a"].mean() <= ci1[1]
    assert percentile_ci(np.arange(101.0)) == pytest.approx((2.5, 97.5))


def test_proportion_ci_is_exact_clopper_pearson():
    # 100/100: the lower bound is (alpha/2)^(1/n) = 0.025^(1/100), never the bootstrap's [1, 1]
    assert proportion_ci(100, 100) == pytest.approx((0.025 ** (1 / 100), 1.0))
    assert proportion_ci(0, 10) == pytest.approx((0.0, 1 - 0.025 ** (1 / 10)))
    lo, hi = proportion_ci(7, 10)  # beta quantiles by hand
    assert (lo, hi) == pytest.approx((stats.beta.ppf(0.025, 7, 4), stats.beta.ppf(0.975, 8, 3)))


def test_bh_matches_hand_computation_and_keeps_nan():
    p = [0.01, 0.04, float("nan"), 0.03]
    # sorted 0.01, 0.03, 0.04 over m=3: 0.03, min(0.045, 0.04)=0.04, 0.04
    assert bh_adjust(p)[[0, 1, 3]] == pytest.approx([0.03, 0.04, 0.04])
    assert math.isnan(bh_adjust(p)[2])


def test_summarize_mit_known_values():
    scores = {"A": [3, 4, 5, 3, 4, 5], "B": [1, 2, 3, 1, 2, 3], "C": [10, 11, 12, 13], "D": [0, 1, 2, 3],
              "E": [5, 1, 1, 2], "H": [6, 0, 1]}
    # E vs D by group: 5>0, 1=1 (tie), 1<2, 2<3 -> CSS 1/4; E vs H: 5<6, 1>0, 1=1 -> SCR 1/3
    m = summarize_mit(_table(scores), n_boot=200, seed=0)
    assert m["css"] == 0.25 and m["css_ties"] == 1 and m["css_n"] == 4
    assert m["css_pvalue"] == pytest.approx(stats.binomtest(1, 4, 0.5, alternative="greater").pvalue)
    assert m["scr"] == pytest.approx(1 / 3) and m["scr_ties"] == 1 and m["scr_n"] == 3
    assert m["mes_natural"] == pytest.approx(2.0 / math.sqrt(0.8))  # means 4 vs 2, both var 0.8
    sd = math.sqrt(((4 - 1) * np.var([10, 11, 12, 13], ddof=1) * 2) / 6)
    assert m["mes_synthetic"] == pytest.approx(10 / sd)
    assert m["cir"] == pytest.approx(m["mes_synthetic"] / m["mes_natural"])
    assert m["cm"] == pytest.approx((2.25 - 1.5) / (11.5 - 1.5))
    assert m["mean_E"] == 2.25 and m["n_H"] == 3 and m["n_F"] == 0 and math.isnan(m["mean_F"])
    for k in ("css", "mes_natural", "mes_synthetic", "cm"):
        assert m[f"{k}_ci_low"] <= m[k] <= m[f"{k}_ci_high"]
    assert m["notes"] == ""
    again, other = summarize_mit(_table(scores), n_boot=200, seed=0), summarize_mit(_table(scores), n_boot=200, seed=1)
    assert repr(again) == repr(m) and other["mes_synthetic_ci_low"] != m["mes_synthetic_ci_low"]


def test_mes_ci_nan_when_a_resample_has_zero_sd():
    m = summarize_mit(_table({"A": [3, 4, 5], "B": [1, 2, 3], "D": [0, 1], "E": [1, 2]}), n_boot=200)
    assert m["mes_natural"] == pytest.approx(2.0)
    assert math.isnan(m["mes_natural_ci_low"]) and "mes_natural CI" in m["notes"]


def test_ratio_undefined_when_its_denominator_interval_contains_zero():
    # A and B overlap with nearly equal means: MES natural ~ 0.04, its bootstrap changes sign.
    a, b = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [0.1, 0.9, 2.0, 3.0, 4.1, 4.7]
    m = summarize_mit(_table({"A": a, "B": b, "C": [10, 11, 12, 13], "D": [0, 1, 2, 3]}), n_boot=500, seed=0)
    assert m["mes_natural"] == pytest.approx(cohens_d(a, b)) and abs(m["mes_natural"]) < 0.1
    assert m["mes_natural_ci_low"] < 0 < m["mes_natural_ci_high"]
    assert math.isfinite(m["mes_synthetic"]) and math.isnan(m["cir"]) and math.isnan(m["cir_ci_low"])
    assert "cir: undefined (MES natural changes sign" in m["notes"]


def test_pairing_uses_group_not_row_order():
    t = _table({"D": [0, 10], "E": [11, 1]}, groups={"D": ["x", "y"], "E": ["y", "x"]})
    d, e = paired_scores(t, "D", "E")
    assert d.tolist() == [0, 10] and e.tolist() == [1, 11]
    assert summarize_mit(t, n_boot=50)["css"] == 1.0  # index pairing would give 0.5


def test_unmatched_groups_dropped_and_duplicates_rejected():
    t = _table({"D": [0, 1, 2], "E": [5, 5]}, groups={"D": ["a", "b", "c"], "E": ["a", "c"]})
    assert summarize_mit(t, n_boot=50)["css_n"] == 2
    dup = _table({"D": [0, 1], "E": [5, 5]}, groups={"D": ["a", "a"], "E": ["a", "b"]})
    with pytest.raises(ValueError, match="class 'D'.*'a'"):
        summarize_mit(dup)


def test_degenerate_tables_give_nan_with_notes():
    # No A/B, no H; C and D constant and equal -> MES synthetic undefined, CM 0/0
    m = summarize_mit(_table({"C": [1, 1], "D": [1, 1], "E": [2, 2]}), n_boot=50)
    assert m["css"] == 1.0 and m["css_ties"] == 0
    for k in ("scr", "scr_pvalue", "mes_natural", "mes_synthetic", "cir", "cm", "cm_ci_low"):
        assert math.isnan(m[k]), k
    assert not any(isinstance(v, float) and math.isinf(v) for v in m.values())
    assert "scr: no matched H/E pairs" in m["notes"] and "cm: undefined" in m["notes"]


def test_non_finite_score_rejected_naming_record():
    t = _table({"D": [0.0, float("inf")], "E": [1.0, 2.0]})
    with pytest.raises(ValueError, match="'D_1'"):
        summarize_mit(t)
