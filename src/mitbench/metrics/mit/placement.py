"""Placement statistics (MIT v3): does a model prefer the compensating bases where they act over the
same bases in another promoter unit of the same canvas?

Input: a scores table with the correct cells (label ``placement_ref``) and a family's wrong cells
(label ``up_placement`` or ``comp_placement``), each with meta ``group`` (the background), ``frame``
(``j``, the unit holding the core) and ``slot`` (``k``, the unit holding the UP); a cell is correct
iff ``k == j`` (:mod:`mitbench.data.mit.controls`, a Latin square over ``m`` units).

Per background ``g`` and row ``j`` (core in frame ``j``), the rank of the correct cell among the row's
``m`` cells is ``r = 1 + #{k != j: s(j, k) >= s(j, j)}`` (1 = best; a tie counts against the correct
cell, the one tie rule). The background's **effect** is ``e_g = 1 - 2 mean_j (r_j - 1) / (m - 1)``
in ``[-1, 1]``: 1 = the correct cell best in every row, 0 = chance, -1 = worst (or tied) everywhere.
Only backgrounds with every cell scored enter (shared backgrounds; a missing or non-finite cell drops
its background, counted in ``<f>_dropped``).

Keys, with ``<f>`` the family:

* ``<f>_effect`` — mean ``e_g`` (the effect-size companion: how far above chance), with a percentile
  bootstrap CI over backgrounds (``_ci_low``/``_ci_high``);
* ``<f>_p_signflip`` — exact one-sided sign-flip randomisation p of ``mean e_g > 0`` (each ``e_g``
  symmetric about 0 under "no placement preference" with independent noise). A scorer whose ranking
  of UP slots does not depend on the core's frame — every additive position-weight model, every
  monotone positional preference — has ``e_g = 0`` exactly (the ranks over rows are a permutation of
  ``1..m``), hence ``p = 1``; a fixed non-linear function may still respond to the geometry, which
  the random-init null or the untrained-network panel calibrates (:mod:`mitbench.metrics.mit.verdict`);
* ``<f>_rank_mean`` — mean rank of the correct cell (chance ``(m + 1) / 2``, ``<f>_rank_chance``);
* ``<f>_win_all`` — fraction of backgrounds with the correct cell best in every row (exact
  Clopper–Pearson CI);
* ``<f>_n`` backgrounds, ``<f>_m`` units per canvas, ``<f>_dropped`` backgrounds left out.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mitbench.metrics.stats import percentile_ci, proportion_ci, signflip_pvalue
from mitbench.data.mit.controls import FAMILIES  # the placement families: one definition

NAN = float("nan")
REFERENCE = "placement_ref"


def placement_cube(table: pd.DataFrame, family: str, reference: str = REFERENCE) -> tuple[np.ndarray, list[str], int]:
    """Scores ``(G, m, m)`` (``[g, j, k]`` = core in frame ``j``, UP in slot ``k``) of the
    backgrounds having every cell, the backgrounds' keys, and how many were dropped.

    Raises
    ------
    ValueError
        If a cell occurs twice in one background, or a family record lacks ``frame``/``slot``.
    """
    sub = table[table["class"].isin((reference, family))]
    fam = sub[sub["class"] == family]
    if fam.empty:
        return np.empty((0, 0, 0)), [], 0
    for col in ("group", "frame", "slot"):
        if col not in sub.columns or sub[col].isna().any():
            raise ValueError(f"{family}: every {reference}/{family} record needs a {col!r} meta value")
    key = sub["group"].astype(str)
    frame, slot = sub["frame"].astype(int).to_numpy(), sub["slot"].astype(int).to_numpy()
    if sub.assign(_g=key, _j=frame, _k=slot).duplicated(["_g", "_j", "_k"]).any():
        raise ValueError(f"{family}: a (frame, slot) cell occurs twice in one background")
    m = int(max(frame.max(), slot.max())) + 1
    groups = sorted(set(key[sub["class"] == family]))
    index = {g: i for i, g in enumerate(groups)}
    cube = np.full((len(groups), m, m), np.nan)
    rows = key.map(index)
    keep = rows.notna().to_numpy()
    cube[rows[keep].astype(int).to_numpy(), frame[keep], slot[keep]] = sub["score"].to_numpy(float)[keep]
    complete = np.isfinite(cube).all(axis=(1, 2))
    return cube[complete], [g for g, ok in zip(groups, complete) if ok], int((~complete).sum())


def row_ranks(cube: np.ndarray) -> np.ndarray:
    """``(G, m)`` rank of the correct cell ``[g, j, j]`` within row ``j`` (1 = best, ties against it)."""
    m = cube.shape[1]
    diag = cube[:, np.arange(m), np.arange(m)]
    return (cube >= diag[:, :, None]).sum(axis=2).astype(float)


def background_effects(cube: np.ndarray) -> np.ndarray:
    """``(G,)`` effect ``e_g = 1 - 2 mean_j (r_j - 1) / (m - 1)`` of each background, in [-1, 1]."""
    m = cube.shape[1]
    return 1.0 - 2.0 * ((row_ranks(cube) - 1.0) / (m - 1)).mean(axis=1)


def placement_stats(prefix: str, cube: np.ndarray, n_boot: int = 1000, seed: int = 0,
                    dropped: int = 0) -> dict[str, Any]:
    """The keys of the module docstring from a :func:`placement_cube`."""
    if cube.shape[0] == 0:
        return {f"{prefix}_n": 0, f"{prefix}_dropped": int(dropped)}
    g, m = cube.shape[0], cube.shape[1]
    e = background_effects(cube)
    r = row_ranks(cube)
    out: dict[str, Any] = {f"{prefix}_n": int(g), f"{prefix}_m": int(m), f"{prefix}_dropped": int(dropped),
                           f"{prefix}_effect": float(e.mean()),
                           # e_g * m (m - 1) / 2 is an integer: the exact test runs on that lattice
                           f"{prefix}_p_signflip": signflip_pvalue(np.rint(e * m * (m - 1) / 2).astype(int)),
                           f"{prefix}_rank_mean": float(r.mean()), f"{prefix}_rank_chance": (m + 1) / 2}
    rng = np.random.default_rng(seed)
    boot = e[rng.integers(0, g, size=(n_boot, g))].mean(1) if n_boot else np.empty(0)
    out[f"{prefix}_effect_ci_low"], out[f"{prefix}_effect_ci_high"] = percentile_ci(boot)
    wins = int((r == 1).all(axis=1).sum())
    out[f"{prefix}_win_all"] = wins / g
    out[f"{prefix}_win_all_ci_low"], out[f"{prefix}_win_all_ci_high"] = proportion_ci(wins, g)
    return out


def summarize_placements(table: pd.DataFrame, families: tuple[str, ...] = FAMILIES,
                         n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """:func:`placement_stats` of every family present in ``table``."""
    out: dict[str, Any] = {}
    for family in families:
        cube, _, dropped = placement_cube(table, family)
        if cube.shape[0] or dropped:
            out.update(placement_stats(family, cube, n_boot, seed, dropped))
    return out
