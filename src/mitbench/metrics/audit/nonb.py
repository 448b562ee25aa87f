"""Non-B DNA motifs with short published rules: G-quadruplex (G4Hunter) and Z-DNA (alternating
purine–pyrimidine dinucleotides, ZSeeker's weights).

G4Hunter (Bedrat, Lacroix & Mergny 2016, NAR 44:1746): each G scores +1, +2, +3 or +4 when it
lies in a run of 1, 2, 3 or >= 4 Gs (every base of the run gets the run's score); C scores the
same negatively; A/T score 0. A window of ``window`` bp (25) with ``|mean score| >= threshold``
(1.2) is G4-prone (G on this strand for positive means, on the other for negative); overlapping
prone windows of the same sign are merged into one region.

Z-DNA: a step between adjacent bases is *alternating* when it joins a purine and a pyrimidine.
Each alternating step is weighted as in ZSeeker (Georgakopoulos-Soares lab, the paper's group;
defaults GC/CG 7, GT/TG and AC/CA 1.25, AT/TA 0.5); a maximal run of alternating steps whose
summed weight is ``>= threshold`` (50) is a Z-DNA region. Deviation from ZSeeker: no mismatch
tolerance (a non-alternating step ends a run), so regions are exact and the rule vectorises.
"""
from __future__ import annotations

import numpy as np

from mitbench.data.core.kmers import base_codes
from mitbench.metrics.audit.intervals import as_intervals, runs

_PURINE = np.array([True, False, True, False])  # A C G T


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


def g4hunter_regions(sequence: str, window: int = 25, threshold: float = 1.2) -> np.ndarray:
    """``(n, 2)`` intervals of merged G4-prone windows (either strand)."""
    scores = g4hunter_scores(sequence)
    if scores.size < window:
        return as_intervals([], [])
    csum = np.concatenate([[0.0], np.cumsum(scores)])
    mean = (csum[window:] - csum[:-window]) / window  # mean of window starting at i
    starts, ends = [], []
    for prone in (mean >= threshold, mean <= -threshold):
        s, e = runs(prone)  # consecutive prone window starts: one merged region
        starts.append(s)
        ends.append(e - 1 + window)
    return as_intervals(np.concatenate(starts), np.concatenate(ends))


ZDNA_WEIGHTS = {"GC": 7.0, "CG": 7.0, "GT": 1.25, "TG": 1.25, "AC": 1.25, "CA": 1.25, "AT": 0.5, "TA": 0.5}


def zdna_regions(sequence: str, threshold: float = 50.0) -> np.ndarray:
    """``(n, 2)`` intervals of alternating purine–pyrimidine runs scoring ``>= threshold``."""
    codes = base_codes(sequence)
    if codes.size < 2:
        return as_intervals([], [])
    a, b = codes[:-1], codes[1:]
    ok = (a >= 0) & (b >= 0)
    alt = ok & (_PURINE[np.maximum(a, 0)] != _PURINE[np.maximum(b, 0)])
    w = np.zeros(4 * 4)
    for pair, weight in ZDNA_WEIGHTS.items():
        w["ACGT".index(pair[0]) * 4 + "ACGT".index(pair[1])] = weight
    step = np.where(alt, w[np.maximum(a, 0) * 4 + np.maximum(b, 0)], 0.0)
    s, e = runs(alt)
    csum = np.concatenate([[0.0], np.cumsum(step)])
    keep = (csum[e] - csum[s]) >= threshold
    return as_intervals(s[keep], e[keep] + 1)  # steps s..e-1 span bases s..e
