"""The paper's own definitions of its probe numbers, as pure functions of probe score tables.

mitbench's probe metrics (:mod:`mitbench.metrics.mit.probes`, :mod:`mitbench.metrics.mit.hierarchy`) are
defined on paired, composition-exact probes. The paper's numbers were computed otherwise; these
functions reproduce them from its released probe scores (tables of the probe readers,
:mod:`mitbench.data.mit.probe_scores`: ``score`` plus the probe's meta columns), so a reproduction can
say exactly which definition gives which printed number:

* AT range (§B.2, "LL increases ~21 units from AT = 30 % to 80 %"): mean score of the ``intact``
  variant at the top A/T level minus at the bottom one;
* positional effect: mean score with the UP at its place (15) minus at 70 (the paper's
  positional Δ is its negative, ``up_delta_70_minus_15``);
* the hierarchy ratios (§D, "compositional effects dominate positional effects by 46-fold"):
  AT range, UP presence (UP at 15 minus no UP), spacing range (max − min of the spacer curve) and
  strand effect (forward minus motifs reverse-complemented in place), each divided by the
  positional effect, **whatever its sign or interval** — the paper's rule, not mitbench's
  (:mod:`mitbench.metrics.mit.hierarchy` refuses a ratio to an effect whose CI contains 0).

The positional effect's 95 % interval is a percentile bootstrap resampling each condition's
independent draws (the paper's draws share no background); NaN when a file holds only means.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from mitbench.metrics.stats import bootstrap_groups, safe_ratio


def _mean(rows: pd.DataFrame) -> float:
    return float(rows["score"].mean()) if len(rows) else math.nan


def at_range(at: pd.DataFrame, variant: str = "intact") -> float:
    """Mean score of ``variant`` at the highest ``at_target`` minus at the lowest (NaN if absent)."""
    rows = at[at["variant"] == variant]
    if rows.empty:
        return math.nan
    levels = rows["at_target"].astype(float)
    return _mean(rows[levels == levels.max()]) - _mean(rows[levels == levels.min()])


def at_delta(at: pd.DataFrame, level: float, variant: str, reference: str = "broken") -> float:
    """Mean ``variant`` minus mean ``reference`` at one A/T level (unpaired means, as printed)."""
    rows = at[np.isclose(at["at_target"].astype(float), level)]
    return _mean(rows[rows["variant"] == variant]) - _mean(rows[rows["variant"] == reference])


def positional_effect(up: pd.DataFrame, correct: int = 15, wrong: int = 70, n_boot: int = 1000,
                      seed: int = 0) -> tuple[float, float, float]:
    """``(mean(UP at correct) - mean(UP at wrong), ci_low, ci_high)``; a positive effect means the
    UP scores higher at its place. The CI is NaN with fewer than two draws per condition."""
    a = up.loc[up["condition"] == f"p{correct}", "score"].to_numpy(float)
    b = up.loc[up["condition"] == f"p{wrong}", "score"].to_numpy(float)
    effect = float(a.mean() - b.mean()) if a.size and b.size else math.nan
    if min(a.size, b.size) < 2 or not n_boot:
        return effect, math.nan, math.nan
    lo, hi = bootstrap_groups({"a": a, "b": b}, lambda g: g["a"].mean(1) - g["b"].mean(1), n_boot, seed)
    return effect, lo, hi


def paper_hierarchy(at: pd.DataFrame | None, up: pd.DataFrame | None, spacing: pd.DataFrame | None,
                    strand: pd.DataFrame | None, n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """The paper's effects and their ratios to the positional effect (module docstring).

    Returns
    -------
    dict
        ``at_range_30_80``, ``positional_effect`` (+ ``_ci_low``/``_ci_high``),
        ``positional_delta_70_15`` (= −positional effect), ``up_presence``, ``spacing_range``,
        ``strand_effect`` and ``<name>_over_positional`` for at, up_presence, spacing, strand
        (NaN where a probe is absent or the positional effect is 0).
    """
    out: dict[str, Any] = {}
    effects = {}
    if at is not None:
        out["at_range_30_80"] = effects["at"] = at_range(at)
    if up is not None:
        pos, lo, hi = positional_effect(up, n_boot=n_boot, seed=seed)
        out.update(positional_effect=pos, positional_effect_ci_low=lo, positional_effect_ci_high=hi,
                   positional_delta_70_15=-pos)
        out["up_presence"] = effects["up_presence"] = (_mean(up[up["condition"] == "p15"])
                                                       - _mean(up[up["condition"] == "none"]))
    if spacing is not None:
        curve = spacing.groupby("spacing")["score"].mean()
        out["spacing_range"] = effects["spacing"] = float(curve.max() - curve.min())
    if strand is not None:
        out["strand_effect"] = effects["strand"] = (_mean(strand[strand["condition"] == "forward"])
                                                    - _mean(strand[strand["condition"] == "rc_in_place"]))
    pos = out.get("positional_effect", math.nan)
    for name, value in effects.items():
        out[f"{name}_over_positional"] = safe_ratio(value, pos)
    return out
