"""One feature row per sequence and region (the whole continuation and each distance bin).

Interval families (repeats, non-B motifs, genes, tRNAs, DUST-masked stretches) are found once on
the whole continuation and each instance is assigned to the bin holding its start (bp covered are
clipped to the bin); k-mer statistics, GC and homopolymers are recomputed on each bin's own
sequence, with k chosen by the bin length. Gene-level features (codon usage, CAI, Shine–Dalgarno)
pool the genes starting in the region; the cumulative GC skew is a whole-continuation statistic.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from mitbench.metrics.audit import composition, kmers, organisation
from mitbench.metrics.audit.motifs import nonb, repeats
from mitbench.metrics.audit.intervals import count_in, covered_bp

INTERVAL_FAMILIES = {
    "g4": nonb.g4hunter_regions,  # G4Hunter's standard threshold, 1.5
    "g4_loose": partial(nonb.g4hunter_regions, threshold=1.2),  # mitbench's earlier, more permissive one
    "zdna": nonb.zdna_regions,
    "direct_repeat": repeats.direct_repeats,
    "inverted_repeat": repeats.inverted_repeats,
    "mirror_repeat": repeats.mirror_repeats,
    "str": repeats.short_tandem_repeats,
}

FAMILIES = {  # metric-name prefix -> family shown in the report's verdict table
    "kmer_": "k-mer spectra", "nullomer_": "nullomers", "missing_": "nullomers", "novel_": "nullomers",
    "g4_": "non-B DNA", "zdna_": "non-B DNA", "direct_repeat": "repeats", "inverted_repeat": "repeats",
    "mirror_repeat": "repeats", "str_": "repeats", "promoter": "σ70/TFBS organisation",
    "minus10": "σ70/TFBS organisation", "tfbs": "σ70/TFBS organisation", "gene": "coding (ORFs)",
    "coding": "coding (ORFs)", "sd_": "coding (ORFs)", "codon_": "codon usage", "aa_": "codon usage",
    "cai": "codon usage", "gc_": "composition (GC, skew)", "homopolymer_": "low complexity",
    "dust_": "low complexity", "trna_": "RNA genes", "cnn": "CNN detector", "memo_": "memorisation",
}


def family_of(metric: str) -> str:
    """The report family of a metric name (``other`` when unknown)."""
    return next((fam for prefix, fam in FAMILIES.items() if metric.startswith(prefix)), "other")


@dataclass(frozen=True)
class FeatureSpec:
    """What to compute for continuations of ``length`` bp in bins of ``bin_bp``.

    Attributes
    ----------
    length, bin_bp : int
        Continuation and distance-bin lengths (bp); ``length // bin_bp`` whole bins are used.
    canonical : bool
        Canonical (strand-merged) k-mer space instead of the strand-specific one.
    """

    length: int
    bin_bp: int
    canonical: bool = False

    @property
    def n_bins(self) -> int:
        return self.length // self.bin_bp if self.bin_bp > 0 else 0

    @property
    def ks(self) -> list[int]:
        return kmers.choose_ks(self.length)

    @property
    def k_null(self) -> int:
        return kmers.choose_k_null(self.length)

    @property
    def ks_bin(self) -> list[int]:
        return kmers.choose_ks(self.bin_bp)

    @property
    def k_null_bin(self) -> int:
        return kmers.choose_k_null(self.bin_bp)

    def background_ks(self) -> list[int]:
        return sorted(set(self.ks) | {self.k_null} | set(self.ks_bin) | {self.k_null_bin})

    def record(self, bg: kmers.Background) -> dict:
        """The k values used, for metrics.json."""
        return {"kmer_ks": self.ks, "kmer_k_null": self.k_null, "kmer_ks_bin": self.ks_bin,
                "kmer_k_null_bin": self.k_null_bin, "kmer_k_novel": bg.k_novel,
                "kmer_space": "canonical" if self.canonical else "strand-specific",
                "bin_bp": self.bin_bp, "background_bp": bg.bp}


def _region(seq: str, lo: int, hi: int, found: dict[str, np.ndarray], hits: dict[str, np.ndarray],
            called: organisation.CalledGenes, bg: kmers.Background, ks: list[int], k_null: int,
            coding: organisation.CodingReference | None) -> dict[str, float]:
    kb = (hi - lo) / 1000.0
    row: dict[str, float] = dict(kmers.spectrum_stats(seq[lo:hi], bg, ks, k_null))
    for name in INTERVAL_FAMILIES:
        row[f"{name}_count"] = count_in(found[name], lo, hi)
        row[f"{name}_bp"] = covered_bp(found[name], lo, hi)
    genes = called.intervals
    inside = genes[called.starting_in(lo, hi)]
    row["gene_count"] = int(inside.shape[0])
    row["coding_fraction"] = covered_bp(genes, lo, hi) / (hi - lo)
    row["gene_mean_bp"] = float(np.mean(inside[:, 1] - inside[:, 0])) if inside.size else np.nan
    row.update(organisation.coding_stats(called, lo, hi, coding))
    row["trna_count"] = count_in(found["trna"], lo, hi)
    for name, pos in hits.items():
        sel = pos[(pos >= lo) & (pos < hi)]
        row[f"{name}_per_kb"] = sel.size / kb
        if name != "promoter":  # promoters are too sparse per window for a spacing statistic
            row[f"{name}_nn_bp"] = organisation.nn_distance(sel)
    row.update(composition.composition_stats(seq[lo:hi]))
    row["dust_fraction"] = covered_bp(found["dust"], lo, hi) / (hi - lo)
    return row


def sequence_features(seq: str, bg: kmers.Background, spec: FeatureSpec,
                      coding: organisation.CodingReference | None = None) -> tuple[dict, list[dict]]:
    """Features of one continuation: ``(whole, [bin 0, bin 1, ...])``; bin ``b`` covers
    ``[b * bin_bp, (b + 1) * bin_bp)`` bp from the seed. Without ``coding`` (the reference genes'
    codon table) the codon-usage features (``codon_js``, ``aa_js``, ``cai``) are left out."""
    if len(seq) != spec.length:
        raise ValueError(f"continuation has {len(seq)} bp, expected {spec.length}")
    found = {name: fn(seq) for name, fn in INTERVAL_FAMILIES.items()}
    found["trna"] = organisation.trna_genes(seq)
    found["dust"] = composition.dust_intervals(seq)
    called = organisation.call_genes(seq)  # the one Prodigal call: extents, codons and RBS motifs
    hits = organisation.hit_positions(seq)
    whole = _region(seq, 0, len(seq), found, hits, called, bg, spec.ks, spec.k_null, coding)
    whole["gc_skew_cum_range"] = composition.cumulative_gc_skew_range(seq)
    bins = [_region(seq, b * spec.bin_bp, (b + 1) * spec.bin_bp, found, hits, called, bg, spec.ks_bin,
                    spec.k_null_bin, coding) for b in range(spec.n_bins)]
    return whole, bins
