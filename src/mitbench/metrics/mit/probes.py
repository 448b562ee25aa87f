"""Probe summaries: pure functions of a scores table, returning flat dicts.

Every function takes the rows of one probe (a pandas DataFrame with at least ``score`` float64,
higher = more likely/active, plus the probe's meta columns) and returns ``{key: float}``.
Paired quantities join conditions on ``group`` (conditions built on one shared background).
Differences are always *condition minus reference*, in the scorer's own units. Accuracies follow
the project's one tie rule (:data:`mitbench.suites.spec.TIE_RULE`): the fraction of pairs in which
the condition scores strictly higher; a tie is a failure, and the number of ties is reported as
``<key>_ties`` next to ``<key>_n``. Where pairs are groups (independent backgrounds), the
accuracy also gets an exact one-sided binomial p-value against its chance level (``<key>_pvalue``).
Undefined quantities (constant scores, zero denominators) are NaN.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np
import pandas as pd

from mitbench.metrics.stats import binom_greater_pvalue, correlation


def paired(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Scores as a (groups × conditions) table: rows ``group``, columns the values of ``column``."""
    return table.pivot(index="group", columns=column, values="score")


def accuracy(diff: Iterable[float]) -> float:
    """Fraction of ``diff > 0`` (ties, ``diff == 0``, are failures); NaN when empty."""
    return wins(diff)[0]


def wins(diff: Iterable[float]) -> tuple[float, int, int, int]:
    """``(rate, wins, ties, n)`` of paired differences ``diff`` (NaN entries dropped; ties fail)."""
    d = np.asarray(list(diff), dtype=np.float64)
    d = d[~np.isnan(d)]
    n_win, n_tie = int((d > 0).sum()), int((d == 0).sum())
    return (n_win / d.size if d.size else math.nan), n_win, n_tie, int(d.size)


def win_block(key: str, diff: Iterable[float], chance: float | None = 0.5) -> dict[str, Any]:
    """``key`` (win rate), ``key_ties``, ``key_n`` and, with a ``chance`` level, ``key_pvalue``
    (exact one-sided binomial test of P(win) > chance; ties count as failures)."""
    rate, n_win, n_tie, n = wins(diff)
    out: dict[str, Any] = {key: rate, f"{key}_ties": n_tie, f"{key}_n": n}
    if chance is not None:
        out[f"{key}_pvalue"] = binom_greater_pvalue(n_win, n, chance)
    return out


def without_win_rates(metrics: dict[str, Any]) -> dict[str, Any]:
    """``metrics`` with every win block of :func:`win_block` (``k``, ``k_ties``, ``k_n``,
    ``k_pvalue`` for each ``k_n`` present) set to NaN: for scores that are condition means, where
    a "pair" is two means and a win rate over them is not the probe's statistic."""
    out = dict(metrics)
    for key in [k[:-2] for k in metrics if k.endswith("_n") and k[:-2] in metrics]:
        for suffix in ("", "_ties", "_n", "_pvalue"):
            if key + suffix in out:
                out[key + suffix] = math.nan
    return out


def mean(values: Iterable[float]) -> float:
    v = np.asarray(list(values), dtype=np.float64)
    v = v[~np.isnan(v)]
    return float(v.mean()) if v.size else math.nan


def at_titration(table: pd.DataFrame) -> dict[str, float]:
    """AT-titration summary.

    Columns used: ``at_fraction`` (measured A/T fraction, 0–1), ``variant`` (intact/broken/
    compensated), ``group``, ``score``.

    Returns
    -------
    dict
        ``at_pearson_r``/``at_pearson_p``: Pearson r (and p) of score vs AT fraction over all rows;
        ``at_pearson_r_<variant>``: the same within a variant; ``at_slope_per_10pct``: OLS slope
        of score on AT fraction × 0.1 (score change per +10 percentage points A/T), all rows;
        ``at_delta_<v>_minus_broken`` and ``at_acc_<v>_gt_broken`` for v in intact/compensated:
        paired difference at identical AT content (mean over groups) and its accuracy (with
        ``_ties``, ``_n``, ``_pvalue``).
    """
    out: dict[str, Any] = {}
    out["at_pearson_r"], out["at_pearson_p"] = correlation(table["at_fraction"], table["score"])
    for variant, rows in table.groupby("variant", sort=False):
        out[f"at_pearson_r_{variant}"] = correlation(rows["at_fraction"], rows["score"])[0]
    x, y = table["at_fraction"].to_numpy(float), table["score"].to_numpy(float)
    out["at_slope_per_10pct"] = (float(np.polyfit(x, y, 1)[0]) * 0.1 if np.ptp(x) > 0 else math.nan)
    wide = paired(table, "variant")
    for v in ("intact", "compensated"):
        if v in wide and "broken" in wide:
            d = wide[v] - wide["broken"]
            out[f"at_delta_{v}_minus_broken"] = mean(d)
            out.update(win_block(f"at_acc_{v}_gt_broken", d))
    return out


