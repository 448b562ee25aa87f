"""Repeats: direct, inverted and mirror repeats (exact arms, as in non-B DB's nBMST, Cer et al.
2011/2013) and short tandem repeats (``pytrf``).

Definitions (arms are exact matches; ``arm_min`` and ``spacer_max`` in bp):

* direct repeat: ``x[i:i+a] == x[i+D:i+D+a]``, ``D = a + s``; a maximal run of matches at offset
  ``D`` of length ``r`` has arm ``min(r, D) >= arm_min`` and spacer ``D - min(r, D) <= spacer_max``
  (tandem copies, ``r > D``, give one repeat per offset).
* inverted repeat: the right arm is the reverse complement of the left (cruciform/hairpin
  candidates); mirror repeat: the right arm is the left read backwards (H-DNA candidates). A
  maximal run of matching pairs ``(p, S - p)`` around a centre ``S / 2``; its innermost spacer is
  ``<= spacer_max``; the arms do not overlap.
* short tandem repeat: ``pytrf.STRFinder`` with minimum copy numbers per motif size 1..6.

All three arm-based kinds are found from exact ``arm_min``-mer seeds (a sort-and-search join,
near-linear in length): every run of ``>= arm_min`` matching pairs contains such seeds, and the
consecutive seeds of one diagonal (same ``D`` or same ``S``) form one repeat. Each instance is an
interval from the first base of the left arm to the last of the right arm.
Defaults (arms >= 10 bp, spacer <= 100 bp) follow nBMST for direct and mirror repeats; nBMST
allows 6-bp arms for inverted repeats, which a random 20-kb sequence matches ~10^3 times, so 10
is used for all three (stated in the README).
"""
from __future__ import annotations

import numpy as np

from mitbench.data.core.kmers import base_codes, kmer_index_at
from mitbench.metrics.audit.intervals import as_intervals

_EMPTY = np.zeros((0, 2), dtype=np.int64)


def _reverse_index(index: np.ndarray, k: int, complement: bool) -> np.ndarray:
    """Index of each k-mer read backwards (and complemented); -1 stays -1."""
    out = np.zeros_like(index)
    rest = np.where(index >= 0, index, 0)
    for _ in range(k):
        digit = rest % 4
        out = out * 4 + ((3 - digit) if complement else digit)
        rest //= 4
    return np.where(index >= 0, out, -1)


def _seed_pairs(key: np.ndarray, partner: np.ndarray, min_gap: int, max_gap: int) -> tuple[np.ndarray, np.ndarray]:
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


def _diagonal_runs(i: np.ndarray, diag: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group seeds into runs of consecutive ``i`` on the same diagonal: (diag, first i, last i)."""
    if i.size == 0:
        z = np.zeros(0, np.int64)
        return z, z, z
    order = np.lexsort((i, diag))
    i, diag = i[order], diag[order]
    brk = np.flatnonzero((np.diff(diag) != 0) | (np.diff(i) != 1)) + 1
    first = np.concatenate([[0], brk])
    last = np.concatenate([brk - 1, [i.size - 1]])
    return diag[first], i[first], i[last]


def direct_repeats(sequence: str, arm_min: int = 10, arm_max: int = 300, spacer_max: int = 100) -> np.ndarray:
    """``(n, 2)`` intervals of direct repeats (see module docstring)."""
    index = kmer_index_at(base_codes(sequence), arm_min)
    i, j = _seed_pairs(index, index, arm_min, arm_max + spacer_max)
    d, i0, i1 = _diagonal_runs(i, j - i)
    r = i1 - i0 + arm_min  # matching bases along the diagonal
    arm = np.minimum(r, d)
    keep = d - arm <= spacer_max
    return as_intervals(i0[keep], i1[keep] + arm_min + d[keep])


def _centre_repeats(sequence: str, arm_min: int, spacer_max: int, complement: bool) -> np.ndarray:
    index = kmer_index_at(base_codes(sequence), arm_min)
    partner = _reverse_index(index, arm_min, complement)
    # right seed j may start at most spacer_max + 2 * (longest arm we follow) after i; arms are
    # followed up to 300 bp, longer ones are counted once with their outer part
    i, j = _seed_pairs(index, partner, arm_min, arm_min + spacer_max + 2 * 300)
    s, i0, i1 = _diagonal_runs(i, i + j)  # s = i + j: pairs (p, s + arm_min - 1 - p)
    inner_left = i1 + arm_min - 1
    inner_right = s - i1
    keep = inner_right - inner_left - 1 <= spacer_max
    return as_intervals(i0[keep], (s - i0)[keep] + arm_min)


def inverted_repeats(sequence: str, arm_min: int = 10, spacer_max: int = 100) -> np.ndarray:
    """``(n, 2)`` intervals of inverted repeats (right arm = reverse complement of the left)."""
    return _centre_repeats(sequence, arm_min, spacer_max, complement=True)


def mirror_repeats(sequence: str, arm_min: int = 10, spacer_max: int = 100) -> np.ndarray:
    """``(n, 2)`` intervals of mirror repeats (right arm = left arm read backwards)."""
    return _centre_repeats(sequence, arm_min, spacer_max, complement=False)


STR_MIN_COPIES = {"mono": 8, "di": 5, "tri": 4, "tetra": 3, "penta": 3, "hexa": 3}


def short_tandem_repeats(sequence: str, min_copies: dict[str, int] | None = None) -> np.ndarray:
    """``(n, 2)`` intervals of perfect short tandem repeats (motif 1–6 bp) found by ``pytrf``."""
    import pytrf

    copies = {**STR_MIN_COPIES, **(min_copies or {})}
    s, e = [], []
    for ssr in pytrf.STRFinder("seq", sequence, **copies):
        s.append(ssr.start - 1)  # pytrf: 1-based, inclusive end
        e.append(ssr.end)
    return as_intervals(s, e)
