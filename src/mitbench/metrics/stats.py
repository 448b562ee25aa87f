"""Statistical primitives behind the MIT metrics: effect sizes, paired win rates, exact tests,
seeded bootstrap intervals and Benjamini–Hochberg adjustment.

Conventions
-----------
* Every function is pure and deterministic given its ``seed``; randomness comes only from
  ``numpy.random.default_rng(seed)``.
* Undefined quantities are ``nan``, never ``inf`` and never a silent cap: a ratio whose
  denominator is zero, Cohen's d with zero pooled standard deviation, a win rate over zero
  pairs. Callers report the reason (see :func:`mitbench.metrics.mit.summary.summarize_mit` ``notes``).
* Near-zero variance is zero: a standard deviation below :data:`REL_TOL` times the scores'
  magnitude is float noise (e.g. sums that differ only in their last bits), not an effect.
* Proportions get exact (Clopper–Pearson) intervals; a percentile bootstrap of 100/100 wins would
  print [1, 1].
* Bootstrap intervals are **numpy percentile bootstraps** (not ``scipy.stats.bootstrap``): the
  statistics here are often degenerate (a win rate of 1.0 in every resample), where BCa's
  acceleration estimate is undefined; the percentile interval stays well defined and is
  reproducible byte for byte from ``seed``.
* Memory is bounded, not ``O(n_boot x n)``: :func:`bootstrap_samples` draws the resamples in
  blocks of rows (:data:`BOOT_BLOCK_BYTES` of draws) from the same generator stream, so the
  replicates are identical to drawing all of them at once.
"""
from __future__ import annotations

import copy
from typing import Callable, Sequence

import numpy as np
from scipy import stats as _st

Array = np.ndarray
BOOT_BLOCK_BYTES = 32 << 20  # resample indices + values held at once (16 bytes per drawn score)
REL_TOL = 1e-9  # |sd| <= REL_TOL * max|score| counts as zero spread (float64 noise is ~1e-16 relative)


def safe_ratio(num: float, den: float) -> float:
    """``num / den``, or ``nan`` when ``den`` is zero or either value is non-finite."""
    num, den = float(num), float(den)
    if den == 0.0 or not (np.isfinite(num) and np.isfinite(den)):
        return float("nan")
    return num / den


def cohens_d(x: Sequence[float], y: Sequence[float]) -> float:
    """Cohen's d of ``x`` over ``y`` with the pooled standard deviation (ddof=1).

    Parameters
    ----------
    x, y : array_like of float, shapes (n1,), (n2,)
        Scores of the "intact" and "broken" groups (positive d = x scores higher).

    Returns
    -------
    float
        ``(mean(x) - mean(y)) / s_pooled`` with
        ``s_pooled² = ((n1-1) s_x² + (n2-1) s_y²) / (n1 + n2 - 2)``.
        ``nan`` when n1 < 1, n2 < 1, n1 + n2 < 3 (no degree of freedom), or when
        ``s_pooled <= REL_TOL * max|score|`` (both groups constant up to float noise: the
        standardised effect is undefined, even if the means differ).
    """
    d = cohens_d_batch(np.asarray(x, float)[None, :], np.asarray(y, float)[None, :])
    return float(d[0])


def cohens_d_batch(x: Array, y: Array) -> Array:
    """Row-wise :func:`cohens_d` for bootstrap resamples: ``x`` (B, n1), ``y`` (B, n2) -> (B,)."""
    n1, n2 = x.shape[1], y.shape[1]
    if n1 < 1 or n2 < 1 or n1 + n2 < 3:
        return np.full(x.shape[0], np.nan)
    ss1 = ((x - x.mean(1, keepdims=True)) ** 2).sum(1)
    ss2 = ((y - y.mean(1, keepdims=True)) ** 2).sum(1)
    sd = np.sqrt((ss1 + ss2) / (n1 + n2 - 2))
    diff = x.mean(1) - y.mean(1)
    ok = sd > REL_TOL * np.maximum(np.abs(x).max(1), np.abs(y).max(1))  # near-zero spread is zero
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, diff / np.where(ok, sd, 1.0), np.nan)


