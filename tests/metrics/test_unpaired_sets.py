"""Unpaired comparison of two sets per metric (the audit's unprompted mode): hand-checked effects,
the false-positive rate under the null measured, power under a shift, BH across metrics."""
import numpy as np
import pandas as pd
import pytest

from mitbench.metrics.unpaired import compare_sets, set_effects, sets_by_distance


def test_set_effects_by_hand():
    e = set_effects(np.array([3.0, 4.0, np.nan]), np.array([1.0, 2.0, 3.0]), n_boot=200, seed=0)
    assert (e["n_generated"], e["n_natural"], e["n"]) == (2, 3, 2)
    assert e["mean_generated"] == 3.5 and e["mean_natural"] == 2.0 and e["diff"] == 1.5
    assert e["fold"] == pytest.approx(1.75) and e["fold_lo"] <= 1.75 <= e["fold_hi"]
    assert e["auc"] == pytest.approx(5 / 6)  # 3 > {1, 2}, 3 == 3 fails (ties fail), 4 > all
    assert 0 < e["p"] <= 1
    flat = set_effects(np.zeros(4), np.zeros(5), n_boot=50)
    assert flat["p"] == 1.0 and np.isnan(flat["fold"])


def test_false_positive_rate_under_the_null_and_power_under_a_shift():
    rng = np.random.default_rng(0)
    null_p = [set_effects(rng.normal(size=30), rng.normal(size=30), n_boot=0)["p"] for _ in range(400)]
    fpr = np.mean(np.array(null_p) < 0.05)
    assert 0.02 <= fpr <= 0.08  # nominal 0.05; 400 draws: binomial 95% range about 0.03-0.07
    shifted = [set_effects(rng.normal(1.0, 1, 30), rng.normal(size=30), n_boot=0)["p"] for _ in range(100)]
    assert np.mean(np.array(shifted) < 0.05) >= 0.9


def test_compare_sets_and_by_distance_tables():
    rng = np.random.default_rng(1)
    gen = pd.DataFrame({"a": rng.normal(2, 1, 20), "b": rng.normal(0, 1, 20)})
    real = pd.DataFrame({"a": rng.normal(0, 1, 25), "b": rng.normal(0, 1, 25)})
    t = compare_sets(gen, real, n_boot=100, family=lambda m: m.upper(), extra={"c": (np.ones(3), np.zeros(4))})
    assert list(t["metric"]) == ["a", "b", "c"] and list(t["family"]) == ["A", "B", "C"]
    assert t.loc[0, "flagged"] and not t.loc[1, "flagged"] and (t["q"] >= t["p"] - 1e-12).all()
    assert {"n", "mean_generated", "mean_natural", "diff", "diff_lo", "fold", "fold_hi", "p", "q", "auc"} <= set(t)
    gb = pd.DataFrame({"window": np.repeat(range(20), 2), "distance_bp": [0, 500] * 20, "a": rng.normal(size=40)})
    rb = pd.DataFrame({"window": np.repeat(range(25), 2), "distance_bp": [0, 500] * 25, "a": rng.normal(size=50)})
    d = sets_by_distance(gb, rb, n_boot=50)
    assert list(d["distance_bp"]) == [0, 500] and (d["n_generated"] == 20).all() and (d["n_natural"] == 25).all()


def test_one_sided_alternative_flags_only_an_excess():
    rng = np.random.default_rng(2)
    low, high, base = rng.normal(-2, 1, 30), rng.normal(2, 1, 30), rng.normal(0, 1, 30)
    two, one = set_effects(high, base, n_boot=0), set_effects(high, base, n_boot=0, alternative="greater")
    assert one["p"] == pytest.approx(two["p"] / 2)  # continuous data: the one-sided p is half the two-sided
    assert set_effects(low, base, n_boot=0)["p"] < 1e-6
    assert set_effects(low, base, n_boot=0, alternative="greater")["p"] > 0.999  # a deficit is not an excess
    with pytest.raises(ValueError, match="alternative"):
        set_effects(high, base, alternative="less")
    gen, real = pd.DataFrame({"memo_x": low, "k": low}), pd.DataFrame({"memo_x": base, "k": base})
    t = compare_sets(gen, real, n_boot=0, alternative=lambda m: "greater" if m.startswith("memo_") else "two-sided")
    assert list(t["alternative"]) == ["greater", "two-sided"]
    assert list(t["flagged"]) == [False, True]  # the same deficit: flagged two-sided only
