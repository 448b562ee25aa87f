"""How a paired win rate (CSS, SCR) gets its p-value and its interval: the ``stats`` config group.

A win rate is ``wins / n`` over ``n`` pairs, ties counted as failures (the one tie rule). Two
policies, each a small class whose config node (``conf/stats/<name>.yaml``) is passed to the
metric functions (:func:`mitbench.metrics.mit.summary.summarize_mit`):

* :class:`ExactWinTest` (``stats=exact``, the default) — exact one-sided binomial test of
  ``P(win) > 0.5`` and the exact Clopper–Pearson interval (:mod:`mitbench.metrics.stats`).
* :class:`PaperWinTest` (``stats=paper``) — what the paper computed: a one-sided one-sample
  t-test of the 0/1 outcomes against 0.5 and a percentile bootstrap of their mean (the paper's
  was unseeded; here ``seed`` fixes it). The paper's q-values are Benjamini–Hochberg over its
  **family of 8** tests (5 gLMs + random, k-mer, PWM), measured from its released scores, not the
  5 gLMs its Appendix A.5 describes: BH is applied across runs (``compare``: the runs of one suite
  in a sweep; :mod:`mitbench.runs.reproduce`: the 8 released score files), never inside one run.

The t-test on 0/1 data is only approximately valid (100 pairs) and is undefined when every
outcome agrees; there the limit of the t statistic is used: ``p = 0`` when all pairs are wins,
``p = 1`` when none is (the paper's PWM baseline: 100 ties, CSS 0, p = 1, which its BH family
needs).
"""
from __future__ import annotations

import numpy as np
from scipy import stats as _st

from mitbench.metrics.stats import binom_greater_pvalue, bootstrap_groups, proportion_ci


def outcomes(wins: int, n: int) -> np.ndarray:
    """The 0/1 outcome vector of ``wins`` wins in ``n`` pairs, float64 ``(n,)`` (order is irrelevant
    to every statistic here)."""
    if not 0 <= wins <= n:
        raise ValueError(f"need 0 <= wins <= n, got wins={wins}, n={n}")
    return np.concatenate([np.ones(int(wins)), np.zeros(int(n - wins))])


def ttest_greater_pvalue(x: np.ndarray, mu: float = 0.5) -> float:
    """One-sided one-sample t-test p-value of ``mean(x) > mu``; NaN for fewer than 2 values.

    Zero variance (every value equal) takes the limit of the statistic: ``0.0`` when the mean is
    above ``mu``, ``1.0`` otherwise.
    """
    x = np.asarray(x, float)
    if x.size < 2:
        return float("nan")
    if np.ptp(x) == 0:
        return 0.0 if x[0] > mu else 1.0
    return float(_st.ttest_1samp(x, mu, alternative="greater").pvalue)


class ExactWinTest:
    """Exact binomial p-value and Clopper–Pearson interval (``stats=exact``, the default)."""

    name = "exact"
    description = ("exact one-sided binomial test of P(win) > 0.5 (ties fail) and exact Clopper-Pearson 95% "
                   "interval")

    def pvalue(self, wins: int, n: int) -> float:
        """One-sided p of ``P(win) > 0.5``; NaN when ``n == 0``."""
        return binom_greater_pvalue(wins, n)

    def ci(self, wins: int, n: int) -> tuple[float, float]:
        """95 % interval of the win rate."""
        return proportion_ci(wins, n)


class PaperWinTest:
    """The paper's statistics (``stats=paper``): one-sample t-test on the 0/1 wins and a percentile
    bootstrap of their mean.

    Parameters
    ----------
    n_boot : int
        Bootstrap resamples of the interval (the paper used 1,000).
    seed : int
        Bootstrap seed (the paper's was unseeded, so its printed intervals carry resampling noise
        of about ±0.01).
    """

    name = "paper"
    description = ("the paper's one-sided one-sample t-test of the 0/1 wins against 0.5 and percentile bootstrap "
                   "95% interval; q-values: BH over the paper's family of 8 runs")

    def __init__(self, n_boot: int = 1000, seed: int = 0) -> None:
        if n_boot < 1:
            raise ValueError(f"n_boot must be >= 1, got {n_boot}")
        self.n_boot, self.seed = int(n_boot), int(seed)

    def pvalue(self, wins: int, n: int) -> float:
        return ttest_greater_pvalue(outcomes(wins, n)) if n else float("nan")

    def ci(self, wins: int, n: int) -> tuple[float, float]:
        if n == 0:
            return float("nan"), float("nan")
        # the same draws as default_rng(seed).integers(0, n, (n_boot, n)), in blocks of bounded memory
        return bootstrap_groups({"x": outcomes(wins, n)}, lambda g: g["x"].mean(1), self.n_boot, self.seed)
