"""Regulatory organisation: σ70 promoter and TFBS motif hits (density, nearest-neighbour
spacing), protein-coding organisation (genes called by ``pyrodigal``, Prodigal's bindings: their
codon usage, Shine–Dalgarno share and codon adaptation against the reference's genes) and tRNA
genes (``pyaragorn``, ARAGORN's bindings).

Motifs are IUPAC consensus sites matched on both strands with at most ``mismatches`` differences
(E. coli consensus sites from RegulonDB/literature: σ70 −35 TTGACA and −10 TATAAT; CRP, FNR,
LexA, IHF). A σ70 promoter is a −35 box (<= 1 mismatch) and a −10 box (<= 1 mismatch) 16–18 bp
apart on the same strand. Genes: ``pyrodigal.GeneFinder(meta=True)`` (pre-trained metagenomic
models: needs no training genome, so a window is called the same way whatever generated it).

Coding features of a region pool the codons of the genes that start in it (``c`` = counts of the
61 sense codons, ``n = sum c``; the stop codon is left out; translation table 11):

* ``codon_js`` / ``aa_js``: Jensen–Shannon divergence (base 2) of the codon frequencies ``c / n``
  (of the amino-acid composition they translate to) from the reference genes' (:class:`CodingReference`).
* ``cai``: Sharp & Li's codon adaptation index with weights from the reference genes,
  ``w_c = x_c / max_{c' synonymous with c} x_c'`` (a codon the reference lacks gets ``x_c = 0.5``,
  Sharp & Li 1987), over the codons of amino acids with 2 or more codons (not ATG, TGG):
  ``exp(sum c log w / sum c)``, the codon-weighted geometric mean over the region's genes.
  All three are NaN when the region holds fewer than ``MIN_CODONS`` codons.
* ``sd_fraction``: share of the region's genes whose RBS Prodigal assigns to a Shine–Dalgarno class
  of >= 4 matching bases (``SD_MOTIFS``: not the 3-base ``GGA/GAG/AGG`` and ``3Base/5BMM``, not
  a non-SD upstream motif, not none); NaN without genes.
* ``trna_count``: tRNA genes (ARAGORN, linear topology, table 11) that start in the region.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import numpy as np

from mitbench.data.core.grammar import IUPAC
from mitbench.data.core.kmers import base_codes
from mitbench.metrics.audit.intervals import as_intervals
from mitbench.metrics.audit.kmers import js_divergence

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


_TCAG = "TCAG"
_CODE_TCAG = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"  # the standard code
# amino acid of each codon, indexed 16 a + 4 b + c with A, C, G, T = 0..3 (base_codes); table 11
CODE = np.array([_CODE_TCAG[16 * _TCAG.index(a) + 4 * _TCAG.index(b) + _TCAG.index(c)]
                 for a in "ACGT" for b in "ACGT" for c in "ACGT"])
SENSE = CODE != "*"
AMINO_ACIDS = np.array(sorted(set(CODE[SENSE])))
_AA_OF = np.searchsorted(AMINO_ACIDS, np.where(SENSE, CODE, AMINO_ACIDS[0]))  # (64,) aa index
CAI_CODONS = SENSE & ~np.isin(CODE, ["M", "W"])  # amino acids with a choice of codon
SD_MOTIFS = frozenset({"4Base/6BMM", "AGxAG", "GGxGG", "AGGAG(G)/GGAGG", "AGGA/GGAG/GAGG", "AGGA",
                       "GGAG/GAGG", "AGxAGG/AGGxGG", "AGGAG/GGAGG", "AGGAG", "GGAGG", "AGGAGG"})
MIN_CODONS = 100


@dataclass(frozen=True, eq=False)
class CalledGenes:
    """The genes of one sequence from one Prodigal call, sorted by start.

    Attributes
    ----------
    intervals : ndarray of int64 (n, 2)
        0-based half-open gene extents (forward coordinates).
    codons : ndarray of int64 (n, 64)
        Codon counts of each gene read on its own strand (stop included; codons with a non-ACGT base left out).
    sd : ndarray of bool (n,)
        Whether Prodigal assigns the gene's RBS to one of ``SD_MOTIFS``.
    """

    intervals: np.ndarray
    codons: np.ndarray
    sd: np.ndarray

    def starting_in(self, lo: int, hi: int) -> np.ndarray:
        """bool ``(n,)``: genes whose start lies in ``[lo, hi)`` (how every interval family bins)."""
        return (self.intervals[:, 0] >= lo) & (self.intervals[:, 0] < hi)


def codon_counts(cds: str) -> np.ndarray:
    """int64 ``(64,)`` counts of the in-frame codons of ``cds`` (a codon with a non-ACGT base is skipped)."""
    c = base_codes(cds[: len(cds) - len(cds) % 3]).astype(np.int64).reshape(-1, 3)
    c = c[(c >= 0).all(1)]
    return np.bincount(16 * c[:, 0] + 4 * c[:, 1] + c[:, 2], minlength=64)


def call_genes(sequence: str) -> CalledGenes:
    """Genes called by Prodigal's metagenomic models, with their codon counts and SD flags."""
    found = sorted(_gene_finder().find_genes(sequence), key=lambda g: g.begin)
    codons = np.array([codon_counts(g.sequence()) for g in found], np.int64).reshape(-1, 64)
    return CalledGenes(as_intervals([g.begin - 1 for g in found], [g.end for g in found]), codons,
                       np.array([g.rbs_motif in SD_MOTIFS for g in found], bool))


