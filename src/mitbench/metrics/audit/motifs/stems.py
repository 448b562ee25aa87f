"""Inverted and mirror repeats as ``non-B_gfa`` (nBMST, non-B DB) finds and reports them
(``findIR``, ``findMR``); re-implemented from the tool's rules, nothing of its code is used.

The tool scans every centre: left arm ending at ``p``, spacer ``g = 0..spacer_max``, right arm
starting at ``p + g + 1``, and extends the arms outwards while the bases pair (inverted: the
right arm is the reverse complement of the left, cruciform/hairpin candidates; mirror: the left
arm read backwards, H-DNA candidates). A centre with arms ``k >= arm_min`` is a candidate
(inverted repeats with short arms, ``k <= short_arm_max``, need ``g <= short_spacer_max``).
Candidates, in scan order (``p``, then ``g``), go through the tool's merge of overlapping
instances, whose rules are reproduced here, quirks included (:func:`_merge`): a candidate
replaces the last kept one it contains or lies in when its arms are longer; one that lies in a
longer-armed kept one is dropped; a candidate with the same arm length sharing the last one's
start or end is folded into it (shifted copies of one repeat); otherwise it is kept, after which
the last ``max_back`` kept ones that contain it or lie in it are resolved in favour of the
longer arm, then the shorter spacer. Defaults are the tool's: inverted arms >= 6 (6–9 only with
spacer <= 4), spacer <= 100; mirror arms >= 10, spacer <= 100.

Candidates are found from exact ``arm_min``-mer seeds at the arms' inner ends (a sort-and-search
join, near-linear in length), then extended outwards in vectorised steps.
"""
from __future__ import annotations

import numpy as np

from mitbench.data.core.kmers import base_codes, kmer_index_at
from mitbench.metrics.audit.intervals import as_intervals

_COMPLEMENT = np.array([3, 2, 1, 0], dtype=np.int8)  # A C G T -> T G C A


def reverse_index(codes: np.ndarray, k: int, complement: bool) -> np.ndarray:
    """At each position, the index of the k-mer there read backwards (and complemented); -1 where it
    holds a non-ACGT base: the k-mers of the reversed (complemented) codes, in forward order."""
    back = (np.where(codes < 0, codes, 3 - codes) if complement else codes)[::-1]
    return kmer_index_at(np.ascontiguousarray(back), k)[::-1]


def seed_pairs(key: np.ndarray, partner: np.ndarray, min_gap: int, max_gap: int) -> tuple[np.ndarray, np.ndarray]:
    """All ``(i, j)`` with ``key[j] == partner[i] >= 0`` and ``min_gap <= j - i <= max_gap``."""
    valid = np.flatnonzero(key >= 0)
    order = valid[np.argsort(key[valid], kind="stable")]
    sorted_keys = key[order]
    lo = np.searchsorted(sorted_keys, partner, "left")
    hi = np.searchsorted(sorted_keys, partner, "right")
    hi = np.where(partner >= 0, hi, lo)
    n = hi - lo
    if n.sum() == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    i = np.repeat(np.arange(partner.size), n)
    offs = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    j = order[np.repeat(lo, n) + offs]
    gap = j - i
    keep = (gap >= min_gap) & (gap <= max_gap)
    return i[keep], j[keep]


def _candidates(codes: np.ndarray, arm_min: int, spacer_max: int, complement: bool):
    """Centres ``(p, g, k)``: left arm ends at ``p``, spacer ``g``, arms of ``k >= arm_min`` bp
    (extended outwards as far as the bases pair), sorted in the tool's scan order."""
    n = codes.size
    index = kmer_index_at(codes, arm_min)
    if index.size == 0:
        z = np.zeros(0, np.int64)
        return z, z, z
    a, q = seed_pairs(index, reverse_index(codes, arm_min, complement), arm_min, arm_min + spacer_max)
    p = a + arm_min - 1
    keep = p >= arm_min  # the tool's first centre
    p, q = p[keep], q[keep]
    k = np.full(p.size, arm_min, dtype=np.int64)
    active = np.arange(p.size)
    paired = _COMPLEMENT if complement else np.arange(4, dtype=np.int8)
    while active.size:
        left, right = p[active] - k[active], q[active] + k[active]
        inside = (left >= 0) & (right < n)
        active, left, right = active[inside], left[inside], right[inside]
        cl, cr = codes[left], codes[right]
        grow = (cl >= 0) & (cr >= 0) & (paired[np.maximum(cl, 0)] == cr)
        active = active[grow]
        k[active] += 1
    g = q - p - 1
    order = np.lexsort((g, p))
    return p[order], g[order], k[order]


