"""Memorisation: exact matches of a continuation to a genome (both strands).

For a continuation ``s`` (length ``n``) and a genome ``G`` (its A/C/G/T stretches and their
reverse complements):

* **matching statistics** ``ms[i]`` = length of the longest prefix of ``s[i:]`` that occurs in ``G``
  (:func:`matching_statistics`);
* **match cover** ``L[b]`` = length of the longest exact match ``s[i:i+ms[i]]`` that covers base ``b``
  (``i <= b < i + ms[i]``), 0 when none does (:func:`match_cover`);
* per region ``[lo, hi)`` (the whole continuation or a distance bin): ``longest_bp = max L[lo:hi]``
  (so a match straddling a bin edge counts its full length in both bins) and
  ``frac_ge50 = mean(L[lo:hi] >= 50)``, the fraction of the region's bases lying in an exact match
  of at least :data:`MIN_MATCH_BP` bp (:func:`region_stats`).

A random continuation against a random genome of ``N`` bp has ``max ms`` about
``log4(2 N n)`` (a few bp above it at most), far below 50; a stretch copied from the genome,
on either strand, gives a match at least as long as the copy.

The index is a suffix array (libdivsufsort through ``pydivsufsort``) with its LCP array (Kasai) over
the genome and the queries together, separated by ``$``: the longest match starting at a query
suffix is its LCP with the nearest genome suffix above or below it in suffix-array order, capped
at the distance to the end of its own sequence (an LCP that runs through a ``$`` counts only up to
it). Genomes are indexed in batches of at most ``batch_bp`` bp per strand; a contig longer than
that is cut into pieces overlapping by the longest query minus 1 bp, so every match shorter than
a query lies inside one piece, and the statistics, the maximum over batches, are exact.
Memory is about 36 bytes per indexed character (both strands plus the queries) for a batch.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
from pydivsufsort import divsufsort, kasai

from mitbench.data.core.genome import acgt_stretches

MIN_MATCH_BP = 50
BATCH_BP = 32_000_000  # genome bp per strand per suffix array: ~2.5 GiB peak with 3 Mb of queries
_SEP = b"$"
_COMPLEMENT = bytes.maketrans(b"ACGT", b"TGCA")  # the "$" separator stays


def _pieces(sequences: Iterable[str], batch_bp: int, overlap: int) -> Iterator[bytes]:
    """A/C/G/T stretches of the genome, grouped into ``$``-joined batches of <= ``batch_bp`` bp
    (a longer stretch is cut into pieces of ``batch_bp`` overlapping by ``overlap``)."""
    step = max(1, batch_bp - overlap)
    batch: list[bytes] = []
    size = 0
    for seq in sequences:
        upper = seq.upper()
        for start, end in acgt_stretches(upper):
            run = upper[start:end].encode()
            for lo in range(0, max(1, len(run) - overlap), step):  # one piece unless longer than batch_bp
                piece = run[lo:lo + batch_bp]
                if size and size + len(piece) > batch_bp:
                    yield _SEP.join(batch)
                    batch, size = [], 0
                batch.append(piece)
                size += len(piece)
    if batch:
        yield _SEP.join(batch)


def _nearest_min(is_ref: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """For each suffix-array slot ``j``: ``min(gap[p+1..j])`` with ``p`` the last genome slot before
    ``j`` (``gap[j]`` = LCP of slots ``j-1`` and ``j``), 0 when there is none. int64 ``(n,)``.

    A cumulative minimum restarted at every genome slot: each segment is lowered by ``big`` times its
    ordinal, so an earlier segment never undercuts a later one.
    """
    seg = np.cumsum(is_ref, dtype=np.int32)
    big = int(gap.max(initial=0)) + 2
    z = gap.astype(np.int64)
    z[is_ref] = big - 1  # the genome slot itself opens the segment: not part of the minimum
    offset = seg.astype(np.int64)
    offset *= big
    z -= offset
    np.minimum.accumulate(z, out=z)
    z += offset
    del offset
    z[seg == 0] = 0
    return z


def _batch_ms(genome: bytes, queries: Sequence[bytes]) -> list[np.ndarray]:
    """Matching statistics of every query against one batch (both strands)."""
    text = genome + _SEP + genome[::-1].translate(_COMPLEMENT) + _SEP
    n_ref = len(text)
    text += _SEP.join(queries) + _SEP
    sa = divsufsort(text)
    lcp = kasai(text, sa)  # lcp[j] = LCP(SA[j], SA[j + 1])
    is_ref = sa < n_ref
    best = _nearest_min(is_ref, np.concatenate([np.zeros(1, lcp.dtype), lcp[:-1]]))
    np.maximum(best, _nearest_min(is_ref[::-1], lcp[::-1])[::-1], out=best)
    del lcp, is_ref
    best[sa] = best.copy()  # suffix-array order -> text order
    out, at = [], n_ref
    for q in queries:
        ms = best[at:at + len(q)]
        out.append(np.minimum(ms, len(q) - np.arange(len(q))))
        at += len(q) + 1
    return out


def matching_statistics(queries: Sequence[str], genome: Iterable[str], batch_bp: int = BATCH_BP) -> list[np.ndarray]:
    """``ms[i]``: the longest prefix of ``queries[q][i:]`` found in ``genome`` (either strand).

    Parameters
    ----------
    queries : sequence of str
        Upper-case A/C/G/T strings (continuations).
    genome : iterable of str
        Contig sequences (streamed once); any character other than A/C/G/T (``N``, masked
        stretches) separates them and never matches.
    batch_bp : int
        Genome bp per strand indexed at once (memory bound, see the module docstring).

    Returns
    -------
    list of ndarray int64 (len(query),)
        One array per query, in query order; all zeros for an empty genome.
    """
    enc = [q.encode() for q in queries]
    for q, s in zip(queries, enc):
        bad = re.search(rb"[^ACGT]", s)
        if bad:
            raise ValueError(f"query {q[:20]!r}...: character {bad.group().decode()!r} at position {bad.start()}")
    out = [np.zeros(len(q), dtype=np.int64) for q in enc]
    if not enc:
        return out
    overlap = max(len(q) for q in enc)
    for batch in _pieces(genome, max(batch_bp, 2 * overlap), overlap):
        for acc, ms in zip(out, _batch_ms(batch, enc)):
            np.maximum(acc, ms, out=acc)
    return out


def _range_max(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``max(values[lo[b]:hi[b]])`` per query (0 when empty), by a sparse table."""
    n = values.size
    table = [values]
    width = 1
    while 2 * width <= n:
        prev = table[-1]
        table.append(np.maximum(prev[:-width], prev[width:]))
        width *= 2
    length = hi - lo
    out = np.zeros(lo.size, dtype=values.dtype)
    ok = length > 0
    level = np.zeros(lo.size, dtype=np.int64)
    level[ok] = np.floor(np.log2(length[ok])).astype(np.int64)
    for k in np.unique(level[ok]):
        sel = ok & (level == k)
        t = table[k]
        out[sel] = np.maximum(t[lo[sel]], t[hi[sel] - (1 << k)])
    return out


