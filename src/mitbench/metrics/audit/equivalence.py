"""Is generated DNA *equivalent* to natural DNA on a metric? A margin from the natural windows'
spread, a paired two-one-sided sign-flip test (TOST) against ±margin, and the paired test's
minimum detectable effect (MDE).

The difference test (:mod:`.paired`) can only fail to find a difference; this module makes
"indistinguishable" a tested claim. Per metric ``m``, with the paired differences
``d_i = m(G_i) - m(R_i)`` over the windows where both are defined:

* **margin** ``Δ = δ · SD(m(R))`` (``ddof=1``): ``δ`` (:data:`DELTA` = 0.5) of the natural
  windows' between-window standard deviation, taken from the true continuations only, so a
  generator cannot widen its own margin by being noisy. For a normal metric a shift of ``δ``
  natural SDs is a single-window AUROC of ``Φ(δ/√2)`` = 0.638 at ``δ = 0.5``. Undefined (NaN)
  when fewer than 2 windows remain or the natural values have no spread (near-zero variance is zero).
* **TOST** ``p = max(p_lower, p_upper)``: ``p_lower`` tests ``H0: mean(d) ≤ -Δ`` with the one-sided
  sign-flip test of ``d + Δ`` (large ``mean`` = evidence), ``p_upper`` tests ``H0: mean(d) ≥ +Δ``
  with ``d - Δ`` (small ``mean`` = evidence); +1-corrected, exact enumeration when ``2**n ≤ n_perm``,
  one sign matrix shared by both sides. Exact when ``d_i ∓ Δ`` is symmetric about 0 at the boundary
  (a location shift of a symmetric difference, which the ``natural`` control realises at ``Δ = 0``);
  otherwise asymptotically valid (the sign-flip distribution of a mean has the sampling variance).
  With ``n`` windows the smallest attainable p is ``2**-n``: 4 windows can never show equivalence.
* **MDE** of the two-sided paired t-test at level :data:`ALPHA` (per metric, before any
  multiplicity correction) with power :data:`POWER`: ``λ · SD(d) / √n``, where ``λ`` is the
  non-centrality at which ``P(|T(n-1, λ)| > t(1-α/2, n-1)) = power`` (``z(0.975) + z(0.8)`` =
  2.80 for large n; 2.84 at n = 80, 2.87 at n = 40, 3.15 at n = 10, 4.26 at n = 4). The sign-flip test of a mean
  has nearly the t-test's power; ``mde / |mean(R)|`` gives it as a fold (:func:`mde_fold`).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

import numpy as np
from scipy import integrate, optimize, stats

from mitbench.metrics.stats import REL_TOL

ALPHA, POWER, DELTA = 0.05, 0.8, 0.5
DIFFERENT, EQUIVALENT, NOT_ENOUGH_DATA = "different", "equivalent", "not enough data"


def spread(x: np.ndarray) -> float:
    """The SD (``ddof=1``) of ``x``; NaN for fewer than 2 values or a near-zero SD (near-zero variance is
    zero: no scale to test against, and the t-based MDE does not apply)."""
    x = np.asarray(x, float)
    if x.size < 2:
        return float("nan")
    sd = float(x.std(ddof=1))
    return float("nan") if sd <= REL_TOL * max(1.0, float(np.abs(x).max())) else sd


def equivalence_margin(natural: np.ndarray, delta: float = DELTA) -> float:
    """``delta`` times the between-window SD (``ddof=1``) of the natural values; NaN when undefined."""
    return delta * spread(natural)


def sign_blocks(n: int, n_perm: int, seed: int) -> Iterator[np.ndarray]:
    """All ``2**n`` sign patterns when that is at most ``n_perm`` (one block), else ``n_perm``
    random ones in blocks of 2,000 rows (a small sign matrix); the TOST and the difference test
    (:func:`mitbench.metrics.audit.paired.signflip_pvalue`) draw the same patterns for one seed."""
    if 2 ** n <= n_perm:
        yield 1.0 - 2.0 * ((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1)
        return
    rng = np.random.default_rng(seed)
    for lo in range(0, n_perm, 2000):
        yield rng.choice(np.array([-1.0, 1.0]), size=(min(2000, n_perm - lo), n))


def tost_pvalues(d: np.ndarray, margin: float, n_perm: int = 9999, seed: int = 0) -> tuple[float, float]:
    """One-sided sign-flip p-values ``(p_lower, p_upper)`` of ``H0: mean(d) ≤ -margin`` and
    ``H0: mean(d) ≥ +margin``; the TOST p-value is their maximum (:func:`tost_pvalue`).

    Parameters
    ----------
    d : ndarray (n,)
        Paired differences ``m(G_i) - m(R_i)``, in the metric's units.
    margin : float
        Equivalence margin ``Δ > 0`` in the same units.

    Returns
    -------
    tuple of float
        ``(1 + hits) / (1 + n_perm)`` for random signs, ``hits / 2**n`` when enumerated (the
        identity pattern is one of them); NaN when ``d`` is empty or the margin is not positive.
    """
    d = np.asarray(d, float)
    if d.size == 0 or not np.isfinite(margin) or margin <= 0:
        return float("nan"), float("nan")
    lower, upper = d + margin, d - margin
    obs_lower, obs_upper = lower.mean(), upper.mean()
    tol = 1e-12 * max(1.0, float(np.abs(lower).max()), float(np.abs(upper).max()))  # ties up to rounding
    hits_lower = hits_upper = total = 0
    for signs in sign_blocks(d.size, n_perm, seed):
        hits_lower += int(((signs * lower).mean(1) >= obs_lower - tol).sum())
        hits_upper += int(((signs * upper).mean(1) <= obs_upper + tol).sum())
        total += signs.shape[0]
    if 2 ** d.size <= n_perm:
        return hits_lower / total, hits_upper / total
    return (1 + hits_lower) / (1 + total), (1 + hits_upper) / (1 + total)


def tost_pvalue(d: np.ndarray, margin: float, n_perm: int = 9999, seed: int = 0) -> float:
    """TOST p-value: ``max(p_lower, p_upper)`` of :func:`tost_pvalues` (small = equivalent within ±margin)."""
    return max(tost_pvalues(d, margin, n_perm, seed))


def t_test_power(n: int, lam: float, alpha: float = ALPHA) -> float:
    """Power of the two-sided one-sample t-test with ``n`` differences at non-centrality ``lam = √n · mean / SD``.

    ``P(|T| > t(1-α/2, n-1))`` for ``T = (Z + lam) / (X / √(n-1))``, ``X ~ chi(n-1)``, integrated over ``X``
    (``scipy.stats.nct``'s tails return NaN at some large ``lam``).
    """
    df = n - 1
    crit = stats.t.ppf(1 - alpha / 2, df)

    def integrand(x: float) -> float:
        s = crit * x / np.sqrt(df)
        return stats.chi.pdf(x, df) * (stats.norm.cdf(lam - s) + stats.norm.cdf(-lam - s))

    hi = stats.chi.isf(1e-15, df)  # beyond: negligible mass
    return float(integrate.quad(integrand, 0.0, hi, epsabs=1e-12, epsrel=1e-10, limit=200)[0])


@lru_cache(maxsize=256)
def noncentrality(n: int, alpha: float = ALPHA, power: float = POWER) -> float:
    """``λ`` with :func:`t_test_power` ``(n, λ) = power``; NaN for n < 2."""
    if n < 2:
        return float("nan")
    return float(optimize.brentq(lambda lam: t_test_power(n, lam, alpha) - power, 0.0, 200.0, xtol=1e-10))


def mde(d: np.ndarray, alpha: float = ALPHA, power: float = POWER) -> float:
    """Minimum detectable mean difference of the paired test: ``λ(n) · SD(d) / √n`` (metric units).

    NaN when fewer than 2 differences or they have no spread (the t-based formula does not apply).
    """
    d = np.asarray(d, float)
    sd = spread(d)
    return float("nan") if np.isnan(sd) else noncentrality(int(d.size), alpha, power) * sd / np.sqrt(d.size)


def mde_fold(mde_value: float, mean_natural: float) -> float:
    """The MDE as a fold change: ``1 + mde / |mean(R)|`` (a shift down is detected at ``1 - mde/|mean(R)|``);
    NaN when the natural mean is 0 or either is not finite."""
    if not (np.isfinite(mde_value) and np.isfinite(mean_natural)) or mean_natural == 0:
        return float("nan")
    return 1.0 + mde_value / abs(mean_natural)


def status(flagged: np.ndarray, tost_q: np.ndarray, alpha: float = ALPHA) -> np.ndarray:
    """Per-metric status: ``different`` (flagged), else ``equivalent`` (TOST q < alpha), else
    ``not enough data``. A NaN ``tost_q`` (margin undefined) is never equivalent."""
    flagged = np.asarray(flagged, bool)
    equivalent = np.nan_to_num(np.asarray(tost_q, float), nan=1.0) < alpha
    return np.where(flagged, DIFFERENT, np.where(equivalent, EQUIVALENT, NOT_ENOUGH_DATA))
