"""Equivalence per metric: margin, sign-flip TOST, MDE and status, on hand-built differences."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mitbench.metrics.audit import equivalence as eq
from mitbench.metrics.audit.paired import compare, signflip_pvalue


def _pairs(d: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Natural values with between-window SD exactly 1 (margin 0.5) and generated = natural + d."""
    r = np.random.default_rng(seed).normal(size=d.size)
    r = (r - r.mean()) / r.std(ddof=1)
    return r + d, r


def test_margin_is_delta_natural_sds_and_undefined_without_spread():
    assert eq.equivalence_margin(np.array([1.0, 3.0])) == pytest.approx(0.5 * np.sqrt(2))
    assert eq.equivalence_margin(np.array([1.0, 3.0]), delta=1.0) == pytest.approx(np.sqrt(2))
    assert np.isnan(eq.equivalence_margin(np.array([2.0])))
    assert np.isnan(eq.equivalence_margin(np.full(10, 7.0)))  # no natural spread: nothing to measure against


def test_tost_exact_enumeration_golden():
    # d = 0, margin 1, n = 4: d + 1 > 0 everywhere, only the identity pattern is as extreme -> 1/16 each side
    assert eq.tost_pvalues(np.zeros(4), 1.0) == (pytest.approx(1 / 16), pytest.approx(1 / 16))
    # mean(d) = 0.5 of margin 1 (n = 3, exact): upper side d - 1 = [-1, -0.5, 0]; patterns with a mean
    # <= -0.5: flip none or only the 0 -> 2/8; lower side d + 1 = [1, 1.5, 2]: identity only -> 1/8
    p_lo, p_hi = eq.tost_pvalues(np.array([0.0, 0.5, 1.0]), 1.0)
    assert (p_lo, p_hi) == (pytest.approx(1 / 8), pytest.approx(2 / 8))
    assert eq.tost_pvalue(np.array([0.0, 0.5, 1.0]), 1.0) == pytest.approx(2 / 8)
    assert np.isnan(eq.tost_pvalue(np.zeros(5), float("nan"))) and np.isnan(eq.tost_pvalue(np.array([]), 1.0))


def test_tost_monte_carlo_is_plus_one_corrected():
    assert eq.tost_pvalue(np.zeros(40), 1.0, n_perm=999, seed=3) == pytest.approx(1 / 1000)


def test_tost_size_at_the_margin_and_power_inside_it():
    """d ~ N(margin, 1): H0 holds at its boundary, the TOST rejects ~5% (binomial(400, 0.05): 99.9% in
    [0.015, 0.085]); d ~ N(0, 1) with margin 0.8, n = 30: the t-approximation's power is 0.99."""
    rng = np.random.default_rng(0)
    ps = np.array([eq.tost_pvalue(rng.normal(0.4, 1.0, 30), 0.4, n_perm=199, seed=i) for i in range(400)])
    assert 0.015 <= (ps < 0.05).mean() <= 0.085
    ps = np.array([eq.tost_pvalue(rng.normal(0.0, 1.0, 30), 0.8, n_perm=199, seed=i) for i in range(400)])
    assert (ps < 0.05).mean() >= 0.95


def test_compare_equivalent_when_differences_are_well_inside_the_margin():
    n = 40
    d = 0.05 * np.where(np.arange(n) % 2, 1.0, -1.0)  # |d| = 0.1 x margin, mean 0
    cols = {}
    for j, name in enumerate(("direct_repeat_count", "g4_count", "gene_count")):
        cols[name] = _pairs(d, seed=j)
    gen = pd.DataFrame({k: g for k, (g, _) in cols.items()})
    real = pd.DataFrame({k: r for k, (_, r) in cols.items()})
    t = compare(gen, real, n_perm=999, n_boot=100).set_index("metric")
    assert t["margin"].tolist() == pytest.approx([0.5] * 3) and t["sd_natural"].tolist() == pytest.approx([1.0] * 3)
    assert t["tost_p"].tolist() == pytest.approx([1 / 1000] * 3) and (t["tost_q"] < 0.05).all()
    assert (t["status"] == eq.EQUIVALENT).all() and not t["flagged"].any()
    # MDE of the paired t-test from SD(d): lambda(40) * 0.05 * sqrt(40/39) / sqrt(40)
    assert t["mde"].tolist() == pytest.approx([eq.noncentrality(40) * 0.05 * np.sqrt(40 / 39) / np.sqrt(40)] * 3)


