"""Placement statistics (MIT v3) on hand-built Latin-square tables with known answers."""
import math

import numpy as np
import pytest

import pandas as pd

from mitbench.metrics.mit.placement import background_effects, placement_cube, placement_stats, row_ranks, summarize_placements
from mitbench.metrics.stats import signflip_pvalue


def _table(score_of, n_groups: int = 10, m: int = 3, family: str = "up_placement", drop=()):
    """Correct cells (placement_ref, j == k) and a family's wrong cells; ``score_of(g, j, k)``."""
    rows = []
    for g in range(n_groups):
        for j in range(m):
            for k in range(m):
                if (g, j, k) in drop:
                    continue
                label = "placement_ref" if j == k else family
                rows.append({"id": f"{label}{g}_{j}{k}", "class": label, "group": f"{g:03d}", "frame": j, "slot": k,
                             "score": score_of(g, j, k)})
    return pd.DataFrame(rows)


def test_correct_cell_best_everywhere():
    m = summarize_placements(_table(lambda g, j, k: 1.0 if j == k else 0.0), n_boot=200)
    assert m["up_placement_n"] == 10 and m["up_placement_m"] == 3 and m["up_placement_dropped"] == 0
    assert m["up_placement_effect"] == 1.0 and m["up_placement_win_all"] == 1.0
    assert m["up_placement_rank_mean"] == 1.0 and m["up_placement_rank_chance"] == 2.0
    assert m["up_placement_p_signflip"] == pytest.approx(2.0 ** -10)  # all 10 backgrounds positive
    assert m["up_placement_effect_ci_low"] == m["up_placement_effect_ci_high"] == 1.0
    assert m["up_placement_win_all_ci_low"] == pytest.approx(0.025 ** (1 / 10))  # Clopper-Pearson 10/10


@pytest.mark.parametrize("seed", range(20))
def test_any_preference_over_absolute_positions_is_exactly_chance(seed):
    """A scorer whose preference among UP slots ignores where the core is -- monotone 5'/3', any fixed
    random profile, plus any frame and background terms (additive) or a monotone transform of them --
    gets effect exactly 0 and p = 1 in every background: the Latin square, not luck."""
    rng = np.random.default_rng(seed)
    slot, frame, bg = rng.normal(size=3), rng.normal(size=3), rng.normal(size=10)
    shapes = [lambda g, j, k: -k, lambda g, j, k: k, lambda g, j, k: slot[k] + frame[j] + bg[g],
              lambda g, j, k: math.exp(3 * slot[k] + frame[j]) + bg[g] ** 3]
    for f in shapes:
        m = summarize_placements(_table(f), n_boot=50)
        assert m["up_placement_effect"] == 0.0 and m["up_placement_p_signflip"] == 1.0


def test_ties_count_against_the_correct_cell():
    assert row_ranks(np.array([[[1.0, 1.0, 0.0], [2.0, 2.0, 2.0], [0.0, 3.0, 3.0]]])).tolist() == [[2.0, 3.0, 2.0]]
    m = summarize_placements(_table(lambda g, j, k: 5.0), n_boot=0)  # composition only: every cell ties
    assert m["up_placement_effect"] == -1.0 and m["up_placement_p_signflip"] == 1.0 and m["up_placement_win_all"] == 0
    assert math.isnan(m["up_placement_effect_ci_low"])  # n_boot=0: no interval


def test_shared_backgrounds_only():
    """A background missing a cell (or with a non-finite score) leaves; the others are compared."""
    t = _table(lambda g, j, k: 1.0 if j == k else 0.0, drop={(0, 1, 2)})
    t.loc[t["id"] == "up_placement3_01", "score"] = np.nan
    cube, groups, dropped = placement_cube(t, "up_placement")
    assert cube.shape == (8, 3, 3) and dropped == 2 and "000" not in groups and "003" not in groups
    m = summarize_placements(t, n_boot=0)
    assert m["up_placement_n"] == 8 and m["up_placement_dropped"] == 2 and m["up_placement_effect"] == 1.0


def test_effects_and_exact_signflip():
    # background 0: correct best in rows 0, 1, worst in row 2 -> ranks 1, 1, 3 -> e = 1 - 2 * (0 + 0 + 1) / 3
    cube = np.array([[[3, 1, 0], [0, 3, 1], [5, 4, 1]]], float)
    assert background_effects(cube)[0] == pytest.approx(1 / 3)
    s = placement_stats("f", np.concatenate([cube, -cube]), n_boot=0)  # second background mirrors: e = -1/3
    assert s["f_effect"] == pytest.approx(0.0) and s["f_p_signflip"] == pytest.approx(0.75)
    assert signflip_pvalue([2, 1, -1]) == pytest.approx(3 / 8) and signflip_pvalue([0, 0]) == 1.0


def test_duplicate_cell_is_refused():
    t = _table(lambda g, j, k: 0.0, n_groups=2)
    with pytest.raises(ValueError, match="occurs twice"):
        placement_cube(pd.concat([t, t.iloc[[5]]]), "up_placement")
