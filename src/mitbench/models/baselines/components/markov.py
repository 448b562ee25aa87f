"""Fixed-order Markov chains fitted to a genome: the baseline a trained gLM must beat.

Pure numpy (no torch): counts of (context, next base) on training tracks, add-½ smoothing, and
bits per nucleotide on held-out windows scored exactly like a causal language model scores them::

    P_k(b | c) = (n_k(c b) + 1/2) / (n_k(c) + 2)        (add-½: a pseudocount of ½ per base)
    bits/nt    = -(1 / N) Σ_windows Σ_{i=0}^{W-1} log2 P_{min(i, k)}(x_i | x_{i-min(i,k)} .. x_{i-1})

i.e. position ``i`` of a window sees only the ``min(i, k)`` bases before it *inside the window*
(order 0 is the base composition), as a language model that reads the window from a BOS token
does. ``n_k`` counts every position of every training track with ``k`` bases of context in that
track (pass both strands for a strand-symmetric model). Codes: A, C, G, T = 0..3.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

SMOOTHING = 0.5  # add-½ (Krichevsky–Trofimov) pseudocount per base


def _context_index(track: np.ndarray, k: int) -> np.ndarray:
    """int64 ``(len - k,)``: base-4 number of ``track[i-k:i]`` for ``i = k .. len-1``."""
    n = len(track) - k
    index = np.zeros(n, dtype=np.int64)
    for j in range(k):
        index = index * 4 + track[j:j + n]
    return index


def fit_counts(tracks: Iterable[np.ndarray], max_order: int) -> list[np.ndarray]:
    """Transition counts of orders ``0 .. max_order``.

    Parameters
    ----------
    tracks : iterable of ndarray
        int ``(L_t,)`` codes 0..3 (one N-free stretch of one strand each).
    max_order : int
        Highest context length, ``>= 0``.

    Returns
    -------
    list of ndarray
        ``counts[k]`` int64 ``(4**k, 4)``: row = context (base-4, first base most significant),
        column = next base.

    Raises
    ------
    ValueError
        If ``max_order < 0`` or a track holds a code outside 0..3 (naming the track's index).
    """
    if max_order < 0:
        raise ValueError(f"max_order must be >= 0, got {max_order}")
    counts = [np.zeros(4 ** (k + 1), dtype=np.int64) for k in range(max_order + 1)]
    for t, track in enumerate(tracks):
        track = np.asarray(track, dtype=np.int64)
        if track.size and (track.min() < 0 or track.max() > 3):
            raise ValueError(f"track #{t}: codes must be 0..3 (A, C, G, T)")
        for k in range(min(max_order, len(track) - 1) + 1):
            counts[k] += np.bincount(_context_index(track, k) * 4 + track[k:], minlength=4 ** (k + 1))
    return [c.reshape(4 ** k, 4) for k, c in enumerate(counts)]


def log2_table(counts: np.ndarray) -> np.ndarray:
    """float64 ``(4**k, 4)`` add-½ smoothed ``log2 P(next | context)`` from ``(4**k, 4)`` counts."""
    c = counts.astype(np.float64)
    return np.log2((c + SMOOTHING) / (c.sum(axis=1, keepdims=True) + 4 * SMOOTHING))


def window_log2_probs(tables: Sequence[np.ndarray], windows: np.ndarray, order: int) -> np.ndarray:
    """float64 ``(N, W)`` ``log2 P(x_i | in-window context)`` under the order-``order`` chain.

    ``tables[k]`` is :func:`log2_table` of order ``k`` (all orders ``0 .. order`` are needed: the
    first positions of a window fall back to the context they have).
    """
    windows = np.asarray(windows, dtype=np.int64)
    if windows.ndim != 2:
        raise ValueError(f"windows must be (N, W) codes, got shape {windows.shape}")
    if len(tables) <= order:
        raise ValueError(f"need tables of orders 0..{order}, got {len(tables)}")
    n, width = windows.shape
    out = np.empty((n, width), dtype=np.float64)
    for i in range(min(order, width)):  # short contexts at the start of each window
        ctx = np.zeros(n, dtype=np.int64)
        for j in range(i):
            ctx = ctx * 4 + windows[:, j]
        out[:, i] = tables[i][ctx, windows[:, i]]
    if width > order:
        ctx = np.zeros((n, width - order), dtype=np.int64)
        for j in range(order):
            ctx = ctx * 4 + windows[:, j:j + width - order]
        out[:, order:] = tables[order][ctx, windows[:, order:]]
    return out


def markov_bits_per_nt(train_tracks: Sequence[np.ndarray], windows: dict[str, np.ndarray],
                       orders: Sequence[int]) -> dict[int, dict[str, float]]:
    """Fit once, score several window sets: ``{order: {name: bits/nt}}``.

    Parameters
    ----------
    train_tracks : sequence of ndarray
        Training codes (both strands for a strand-symmetric chain).
    windows : dict of str to ndarray
        Named int ``(N, W)`` code windows (e.g. ``"val"``, ``"test"``).
    orders : sequence of int
        Orders to evaluate (each ``>= 0``).
    """
    counts = fit_counts(train_tracks, max(orders))
    tables = [log2_table(c) for c in counts]
    return {int(k): {name: float(-window_log2_probs(tables, w, k).mean()) for name, w in windows.items()}
            for k in orders}