def test_compare_different_on_a_real_shift_and_not_enough_data_at_4_windows():
    rng = np.random.default_rng(2)
    g, r = _pairs(1.0 + 0.3 * rng.normal(size=40))  # a shift of 2 margins
    t = compare(pd.DataFrame({"gene_count": g}), pd.DataFrame({"gene_count": r}), n_perm=999, n_boot=100).iloc[0]
    assert t["flagged"] and t["status"] == eq.DIFFERENT and t["tost_p"] > 0.5
    d = 0.05 * np.array([1.0, -1.0, 1.0, -1.0])  # as well inside the margin as above, but 4 windows
    g, r = _pairs(d)
    t = compare(pd.DataFrame({"gene_count": g}), pd.DataFrame({"gene_count": r}), n_perm=999, n_boot=100).iloc[0]
    assert t["tost_p"] == pytest.approx(1 / 16) and t["status"] == eq.NOT_ENOUGH_DATA and not t["flagged"]
    assert signflip_pvalue(d) == 1.0


def test_status_different_wins_and_nan_is_not_equivalent():
    s = eq.status(np.array([True, False, False, False]), np.array([0.01, 0.01, 0.2, np.nan]))
    assert s.tolist() == [eq.DIFFERENT, eq.EQUIVALENT, eq.NOT_ENOUGH_DATA, eq.NOT_ENOUGH_DATA]


def test_noncentrality_against_scipy_and_the_normal_limit():
    for n in (5, 10, 40, 80):
        lam = eq.noncentrality(n)
        crit = stats.t.ppf(0.975, n - 1)
        power = stats.nct.sf(crit, n - 1, lam) + stats.nct.cdf(-crit, n - 1, lam)
        assert power == pytest.approx(0.8, abs=1e-8)
    assert eq.noncentrality(100_000) == pytest.approx(stats.norm.ppf(0.975) + stats.norm.ppf(0.8), abs=1e-3)
    assert eq.noncentrality(40) == pytest.approx(2.873, abs=1e-3) and np.isnan(eq.noncentrality(1))


def test_mde_has_80_percent_power_by_simulation():
    """At a true shift of the MDE, the two-sided t-test rejects in 80% of 4,000 samples (±0.025: ~4 binomial SDs);
    the sign-flip test, in 300 samples, within ±0.08 of it."""
    rng = np.random.default_rng(5)
    n, sd = 20, 2.0
    shift = eq.noncentrality(n) * sd / np.sqrt(n)
    draws = rng.normal(shift, sd, size=(4000, n))
    assert eq.mde(draws[0]) == pytest.approx(eq.noncentrality(n) * draws[0].std(ddof=1) / np.sqrt(n))
    t_power = (stats.ttest_1samp(draws, 0.0, axis=1).pvalue < 0.05).mean()
    assert t_power == pytest.approx(0.8, abs=0.025)
    sf_power = np.mean([signflip_pvalue(x, n_perm=499, seed=i) < 0.05 for i, x in enumerate(draws[:300])])
    assert sf_power == pytest.approx(0.8, abs=0.08)


def test_mde_fold_and_undefined_cases():
    assert eq.mde_fold(0.5, 2.0) == pytest.approx(1.25) and eq.mde_fold(0.5, -2.0) == pytest.approx(1.25)
    assert np.isnan(eq.mde_fold(0.5, 0.0)) and np.isnan(eq.mde_fold(float("nan"), 1.0))
    assert np.isnan(eq.mde(np.array([1.0]))) and np.isnan(eq.mde(np.full(5, 3.0)))