def match_cover(ms: np.ndarray) -> np.ndarray:
    """``L[b]``: the longest match ``[i, i + ms[i])`` covering base ``b`` (0 if none), int64 ``(n,)``.

    Match ends ``i + ms[i]`` never decrease (``ms[i+1] >= ms[i] - 1``), so the starts covering ``b``
    are the contiguous range ``[first i with i + ms[i] > b, b]``.
    """
    ms = np.asarray(ms, dtype=np.int64)
    pos = np.arange(ms.size)
    lo = np.searchsorted(pos + ms, pos, side="right")
    return _range_max(ms, lo, pos + 1)


def region_stats(cover: np.ndarray, lo: int, hi: int, min_bp: int = MIN_MATCH_BP) -> tuple[float, float]:
    """``(longest_bp, frac_ge<min_bp>)`` of ``cover[lo:hi]`` (module docstring); NaN when empty."""
    part = cover[lo:hi]
    if part.size == 0:
        return np.nan, np.nan
    return float(part.max()), float((part >= min_bp).mean())


def memo_tables(queries: Sequence[str], genome: Iterable[str], bin_bp: int, n_bins: int, prefix: str = "memo",
                batch_bp: int = BATCH_BP, own: Sequence[str | None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Feature columns ``<prefix>_longest_bp`` and ``<prefix>_frac_ge50`` of each query.

    ``own[q]``, when given (None: nothing), is one more text query ``q`` alone is matched against (either strand): a
    generated continuation against the genome without the audit windows *and* its own window's true
    continuation, so copying it counts, while the search space differs from the true continuation's (the
    genome without the audit windows) by that one window only. A match never spans the two texts, so the
    matching statistics are the position-wise maximum of the two.

    Returns
    -------
    whole : DataFrame (len(queries), 2)
        One row per query.
    bins : DataFrame (len(queries) * n_bins, 2)
        One row per query and distance bin ``[j * bin_bp, (j + 1) * bin_bp)``, query-major (the
        row order of :func:`mitbench.runs.audit.feature_tables`).
    """
    cols = (f"{prefix}_longest_bp", f"{prefix}_frac_ge{MIN_MATCH_BP}")
    whole, bins = [], []
    stats = matching_statistics(queries, genome, batch_bp)
    if own is not None:
        if len(own) != len(queries):
            raise ValueError(f"own: {len(own)} texts for {len(queries)} queries")
        stats = [ms if o is None else np.maximum(ms, matching_statistics([q], [o], batch_bp)[0])
                 for ms, q, o in zip(stats, queries, own)]
    for ms in stats:
        cover = match_cover(ms)
        whole.append(region_stats(cover, 0, cover.size))
        bins.extend(region_stats(cover, j * bin_bp, (j + 1) * bin_bp) for j in range(n_bins))
    return pd.DataFrame(whole, columns=list(cols)), pd.DataFrame(bins, columns=list(cols))
