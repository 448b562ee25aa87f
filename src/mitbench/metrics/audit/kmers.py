"""k-mer spectra and nullomers of one sequence against the genome background.

Every statistic is a per-sequence number, so generated and true continuations of the same
window can be compared pairwise (:mod:`mitbench.metrics.audit.paired`). The background is
the reference genome minus the held-out windows, counted on both strands.

Definitions (``c_w`` = count of k-mer ``w`` in the sequence, ``n = sum c_w``, ``q_w`` = background
frequency, ``e_w = n q_w`` the expected count):

* ``js``: Jensen–Shannon divergence (base 2, in [0, 1]) between ``c / n`` and ``q``.
* ``ks``: Kolmogorov–Smirnov distance between the distribution of the counts ``{c_w}`` and that of
  the expected counts ``{e_w}`` over the k-mer space: the shape of the k-mer spectrum (how many
  k-mers occur how often), the paper's KS-on-the-CDF.
* ``emd``: Earth-mover (Wasserstein-1) distance between the same two distributions, in counts.
* nullomers at ``k_null`` (about ``log4 L``): ``nullomer_fraction`` = absent k-mers / size of the
  k-mer space; ``nullomer_jaccard`` = Jaccard index of the absent set and the same number of
  rarest background k-mers (do the right k-mers go missing?); ``missing_rate`` = fraction absent
  among k-mers expected ``>= 3`` times; ``novel_rate`` (at ``k_novel``, where the genome itself has
  nullomers) = fraction of the sequence's k-mer positions whose k-mer the genome lacks.

The k-mer space is strand-specific (``4**k`` k-mers) by default; with ``canonical=True`` a k-mer
and its reverse complement are one class and the space has :func:`~mitbench.data.core.kmers.canonical_map`
classes (``4**k / 2`` for odd k), never ``4**k``, the mistake of counting canonical k-mers
against the strand-specific space.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
from scipy import stats

from mitbench.data.core.kmers import base_codes, canonical_map, kmer_counts, kmer_index

K_NOVEL_MAX = 13  # 4**13 presence flags = 64 MiB; larger k would not fit a dense table


def choose_ks(length: int) -> list[int]:
    """Spectrum k values for a sequence of ``length`` bp: ``k_max = floor(log4 L)`` (every k-mer
    expected about once or more) and two shorter ones, ``k_max - 2`` and ``k_max - 4`` (>= 1)."""
    k_max = max(1, int(math.floor(math.log(max(length, 4), 4))))
    return sorted({max(1, k_max - 4), max(1, k_max - 2), k_max})


def choose_k_null(length: int) -> int:
    """Nullomer k for a sequence: ``round(log4 L)``, where a sizeable part of the space is absent."""
    return max(1, int(round(math.log(max(length, 4), 4))))


def choose_k_novel(background_bp: int) -> int:
    """Genome-nullomer k: ``ceil(log4(2 G))`` for G background bp (both strands), capped at 13."""
    return min(K_NOVEL_MAX, max(2, int(math.ceil(math.log(max(2 * background_bp, 4), 4)))))


@dataclass
class Background:
    """k-mer counts of the genome background (both strands) at the requested k.

    Attributes
    ----------
    counts : dict of int -> ndarray (4**k,) float64
    present : ndarray of bool (4**k_novel,)
        Which ``k_novel``-mers occur in the background.
    k_novel : int
    bp : int
        A/C/G/T bases counted (one strand).
    """

    counts: dict[int, np.ndarray]
    present: np.ndarray
    k_novel: int
    bp: int
    canonical: bool = False
    _freq: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def count(cls, sequences: Iterable[str], ks: Iterable[int], canonical: bool = False,
              k_novel: int | None = None, bp_hint: int | None = None) -> "Background":
        """Count a background from contig sequences (streamed: one sequence at a time)."""
        ks = sorted(set(ks))
        counts = {k: np.zeros(4 ** k, dtype=np.float64) for k in ks}
        k_nov = k_novel or choose_k_novel(bp_hint or 0)
        present = np.zeros(4 ** k_nov, dtype=bool)
        bp = 0
        for seq in sequences:
            codes = base_codes(seq)
            bp += int((codes >= 0).sum())
            for k in ks:
                counts[k] += kmer_counts(seq, k, both_strands=True)
            rc = np.where(codes < 0, -1, 3 - codes)[::-1]
            present[kmer_index(codes, k_nov)] = True
            present[kmer_index(rc, k_nov)] = True
        return cls(counts, present, k_nov, bp, canonical)

    def freq(self, k: int) -> np.ndarray:
        """Background frequencies over the k-mer space (canonical classes if ``canonical``)."""
        if k not in self._freq:
            c = fold(self.counts[k], k, self.canonical)
            self._freq[k] = c / c.sum() if c.sum() > 0 else np.full(c.size, 1.0 / c.size)
        return self._freq[k]


def fold(counts: np.ndarray, k: int, canonical: bool) -> np.ndarray:
    """Counts over the strand-specific space, or summed into canonical classes."""
    if not canonical:
        return counts
    class_of, n = canonical_map(k)
    return np.bincount(class_of, weights=counts, minlength=n)


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen–Shannon divergence, base 2 (0 = identical, 1 = disjoint supports)."""
    m = 0.5 * (p + q)

    def kl(a: np.ndarray) -> float:
        on = a > 0  # 0 log 0 = 0; where a > 0, m > 0 too
        return float(np.sum(a[on] * np.log2(a[on] / m[on])))

    return 0.5 * kl(p) + 0.5 * kl(q)


