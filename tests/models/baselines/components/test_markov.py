"""Markov baseline: counts and bits/nt against direct calculations."""
import math

import numpy as np
import pytest

from mitbench.models.baselines.components.markov import (fit_counts, log2_table, markov_bits_per_nt,
                                               window_log2_probs)


def _direct_counts(tracks, k):
    counts = {}
    for t in tracks:
        for i in range(k, len(t)):
            key = (tuple(int(c) for c in t[i - k:i]), int(t[i]))
            counts[key] = counts.get(key, 0) + 1
    return counts


def _direct_bits(tracks, windows, k):
    """Add-½ smoothed chain with in-window context min(i, k), by loops."""
    total, n = 0.0, 0
    for w in windows:
        for i in range(len(w)):
            j = min(i, k)
            c = _direct_counts(tracks, j)
            ctx = tuple(int(x) for x in w[i - j:i])
            num = c.get((ctx, int(w[i])), 0) + 0.5
            den = sum(c.get((ctx, b), 0) for b in range(4)) + 2.0
            total -= math.log2(num / den)
            n += 1
    return total / n


def test_counts_match_a_direct_count():
    rng = np.random.default_rng(1)
    tracks = [rng.integers(0, 4, 40), rng.integers(0, 4, 3), rng.integers(0, 4, 17)]
    counts = fit_counts(tracks, 3)
    for k in range(4):
        direct = _direct_counts(tracks, k)
        for (ctx, b), v in direct.items():
            index = sum(c * 4 ** (k - 1 - j) for j, c in enumerate(ctx))
            assert counts[k][index, b] == v
        assert counts[k].sum() == sum(direct.values()) == sum(max(len(t) - k, 0) for t in tracks)


@pytest.mark.parametrize("order", [0, 1, 2, 5])
def test_bits_per_nt_match_a_direct_calculation(order):
    rng = np.random.default_rng(order)
    tracks = [rng.integers(0, 4, 60), (np.arange(30) * 7) % 4]
    windows = rng.integers(0, 4, (3, 8))
    got = markov_bits_per_nt(tracks, {"w": windows}, [order])[order]["w"]
    assert got == pytest.approx(_direct_bits(tracks, windows, order), rel=1e-12)


def test_hand_made_order_one_chain():
    # track ACACAC: after A always C (3x), after C always A (2x); order 1, add-1/2
    tracks = [np.array([0, 1, 0, 1, 0, 1])]
    tables = [log2_table(c) for c in fit_counts(tracks, 1)]
    lp = window_log2_probs(tables, np.array([[0, 1]]), 1)
    # position 0: order 0, P(A) = (3 + .5) / (6 + 2); position 1: P(C | A) = (3 + .5) / (3 + 2)
    assert lp[0, 0] == pytest.approx(math.log2(3.5 / 8)) and lp[0, 1] == pytest.approx(math.log2(3.5 / 5))


def test_bad_input_fails():
    with pytest.raises(ValueError, match="track #1"):
        fit_counts([np.array([0, 1]), np.array([0, 4])], 1)
    with pytest.raises(ValueError, match="orders 0..3"):
        window_log2_probs([np.zeros((1, 4))], np.zeros((1, 5), dtype=int), 3)
