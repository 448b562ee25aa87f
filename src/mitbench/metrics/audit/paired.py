"""Generated vs natural, paired by window: sign-flip permutation tests, BH, fold changes and
distance-stratified effects with bootstrap CIs.

Unit of replication: the audit window. For window ``i`` the generated continuation ``G_i`` and
the genome's true continuation ``R_i`` of the same seed give one paired difference
``d_i = m(G_i) - m(R_i)`` per metric ``m``. Under the null "generated DNA is exchangeable with
natural DNA given the seed" each ``d_i`` is symmetric about 0, so flipping signs gives its exact
null distribution (the natural-vs-natural null; the ``natural`` generator realises it, drawing
its continuations from windows disjoint from the audit windows and from each other). +1-corrected
p-values, two-sided except for the metrics in :data:`ALTERNATIVES` (memorisation: one-sided, only
*longer* matches than natural DNA's are evidence); Benjamini–Hochberg across all metrics;
``flagged`` = q < 0.05. Per distance bin (:func:`by_distance`) the same test, with BH within each
metric across its bins.

Beside it, per metric, the equivalence test of :mod:`.equivalence`: margin ``δ · SD(m(R))``, a
sign-flip TOST against ±margin (Benjamini–Hochberg across all metrics, as the difference test),
the paired test's minimum detectable effect, and a status: ``different`` (flagged), ``equivalent``
(TOST q < 0.05, not flagged) or ``not enough data``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mitbench.metrics.stats import bh_adjust, difference_and_fold
from mitbench.metrics.audit import equivalence as eq
from mitbench.metrics.audit.features import family_of

ALPHA = eq.ALPHA
EQUIVALENCE_COLUMNS = ("sd_natural", "margin", "tost_p", "tost_q", "mde", "mde_fold", "status")
TWO_SIDED, GREATER = "two-sided", "greater"
#: metric-name prefix -> alternative of its difference test (every other metric: two-sided). Memorisation
#: is the generated continuation matching the genome for *longer* than the natural one; shorter matches
#: (a generator without the genome's repeats) are a repeat difference the repeats family already tests.
ALTERNATIVES = {"memo_": GREATER}


def alternative_of(metric: str) -> str:
    """The alternative of ``metric``'s difference test: :data:`GREATER` for a prefix in :data:`ALTERNATIVES`,
    else :data:`TWO_SIDED`."""
    return next((alt for prefix, alt in ALTERNATIVES.items() if metric.startswith(prefix)), TWO_SIDED)


def signflip_pvalue(d: np.ndarray, n_perm: int = 9999, seed: int = 0, alternative: str = TWO_SIDED) -> float:
    """Sign-flip p-value of ``mean(d) == 0``, +1-corrected: ``(1 + #{T(s d) >= T(d)}) / (1 + P)``.

    ``T = |mean|`` for ``alternative="two-sided"``, ``T = mean`` for ``"greater"`` (H1: ``mean(d) > 0``;
    a negative mean gives p near 1). All ``2**n`` sign patterns are enumerated when that is at most
    ``n_perm`` (then ``#{...} / 2**n``, the identity among them). Differences that are all (near) zero give
    p = 1 (no evidence: near-zero variance is zero). NaN when ``d`` is empty.
    """
    if alternative not in (TWO_SIDED, GREATER):
        raise ValueError(f"alternative must be {TWO_SIDED!r} or {GREATER!r}, got {alternative!r}")
    d = np.asarray(d, float)
    if d.size == 0:
        return float("nan")
    scale = max(1.0, float(np.abs(d).max()))
    if np.all(np.abs(d) <= 1e-12 * scale):
        return 1.0
    stat = np.abs if alternative == TWO_SIDED else (lambda x: x)
    observed = stat(d.mean())
    tol = 1e-12 * scale  # equal statistics up to rounding count as "as extreme"
    hits = total = 0
    for signs in eq.sign_blocks(d.size, n_perm, seed):  # the sign patterns the TOST uses
        hits += int((stat((signs * d).mean(1)) >= observed - tol).sum())
        total += signs.shape[0]
    return hits / total if 2 ** d.size <= n_perm else (1 + hits) / (1 + total)


def paired_bootstrap(g: np.ndarray, r: np.ndarray, n_boot: int, seed: int) -> dict[str, float]:
    """Mean difference and fold change ``mean(G) / mean(R)`` with percentile CIs (windows resampled).

    The fold change and its CI are NaN when ``mean(R)`` is 0 or its replicates change sign (or
    touch 0): a ratio over a denominator that can be 0 has no finite interval.
    """
    n = g.size
    out = {"n": int(n), "mean_generated": float(g.mean()) if n else np.nan,
           "mean_natural": float(r.mean()) if n else np.nan}
    if n == 0:
        return {**out, "diff": np.nan, "diff_lo": np.nan, "diff_hi": np.nan, "fold": np.nan,
                "fold_lo": np.nan, "fold_hi": np.nan}
    idx = np.random.default_rng(seed).integers(0, n, size=(n_boot, n))  # windows resampled, pairs kept
    return {**out, **difference_and_fold(g.mean(), r.mean(), g[idx].mean(1), r[idx].mean(1))}  # in the scores' dtype


def _pairs(gen: pd.DataFrame, real: pd.DataFrame, metric: str) -> tuple[np.ndarray, np.ndarray]:
    g, r = gen[metric].to_numpy(float), real[metric].to_numpy(float)
    ok = np.isfinite(g) & np.isfinite(r)  # a window whose statistic is undefined drops out of this metric
    return g[ok], r[ok]


def compare(gen: pd.DataFrame, real: pd.DataFrame, n_perm: int = 9999, n_boot: int = 2000,
            seed: int = 0, extra: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
            delta: float = eq.DELTA) -> pd.DataFrame:
    """Per-metric paired comparison of generated vs natural (rows aligned by window).

    Parameters
    ----------
    gen, real : DataFrame (n_windows, n_metrics)
        Metric values of the generated and the true continuations, row ``i`` = window ``i``.
    extra : dict, optional
        Further ``{metric: (g, r)}`` paired arrays (e.g. the CNN's per-window scores).
    delta : float
        Equivalence margin in natural between-window SDs (:func:`.equivalence.equivalence_margin`).

    Returns
    -------
    DataFrame
        One row per metric: ``metric, family, n, mean_generated, mean_natural, diff, diff_lo,
        diff_hi, fold, fold_lo, fold_hi, alternative, p, q, flagged`` and the equivalence columns
        ``sd_natural, margin, tost_p, tost_q, mde, mde_fold, status`` (margin and MDE in the metric's
        units). ``p`` is one-sided for the metrics in :data:`ALTERNATIVES`; the TOST and the MDE
        (two-sided, so conservative for those) are the same for every metric.
    """
    if len(gen) != len(real):
        raise ValueError(f"{len(gen)} generated vs {len(real)} natural rows; they must pair by window")
    pairs = {m: _pairs(gen, real, m) for m in gen.columns}
    pairs.update(extra or {})
    rows = []
    for i, (metric, (g, r)) in enumerate(pairs.items()):
        row = {"metric": metric, "family": family_of(metric),
               **paired_bootstrap(g, r, n_boot, seed + i)}
        row["alternative"] = alternative_of(metric)
        row["p"] = signflip_pvalue(g - r, n_perm, seed + i, row["alternative"])
        row["sd_natural"] = eq.spread(r)
        row["margin"] = delta * row["sd_natural"]
        row["tost_p"] = eq.tost_pvalue(g - r, row["margin"], n_perm, seed + i)
        row["mde"] = eq.mde(g - r)
        row["mde_fold"] = eq.mde_fold(row["mde"], row["mean_natural"])
        rows.append(row)
    table = pd.DataFrame(rows)
    table["q"] = bh_adjust(table["p"].to_numpy())
    table["flagged"] = table["q"] < ALPHA
    table["tost_q"] = bh_adjust(table["tost_p"].to_numpy())
    table["status"] = eq.status(table["flagged"].to_numpy(), table["tost_q"].to_numpy(), ALPHA)
    return table[[c for c in table.columns if c not in EQUIVALENCE_COLUMNS] + list(EQUIVALENCE_COLUMNS)]


def by_distance(gen_bins: pd.DataFrame, real_bins: pd.DataFrame, n_boot: int = 2000,
                seed: int = 0, n_perm: int = 9999) -> pd.DataFrame:
    """Effects and tests per metric and distance bin.

    ``gen_bins`` / ``real_bins`` have columns ``window, distance_bp`` and the metrics, aligned row
    by row (same window and bin). Each bin gets the whole-continuation test of :func:`compare` on its
    own paired differences (same alternative per metric, :data:`ALTERNATIVES`); ``q`` is
    Benjamini–Hochberg *within the metric across its bins* (the family is "where along the
    continuation does this metric differ"), ``flagged`` = q < :data:`ALPHA`.

    Returns
    -------
    DataFrame
        One row per metric and bin: ``metric, family, distance_bp, n, mean_generated, mean_natural,
        diff, diff_lo, diff_hi, fold, fold_lo, fold_hi, alternative, p, q, flagged``.
    """
    rows = []
    metrics = [c for c in gen_bins.columns if c not in ("window", "distance_bp")]
    for j, (dist, g_part) in enumerate(gen_bins.groupby("distance_bp", sort=True)):
        r_part = real_bins.loc[g_part.index]
        for i, m in enumerate(metrics):
            g, r = _pairs(g_part, r_part, m)
            alt = alternative_of(m)
            rows.append({"metric": m, "family": family_of(m), "distance_bp": int(dist),
                         **paired_bootstrap(g, r, n_boot, seed + 1000 * j + i), "alternative": alt,
                         "p": signflip_pvalue(g - r, n_perm, seed + 1000 * j + i, alt)})
    table = pd.DataFrame(rows)
    if table.empty:
        return table.assign(q=pd.Series(dtype=float), flagged=pd.Series(dtype=bool))
    table["q"] = table.groupby("metric", sort=False)["p"].transform(lambda p: bh_adjust(p.to_numpy()))
    table["flagged"] = table["q"] < ALPHA
    return table