def up_sweep(table: pd.DataFrame, correct: int = 15) -> dict[str, Any]:
    """UP positional-sweep summary.

    Columns used: ``condition`` (``p<pos>`` or ``none``), ``up_position`` (int; NaN for none),
    ``overlaps`` (``none`` when the UP window is clear of −35/ext −10/−10), ``group``, ``score``.

    Returns
    -------
    dict
        ``up_delta_wrong_minus_correct``: mean over groups of (mean score over clear wrong
        positions − score with UP at ``correct``); ``up_delta_none_minus_correct``: mean over
        groups of (score without UP − score with UP at ``correct``); ``up_acc_correct_gt_wrong``
        (over all group × clear wrong position pairs; no p-value: the pairs share groups),
        ``up_acc_correct_best`` (fraction of groups in which the correct placement beats every
        clear wrong one; chance 1/(k+1), binomial p) and ``up_acc_correct_gt_none``;
        ``up_peak_position``: clear position (or ``correct``) with the highest mean score (NaN
        when they all tie);
        ``up_mean_<condition>``: mean score per condition; ``up_n_clear_wrong``: positions used;
        ``up_delta_70_minus_15``: the paper's positional Δ (UP at 70 − UP at 15, mean over groups),
        beside the project's mean over all clear wrong positions (the two can differ in sign).
    """
    wide = paired(table, "condition")
    ref = f"p{correct}"
    if ref not in wide:
        raise ValueError(f"UP sweep table has no condition {ref!r} (UP at the correct position)")
    cond = table.drop_duplicates("condition").set_index("condition")
    clear = [c for c in wide.columns if c not in (ref, "none") and cond.loc[c, "overlaps"] == "none"]
    out: dict[str, Any] = {}
    wrong = wide[clear].sub(wide[ref], axis=0)
    out["up_delta_wrong_minus_correct"] = mean(wrong.mean(axis=1)) if clear else math.nan
    # pairs are group x position here: not independent, so no p-value (see up_acc_correct_best)
    out.update(win_block("up_acc_correct_gt_wrong", -wrong.to_numpy().ravel() if clear else [], chance=None))
    if clear:
        # per group: does the UP at its place beat every clear wrong placement? chance 1/(k+1)
        best = np.where((wrong < 0).all(axis=1), 1.0, -1.0)
        out.update(win_block("up_acc_correct_best", best, chance=1.0 / (len(clear) + 1)))
    if "none" in wide:
        d = wide["none"] - wide[ref]
        out["up_delta_none_minus_correct"] = mean(d)
        out.update(win_block("up_acc_correct_gt_none", -d))
    means = wide.mean(axis=0)
    candidates = means[[ref, *clear]]
    out["up_peak_position"] = (math.nan if np.ptp(candidates.to_numpy()) == 0
                               else int(cond.loc[candidates.idxmax(), "up_position"]))
    out["up_n_clear_wrong"] = len(clear)
    if "p70" in wide:  # the paper's positional delta (Appendix B.3): UP at 70 minus UP at 15
        out["up_delta_70_minus_15"] = mean(wide["p70"] - wide[ref])
    out.update({f"up_mean_{c}": float(means[c]) for c in wide.columns})
    return out


