"""Interval bookkeeping shared by the feature families: count and bp covered inside a region.

Intervals are 0-based half-open ``(start, end)`` int arrays; an interval belongs to the region
that holds its start (so each is counted once across distance bins), while covered bp are
clipped to the region (so bins add up to the whole).
"""
from __future__ import annotations

import numpy as np


def as_intervals(starts, ends) -> np.ndarray:
    """int64 ``(n, 2)`` array of ``(start, end)``, sorted by start."""
    arr = np.stack([np.asarray(starts, np.int64).ravel(), np.asarray(ends, np.int64).ravel()], 1)
    return arr[np.argsort(arr[:, 0], kind="stable")] if arr.size else arr.reshape(0, 2)


def count_in(iv: np.ndarray, lo: int, hi: int) -> int:
    """Intervals whose start lies in ``[lo, hi)``."""
    return int(((iv[:, 0] >= lo) & (iv[:, 0] < hi)).sum()) if iv.size else 0


def covered_bp(iv: np.ndarray, lo: int, hi: int) -> int:
    """Bases of ``[lo, hi)`` inside the union of the intervals."""
    if not iv.size or hi <= lo:
        return 0
    mask = np.zeros(hi - lo + 1, dtype=np.int64)
    s = np.clip(iv[:, 0], lo, hi) - lo
    e = np.clip(iv[:, 1], lo, hi) - lo
    keep = e > s
    np.add.at(mask, s[keep], 1)
    np.add.at(mask, e[keep], -1)
    return int((np.cumsum(mask)[:-1] > 0).sum())


def runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends (half-open) of the runs of True in a 1-D mask."""
    d = np.diff(np.concatenate([[0], np.asarray(mask, dtype=np.int8), [0]]))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)
