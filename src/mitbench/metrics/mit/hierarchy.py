"""The effect-size hierarchy of the probe battery (paper Appendix D), with intervals.

Each effect is a mean over paired groups in score units, signed so that positive is the
mechanistically expected direction:

- ``positional``: UP at 15 minus the mean over clear wrong positions, same bases (UP sweep);
- ``at``: score change per +10 percentage points of A/T (OLS slope over the AT titration);
- ``motif``: intact − broken −10 at identical A/T; ``compensation``: compensated − broken at
  identical A/T (AT titration);
- ``up_presence``: UP at 15 minus no UP (UP sweep; composition differs);
- ``spacing``: 17-bp spacer minus the other spacers, same bases;
- ``strand``: forward minus motifs reverse-complemented in place, same bases.

Every effect gets a percentile bootstrap CI over its probe's groups (effects of one probe share
resamples). ``hier_<name>_over_positional`` divides by the positional effect **only when the
positional effect's CI lies entirely above 0**; otherwise the ratio is ``nan`` and ``hier_notes``
says why (an effect whose interval contains 0 makes a ratio meaningless, and a negative one flips
every sign).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mitbench.metrics.mit.probes import paired
from mitbench.metrics.stats import percentile_ci

EFFECTS = ("at", "motif", "compensation", "up_presence", "spacing", "strand")


def _part(table: pd.DataFrame, probe: str) -> pd.DataFrame:
    return table[table["probe"] == probe] if "probe" in table else table.iloc[0:0]


def _per_group(table: pd.DataFrame) -> dict[str, tuple[str, np.ndarray]]:
    """``{effect: (probe, per-group values)}`` for the probes present."""
    out: dict[str, tuple[str, np.ndarray]] = {}
    up = _part(table, "up_sweep")
    if len(up):
        wide = paired(up, "condition")
        cond = up.drop_duplicates("condition").set_index("condition")["overlaps"]
        clear = [c for c in wide.columns if c not in ("p15", "none") and cond[c] == "none"]
        out["positional"] = ("up_sweep", (wide["p15"] - wide[clear].mean(axis=1)).to_numpy(float))
        if "none" in wide:
            out["up_presence"] = ("up_sweep", (wide["p15"] - wide["none"]).to_numpy(float))
    at = _part(table, "at_titration")
    if len(at):
        wide = paired(at, "variant")
        out["motif"] = ("at_titration", (wide["intact"] - wide["broken"]).to_numpy(float))
        out["compensation"] = ("at_titration", (wide["compensated"] - wide["broken"]).to_numpy(float))
    sp = _part(table, "spacing")
    if len(sp):
        wide = paired(sp, "spacing")
        out["spacing"] = ("spacing", (wide[17] - wide.drop(columns=17).mean(axis=1)).to_numpy(float))
    st = _part(table, "strand")
    if len(st):
        wide = paired(st, "condition")
        out["strand"] = ("strand", (wide["forward"] - wide["rc_in_place"]).to_numpy(float))
    return out


def _at_slope(at: pd.DataFrame, weights: np.ndarray) -> np.ndarray:
    """OLS slope × 0.1 of score on A/T fraction for group weights ``(B, G)`` (resampled groups)."""
    g = at.groupby("group", sort=True)
    x, y = g["at_fraction"], g["score"]
    sums = np.column_stack([g.size(), x.sum(), y.sum(), (at["at_fraction"] ** 2).groupby(at["group"]).sum(),
                            (at["at_fraction"] * at["score"]).groupby(at["group"]).sum()]).astype(float)
    n, sx, sy, sxx, sxy = (weights @ sums).T
    den = n * sxx - sx ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (n * sxy - sx * sy) / np.where(den > 0, den, 1.0), np.nan) * 0.1


def effect_hierarchy(table: pd.DataFrame, n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """``hier_effect_<name>`` (+ ``_ci_low``/``_ci_high``) and ``hier_<name>_over_positional`` (+ CI)
    for the probes present in ``table`` (a battery's scores table with a ``probe`` column)."""
    per = _per_group(table)
    rng = np.random.default_rng(seed)
    draws: dict[str, np.ndarray] = {}  # one resample matrix per probe: its effects share it
    boot: dict[str, np.ndarray] = {}
    out: dict[str, Any] = {}
    for name, (probe, v) in per.items():
        if probe not in draws:
            draws[probe] = rng.integers(0, v.size, size=(n_boot, v.size))
        boot[name] = v[draws[probe]].mean(1)
        out[f"hier_effect_{name}"] = float(v.mean())
    at = _part(table, "at_titration")
    if len(at):
        groups = at["group"].nunique()
        idx = rng.integers(0, groups, size=(n_boot, groups))
        weights = np.stack([np.bincount(row, minlength=groups) for row in idx]) if n_boot else np.zeros((0, groups))
        boot["at"] = _at_slope(at, weights)
        out["hier_effect_at"] = float(_at_slope(at, np.ones((1, groups)))[0])
    for name in ["positional", *EFFECTS]:
        if f"hier_effect_{name}" in out:
            out[f"hier_effect_{name}_ci_low"], out[f"hier_effect_{name}_ci_high"] = percentile_ci(boot[name])
    notes = []
    pos_lo = out.get("hier_effect_positional_ci_low", np.nan)
    for name in EFFECTS:
        if f"hier_effect_{name}" not in out:
            continue
        key = f"hier_{name}_over_positional"
        if not (np.isfinite(pos_lo) and pos_lo > 0):
            out[key] = out[f"{key}_ci_low"] = out[f"{key}_ci_high"] = float("nan")
            continue
        out[key] = out[f"hier_effect_{name}"] / out["hier_effect_positional"]
        pos = boot["positional"]
        ratio = boot[name] / pos if np.all(pos > 0) else np.full(pos.shape, np.nan)
        out[f"{key}_ci_low"], out[f"{key}_ci_high"] = percentile_ci(ratio)
    if "hier_effect_positional" in out and not (np.isfinite(pos_lo) and pos_lo > 0):
        why = ("its CI contains 0" if out.get("hier_effect_positional_ci_high", np.nan) > 0
               else "it is below 0: the UP scores higher elsewhere")
        notes.append(f"ratios to the positional effect are undefined: {why} "
                     f"({out['hier_effect_positional']:.3g} [{pos_lo:.3g}, {out['hier_effect_positional_ci_high']:.3g}])")
    out["hier_notes"] = "; ".join(notes)
    return out
