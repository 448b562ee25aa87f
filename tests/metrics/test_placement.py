"""Placement statistics on hand-made tables with known answers."""
import math

import numpy as np
import pandas as pd
import pytest

from mitbench.data.controls import UP_PLACEMENTS
from mitbench.metrics.placement import placement_matrix, placement_stats, ranks, summarize_placements

PLACEMENTS = [f"p{p}" for p in UP_PLACEMENTS] + ["scrambled"]


def _table(score_of, n_groups: int = 10, drop=()):
    """E at position 15 plus the up_placement family; ``score_of(group, position_or_name)``."""
    rows = []
    for g in range(n_groups):
        rows.append({"id": f"E{g}", "class": "E", "group": f"{g:03d}", "score": score_of(g, 15)})
        for name in PLACEMENTS:
            if (g, name) in drop:
                continue
            pos = int(name[1:]) if name != "scrambled" else "scrambled"
            rows.append({"id": f"U{g}{name}", "class": "up_placement", "group": f"{g:03d}", "placement": name,
                         "score": score_of(g, pos)})
    return pd.DataFrame(rows)


def test_ranks_ties_count_against_each_placement():
    r = ranks(np.array([[3.0, 1.0, 3.0], [1.0, 1.0, 1.0]]))
    assert r.tolist() == [[2.0, 3.0, 2.0], [3.0, 3.0, 3.0]]


def test_model_preferring_the_correct_position():
    m = summarize_placements(_table(lambda g, p: 1.0 if p == 15 else 0.0), n_boot=200)
    k = len(PLACEMENTS)
    assert m["up_placement_k"] == k == 23 and m["up_placement_n"] == 10
    assert m["up_placement_rank_mean"] == 1.0 and m["up_placement_win_all"] == 1.0
    assert m["up_placement_rank_chance"] == (k + 2) / 2
    assert m["up_placement_p_placement"] == pytest.approx(1 / (k + 1))  # the smallest possible value
    assert m["up_placement_win_all_ci_low"] == pytest.approx(0.025 ** (1 / 10))  # Clopper-Pearson 10/10
    assert m["up_placement_consistency"] == 1.0 and m["up_placement_pairwise"] == 1.0


def test_model_preferring_a_wrong_position_and_composition_ties():
    # prefers UP at 59, then 15, then the rest: correct is second everywhere
    m = summarize_placements(_table(lambda g, p: {59: 2.0, 15: 1.0}.get(p, 0.0)), n_boot=0)
    assert m["up_placement_rank_mean"] == 2.0 and m["up_placement_win_all"] == 0.0
    assert m["up_placement_p_placement"] == pytest.approx(2 / 24)
    assert math.isnan(m["up_placement_rank_mean_ci_low"])  # n_boot=0: no interval
    # a composition-only scorer ties every placement: rank k+1 everywhere, p = 1
    c = summarize_placements(_table(lambda g, p: 5.0), n_boot=0)
    assert c["up_placement_rank_mean"] == 24 and c["up_placement_p_placement"] == 1.0
    assert c["up_placement_pairwise_ties"] == 10 * 23


def test_missing_placement_normalised_per_background():
    # background 0 lacks "scrambled" (a homopolymer UP): k = 22 there, ranks still comparable
    t = _table(lambda g, p: 1.0 if p == 15 else 0.0, drop={(0, "scrambled")})
    scores, order = placement_matrix(t, "up_placement")
    assert scores.shape == (10, 24) and np.isnan(scores[0, -1]) and order[-1] == "scrambled"
    m = placement_stats("up_placement", scores, n_boot=0)
    assert m["up_placement_rank_chance"] == pytest.approx((24 / 2 + 9 * 25 / 2) / 10)
    assert m["up_placement_p_placement"] == pytest.approx(1 / 24)


def test_reference_missing_is_named():
    t = _table(lambda g, p: 0.0)
    with pytest.raises(ValueError, match="'003' has no E record"):
        placement_matrix(t[t["id"] != "E3"], "up_placement")