def win_rate(a: Sequence[float], b: Sequence[float]) -> tuple[float, int, int]:
    """Fraction of matched pairs with ``a[i] > b[i]`` (ties count as *not* greater).

    Returns
    -------
    rate : float
        ``wins / n``; ``nan`` when ``n == 0``.
    wins, ties : int
        Number of pairs with ``a > b`` and with ``a == b``.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError(f"paired arrays differ in shape: {a.shape} vs {b.shape}")
    wins, ties = int((a > b).sum()), int((a == b).sum())
    return (wins / a.size if a.size else float("nan")), wins, ties


def correlation(x: Sequence[float], y: Sequence[float], method: str = "pearson") -> tuple[float, float]:
    """Pearson or Spearman correlation and its two-sided p-value, guarded for degenerate input.

    Parameters
    ----------
    x, y : array_like of float, shape (n,)
        Paired values (NaN pairs are dropped).
    method : {"pearson", "spearman"}

    Returns
    -------
    r, p : float
        ``(nan, nan)`` when fewer than 3 complete pairs remain or either input is constant
        (zero range): a correlation with a constant is undefined, not 0.
    """
    x, y = np.asarray(x, float).ravel(), np.asarray(y, float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"correlation of arrays of different shapes: {x.shape} vs {y.shape}")
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan"), float("nan")
    if method == "pearson":
        res = _st.pearsonr(x, y)
    elif method == "spearman":
        res = _st.spearmanr(x, y)
    else:
        raise ValueError(f"method must be 'pearson' or 'spearman', got {method!r}")
    return float(res[0]), float(res[1])


def average_ranks(a: Array) -> Array:
    """Row-wise ranks 1..n of ``a`` (B, n), ties given their average rank (as ``scipy.stats.rankdata``),
    vectorised over rows for bootstrap replicates."""
    a = np.asarray(a, float)
    b, n = a.shape
    order = np.argsort(a, axis=1, kind="mergesort")
    sorted_a = np.take_along_axis(a, order, axis=1)
    starts = np.ones((b, n), dtype=bool)
    starts[:, 1:] = sorted_a[:, 1:] != sorted_a[:, :-1]
    group = np.cumsum(starts, axis=1) - 1 + (np.arange(b) * n)[:, None]  # unique tie-group id per row
    pos = np.broadcast_to(np.arange(1, n + 1, dtype=float), (b, n))
    mean_rank = np.bincount(group.ravel(), weights=pos.ravel(), minlength=b * n) / np.maximum(
        np.bincount(group.ravel(), minlength=b * n), 1)
    ranks = np.empty((b, n))
    np.put_along_axis(ranks, order, mean_rank[group], axis=1)
    return ranks


def spearman_rows(x: Array, y: Array) -> Array:
    """Spearman correlation of each row pair of ``x``, ``y`` (B, n) -> (B,); NaN for a constant row."""
    rx, ry = average_ranks(x), average_ranks(y)
    rx -= rx.mean(1, keepdims=True)
    ry -= ry.mean(1, keepdims=True)
    den = np.sqrt((rx ** 2).sum(1) * (ry ** 2).sum(1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (rx * ry).sum(1) / np.where(den > 0, den, 1.0), np.nan)


def proportion_ci(wins: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval of a proportion ``wins / n``; ``(nan, nan)`` if ``n == 0``."""
    if n == 0:
        return float("nan"), float("nan")
    ci = _st.binomtest(int(wins), int(n)).proportion_ci(confidence_level=level, method="exact")
    return float(ci.low), float(ci.high)


