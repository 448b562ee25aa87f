"""k-mer indices and counts of DNA strings (pure numpy; shared by the Markov generators and the
realism metrics).

A k-mer is indexed by its base-4 number with A=0, C=1, G=2, T=3, most significant base first
(``AAAA..`` = 0, ``TTTT..`` = 4**k - 1), i.e. lexicographic ACGT order. Positions whose k-mer
contains a non-ACGT character are skipped, never counted.
"""
from __future__ import annotations

import numpy as np

_CODE = np.full(256, -1, dtype=np.int8)
for _i, _b in enumerate(b"ACGT"):
    _CODE[_b] = _i
    _CODE[_b + 32] = _i  # lower case


def base_codes(sequence: str) -> np.ndarray:
    """int8 ``(L,)`` codes: A, C, G, T (either case) -> 0..3, anything else -> -1."""
    return _CODE[np.frombuffer(sequence.encode("latin-1", "replace"), dtype=np.uint8)]


def kmer_index_at(codes: np.ndarray, k: int) -> np.ndarray:
    """int64 ``(max(L - k + 1, 0),)``: the index of the k-mer starting at each position, -1 where
    the k-mer holds a non-ACGT base (``codes < 0``). ``1 <= k <= 31``."""
    if not 1 <= k <= 31:
        raise ValueError(f"k must be in 1..31, got {k}")
    codes = np.asarray(codes)
    if codes.size < k:
        return np.zeros(0, dtype=np.int64)
    bad = codes < 0
    c = np.where(bad, 0, codes).astype(np.int64)
    n = codes.size - k + 1
    index = np.zeros(n, dtype=np.int64)
    for j in range(k):  # k vector passes; cheaper than a (n, k) window view for large n
        index = index * 4 + c[j:n + j]
    if bad.any():
        nbad = np.concatenate([[0], np.cumsum(bad)])  # a window is valid when it holds no bad base
        index[(nbad[k:] - nbad[:-k]) != 0] = -1
    return index


def kmer_index(codes: np.ndarray, k: int) -> np.ndarray:
    """int64 index of every k-mer of ``codes`` (from :func:`base_codes`) that holds only A/C/G/T,
    in order of position (k-mers overlapping a non-ACGT base are dropped). ``1 <= k <= 31``."""
    index = kmer_index_at(codes, k)
    return index[index >= 0]


def kmer_counts(sequence: str, k: int, both_strands: bool = False) -> np.ndarray:
    """Counts ``(4**k,)`` int64 of the k-mers of ``sequence`` (and of its reverse complement)."""
    codes = base_codes(sequence)
    counts = np.bincount(kmer_index(codes, k), minlength=4 ** k).astype(np.int64)
    if both_strands:
        rc = np.where(codes < 0, -1, 3 - codes)[::-1]
        counts += np.bincount(kmer_index(rc, k), minlength=4 ** k)
    return counts


def revcomp_index(k: int) -> np.ndarray:
    """int64 ``(4**k,)``: the index of the reverse complement of each k-mer index."""
    idx = np.arange(4 ** k, dtype=np.int64)
    out = np.zeros_like(idx)
    for _ in range(k):
        out = out * 4 + (3 - idx % 4)
        idx //= 4
    return out


def canonical_map(k: int) -> tuple[np.ndarray, int]:
    """``(class_of, n_classes)``: each k-mer's canonical class (0..n_classes-1), a k-mer and its
    reverse complement sharing one class. ``n_classes`` = ``4**k / 2`` for odd k and
    ``(4**k + 4**(k/2)) / 2`` for even k (palindromes are their own class)."""
    rc = revcomp_index(k)
    rep = np.minimum(np.arange(4 ** k), rc)
    uniq, class_of = np.unique(rep, return_inverse=True)
    return class_of.astype(np.int64), int(uniq.size)


def kmer_strings(k: int) -> list[str]:
    """The 4**k k-mers in index order."""
    idx = np.arange(4 ** k)
    cols = [(idx // 4 ** (k - 1 - j)) % 4 for j in range(k)]
    letters = np.array(list("ACGT"))
    return ["".join(row) for row in letters[np.stack(cols, 1)]] if k else [""]
