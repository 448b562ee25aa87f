"""stats=exact | paper: p-values and intervals of a paired win rate; the paper's BH family of 8."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from mitbench.metrics.mit.summary import summarize_mit
from mitbench.metrics.stats import bh_adjust, binom_greater_pvalue, proportion_ci
from mitbench.metrics.win_tests import ExactWinTest, PaperWinTest, outcomes, ttest_greater_pvalue


def test_ttest_matches_scipy_and_takes_the_limit_at_zero_variance():
    x = outcomes(63, 100)
    assert ttest_greater_pvalue(x) == pytest.approx(st.ttest_1samp(x, 0.5, alternative="greater").pvalue, rel=1e-12)
    # by hand: t = (0.63 - 0.5) / (s / 10), s^2 = 100 * 0.63 * 0.37 / 99
    t = 0.13 / math.sqrt(100 * 0.63 * 0.37 / 99) * 10
    assert ttest_greater_pvalue(x) == pytest.approx(st.t.sf(t, 99), rel=1e-10) == pytest.approx(0.00432, abs=1e-5)
    assert ttest_greater_pvalue(np.zeros(100)) == 1.0 and ttest_greater_pvalue(np.ones(10)) == 0.0
    assert math.isnan(ttest_greater_pvalue(np.ones(1)))
    with pytest.raises(ValueError):
        outcomes(5, 3)


def test_policies():
    exact, paper = ExactWinTest(), PaperWinTest(n_boot=2000, seed=3)
    assert exact.pvalue(63, 100) == binom_greater_pvalue(63, 100) and exact.ci(63, 100) == proportion_ci(63, 100)
    lo, hi = paper.ci(63, 100)
    assert lo < 0.63 < hi and paper.ci(63, 100) == (lo, hi)  # seeded: same interval twice
    assert abs((hi - lo) - 2 * 1.96 * math.sqrt(0.63 * 0.37 / 100)) < 0.03  # ~ the normal-approximation width
    assert paper.ci(0, 100) == (0.0, 0.0) and math.isnan(paper.pvalue(0, 0))
    with pytest.raises(ValueError):
        PaperWinTest(n_boot=0)


def test_paper_bh_family_of_8_from_hand_p_values():
    """The paper's five q-values follow from BH over 8 p-values (5 gLMs + random, k-mer, PWM), not 5."""
    p = [0.0043227, 0.0224674, 0.2132316, 0.3456283, 0.5786791, 0.5, 0.9186965, 1.0]
    q = bh_adjust(p)
    assert np.round(q[:5], 3).tolist() == [0.035, 0.09, 0.569, 0.691, 0.772]
    assert bh_adjust(p[:5])[0] == pytest.approx(0.0216, abs=1e-4)


def test_summarize_mit_with_paper_stats_changes_only_p_and_ci():
    rng = np.random.default_rng(0)
    d = rng.normal(size=100)
    e = d + np.where(np.arange(100) < 63, 1.0, -1.0)
    t = pd.DataFrame({"id": [f"D{i}" for i in range(100)] + [f"E{i}" for i in range(100)], "class": ["D"] * 100 + ["E"] * 100,
                      "score": np.r_[d, e], "group": [f"{i:03d}" for i in range(100)] * 2})
    a, b = summarize_mit(t, n_boot=0), summarize_mit(t, n_boot=0, stats=PaperWinTest())
    assert a["css"] == b["css"] == 0.63 and a["css_stats"] == "exact" and b["css_stats"] == "paper"
    assert a["css_pvalue"] == pytest.approx(binom_greater_pvalue(63, 100)) and b["css_pvalue"] == pytest.approx(0.00432, abs=1e-5)
    same = [k for k in a if k not in ("css_pvalue", "css_ci_low", "css_ci_high", "css_stats", "notes")
            and not (isinstance(a[k], float) and math.isnan(a[k]))]
    assert all(a[k] == b[k] for k in same)