def edit_consistency(a: Sequence[float], b: Sequence[float]) -> float:
    """Share of pairs moving the same way: ``max(#{a > b}, #{a < b}) / n`` (ties move neither way).

    Near 1 when every pair applies the same edit and the scorer is a fixed function: then the
    pairs are not independent replicates and a binomial test over them says little.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.size == 0:
        return float("nan")
    return float(max((a > b).sum(), (a < b).sum()) / a.size)


def null_pvalue(value: float, null: Sequence[float], higher_is_better: bool) -> float:
    """Empirical p of ``value`` against a null sample, with the +1 correction.

    ``(1 + #{null at least as good as value}) / (n + 1)``, "good" in the metric's direction; a null
    value equal to ``value`` counts against it (the tie rule). Never below ``1 / (n + 1)``; NaN when
    ``value`` is not finite or the null has no finite value.
    """
    v = np.asarray(null, float)
    v = v[np.isfinite(v)]
    if not np.isfinite(value) or v.size == 0:
        return float("nan")
    k = (v >= value).sum() if higher_is_better else (v <= value).sum()
    return float((1 + k) / (v.size + 1))


def signflip_pvalue(values: Sequence[int]) -> float:
    """Exact one-sided sign-flip randomisation p of ``sum(values) > 0`` for integer values.

    Under the null each value is symmetric about 0, independently (``x_i`` and ``-x_i`` equally
    likely): ``p = P(sum_i eps_i |x_i| >= sum_i x_i)`` over all ``2^n`` sign vectors ``eps``, computed
    exactly by convolving the two-point distributions (no Monte Carlo). Zeros contribute nothing;
    with no non-zero value ``p = 1``. Smallest possible value ``2^-n'`` (``n'`` non-zero values).

    Parameters
    ----------
    values : sequence of int
        One integer statistic per independent unit (e.g. per background, on a lattice).
    """
    x = np.abs(np.asarray(values, dtype=np.int64))
    observed = int(np.sum(np.asarray(values, dtype=np.int64)))
    x = x[x > 0]
    if x.size == 0:
        return 1.0
    total = int(x.sum())
    dist = np.zeros(2 * total + 1)  # index = sum + total
    dist[total] = 1.0
    for v in x.tolist():
        dist = 0.5 * (np.roll(dist, v) + np.roll(dist, -v))  # no wrap-around: |sum| <= total throughout
    return float(min(1.0, dist[observed + total:].sum()))


def binom_greater_pvalue(wins: int, n: int, p0: float = 0.5) -> float:
    """Exact one-sided binomial p-value for ``P(win) > p0`` given ``wins`` of ``n`` pairs.

    With ties counted as non-wins (as in CSS) this is the exact test of the statistic as
    defined; it is conservative relative to a sign test that drops ties. ``nan`` if ``n == 0``.
    """
    if n == 0:
        return float("nan")
    return float(_st.binomtest(int(wins), int(n), p0, alternative="greater").pvalue)


def percentile_ci(samples: Array, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of bootstrap ``samples`` (B,); ``(nan, nan)`` if any sample is nan."""
    samples = np.asarray(samples, float)
    if samples.size == 0 or not np.all(np.isfinite(samples)):
        return float("nan"), float("nan")
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(samples, [alpha, 1.0 - alpha])
    return float(lo), float(hi)


