"""Unpaired statistics of independently drawn classes: all-pairs win rate, Mann-Whitney, re-pairing."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from mitbench.metrics.mit.summary import summarize_mit
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


def test_golden_values_of_the_pair_counting_algorithm():
    """Numbers of the all-pairs algorithm (every cross pair compared) this rank-based one replaced."""
    rng = np.random.default_rng(5)
    b, w = rng.normal(size=30), rng.normal(size=40)
    m = unpaired_block("css", b, w, n_boot=300, seed=3, n_repair=500)
    assert (m["css_auc"], m["css_auc_ci_low"], m["css_auc_ci_high"]) == (0.46, 0.3203958333333334, 0.6000416666666666)
    assert (m["css_repair_low"], m["css_repair_high"]) == (0.3333333333333333, 0.5666666666666667)
    ties = rng.integers(0, 5, 120).astype(float), rng.integers(0, 5, 90).astype(float)
    m = unpaired_block("css", *ties, n_boot=300, seed=3, n_repair=0)
    assert (m["css_auc"], m["css_auc_ties"]) == (0.40453703703703703, 2178)
    assert (m["css_auc_ci_low"], m["css_auc_ci_high"]) == (0.33938425925925925, 0.48431250000000003)


_BOUNDED = """
import resource, sys
import numpy as np
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # a (1000, n1, n2) tensor cannot be allocated
from mitbench.metrics.unpaired import unpaired_block
rng = np.random.default_rng(0)
m = unpaired_block("css", rng.normal(0.1, 1, 3000), rng.normal(0, 1, 3000), n_boot=1000, n_repair=1000)
print(m["css_auc_ci_low"] < m["css_auc"] < m["css_auc_ci_high"])
"""


def test_memory_is_linear_in_the_number_of_records():
    """1000 resamples of 3000 x 3000 scores (9 GB as one boolean tensor) within 2 GiB of address space."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-c", _BOUNDED], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "True", proc.stderr[-2000:]


def test_blocked_draws_equal_one_draw():
    from mitbench.metrics.stats import bootstrap_samples

    rng = np.random.default_rng(2)
    groups = {"b": rng.normal(size=37), "a": rng.normal(size=23), "c": rng.normal(size=11)}
    stat = lambda g: np.stack([g["a"].mean(1) - g["b"].mean(1), g["c"].std(1)])  # noqa: E731
    whole = bootstrap_samples(groups, stat, 257, seed=4)
    for block in (16 * 71, 16 * 71 * 10, 1):  # one row, ten rows, one row (the floor) per block
        assert np.array_equal(bootstrap_samples(groups, stat, 257, seed=4, block_bytes=block), whole)
