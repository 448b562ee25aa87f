"""Non-B DNA motifs by their standard tools' rules: G-quadruplexes as G4Hunter finds them and
Z-DNA as ZSeeker finds it (re-implemented from the published rules; no code of either is used).

G4Hunter (Bedrat, Lacroix & Mergny 2016, NAR 44:1746; the authors' ``G4Hunter.py``): each G
scores +1, +2, +3 or +4 when it lies in a run of 1, 2, 3 or >= 4 Gs (every base of the run gets
the run's score); C scores the same negatively; anything else 0. A window of ``window`` bp (25)
with ``|mean score| >= threshold`` (1.5, the paper's standard) is G4-prone (G4 on this strand
for positive means, on the other for negative); runs of consecutive prone windows are merged
into one region ``[first start, last start + window)``. (The script also folds a lone last
prone window into the region before it, a quirk not reproduced.)

Z-DNA as ZSeeker (Georgakopoulos-Soares lab; PyPI ``ZSeeker`` 1.8, defaults of its
``transitions`` method) scores each dinucleotide step: GC/CG 7, GT/TG and AC/CA 1.25, AT/TA
0.5 plus a bonus or penalty by its place in a run of consecutive AT/TA steps (+0.5 for the first
four, 0, 0, then -5 and -100), and any other step (not purine-pyrimidine alternating: a
mismatch) ``-3 m`` for the ``m``-th mismatch in a row. A Kadane scan keeps a running sum
(restarting at a step worth more than the sum plus it) and reports the best-scoring stretch
once its sum has reached ``threshold`` (50), closing it when the sum falls below 0 or drops
``drop`` (50) under that best; a region spans the bases of its steps. So a run survives
isolated mismatches when the alternation around them outweighs the penalty.
"""
from __future__ import annotations

import numpy as np

from mitbench.data.core.kmers import base_codes
from mitbench.metrics.audit.intervals import as_intervals, runs



def g4hunter_scores(sequence: str) -> np.ndarray:
    """float64 ``(L,)`` per-base G4Hunter scores (see module docstring)."""
    codes = base_codes(sequence)
    out = np.zeros(codes.size, dtype=np.float64)
    for base, sign in ((2, 1.0), (1, -1.0)):  # G positive, C negative
        mask = codes == base
        starts, ends = runs(mask)
        # the masked positions, in order, are exactly the runs laid end to end
        out[mask] = sign * np.repeat(np.minimum(ends - starts, 4), ends - starts)
    return out


def g4hunter_regions(sequence: str, window: int = 25, threshold: float = 1.5) -> np.ndarray:
    """``(n, 2)`` intervals of merged G4-prone windows (either strand)."""
    scores = g4hunter_scores(sequence)
    if scores.size < window:
        return as_intervals([], [])
    csum = np.concatenate([[0.0], np.cumsum(scores)])
    mean = (csum[window:] - csum[:-window]) / window  # mean of window starting at i
    # adjacent windows differ by <= 8 / window, so a run never holds both signs at 1.5
    s, e = runs(np.abs(mean) >= threshold - 1e-12)
    return as_intervals(s, e - 1 + window)


ZDNA_WEIGHTS = {"GC": 7.0, "CG": 7.0, "GT": 1.25, "TG": 1.25, "AC": 1.25, "CA": 1.25, "AT": 0.5, "TA": 0.5}
ZDNA_AT_RUN = (0.5, 0.5, 0.5, 0.5, 0.0, 0.0, -5.0, -100.0)  # added to the k-th AT/TA step in a row
ZDNA_MISMATCH = 3.0  # the m-th non-alternating step in a row scores -3 m


def _rank_in_run(mask: np.ndarray) -> np.ndarray:
    """0-based place of each True position of ``mask`` in its run of consecutive Trues."""
    s, e = runs(mask)
    n = e - s
    return np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)


def zdna_step_scores(sequence: str) -> np.ndarray:
    """float64 ``(L - 1,)`` ZSeeker score of each dinucleotide step (see module docstring)."""
    codes = base_codes(sequence)
    if codes.size < 2:
        return np.zeros(0)
    a, b = codes[:-1], codes[1:]
    ok = (a >= 0) & (b >= 0)
    w = np.zeros(16)
    for pair, weight in ZDNA_WEIGHTS.items():
        w["ACGT".index(pair[0]) * 4 + "ACGT".index(pair[1])] = weight
    pair = np.maximum(a, 0) * 4 + np.maximum(b, 0)
    alt = ok & (w[pair] > 0)
    at = alt & ((pair == 3) | (pair == 12))  # AT, TA
    out = np.where(alt, w[pair], 0.0)
    out[at] += np.asarray(ZDNA_AT_RUN)[np.minimum(_rank_in_run(at), len(ZDNA_AT_RUN) - 1)]
    out[~alt] = -ZDNA_MISMATCH * (_rank_in_run(~alt) + 1)
    return out


def zdna_regions(sequence: str, threshold: float = 50.0, drop: float = 50.0) -> np.ndarray:
    """``(n, 2)`` Z-DNA regions as ZSeeker reports them (see module docstring)."""
    steps = zdna_step_scores(sequence)
    if steps.size == 0:
        return as_intervals([], [])
    scores = steps.tolist()
    starts, ends = [], []
    run_sum, first = scores[0], 0
    best, best_at = 0.0, None
    for i in range(1, len(scores)):
        x = scores[i]
        if x >= run_sum + x:  # ZSeeker's restart rule (a non-positive running sum)
            first, run_sum = i, x
        else:
            run_sum += x
        if run_sum >= threshold and best < run_sum:
            best, best_at = run_sum, (first, i + 1)
        if best_at is not None and (run_sum < 0 or best - run_sum >= drop):
            starts.append(best_at[0])
            ends.append(best_at[1] + 1)  # steps first..i cover bases first..i+1
            best_at, run_sum, best = None, 0.0, 0.0
    if best_at is not None:
        starts.append(best_at[0])
        ends.append(best_at[1] + 1)
    return as_intervals(starts, ends)
