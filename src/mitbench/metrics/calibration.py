"""Calibration of a model's metrics against a null of random-initialised networks of its own
architecture (pure functions of metrics dicts).

A model is one fixed function: when every pair of a contrast applies the same edit, an untrained
network moves almost every pair the same way, so "beats chance over pairs" says nothing about
knowledge. The question asked instead: does the trained model beat the same architecture with
random weights? For each calibrated metric (a :class:`~mitbench.suites.spec.Metric` with a
direction), over ``n`` null copies:

* ``<key>_null_mean``, ``<key>_null_sd`` (ddof=1), ``<key>_null_values`` (the n values, for plots
  and re-analysis);
* ``<key>_null_p`` = ``(1 + #{null copies at least as good}) / (n + 1)``
  (:func:`~mitbench.metrics.stats.null_pvalue`): exact for an untrained network of the same
  architecture (it is exchangeable with its null), never below ``1 / (n + 1)``; no normal
  approximation (untrained networks' contrasts are often bimodal, near 0 or 1);
* ``null_global_p``: one test of "the model beats its null" over all calibrated metrics at once
  (:func:`global_null_pvalue`), and ``null_global_k`` the number of metrics it spans.

The same keys with ``panel`` for ``null`` (``<key>_panel_p``...) calibrate a model that has no
architecture against a fixed panel of untrained networks instead (``prefix="panel"``).
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from mitbench.metrics.stats import null_pvalue


def calibrate(metrics: dict[str, Any], null_runs: Sequence[dict[str, Any]], calibrated: Iterable[Any],
              prefix: str = "null") -> dict[str, Any]:
    """Null summary keys for every calibrated metric (those with a direction and a finite value).

    Parameters
    ----------
    metrics : dict
        The model's metrics.
    null_runs : sequence of dict
        The same suite's metrics for each random-initialised copy.
    calibrated : iterable of Metric
        Metrics to calibrate (``key``, ``higher_is_better``); descriptive ones (``None``) are skipped.
    prefix : str
        Key infix and count key (``null``: ``<key>_null_p``, ``n_null``; ``panel``: ``<key>_panel_p``,
        ``n_panel``).
    """
    out: dict[str, Any] = {f"n_{prefix}": len(null_runs)}
    columns: list[tuple[float, np.ndarray, bool]] = []
    for m in calibrated:
        if m.higher_is_better is None or m.key not in metrics:
            continue
        values = np.array([float(r.get(m.key, np.nan)) if r.get(m.key) is not None else np.nan for r in null_runs])
        finite = values[np.isfinite(values)]
        out[f"{m.key}_{prefix}_values"] = [float(v) for v in values]
        out[f"{m.key}_{prefix}_mean"] = float(finite.mean()) if finite.size else float("nan")
        out[f"{m.key}_{prefix}_sd"] = float(finite.std(ddof=1)) if finite.size > 1 else float("nan")
        value = metrics.get(m.key)
        value = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else float("nan")
        out[f"{m.key}_{prefix}_p"] = null_pvalue(value, values, bool(m.higher_is_better))
        columns.append((value, values, bool(m.higher_is_better)))
    out[f"{prefix}_global_p"], out[f"{prefix}_global_k"] = global_null_pvalue(columns)
    return out


def global_null_pvalue(columns: Sequence[tuple[float, np.ndarray, bool]]) -> tuple[float, int]:
    """One p-value for "the model beats its null" over several metrics (a permutation test of the
    combined empirical p-values).

    The model and its ``n`` null copies are ``n + 1`` exchangeable members when the model knows
    nothing beyond its architecture. For every member ``i`` and metric, its empirical p against the
    other ``n`` members (``(1 + #{others at least as good}) / (n + 1)``, ties against it); ``T_i = sum
    of log p`` over the metrics (Fisher's combination, used as a statistic only: its reference
    distribution is the members' own). ``p = #{i: T_i <= T_model} / (n + 1)``, so ``P(p <= a) <= a``
    whatever the correlation between metrics: no "one of eight metrics beat the null by chance", and
    unlike the minimum p (which 20 members and eight metrics tie at 1/20 for most members) it rewards
    a model that beats the null on several metrics.

    Parameters
    ----------
    columns : sequence of (value, null values, higher_is_better)
        One entry per metric; metrics with a non-finite model value or null values are skipped.

    Returns
    -------
    p : float
        NaN when no metric is usable.
    k : int
        Number of metrics used.
    """
    used = [(v, np.asarray(n, float), h) for v, n, h in columns
            if np.isfinite(v) and len(n) and np.all(np.isfinite(np.asarray(n, float)))]
    if not used:
        return float("nan"), 0
    n = min(len(c[1]) for c in used)
    members = np.array([[v, *nulls[:n]] for v, nulls, _ in used])  # (k metrics, n + 1): model first
    sign = np.array([1.0 if h else -1.0 for _, _, h in used])[:, None]
    good = members * sign  # higher = better for every metric
    # at_least[k, i, j]: member j at least as good as member i on metric k (j != i)
    at_least = good[:, None, :] >= good[:, :, None]
    count = at_least.sum(axis=2) - 1  # minus the member itself
    t = np.log((1 + count) / (n + 1)).sum(axis=0)  # (n + 1,) combined log p per member
    return float((t <= t[0]).sum() / (n + 1)), len(used)


def null_prefix(metrics: dict[str, Any], key: str) -> str | None:
    """Which null calibrated metric ``key``: ``"null"`` (random-init twins), ``"panel"`` (the
    untrained-CNN panel) or None."""
    for prefix in ("null", "panel"):
        if f"{key}_{prefix}_p" in metrics:
            return prefix
    return None


def min_null_pvalue(n_null: int) -> float:
    """The smallest p-value ``n_null`` copies can give: ``1 / (n_null + 1)``."""
    return 1.0 / (int(n_null) + 1)