def genes(sequence: str) -> np.ndarray:
    """``(n, 2)`` intervals (0-based half-open) of genes called by Prodigal's metagenomic models."""
    return call_genes(sequence).intervals


def aa_counts(codons: np.ndarray) -> np.ndarray:
    """float64 ``(20,)`` amino-acid counts (``AMINO_ACIDS`` order) of ``(64,)`` codon counts."""
    return np.bincount(_AA_OF[SENSE], weights=np.asarray(codons, float)[SENSE], minlength=AMINO_ACIDS.size)


def cai_weights(codons: np.ndarray) -> np.ndarray:
    """float64 ``(64,)`` Sharp & Li relative adaptiveness ``w`` from reference codon counts (module
    docstring; 0 pseudo-counted to 0.5); NaN for codons outside ``CAI_CODONS``."""
    x = np.where(np.asarray(codons, float) > 0, codons, 0.5)
    best = np.zeros(64)
    np.maximum.at(best, _AA_OF, np.where(CAI_CODONS, x, 0.0))
    return np.where(CAI_CODONS, x / np.where(best > 0, best, 1.0)[_AA_OF], np.nan)


def cai(codons: np.ndarray, weights: np.ndarray) -> float:
    """Codon adaptation index of ``(64,)`` codon counts: ``exp(sum c log w / sum c)`` over ``CAI_CODONS``."""
    c = np.asarray(codons, float)[CAI_CODONS]
    return float(np.exp(np.sum(c * np.log(weights[CAI_CODONS])) / c.sum())) if c.sum() else float("nan")


@dataclass(frozen=True, eq=False)
class CodingReference:
    """Codon counts of the genes Prodigal calls on the reference (what windows' genes are compared to).

    Attributes
    ----------
    codons : ndarray of float64 (64,)
        Summed codon counts of the reference genes.
    n_genes, bp : int
        Genes called and reference bp read (at most ``max_bp`` of :meth:`count`).
    """

    codons: np.ndarray
    n_genes: int
    bp: int

    @classmethod
    def count(cls, sequences: Iterable[str], max_bp: int = 2_000_000) -> "CodingReference":
        """Call genes on the contigs in order (streamed) until ``max_bp`` bp are read; sum their codons."""
        total, n_genes, bp = np.zeros(64), 0, 0
        for seq in sequences:
            part = seq[: max_bp - bp]
            called = call_genes(part)
            total += called.codons.sum(0)
            n_genes, bp = n_genes + called.intervals.shape[0], bp + len(part)
            if bp >= max_bp:
                break
        return cls(total, n_genes, bp)

    def record(self) -> dict:
        """What the codon tables were built from, for metrics.json."""
        return {"coding_reference_genes": self.n_genes, "coding_reference_bp": self.bp,
                "coding_reference_codons": int(self.codons[SENSE].sum())}


def coding_stats(called: CalledGenes, lo: int, hi: int, ref: CodingReference | None,
                 min_codons: int = MIN_CODONS) -> dict[str, float]:
    """``sd_fraction`` and, with a reference, ``codon_js``, ``aa_js``, ``cai`` of the genes starting
    in ``[lo, hi)`` (module docstring)."""
    inside = called.starting_in(lo, hi)
    row = {"sd_fraction": float(called.sd[inside].mean()) if inside.any() else float("nan")}
    if ref is None:
        return row
    c = called.codons[inside].sum(0).astype(float)
    n = c[SENSE].sum()
    if n < min_codons:
        return {**row, "codon_js": float("nan"), "aa_js": float("nan"), "cai": float("nan")}
    ref_sense = ref.codons[SENSE]
    ref_aa = aa_counts(ref.codons)
    return {**row, "codon_js": js_divergence(c[SENSE] / n, ref_sense / ref_sense.sum()),
            "aa_js": js_divergence(aa_counts(c) / n, ref_aa / ref_aa.sum()),
            "cai": cai(c, cai_weights(ref.codons))}


@lru_cache(maxsize=1)
def _rna_finder():
    import pyaragorn

    return pyaragorn.RNAFinder(translation_table=11, tmrna=False, linear=True)


def trna_genes(sequence: str) -> np.ndarray:
    """``(n, 2)`` intervals (0-based half-open) of tRNA genes found by ARAGORN, either strand."""
    found = _rna_finder().find_rna(sequence)
    return as_intervals([min(g.begin, g.end) - 1 for g in found], [max(g.begin, g.end) for g in found])


def hit_positions(sequence: str) -> dict[str, np.ndarray]:
    """Hit starts per motif family: ``promoter``, ``minus10``, ``tfbs`` (all TF sites pooled)."""
    tf = [motif_hits(sequence, pat, mm) for pat, mm in TFBS.values()]
    return {"promoter": promoter_hits(sequence),
            "minus10": motif_hits(sequence, *MINUS10),
            "tfbs": np.unique(np.concatenate(tf)) if tf else np.zeros(0, np.int64)}
