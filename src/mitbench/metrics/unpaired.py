"""Unpaired statistics of a contrast whose two sides were drawn independently.

When the sequences of two classes do not share backgrounds (the paper's released MIT: every class
has its own random backgrounds; any external set), pairing ``E_i`` with ``D_i`` by index is
arbitrary: a different, equally valid pairing gives a different CSS. Beside the index pairing, a
contrast of ``better`` over ``worse`` then gets (keys with ``<p>`` the contrast prefix, e.g. ``css``):

* ``<p>_auc`` — the all-pairs win rate: the fraction of the ``n1 × n2`` cross pairs in which the
  ``better`` sequence scores strictly higher (ties fail, the one tie rule; with no tied scores it
  is the AUC, i.e. Mann–Whitney ``U / (n1 n2)``), ``<p>_auc_ties`` the tied cross pairs;
* ``<p>_auc_ci_low``/``_ci_high`` — 95 % percentile bootstrap, each class resampled within itself
  (:func:`mitbench.metrics.stats.bootstrap_groups`);
* ``<p>_auc_pvalue`` — one-sided Mann–Whitney test of "``better`` tends to score higher"
  (``scipy.stats.mannwhitneyu``, ties mid-ranked);
* ``<p>_repair_low``/``_high`` (2.5 / 97.5 %), ``_min``/``_max`` — the index-paired win rate over
  ``n_repair`` random re-pairings (both sides permuted, the first ``min(n1, n2)`` compared, as the
  paper pairs): how much of the index-paired number is the arbitrary pairing.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats as _st

from mitbench.metrics.stats import bootstrap_groups, percentile_ci

NAN = float("nan")


def all_pairs_win_rate(better: np.ndarray, worse: np.ndarray) -> tuple[float, int, int]:
    """``(rate, wins, ties)`` over every cross pair of ``better`` (n1,) and ``worse`` (n2,)."""
    b, w = np.asarray(better, float), np.asarray(worse, float)
    if b.size == 0 or w.size == 0:
        return NAN, 0, 0
    wins = int((b[:, None] > w[None, :]).sum())
    ties = int((b[:, None] == w[None, :]).sum())
    return wins / (b.size * w.size), wins, ties


def repairing_rates(better: np.ndarray, worse: np.ndarray, n_repair: int, seed: int = 0) -> np.ndarray:
    """Index-paired win rates (ties fail) over ``n_repair`` random pairings, ``(n_repair,)``.

    A random pairing is a uniformly random one-to-one matching of ``min(n1, n2)`` sequences of each
    side: permuting the larger side and pairing its first ``min(n1, n2)`` with the smaller side in
    order draws exactly such matchings (permuting both would give the same distribution, twice the work).
    """
    b, w = np.asarray(better, float), np.asarray(worse, float)
    m = min(b.size, w.size)
    if m == 0 or n_repair < 1:
        return np.empty(0)
    rng = np.random.default_rng(seed)
    if b.size >= w.size:
        return (b[rng.random((n_repair, b.size)).argsort(1)[:, :m]] > w[None, :m]).mean(1)
    return (b[None, :m] > w[rng.random((n_repair, w.size)).argsort(1)[:, :m]]).mean(1)


def unpaired_block(prefix: str, better: np.ndarray, worse: np.ndarray, n_boot: int = 1000, seed: int = 0,
                   n_repair: int = 10000) -> dict[str, Any]:
    """The keys of the module docstring for one contrast; bootstrap and re-pairing keys are skipped
    when ``n_boot`` / ``n_repair`` is 0 (null copies)."""
    b, w = np.asarray(better, float), np.asarray(worse, float)
    rate, _, ties = all_pairs_win_rate(b, w)
    out: dict[str, Any] = {f"{prefix}_auc": rate, f"{prefix}_auc_ties": ties}
    if b.size == 0 or w.size == 0:
        return out
    out[f"{prefix}_auc_pvalue"] = float(_st.mannwhitneyu(b, w, alternative="greater").pvalue)
    if n_boot:
        out[f"{prefix}_auc_ci_low"], out[f"{prefix}_auc_ci_high"] = bootstrap_groups(
            {"better": b, "worse": w}, lambda g: (g["better"][:, :, None] > g["worse"][:, None, :]).mean((1, 2)),
            n_boot, seed)
    if n_repair:
        rates = repairing_rates(b, w, n_repair, seed)
        out[f"{prefix}_repair_low"], out[f"{prefix}_repair_high"] = percentile_ci(rates)
        out[f"{prefix}_repair_min"], out[f"{prefix}_repair_max"] = float(rates.min()), float(rates.max())
        out[f"{prefix}_repair_n"] = int(n_repair)
    return out
