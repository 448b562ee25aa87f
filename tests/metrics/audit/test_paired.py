import numpy as np
import pandas as pd
import pytest

from mitbench.metrics.audit.paired import by_distance, compare, paired_bootstrap, signflip_pvalue


def test_signflip_exact_enumeration():
    # 5 positive differences: only all-plus and all-minus are as extreme -> 2 / 32
    assert signflip_pvalue(np.ones(5)) == pytest.approx(2 / 32)
    assert signflip_pvalue(np.zeros(7)) == 1.0  # no difference, no evidence
    assert np.isnan(signflip_pvalue(np.array([])))


def test_signflip_monte_carlo_is_plus_one_corrected():
    p = signflip_pvalue(np.ones(40), n_perm=999, seed=1)
    assert p == pytest.approx(1 / 1000)


def test_null_calibration_under_exchangeability():
    """Generated and natural drawn from one distribution: p-values ~ uniform (size at 5%)."""
    rng = np.random.default_rng(0)
    ps = np.array([signflip_pvalue(rng.normal(size=20) - rng.normal(size=20), n_perm=499, seed=i)
                   for i in range(300)])
    assert 0.02 <= (ps < 0.05).mean() <= 0.09  # binomial(300, 0.05): 99.9% within these bounds


def test_fold_change_undefined_when_denominator_can_be_zero():
    out = paired_bootstrap(np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.0, 1.0]), 500, 0)
    assert np.isnan(out["fold"]) and np.isnan(out["fold_lo"])
    out = paired_bootstrap(np.array([2.0, 4.0, 6.0]), np.array([1.0, 2.0, 3.0]), 500, 0)
    assert out["fold"] == pytest.approx(2.0) and out["fold_lo"] == pytest.approx(2.0) and out["diff"] == 2.0


def test_compare_bh_and_flags():
    rng = np.random.default_rng(1)
    n = 30
    real = pd.DataFrame({"direct_repeat_count": rng.poisson(20, n).astype(float), "g4_count": rng.poisson(5, n)})
    gen = pd.DataFrame({"direct_repeat_count": rng.poisson(3, n).astype(float), "g4_count": rng.poisson(5, n)})
    gen.loc[0, "g4_count"] = np.nan  # undefined in one window: that pair drops out
    t = compare(gen, real, n_perm=999, n_boot=200).set_index("metric")
    assert t.loc["direct_repeat_count", "flagged"] and not t.loc["g4_count", "flagged"]
    assert t.loc["g4_count", "n"] == n - 1
    assert t.loc["direct_repeat_count", "family"] == "repeats" and t.loc["g4_count", "family"] == "non-B DNA"
    assert (t["q"] >= t["p"]).all()


def test_by_distance_rows():
    g = pd.DataFrame({"window": [0, 0, 1, 1], "distance_bp": [0, 100, 0, 100], "x": [1.0, 5.0, 1.0, 7.0]})
    r = pd.DataFrame({"window": [0, 0, 1, 1], "distance_bp": [0, 100, 0, 100], "x": [1.0, 1.0, 1.0, 1.0]})
    t = by_distance(g, r, n_boot=100).set_index("distance_bp")
    assert t.loc[0, "diff"] == 0.0 and t.loc[100, "diff"] == 5.0 and t.loc[100, "fold"] == 6.0