def spectrum_stats(sequence: str, bg: Background, ks: Iterable[int], k_null: int) -> dict[str, float]:
    """``kmer_{js,ks,emd}_k{k}`` for each k, and the nullomer statistics (module docstring)."""
    out: dict[str, float] = {}
    for k in ks:
        c = fold(kmer_counts(sequence, k).astype(np.float64), k, bg.canonical)
        n = c.sum()
        if n == 0:
            out.update({f"kmer_js_k{k}": np.nan, f"kmer_ks_k{k}": np.nan, f"kmer_emd_k{k}": np.nan})
            continue
        q = bg.freq(k)
        out[f"kmer_js_k{k}"] = js_divergence(c / n, q)
        out[f"kmer_ks_k{k}"] = float(stats.ks_2samp(c, n * q).statistic)
        out[f"kmer_emd_k{k}"] = float(stats.wasserstein_distance(c, n * q))
    c = fold(kmer_counts(sequence, k_null).astype(np.float64), k_null, bg.canonical)
    q = bg.freq(k_null)
    absent = c == 0
    rarest = np.zeros(c.size, dtype=bool)
    rarest[np.argsort(q, kind="stable")[: int(absent.sum())]] = True
    union = (absent | rarest).sum()
    expected = q * c.sum() >= 3
    out["nullomer_fraction"] = float(absent.mean())
    out["nullomer_jaccard"] = float((absent & rarest).sum() / union) if union else np.nan
    out["missing_rate"] = float(absent[expected].mean()) if expected.any() else np.nan
    idx = kmer_index(base_codes(sequence), bg.k_novel)
    out["novel_rate"] = float((~bg.present[idx]).mean()) if idx.size else np.nan
    return out


def spectrum_histogram(sequences: Iterable[str], k: int, max_count: int = 20) -> np.ndarray:
    """Mean k-mer spectrum: ``h[j]`` = number of k-mers seen ``j`` times (``j = max_count`` pools
    ``>= max_count``), averaged over sequences. float64 ``(max_count + 1,)``."""
    hists = [np.bincount(np.minimum(kmer_counts(s, k), max_count), minlength=max_count + 1)
             for s in sequences]
    return np.mean(hists, axis=0) if hists else np.zeros(max_count + 1)