def spacing(table: pd.DataFrame, optimal: int = 17) -> dict[str, Any]:
    """Spacer-length summary.

    Columns used: ``spacing`` (bp between −35 and −10 hexamers), ``group``, ``score``.

    Returns
    -------
    dict
        ``spacing_peak``: spacing with the highest mean score (smallest on ties; NaN for a
        flat curve);
        ``spacing_effect``: mean over groups of (score at ``optimal`` − mean score at the other
        spacings); ``spacing_acc_optimal_is_max``: fraction of groups in which ``optimal`` scores
        strictly above every other spacing (chance 1/number of spacings, binomial p); ``spacing_range``: max − min of the mean curve;
        ``spacing_mean_s<s>``: the mean curve.
    """
    wide = paired(table, "spacing").sort_index(axis=1)
    means = wide.mean(axis=0)
    flat = np.ptp(means.to_numpy()) == 0
    out: dict[str, Any] = {"spacing_peak": math.nan if flat else int(means.idxmax())}
    if optimal in wide:
        others = wide.drop(columns=optimal)
        out["spacing_effect"] = mean(wide[optimal] - others.mean(axis=1))
        # a group wins when the optimal spacing scores strictly above every other (ties fail)
        margin = wide[optimal] - others.max(axis=1)
        out.update(win_block("spacing_acc_optimal_is_max", margin, chance=1.0 / wide.shape[1]))
    out["spacing_range"] = float(means.max() - means.min())
    out.update({f"spacing_mean_s{int(s)}": float(v) for s, v in means.items()})
    return out


STRAND_CONTROLS = ("rc_in_place", "full_rc", "scrambled")


def strand(table: pd.DataFrame) -> dict[str, float]:
    """Strand/orientation summary.

    Columns used: ``condition`` (forward, rc_in_place, full_rc, scrambled), ``group``, ``score``.

    Returns
    -------
    dict
        ``strand_accuracy``: fraction of groups with score(forward) > score(rc_in_place), i.e.
        motifs read in the right orientation beat their reverse complements in place;
        ``strand_acc_forward_gt_<c>`` and ``strand_delta_forward_minus_<c>`` (mean paired
        difference) for every control c; ``strand_mean_<condition>``.
    """
    wide = paired(table, "condition")
    out: dict[str, Any] = {}
    for c in STRAND_CONTROLS:
        if c in wide and "forward" in wide:
            d = wide["forward"] - wide[c]
            out[f"strand_delta_forward_minus_{c}"] = mean(d)
            out.update(win_block(f"strand_acc_forward_gt_{c}", d))
    for suffix in ("", "_ties", "_n", "_pvalue"):
        out[f"strand_accuracy{suffix}"] = out.get(f"strand_acc_forward_gt_rc_in_place{suffix}", math.nan)
    out.update({f"strand_mean_{c}": float(v) for c, v in wide.mean(axis=0).items()})
    return out


def ablation(table: pd.DataFrame, prefix: str, reference: str, compensated: str = "compensated",
             scrambled: str = "scrambled") -> dict[str, float]:
    """Appendix J ablation summary: per ``level``, each ``variant`` against ``reference``, and the
    MIT's CSS and SCR of the level.

    Columns used: ``level`` (ablation setting, e.g. ``len50``), ``variant``, ``group``, ``score``.

    Returns
    -------
    dict
        ``<prefix>_<level>_delta_<v>_minus_<reference>``: mean paired difference;
        ``<prefix>_<level>_acc_<v>_gt_<reference>``: its accuracy;
        ``<prefix>_<level>_mean_<v>``: mean score (reference included);
        ``<prefix>_<level>_css``: fraction of groups where ``compensated`` beats ``reference`` (the
        level's CSS) and ``<prefix>_<level>_scr``: where it beats its own ``scrambled`` control
        (the level's SCR), each with ``_ties``, ``_n`` and the exact one-sided ``_pvalue`` (only
        for the variants present).
    """
    out: dict[str, Any] = {}
    for level, rows in table.groupby("level", sort=False):
        wide = paired(rows, "variant")
        if reference not in wide:
            raise ValueError(f"{prefix}: level {level!r} has no reference variant {reference!r}")
        for v in wide.columns:
            out[f"{prefix}_{level}_mean_{v}"] = float(wide[v].mean())
            if v != reference:
                d = wide[v] - wide[reference]
                out[f"{prefix}_{level}_delta_{v}_minus_{reference}"] = mean(d)
                out.update(win_block(f"{prefix}_{level}_acc_{v}_gt_{reference}", d))
        for name, worse in (("css", reference), ("scr", scrambled)):
            if compensated in wide and worse in wide:
                out.update(win_block(f"{prefix}_{level}_{name}", wide[compensated] - wide[worse]))
    return out