def _merge(start: list[int], end: list[int], arm: list[int], spacer: list[int], max_back: int) -> list[list[int]]:
    """The tool's merge of candidate instances, in scan order; coordinates are the tool's (1-based
    start, inclusive end) so that an empty stack compares like its zeroed record."""
    kept: list[list[int]] = []  # [start, end, arm, spacer]
    none = [0, 0, 0, 0]
    left_shift = right_shift = False

    def inside(a, b):  # a lies in b (or equals it)
        return a[1] <= b[1] and a[0] >= b[0]

    for new in zip(start, end, arm, spacer):
        new = list(new)
        if not kept:
            kept.append(new)
            left_shift = right_shift = False
            continue
        # the new one replaces kept ones with shorter arms that it contains, then ones it lies in
        # (two passes, in this order, as the tool does)
        for contained in (True, False):
            while kept and (inside(kept[-1], new) if contained else inside(new, kept[-1])) and kept[-1][2] < new[2]:
                kept.pop()
                left_shift = right_shift = False
        prev = kept[-1] if kept else none
        if inside(prev, new) and prev[2] > new[2]:
            left_shift = right_shift = False
        if inside(new, prev) and prev[2] > new[2]:
            left_shift = right_shift = False  # lies in a longer-armed one: dropped
        elif new[1] == prev[1] and new[2] == prev[2] and not right_shift:
            left_shift, right_shift = True, False  # same end, same arms: a shifted copy
        elif new[0] == prev[0] and new[2] == prev[2] and not left_shift:
            right_shift, left_shift = True, False  # same start, same arms: grows the last one
            before = kept[-2] if len(kept) >= 2 else none
            if inside(before, new) and before[2] < new[2]:
                kept[-2] = kept[-1]
                kept.pop()
            kept[-1][1] = new[1]
        else:
            left_shift = right_shift = False
            kept.append(new)
            back = 1
            while back <= max_back:
                while back + 1 <= len(kept) and (inside(kept[-1 - back], kept[-1]) or inside(kept[-1], kept[-1 - back])):
                    old, last = kept[-1 - back], kept[-1]
                    if (old[2] == last[2] and old[3] > last[3]) or old[2] < last[2]:
                        del kept[-1 - back]  # the newer one is better: drop the older
                    else:
                        kept.pop()  # the older one is at least as good: drop the last
                    left_shift = right_shift = False
                    back = 1
                back += 1
    return kept


def _stem_repeats(sequence: str, arm_min: int, spacer_max: int, complement: bool, max_back: int,
                  short_arm_max: int = 0, short_spacer_max: int = 0) -> np.ndarray:
    p, g, k = _candidates(base_codes(sequence), arm_min, spacer_max, complement)
    keep = ~((k <= short_arm_max) & (g > short_spacer_max))
    p, g, k = p[keep], g[keep], k[keep]
    kept = _merge((p - k + 2).tolist(), (p + k + g + 1).tolist(), k.tolist(), g.tolist(), max_back)
    return as_intervals([r[0] - 1 for r in kept], [r[1] for r in kept])


def inverted_repeats(sequence: str, arm_min: int = 6, spacer_max: int = 100, short_arm_max: int = 9,
                     short_spacer_max: int = 4) -> np.ndarray:
    """Inverted repeats (right arm = reverse complement of the left) as ``non-B_gfa`` reports them.

    Parameters
    ----------
    sequence : str
        DNA (either case); a non-ACGT base never pairs.
    arm_min : int
        Shortest arm in bp (the tool's ``-minIRrep``, 6; at most 31).
    spacer_max : int
        Longest spacer in bp (``-maxIRspacer``, 100).
    short_arm_max, short_spacer_max : int
        Arms of ``arm_min..short_arm_max`` bp need a spacer ``<= short_spacer_max`` (``-shortIRcut``
        9, ``-shortIRspacer`` 4).

    Returns
    -------
    ndarray of int64, shape (n, 2)
        0-based half-open ``(start, end)`` from the left arm's first base to the right arm's last,
        sorted by start.
    """
    return _stem_repeats(sequence, arm_min, spacer_max, True, 10, short_arm_max, short_spacer_max)


def mirror_repeats(sequence: str, arm_min: int = 10, spacer_max: int = 100) -> np.ndarray:
    """Mirror repeats (right arm = left arm read backwards) as ``non-B_gfa`` reports them; arms of
    ``>= arm_min`` bp (``-minMRrep``, 10; at most 31), spacer ``<= spacer_max`` bp (``-maxMRspacer``,
    100). Returns int64 ``(n, 2)`` 0-based half-open intervals as :func:`inverted_repeats`."""
    return _stem_repeats(sequence, arm_min, spacer_max, False, 5)
