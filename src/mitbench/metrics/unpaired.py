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

Memory is ``O(n1 + n2)`` per resample, never ``O(n1 n2)``: cross pairs are counted from ranks
(:func:`cross_pair_counts`), and resamples and re-pairings are drawn in blocks of rows. The numbers
are identical to counting every pair (a 100 k-record set used to need a 2.3 TiB tensor).
:func:`peak_bytes` is the estimate a suite checks before anything is scored.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats as _st

from mitbench.metrics.stats import BOOT_BLOCK_BYTES, bootstrap_groups, percentile_ci

NAN = float("nan")
REPAIR_BLOCK_BYTES = 32 << 20  # re-pairing keys + their argsort held at once


def cross_pair_counts(better: np.ndarray, worse: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, ``#{(i, j): better[i] > worse[j]}`` and ``#{(i, j): better[i] == worse[j]}``.

    Parameters
    ----------
    better, worse : ndarray float64 (B, n1), (B, n2)
        Finite scores, one resample per row.

    Returns
    -------
    wins, ties : ndarray int64 (B,)

    Notes
    -----
    Scores are replaced by their rank among the distinct values of the block (``K`` of them); a
    per-row histogram of ``worse`` and its cumulative sum give, for every ``better`` value, the
    number of ``worse`` values below it and equal to it. ``O(B (n1 + n2 + K))`` memory and
    ``O(B (n1 + n2) log K)`` time; the counts are exact integers.
    """
    b, w = np.atleast_2d(np.asarray(better, float)), np.atleast_2d(np.asarray(worse, float))
    levels = np.unique(np.concatenate([b.ravel(), w.ravel()]))
    k, rows = levels.size, b.shape[0]
    offset = (np.arange(rows, dtype=np.int64) * k)[:, None]
    hist = np.bincount((np.searchsorted(levels, w) + offset).ravel(), minlength=rows * k).reshape(rows, k)
    below = np.cumsum(hist, axis=1) - hist
    at = np.searchsorted(levels, b)
    return np.take_along_axis(below, at, 1).sum(1), np.take_along_axis(hist, at, 1).sum(1)


def peak_bytes(n1: int, n2: int, n_boot: int, n_repair: int) -> int:
    """Upper estimate of the memory :func:`unpaired_block` allocates for classes of n1 and n2 scores.

    Fixed blocks (bootstrap draws and the statistic's histograms, re-pairing keys and argsort) plus
    ``O(n1 + n2)`` arrays; independent of ``n1 * n2``.
    """
    n = int(n1) + int(n2)
    boot = 4 * min(BOOT_BLOCK_BYTES, 16 * n * max(int(n_boot), 1)) if n_boot else 0  # draws, ranks, histogram
    repair = 3 * min(REPAIR_BLOCK_BYTES, 16 * max(n1, n2) * max(int(n_repair), 1)) if n_repair else 0
    return boot + repair + 64 * n


def all_pairs_win_rate(better: np.ndarray, worse: np.ndarray) -> tuple[float, int, int]:
    """``(rate, wins, ties)`` over every cross pair of ``better`` (n1,) and ``worse`` (n2,)."""
    b, w = np.asarray(better, float), np.asarray(worse, float)
    if b.size == 0 or w.size == 0:
        return NAN, 0, 0
    wins, ties = (int(c[0]) for c in cross_pair_counts(b[None, :], w[None, :]))
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
    rows = max(1, REPAIR_BLOCK_BYTES // (24 * max(b.size, w.size)))  # keys, argsort, gathered scores
    out = []
    for first in range(0, n_repair, rows):  # blocks of the same stream: identical to one big draw
        c = min(rows, n_repair - first)
        if b.size >= w.size:
            out.append((b[rng.random((c, b.size)).argsort(1)[:, :m]] > w[None, :m]).mean(1))
        else:
            out.append((b[None, :m] > w[rng.random((c, w.size)).argsort(1)[:, :m]]).mean(1))
    return np.concatenate(out)


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
            {"better": b, "worse": w}, lambda g: cross_pair_counts(g["better"], g["worse"])[0] / (b.size * w.size),
            n_boot, seed)
    if n_repair:
        rates = repairing_rates(b, w, n_repair, seed)
        out[f"{prefix}_repair_low"], out[f"{prefix}_repair_high"] = percentile_ci(rates)
        out[f"{prefix}_repair_min"], out[f"{prefix}_repair_max"] = float(rates.min()), float(rates.max())
        out[f"{prefix}_repair_n"] = int(n_repair)
    return out
