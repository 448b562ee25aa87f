"""Repeats as non-B DB's motif finder ``non-B_gfa`` (nBMST; Cer et al. 2011, NAR 39:D383; 2013,
NAR 41:D94) finds *and reports* them: direct repeats and short tandem repeats here, inverted and
mirror repeats in :mod:`mitbench.metrics.audit.motifs.stems`. Re-implemented from the tool's rules
(nothing of its code is used) and checked against it on hand-built sequences and 160 E. coli /
Markov windows (``scripts/audit_tool_agreement.py``, docs/audit.md).

All arms are exact matches; intervals are 0-based half-open, from the first base of the left
arm to the last base of the right arm (tandem copies included).

Direct repeat (``findDR``), a left-to-right greedy scan: at each position ``i`` take the longest
arm ``s`` (``arm_min..arm_max``) with a copy ``x[i:i+s] == x[i+s+g:i+2s+g]`` at a spacer
``0 <= g <= spacer_max`` that ends past the end of the last reported repeat (the smallest such
spacer on ties); a zero-spacer hit is extended over the whole tandem array. So a repeat is
reported once, and an overlapping one only when it reaches further (the tool's merge). Defaults
are the tool's: arms 10–300, spacer <= 10 (``-maxDRspacer``).

Short tandem repeat (``findSTR``), also a greedy scan: at each position the smallest unit
``1..9`` bp repeated ``>= 3`` times in a row (partial last copy included) over ``>= 10`` bp, kept
when it ends past the last one reported; the scan then resumes ``min_bp - 1`` bp before its end.
"""
from __future__ import annotations

import numpy as np

from mitbench.data.core.kmers import base_codes, kmer_index_at
from mitbench.metrics.audit.intervals import as_intervals, runs
from mitbench.metrics.audit.motifs.stems import inverted_repeats, mirror_repeats, seed_pairs

__all__ = ["direct_repeats", "inverted_repeats", "mirror_repeats", "short_tandem_repeats"]


def _diagonal_extent(i: np.ndarray, diag: np.ndarray, k: int) -> np.ndarray:
    """For seeds ``(i, diag)``: bases matching from ``i`` along its diagonal (``>= k``)."""
    order = np.lexsort((i, diag))
    si, sd = i[order], diag[order]
    brk = np.flatnonzero((np.diff(sd) != 0) | (np.diff(si) != 1)) + 1
    first = np.concatenate([[0], brk])
    last = np.concatenate([brk - 1, [si.size - 1]])
    run_last = np.repeat(si[last], last - first + 1)
    out = np.empty_like(i)
    out[order] = run_last + k - si
    return out


def direct_repeats(sequence: str, arm_min: int = 10, arm_max: int = 300, spacer_max: int = 10) -> np.ndarray:
    """Direct repeats as ``non-B_gfa`` reports them (see module docstring).

    Parameters
    ----------
    sequence : str
        DNA (either case); a non-ACGT base never matches.
    arm_min, arm_max : int
        Arm length range in bp (the tool's ``-minDRrep`` 10, ``-maxDRrep`` 300).
    spacer_max : int
        Longest spacer between the copies in bp (the tool's ``-maxDRspacer``, 10).

    Returns
    -------
    ndarray of int64, shape (n, 2)
        0-based half-open ``(start, end)`` from the left arm's first base to the right arm's last
        (a tandem array's last copy), sorted by start.
    """
    codes = base_codes(sequence)
    n = codes.size
    index = kmer_index_at(codes, arm_min)
    if index.size == 0:
        return as_intervals([], [])
    i, j = seed_pairs(index, index, arm_min, arm_max + spacer_max)
    keep = i < n - 2 * arm_min  # the tool's last start position
    i, d = i[keep], (j - i)[keep]
    if i.size == 0:
        return as_intervals([], [])
    match = _diagonal_extent(i, d, arm_min)  # x[i+t] == x[i+d+t] for t < match
    arm = np.minimum(np.minimum(match, d), arm_max)  # the longest arm this offset allows
    ok = d - arm <= spacer_max
    i, d, match, arm = i[ok], d[ok], match[ok], arm[ok]
    reach = i + arm + d  # end of the copy, what must pass the last repeat's end
    final = np.where(arm == d, i + d + match, reach)  # zero spacer: the whole tandem array
    order = np.lexsort((d, -arm, i))  # per position: longest arm first, then smallest spacer
    pos, reach, final = i[order].tolist(), reach[order].tolist(), final[order].tolist()
    starts, ends, last_end, at = [], [], 0, -1
    for p, r, f in zip(pos, reach, final):
        if p == at or r < last_end + 2:  # one repeat per position; must reach past the last one
            continue
        starts.append(p)
        ends.append(f)
        last_end, at = f - 1, p
    return as_intervals(starts, ends)


def _period_extent(codes: np.ndarray, unit: int) -> np.ndarray:
    """``P[i]``: bases from ``i`` on with ``x[t] == x[t + unit]`` (int64, length ``L``)."""
    n = codes.size
    out = np.zeros(n, dtype=np.int64)
    if n <= unit:
        return out
    eq = (codes[:-unit] == codes[unit:]) & (codes[:-unit] >= 0)
    s, e = runs(eq)
    pos = np.flatnonzero(eq)
    out[pos] = np.repeat(e, e - s) - pos
    return out


def short_tandem_repeats(sequence: str, unit_min: int = 1, unit_max: int = 9, min_copies: int = 3,
                         min_bp: int = 10) -> np.ndarray:
    """Short tandem repeats as ``non-B_gfa`` reports them (see module docstring).

    Parameters
    ----------
    sequence : str
        DNA (either case); a non-ACGT base never matches.
    unit_min, unit_max : int
        Repeat unit range in bp (the tool's ``-minSTR`` 1, ``-maxSTR`` 9).
    min_copies : int
        Whole copies in a row (3).
    min_bp : int
        Shortest repeat in bp, partial last copy included (the tool's ``-minSTRbp``, 10 in ``gfa.c``).

    Returns
    -------
    ndarray of int64, shape (n, 2)
        0-based half-open ``(start, end)``, sorted by start.
    """
    codes = base_codes(sequence)
    n = codes.size
    cand_i, cand_u, cand_end = [], [], []
    for u in range(unit_min, unit_max + 1):
        ext = _period_extent(codes, u)
        i = np.arange(n)
        # the tool stops counting whole copies one unit before the end, then adds the partial one
        most = np.maximum(1, (n - 1 - i) // u - 1)
        copies = 1 + np.minimum(ext // u, most)
        ok = (copies >= min_copies) & (ext + u >= min_bp) & (i < n - min_bp)
        cand_i.append(i[ok])
        cand_u.append(np.full(int(ok.sum()), u))
        cand_end.append((i + ext + u)[ok])
    ci, cu, ce = (np.concatenate(x) for x in (cand_i, cand_u, cand_end))
    order = np.lexsort((cu, ci))
    starts, ends, last_end, resume = [], [], -1, 0
    for p, e in zip(ci[order].tolist(), ce[order].tolist()):
        if p < resume or e <= last_end:
            continue
        starts.append(p)
        ends.append(e)
        last_end, resume = e, e - min_bp + 2
    return as_intervals(starts, ends)
