"""Placement statistics: does a model prefer the compensating bases where they act over the same
bases placed where they cannot act?

Input: a scores table holding the reference sequences (class ``E``: the bases in place) and a
placement-control family (label ``up_placement`` or ``comp_placement``; meta ``placement``), paired
on ``group`` (one background). Every control is a permutation of its E's bases (exact composition).

For background ``g`` with ``k_g`` alternatives, the rank of a placement is ``1 + #{other placements
scoring at least as high}`` (rank 1 = best; a tie counts against the placement, the one tie rule).

Keys, with ``<f>`` the family:

* ``<f>_rank_mean`` — mean over backgrounds of the correct placement's rank, with a percentile
  bootstrap CI over backgrounds (``_ci_low``/``_ci_high``) and its chance level ``<f>_rank_chance``
  = mean of ``(k_g + 2) / 2`` (exchangeable placements, no ties);
* ``<f>_win_all`` — fraction of backgrounds in which the correct placement beats every alternative,
  with an exact Clopper–Pearson CI;
* ``<f>_pairwise`` — fraction of (background, alternative) pairs won by the correct placement;
* ``<f>_p_placement`` — the **position-level exchangeability p**: each placement's mean normalised
  rank ``(rank - 1) / k_g`` over backgrounds, and ``p = #{placements whose mean is <= the correct
  one's} / (K + 1)`` (the correct placement counts itself; ties count against it). Under "the model
  knows nothing about placement" the correct placement is one of ``K + 1`` exchangeable placements,
  so ``P(p <= a) <= a`` *whatever the model's fixed preferences* — unlike a binomial test over
  backgrounds, which treats one fixed function's identical edits as independent coin flips. Its
  smallest value is ``1 / (K + 1)``;
* ``<f>_consistency`` — edit consistency: over alternatives, the mean share of backgrounds moving the
  same way (1 = every background moves identically: not independent replicates);
* ``<f>_n`` backgrounds and ``<f>_k`` alternatives (most backgrounds).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mitbench.metrics.stats import edit_consistency, percentile_ci, proportion_ci

NAN = float("nan")


def placement_matrix(table: pd.DataFrame, family: str, reference: str = "E",
                     on: str = "group") -> tuple[np.ndarray, list[str]]:
    """Scores ``(G, 1 + K)``: column 0 the reference (bases in place), then one column per placement
    (NaN where a background lacks it); rows are the backgrounds having the family, sorted by ``on``.

    Raises
    ------
    ValueError
        If a family record's background has no reference record, or a placement repeats within one.
    """
    fam = table[table["class"] == family]
    if fam.empty:
        return np.empty((0, 1)), []
    ref = table[table["class"] == reference].set_index(table.loc[table["class"] == reference, on].astype(str))["score"]
    keys = fam[on].astype(str)
    missing = sorted(set(keys) - set(ref.index))
    if missing:
        raise ValueError(f"{family}: background {missing[0]!r} has no {reference} record to compare with")
    if fam.assign(_k=keys).duplicated(["_k", "placement"]).any():
        raise ValueError(f"{family}: a placement occurs twice in one background")
    wide = fam.assign(_k=keys).pivot(index="_k", columns="placement", values="score")
    order = list(dict.fromkeys(fam["placement"]))
    wide = wide[order].sort_index()
    return np.column_stack([ref.loc[wide.index].to_numpy(float), wide.to_numpy(float)]), order


def ranks(scores: np.ndarray) -> np.ndarray:
    """Within-row ranks of ``scores`` (G, M), 1 = best, ties against each placement; NaN stays NaN."""
    valid = np.isfinite(scores)
    ge = scores[:, None, :] >= scores[:, :, None]  # [g, j, l]: s_l >= s_j (False where NaN)
    return np.where(valid, ge.sum(2).astype(float), np.nan)


def placement_stats(prefix: str, scores: np.ndarray, n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """The keys of the module docstring from a :func:`placement_matrix` (column 0 = correct)."""
    if scores.shape[0] == 0:
        return {f"{prefix}_n": 0}
    r = ranks(scores)
    k = np.isfinite(scores[:, 1:]).sum(1)
    r0 = r[:, 0]
    out: dict[str, Any] = {f"{prefix}_n": int(len(r0)), f"{prefix}_k": int(np.max(k)),
                           f"{prefix}_rank_mean": float(r0.mean()), f"{prefix}_rank_chance": float(((k + 2) / 2).mean())}
    rng = np.random.default_rng(seed)
    boot = r0[rng.integers(0, len(r0), size=(n_boot, len(r0)))].mean(1) if n_boot else np.empty(0)
    out[f"{prefix}_rank_mean_ci_low"], out[f"{prefix}_rank_mean_ci_high"] = percentile_ci(boot)
    wins = int((r0 == 1).sum())
    out[f"{prefix}_win_all"] = wins / len(r0)
    out[f"{prefix}_win_all_ci_low"], out[f"{prefix}_win_all_ci_high"] = proportion_ci(wins, len(r0))
    alt = scores[:, 1:]
    won = (scores[:, :1] > alt)[np.isfinite(alt)]
    out[f"{prefix}_pairwise"] = float(won.mean())
    out[f"{prefix}_pairwise_ties"] = int((scores[:, :1] == alt)[np.isfinite(alt)].sum())
    norm = (r - 1) / k[:, None]
    mean_norm = np.nanmean(norm, axis=0)
    out[f"{prefix}_p_placement"] = float((mean_norm <= mean_norm[0]).sum() / len(mean_norm))
    cons = [edit_consistency(scores[ok, 0], scores[ok, j])
            for j in range(1, scores.shape[1]) for ok in [np.isfinite(scores[:, j])] if ok.any()]
    out[f"{prefix}_consistency"] = float(np.mean(cons)) if cons else NAN
    return out


def summarize_placements(table: pd.DataFrame, families: tuple[str, ...] = ("up_placement", "comp_placement"),
                         n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """:func:`placement_stats` of every family present in ``table``."""
    out: dict[str, Any] = {}
    for family in families:
        scores, _ = placement_matrix(table, family)
        if scores.shape[0]:
            out.update(placement_stats(family, scores, n_boot, seed))
    return out
