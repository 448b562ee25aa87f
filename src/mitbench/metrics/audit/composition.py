"""Base composition and low complexity of one sequence: GC content and skew, cumulative GC skew,
the homopolymer-run spectrum and the share masked by DUST.

Definitions (only A/C/G/T count; any other character is excluded and breaks a run):

* ``gc_fraction`` = (G + C) / (A + C + G + T).
* ``gc_skew`` = (G − C) / (G + C), in [−1, 1] (positive: G-rich strand); NaN without G or C.
* ``gc_skew_cum_range``: the sequence is cut into consecutive ``SKEW_WINDOW``-bp windows (a last,
  shorter one is dropped), each window's skew ``s_j`` as above (0 without G or C), the cumulative
  skew ``C_j = s_1 + ... + s_j`` with ``C_0 = 0``, and the statistic is ``max C − min C``: how far the
  skew walk wanders (strand-biased blocks, e.g. co-oriented genes, make it wander further than a
  strand-symmetric source). NaN with fewer than 2 windows.
* homopolymers are maximal runs of one base: ``homopolymer_max_bp`` = the longest run (any length),
  ``homopolymer_ge5_per_kb`` = runs of >= 5 bp per kb, ``homopolymer_mean_bp`` = mean length of the
  runs of >= 2 bp (NaN when there is none).
* ``dust_fraction`` = bp masked by symmetric DUST (``pydustmasker.DustMasker``, the NCBI
  dustmasker defaults: window 64, score threshold 20) / bp.
"""
from __future__ import annotations

import numpy as np

from mitbench.data.core.kmers import base_codes
from mitbench.metrics.audit.intervals import as_intervals

SKEW_WINDOW = 100  # bp per window of the cumulative GC skew
HOMOPOLYMER_LONG = 5  # a run of at least this many bp counts in homopolymer_ge5_per_kb
DUST_WINDOW, DUST_LEVEL = 64, 20  # NCBI dustmasker defaults


def gc_fraction(sequence: str) -> float:
    """(G + C) / (A + C + G + T); NaN without any A/C/G/T."""
    n = np.bincount(base_codes(sequence) + 1, minlength=5)[1:]
    return float((n[1] + n[2]) / n.sum()) if n.sum() else float("nan")


def gc_skew(sequence: str) -> float:
    """(G − C) / (G + C) in [−1, 1]; NaN without G or C."""
    n = np.bincount(base_codes(sequence) + 1, minlength=5)[1:]
    return float((n[2] - n[1]) / (n[2] + n[1])) if n[1] + n[2] else float("nan")


def cumulative_gc_skew_range(sequence: str, window: int = SKEW_WINDOW) -> float:
    """Range (max − min, including the start at 0) of the cumulative per-window GC skew (module
    docstring); NaN with fewer than 2 whole windows of ``window`` bp."""
    codes = base_codes(sequence)
    n_win = codes.size // window
    if n_win < 2:
        return float("nan")
    c = codes[: n_win * window].reshape(n_win, window)
    g, cc = (c == 2).sum(1), (c == 1).sum(1)
    s = np.divide(g - cc, g + cc, out=np.zeros(n_win), where=(g + cc) > 0)
    walk = np.concatenate([[0.0], np.cumsum(s)])
    return float(walk.max() - walk.min())


def homopolymer_runs(sequence: str) -> np.ndarray:
    """int64 lengths of the maximal runs of one base (A/C/G/T; other characters belong to no run)."""
    codes = base_codes(sequence).astype(np.int64)
    if codes.size == 0:
        return np.zeros(0, np.int64)
    # a run starts where the code changes; a non-ACGT position is its own run, dropped below
    starts = np.flatnonzero(np.concatenate([[True], (codes[1:] != codes[:-1]) | (codes[1:] < 0)]))
    lengths = np.diff(np.concatenate([starts, [codes.size]]))
    return lengths[codes[starts] >= 0]


def homopolymer_stats(sequence: str) -> dict[str, float]:
    """``homopolymer_max_bp``, ``homopolymer_ge5_per_kb``, ``homopolymer_mean_bp`` (module docstring)."""
    runs = homopolymer_runs(sequence)
    kb = len(sequence) / 1000.0
    multi = runs[runs >= 2]
    return {"homopolymer_max_bp": float(runs.max()) if runs.size else float("nan"),
            "homopolymer_ge5_per_kb": float((runs >= HOMOPOLYMER_LONG).sum() / kb) if kb else float("nan"),
            "homopolymer_mean_bp": float(multi.mean()) if multi.size else float("nan")}


def composition_stats(sequence: str) -> dict[str, float]:
    """``gc_fraction``, ``gc_skew`` and the homopolymer spectrum of one region's own sequence."""
    return {"gc_fraction": gc_fraction(sequence), "gc_skew": gc_skew(sequence), **homopolymer_stats(sequence)}


def dust_intervals(sequence: str, window: int = DUST_WINDOW, level: int = DUST_LEVEL) -> np.ndarray:
    """``(n, 2)`` half-open intervals masked by symmetric DUST (window ``window`` bp, score
    threshold ``level``); none for sequences under 4 bp (DUST's minimum)."""
    import pydustmasker

    if len(sequence) < 4:
        return as_intervals([], [])
    iv = pydustmasker.DustMasker(sequence, window_size=window, score_threshold=level).intervals
    return as_intervals([s for s, _ in iv], [e for _, e in iv])
