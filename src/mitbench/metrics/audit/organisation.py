"""Regulatory organisation: σ70 promoter and TFBS motif hits (density, nearest-neighbour
spacing) and protein-coding organisation (genes called by ``pyrodigal``, Prodigal's bindings).

Motifs are IUPAC consensus sites matched on both strands with at most ``mismatches`` differences
(E. coli consensus sites from RegulonDB/literature: σ70 −35 TTGACA and −10 TATAAT; CRP, FNR,
LexA, IHF). A σ70 promoter is a −35 box (<= 1 mismatch) and a −10 box (<= 1 mismatch) 16–18 bp
apart on the same strand. Genes: ``pyrodigal.GeneFinder(meta=True)`` (pre-trained metagenomic
models: needs no training genome, so a window is called the same way whatever generated it).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from mitbench.data.core.grammar import IUPAC
from mitbench.data.core.kmers import base_codes
from mitbench.metrics.audit.intervals import as_intervals

# name -> (IUPAC consensus, max mismatches)
TFBS = {"crp": ("TGTGANNNNNNTCACA", 2), "fnr": ("TTGATNNNNATCAA", 2), "lexa": ("CTGTNNNNNNNNACAG", 1),
        "ihf": ("WATCAANNNNTTR", 1)}
MINUS35, MINUS10 = ("TTGACA", 1), ("TATAAT", 1)
SPACERS = (16, 17, 18)


def _allowed(pattern: str) -> np.ndarray:
    """bool ``(m, 4)``: which of A/C/G/T each IUPAC position accepts."""
    return np.array([[b in IUPAC[c] for b in "ACGT"] for c in pattern.upper()])


def mismatches(codes: np.ndarray, pattern: str) -> np.ndarray:
    """int ``(L - m + 1,)``: mismatches of each placement of ``pattern`` (non-ACGT never matches)."""
    allowed = _allowed(pattern)
    m = len(pattern)
    n = codes.size - m + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    ok_code = np.where(codes >= 0, codes, 0)
    mm = np.zeros(n, dtype=np.int64)
    for j in range(m):
        window = codes[j:j + n]
        mm += ~(allowed[j][ok_code[j:j + n]] & (window >= 0))
    return mm


def motif_hits(sequence: str, pattern: str, max_mm: int) -> np.ndarray:
    """Sorted start positions (forward-strand coordinates) of hits on either strand."""
    codes = base_codes(sequence)
    rc = np.where(codes >= 0, 3 - codes, -1)[::-1]
    m = len(pattern)
    fwd = np.flatnonzero(mismatches(codes, pattern) <= max_mm)
    rev = codes.size - m - np.flatnonzero(mismatches(rc, pattern) <= max_mm)
    return np.unique(np.concatenate([fwd, rev]))


def promoter_hits(sequence: str) -> np.ndarray:
    """Start positions (forward coordinates of the leftmost base) of σ70 promoters, either strand."""
    codes = base_codes(sequence)
    out = []
    for reverse, strand in ((False, codes), (True, np.where(codes >= 0, 3 - codes, -1)[::-1])):
        m35 = mismatches(strand, MINUS35[0]) <= MINUS35[1]
        m10 = mismatches(strand, MINUS10[0]) <= MINUS10[1]
        for sp in SPACERS:
            off = 6 + sp
            if m10.size <= off:
                continue
            hits = np.flatnonzero(m35[:m10.size - off] & m10[off:])
            # a reverse-strand promoter at h spans rc[h : h + off + 6]; map its far end back
            out.append(codes.size - (hits + off + 6) if reverse else hits)
    return np.unique(np.concatenate(out)) if out else np.zeros(0, np.int64)


def nn_distance(positions: np.ndarray) -> float:
    """Median distance (bp) from each hit to its nearest neighbour; NaN with fewer than 2 hits."""
    p = np.sort(np.asarray(positions))
    if p.size < 2:
        return float("nan")
    gaps = np.diff(p).astype(float)
    nearest = np.minimum(np.concatenate([[np.inf], gaps]), np.concatenate([gaps, [np.inf]]))
    return float(np.median(nearest))


@lru_cache(maxsize=1)
def _gene_finder():
    import pyrodigal

    return pyrodigal.GeneFinder(meta=True)


def genes(sequence: str) -> np.ndarray:
    """``(n, 2)`` intervals (0-based half-open) of genes called by Prodigal's metagenomic models."""
    found = _gene_finder().find_genes(sequence)
    return as_intervals([g.begin - 1 for g in found], [g.end for g in found])


def hit_positions(sequence: str) -> dict[str, np.ndarray]:
    """Hit starts per motif family: ``promoter``, ``minus10``, ``tfbs`` (all TF sites pooled)."""
    tf = [motif_hits(sequence, pat, mm) for pat, mm in TFBS.values()]
    return {"promoter": promoter_hits(sequence),
            "minus10": motif_hits(sequence, *MINUS10),
            "tfbs": np.unique(np.concatenate(tf)) if tf else np.zeros(0, np.int64)}
