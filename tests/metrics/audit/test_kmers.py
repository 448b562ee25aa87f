import numpy as np
import pytest

from mitbench.metrics.audit.kmers import (Background, choose_k_novel, choose_k_null, choose_ks, fold,
                                            js_divergence, spectrum_histogram, spectrum_stats)


def test_k_choice_by_length():
    assert choose_ks(20000) == [3, 5, 7]  # floor(log4 20000) = 7
    assert choose_ks(1000) == [1, 2, 4]
    assert choose_k_null(20000) == 7 and choose_k_null(1000) == 5
    assert choose_k_novel(5_000_000) == 12 and choose_k_novel(10 ** 10) == 13  # capped


def test_js_divergence_bounds():
    p = np.array([0.5, 0.5, 0.0, 0.0])
    assert js_divergence(p, p) == 0.0
    assert js_divergence(p, np.array([0.0, 0.0, 0.5, 0.5])) == pytest.approx(1.0)


def test_canonical_fold_sums_reverse_complements():
    counts = np.zeros(16)
    counts[1] = 3  # AC
    counts[11] = 2  # GT = revcomp(AC)
    folded = fold(counts, 2, canonical=True)
    assert folded.size == 10 and folded.sum() == 5 and folded.max() == 5


def test_spectrum_stats_identities():
    rng = np.random.default_rng(0)
    genome = "".join(rng.choice(list("ACGT"), 50000))
    bg = Background.count([genome], ks=[1, 2, 4], k_novel=8)
    assert bg.bp == 50000 and bg.k_novel == 8
    from mitbench.data.core.kmers import revcomp_index
    assert np.array_equal(bg.counts[2], bg.counts[2][revcomp_index(2)])  # both strands: RC-symmetric
    st = spectrum_stats(genome[:4000], bg, [1, 2], k_null=4)
    assert 0 <= st["kmer_js_k1"] < 0.001 and 0 <= st["kmer_ks_k2"] <= 1
    # a sequence of one base: every other k-mer absent, all k-mers it has are in the genome
    st = spectrum_stats("A" * 2000, bg, [1], k_null=4)
    assert st["nullomer_fraction"] == pytest.approx(255 / 256)
    assert st["missing_rate"] == pytest.approx(255 / 256)  # every 4-mer expected ~7.8 times; only AAAA seen
    assert st["novel_rate"] == float(not bg.present[0])  # AAAAAAAA: in the genome or not
    # k-mers absent from the genome are novel
    bg2 = Background.count(["AC" * 1000], ks=[1, 2], k_novel=3)  # 3-mers ACA, CAC and (RC) GTG, TGT
    assert spectrum_stats("ACGT" * 10, bg2, [1], k_null=2)["novel_rate"] == 1.0
    assert spectrum_stats("TGTG" * 10, bg2, [1], k_null=2)["novel_rate"] == 0.0


def test_canonical_background_space():
    bg = Background.count(["ACGTTGCA" * 50], ks=[3], canonical=True, k_novel=4)
    assert bg.freq(3).size == 32  # 4^3 / 2 classes, never 4^3


def test_spectrum_histogram():
    h = spectrum_histogram(["AAAA"], k=2, max_count=5)
    assert h.tolist() == [15, 0, 0, 1, 0, 0]  # AA three times, 15 dinucleotides never
