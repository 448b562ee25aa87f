"""Unpaired statistics of independently drawn classes: all-pairs win rate, Mann-Whitney, re-pairing."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from mitbench.metrics.mit import summarize_mit
from mitbench.metrics.unpaired import all_pairs_win_rate, repairing_rates, unpaired_block


def test_all_pairs_win_rate_counts_ties_as_failures():
    assert all_pairs_win_rate([3.0, 1.0], [1.0, 2.0]) == (0.5, 2, 1)  # 3>1, 3>2 win; 1=1 tie; 1<2
    rng = np.random.default_rng(1)
    b, w = rng.normal(size=40), rng.normal(size=30)
    u = st.mannwhitneyu(b, w).statistic
    assert all_pairs_win_rate(b, w)[0] == pytest.approx(u / (40 * 30))  # no ties: the AUC


def test_repairing_rates():
    assert set(repairing_rates(np.arange(5.0) + 10, np.arange(5.0), 200)) == {1.0}
    assert set(repairing_rates(np.ones(4), np.ones(4), 50)) == {0.0}  # ties fail
    r = repairing_rates(np.arange(100.0), np.arange(100.0)[::-1], 3000, seed=2)
    assert r.shape == (3000,) and abs(r.mean() - 0.495) < 0.01  # P(x > y) for two random ranks of 100
    assert repairing_rates(np.arange(100.0), np.arange(50.0), 10).shape == (10,)  # min(n1, n2) compared


def test_unpaired_block_keys_and_skips():
    rng = np.random.default_rng(0)
    b, w = rng.normal(0.5, 1, 100), rng.normal(0, 1, 100)
    full = unpaired_block("css", b, w, n_boot=300, seed=1, n_repair=500)
    assert full["css_auc_ci_low"] < full["css_auc"] < full["css_auc_ci_high"] and full["css_auc_ties"] == 0
    assert full["css_auc_pvalue"] == pytest.approx(st.mannwhitneyu(b, w, alternative="greater").pvalue)
    assert full["css_repair_min"] <= full["css_repair_low"] <= full["css_repair_high"] <= full["css_repair_max"]
    quick = unpaired_block("css", b, w, n_boot=0, n_repair=0)
    assert set(quick) == {"css_auc", "css_auc_ties", "css_auc_pvalue"}


def test_summarize_mit_unpaired_keys_only_on_request():
    t = pd.DataFrame({"id": ["d0", "d1", "e0", "e1", "h0"], "class": list("DDEEH"), "score": [0.0, 2.0, 1.0, 3.0, 1.0],
                      "group": ["0", "1", "0", "1", "0"]})
    assert "css_auc" not in summarize_mit(t, n_boot=0)
    m = summarize_mit(t, n_boot=0, unpaired=True, n_repair=20)
    assert m["css_auc"] == 0.75 and m["scr_auc"] == 0.5 and m["scr_auc_ties"] == 1  # E {1,3} vs H {1}
