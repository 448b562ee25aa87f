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

Sets of sequences that are not paired at all (the audit's unprompted mode: generated sequences vs
natural windows of the same length) are compared metric by metric with :func:`compare_sets`: means,
difference and fold change with set-wise bootstrap CIs, the all-pairs win rate, a two-sided
Mann–Whitney test and Benjamini–Hochberg across metrics (:func:`sets_by_distance` per distance bin).

Memory is ``O(n1 + n2)`` per resample, never ``O(n1 n2)``: cross pairs are counted from ranks
(:func:`cross_pair_counts`), and resamples and re-pairings are drawn in blocks of rows. The numbers
are identical to counting every pair (a 100 k-record set used to need a 2.3 TiB tensor).
:func:`peak_bytes` is the estimate a suite checks before anything is scored.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd
from scipy import stats as _st

from mitbench.metrics.stats import (BOOT_BLOCK_BYTES, bh_adjust, bootstrap_groups, bootstrap_samples,
                                   difference_and_fold, percentile_ci)

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


def set_effects(generated: np.ndarray, natural: np.ndarray, n_boot: int = 1000, seed: int = 0,
                alternative: str = "two-sided") -> dict[str, Any]:
    """Two independently drawn sets of one metric: means, their difference and fold change with
    percentile CIs (each set resampled within itself), the all-pairs win rate of ``generated`` over
    ``natural`` (``auc``, ties fail) with its CI, and a Mann–Whitney p-value: two-sided
    (``2 min(p_greater, p_less)``, capped at 1) or, for ``alternative="greater"``, one-sided
    (H1: ``generated`` tends to exceed ``natural``); 1 when every value of both sets is equal.

    Keys: ``n`` (the smaller set), ``n_generated``, ``n_natural``, ``mean_generated``, ``mean_natural``,
    ``diff``, ``diff_lo``, ``diff_hi``, ``fold``, ``fold_lo``, ``fold_hi`` (NaN when the natural mean's
    replicates touch 0), ``auc``, ``auc_lo``, ``auc_hi``, ``p``. Non-finite values are dropped first.
    """
    if alternative not in ("two-sided", "greater"):
        raise ValueError(f"alternative must be 'two-sided' or 'greater', got {alternative!r}")
    g, r = (np.asarray(x, float) for x in (generated, natural))
    g, r = g[np.isfinite(g)], r[np.isfinite(r)]
    out: dict[str, Any] = {"n": int(min(g.size, r.size)), "n_generated": int(g.size), "n_natural": int(r.size)}
    keys = ("mean_generated", "mean_natural", "diff", "diff_lo", "diff_hi", "fold", "fold_lo", "fold_hi",
            "auc", "auc_lo", "auc_hi", "p")
    if g.size == 0 or r.size == 0:
        return {**out, **dict.fromkeys(keys, NAN)}
    gm, rm = float(g.mean()), float(r.mean())
    out.update(mean_generated=gm, mean_natural=rm)
    means = (bootstrap_samples({"g": g, "r": r}, lambda s: np.stack([s["g"].mean(-1), s["r"].mean(-1)]), n_boot, seed)
             if n_boot else (None, None))  # each set resampled within itself
    out.update(difference_and_fold(gm, rm, means[0], means[1]))
    up = unpaired_block("x", g, r, n_boot=n_boot, seed=seed, n_repair=0)
    out["auc"], out["auc_lo"], out["auc_hi"] = up["x_auc"], up.get("x_auc_ci_low", NAN), up.get("x_auc_ci_high", NAN)
    if np.ptp(np.concatenate([g, r])) <= 1e-12 * max(1.0, float(np.abs(np.concatenate([g, r])).max())):
        out["p"] = 1.0  # near-zero variance is zero: no evidence either way
    else:  # scipy's two-sided p is min(1, 2 min(p_greater, p_less))
        out["p"] = float(_st.mannwhitneyu(g, r, alternative=alternative).pvalue)
    return out


def compare_sets(gen: pd.DataFrame, real: pd.DataFrame, n_boot: int = 1000, seed: int = 0,
                 extra: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
                 family: Callable[[str], str] | None = None, alpha: float = 0.05,
                 alternative: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Per-metric unpaired comparison of two sets (rows are NOT paired), Benjamini–Hochberg across metrics.

    Parameters
    ----------
    gen, real : DataFrame (n_generated, n_metrics), (n_natural, n_metrics)
        One row per sequence of each set, the same metric columns.
    extra : dict, optional
        Further ``{metric: (generated values, natural values)}``.
    family : callable, optional
        Metric name -> family name, written to a ``family`` column.
    alternative : callable, optional
        Metric name -> ``"two-sided"`` (the default for every metric) or ``"greater"`` (one-sided:
        flagged only when generated exceeds natural), written to an ``alternative`` column.

    Returns
    -------
    DataFrame
        One row per metric: ``metric, [family,] alternative,`` the keys of :func:`set_effects`, ``q, flagged``
        (``q < alpha``): the columns of the paired table, plus the set sizes and ``auc``.
    """
    pairs = {m: (gen[m].to_numpy(float), real[m].to_numpy(float)) for m in gen.columns}
    pairs.update(extra or {})
    alt = alternative or (lambda _m: "two-sided")
    rows = [{"metric": m, **({"family": family(m)} if family else {}), "alternative": alt(m),
             **set_effects(g, r, n_boot, seed + i, alt(m))} for i, (m, (g, r)) in enumerate(pairs.items())]
    table = pd.DataFrame(rows)
    table["q"] = bh_adjust(table["p"].to_numpy())
    table["flagged"] = table["q"] < alpha
    return table


def sets_by_distance(gen_bins: pd.DataFrame, real_bins: pd.DataFrame, n_boot: int = 1000, seed: int = 0,
                     family: Callable[[str], str] | None = None) -> pd.DataFrame:
    """:func:`set_effects` per metric and distance bin (``gen_bins``/``real_bins`` have columns
    ``window, distance_bp`` and the metrics; the sets are compared bin by bin, unpaired)."""
    rows = []
    metrics = [c for c in gen_bins.columns if c not in ("window", "distance_bp")]
    for j, (dist, g_part) in enumerate(gen_bins.groupby("distance_bp", sort=True)):
        r_part = real_bins[real_bins["distance_bp"] == dist]
        for i, m in enumerate(metrics):
            eff = set_effects(g_part[m].to_numpy(float), r_part[m].to_numpy(float), n_boot, seed + 1000 * j + i)
            eff.pop("p")
            rows.append({"metric": m, **({"family": family(m)} if family else {}), "distance_bp": int(dist), **eff})
    return pd.DataFrame(rows)
