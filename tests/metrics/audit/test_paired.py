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


def test_greater_alternative_is_one_sided():
    # 5 positive differences: only all-plus is as large -> 1 / 32; all negative -> every pattern is >= it
    assert signflip_pvalue(np.ones(5), alternative="greater") == pytest.approx(1 / 32)
    assert signflip_pvalue(-np.ones(5), alternative="greater") == 1.0
    assert signflip_pvalue(np.ones(40), n_perm=999, seed=1, alternative="greater") == pytest.approx(1 / 1000)
    with pytest.raises(ValueError, match="alternative must be"):
        signflip_pvalue(np.ones(5), alternative="less")
    # under the null the one-sided p is uniform too: size at 5 %
    rng = np.random.default_rng(2)
    ps = np.array([signflip_pvalue(rng.normal(size=20) - rng.normal(size=20), n_perm=499, seed=i,
                                   alternative="greater") for i in range(300)])
    assert 0.02 <= (ps < 0.05).mean() <= 0.09


def _shifted(n=40, shift=0.0, seed=3):
    """Hand-built pairs: natural ~ N(50, 10); generated = natural's twin + shift (and the same noise)."""
    rng = np.random.default_rng(seed)
    real = rng.normal(50, 10, n)
    gen = rng.normal(50, 10, n) + shift
    return gen, real


def test_memo_metrics_are_flagged_only_for_longer_matches():
    """A deficit of long matches (negative shift) is not memorisation: not flagged for memo_*; the same
    negative shift on a two-sided metric is. A positive shift is flagged for both."""
    down_g, down_r = _shifted(shift=-20.0)
    up_g, up_r = _shifted(shift=20.0, seed=4)
    gen = pd.DataFrame({"memo_longest_bp": down_g, "memo_train_frac_ge50": up_g, "direct_repeat_count": down_g})
    real = pd.DataFrame({"memo_longest_bp": down_r, "memo_train_frac_ge50": up_r, "direct_repeat_count": down_r})
    t = compare(gen, real, n_perm=999, n_boot=100).set_index("metric")
    assert t.loc["memo_longest_bp", "alternative"] == "greater" and t.loc["memo_longest_bp", "p"] > 0.99
    assert not t.loc["memo_longest_bp", "flagged"]
    assert t.loc["memo_train_frac_ge50", "alternative"] == "greater" and t.loc["memo_train_frac_ge50", "flagged"]
    assert t.loc["direct_repeat_count", "alternative"] == "two-sided" and t.loc["direct_repeat_count", "flagged"]
    # the one-sided p of an upward shift is at most the two-sided one; the TOST does not change with the side
    two = signflip_pvalue(up_g - up_r, 999, 1, "two-sided")
    assert t.loc["memo_train_frac_ge50", "p"] <= two
    same = compare(gen.rename(columns={"memo_longest_bp": "x"}), real.rename(columns={"memo_longest_bp": "x"}),
                   n_perm=999, n_boot=100).set_index("metric")
    assert same.loc["x", "tost_p"] == t.loc["memo_longest_bp", "tost_p"]
    assert same.loc["x", "flagged"] and same.loc["x", "mde"] == t.loc["memo_longest_bp", "mde"]


def test_by_distance_flags_memorisation_near_the_seed_only():
    """A copy that stops: generated matches far longer than natural in bin 0, the same in bins 1-2,
    shorter (no repeats) in bin 3. Per-bin flags: bin 0 only (BH within the metric across bins)."""
    rng = np.random.default_rng(5)
    n, bins = 30, [0, 1000, 2000, 3000]
    rows_g, rows_r = [], []
    for w in range(n):
        for b in bins:
            r = rng.normal(40, 8)
            g = {0: 900.0, 1000: rng.normal(40, 8), 2000: rng.normal(40, 8), 3000: 10.0}[b]
            rows_g.append({"window": w, "distance_bp": b, "memo_longest_bp": g, "gene_count": g})
            rows_r.append({"window": w, "distance_bp": b, "memo_longest_bp": r, "gene_count": r})
    t = by_distance(pd.DataFrame(rows_g), pd.DataFrame(rows_r), n_boot=100, n_perm=999)
    memo = t[t["metric"] == "memo_longest_bp"].set_index("distance_bp")
    assert memo["flagged"].tolist() == [True, False, False, False]
    assert (memo["alternative"] == "greater").all() and memo.loc[3000, "p"] > 0.99
    other = t[t["metric"] == "gene_count"].set_index("distance_bp")
    assert other["flagged"].tolist() == [True, False, False, True]  # two-sided: the deficit is flagged
    # BH within the metric: q >= p, and each metric's bins adjusted on their own
    assert (t["q"] >= t["p"] - 1e-12).all()
    from mitbench.metrics.stats import bh_adjust
    assert np.allclose(memo["q"], bh_adjust(memo["p"].to_numpy()))