def bootstrap_samples(groups: dict[str, Array], statistic: Callable[[dict[str, Array]], Array],
                      n_boot: int = 1000, seed: int = 0, block_bytes: int = BOOT_BLOCK_BYTES) -> Array | None:
    """Stratified bootstrap replicates: resample each group independently, with replacement.

    Parameters
    ----------
    groups : dict of str -> array (n_k,)
        Scores per class; each class is resampled within itself (sizes are kept).
    statistic : callable
        Maps ``{name: (B, n_k) resampled scores}`` to an array whose last axis is B; it must treat
        the B rows independently (it is called on blocks of rows).
    block_bytes : int
        Draws held at once; the replicates do not depend on it.

    Returns
    -------
    ndarray or None
        ``statistic`` of the resamples; None if a group is empty.

    Notes
    -----
    Group ``k``'s draws are ``rng.integers(0, n_k, size=(n_boot, n_k))`` after those of the
    groups sorted before it, all from ``default_rng(seed)``. Drawing them in blocks of rows
    consumes the same stream, so each group gets its own generator started where its draws begin.
    """
    values = {name: np.asarray(groups[name], float) for name in sorted(groups)}
    if any(v.size == 0 for v in values.values()):
        return None
    rows = max(1, int(block_bytes) // (16 * sum(v.size for v in values.values())))
    rng = np.random.default_rng(seed)
    if rows >= n_boot:
        return statistic({name: v[rng.integers(0, v.size, size=(n_boot, v.size))] for name, v in values.items()})
    starts = {}
    for name, v in values.items():  # skip ahead: group k's stream starts after groups < k drew theirs
        starts[name] = copy.deepcopy(rng)
        for first in range(0, n_boot, rows):
            rng.integers(0, v.size, size=(min(rows, n_boot - first), v.size))
    parts = [statistic({name: v[starts[name].integers(0, v.size, size=(min(rows, n_boot - first), v.size))]
                        for name, v in values.items()})
             for first in range(0, n_boot, rows)]
    return np.concatenate(parts, axis=-1)


def bootstrap_groups(groups: dict[str, Array], statistic: Callable[[dict[str, Array]], Array],
                     n_boot: int = 1000, seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Percentile CI of a (B,)-valued ``statistic`` under :func:`bootstrap_samples`."""
    samples = bootstrap_samples(groups, statistic, n_boot, seed)
    return (float("nan"), float("nan")) if samples is None else percentile_ci(samples, level)


def bootstrap_ratio(groups: dict[str, Array], numerator: Callable[[dict[str, Array]], Array],
                    denominator: Callable[[dict[str, Array]], Array], n_boot: int = 1000,
                    seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Percentile CI of ``numerator / denominator`` (both (B,)) from the same resamples.

    Returns ``(nan, nan)`` when the denominator's replicates are not all of one strict sign:
    a ratio whose denominator can be 0 has an unbounded interval, and a percentile interval of
    such replicates would look finite while meaning nothing.
    """
    both = bootstrap_samples(groups, lambda g: np.stack([numerator(g), denominator(g)]), n_boot, seed)
    if both is None or not np.all(np.isfinite(both)):
        return float("nan"), float("nan")
    num, den = both
    if not (np.all(den > 0) or np.all(den < 0)):
        return float("nan"), float("nan")
    return percentile_ci(num / den, level)


def difference_and_fold(g_mean: float, r_mean: float, g_reps: Array | None = None,
                        r_reps: Array | None = None) -> dict[str, float]:
    """``diff, diff_lo, diff_hi, fold, fold_lo, fold_hi`` of two means from bootstrap replicates of each
    (``g_reps``, ``r_reps``: (B,), from the same resamples; None: no bootstrap, the CIs NaN).

    The fold ``g_mean / r_mean`` and its CI are NaN when ``r_mean`` is 0 or its replicates are not all of
    one strict sign (as :func:`bootstrap_ratio`: a ratio over a denominator that can be 0 has no finite
    interval).
    """
    boot = g_reps is not None and r_reps is not None
    g_reps, r_reps = (np.asarray(g_reps), np.asarray(r_reps)) if boot else (  # their dtype: float32 scores stay
        np.array([g_mean]), np.array([r_mean]))
    ok = bool(np.all(r_reps > 0) or np.all(r_reps < 0)) and r_mean != 0
    nan2 = (float("nan"), float("nan"))
    diff_lo, diff_hi = percentile_ci(g_reps - r_reps) if boot else nan2
    fold_lo, fold_hi = percentile_ci(g_reps / r_reps) if ok and boot else nan2
    return {"diff": float(g_mean - r_mean), "diff_lo": diff_lo, "diff_hi": diff_hi,
            "fold": float(g_mean / r_mean) if ok else float("nan"), "fold_lo": fold_lo, "fold_hi": fold_hi}


def bh_adjust(pvalues: Sequence[float]) -> Array:
    """Benjamini–Hochberg adjusted p-values (``scipy.stats.false_discovery_control``).

    ``nan`` entries stay ``nan`` and are not counted in the family size.
    """
    p = np.asarray(pvalues, float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = _st.false_discovery_control(p[ok], method="bh")
    return out
