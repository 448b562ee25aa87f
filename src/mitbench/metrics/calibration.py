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
  approximation (untrained networks' contrasts are often bimodal, near 0 or 1).
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from mitbench.metrics.stats import null_pvalue


def calibrate(metrics: dict[str, Any], null_runs: Sequence[dict[str, Any]], calibrated: Iterable[Any]) -> dict[str, Any]:
    """Null summary keys for every calibrated metric (those with a direction and a finite value).

    Parameters
    ----------
    metrics : dict
        The model's metrics.
    null_runs : sequence of dict
        The same suite's metrics for each random-initialised copy.
    calibrated : iterable of Metric
        Metrics to calibrate (``key``, ``higher_is_better``); descriptive ones (``None``) are skipped.
    """
    out: dict[str, Any] = {"n_null": len(null_runs)}
    for m in calibrated:
        if m.higher_is_better is None or m.key not in metrics:
            continue
        values = np.array([float(r.get(m.key, np.nan)) if r.get(m.key) is not None else np.nan for r in null_runs])
        finite = values[np.isfinite(values)]
        out[f"{m.key}_null_values"] = [float(v) for v in values]
        out[f"{m.key}_null_mean"] = float(finite.mean()) if finite.size else float("nan")
        out[f"{m.key}_null_sd"] = float(finite.std(ddof=1)) if finite.size > 1 else float("nan")
        value = metrics.get(m.key)
        out[f"{m.key}_null_p"] = null_pvalue(float(value) if value is not None else float("nan"), values,
                                             bool(m.higher_is_better))
    return out


def min_null_pvalue(n_null: int) -> float:
    """The smallest p-value ``n_null`` copies can give: ``1 / (n_null + 1)``."""
    return 1.0 / (int(n_null) + 1)
