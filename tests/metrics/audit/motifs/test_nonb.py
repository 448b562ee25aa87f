"""Non-B motifs: G4Hunter's scores and threshold, and Z-DNA as ZSeeker reports it (golden
regions from the ZSeeker 1.8 package, ``ZDNACalculatorSeq(...).subarrays_above_threshold()``
with its default parameters, on the same sequences)."""
import numpy as np
import pytest

from mitbench.metrics.audit.motifs.nonb import g4hunter_regions, g4hunter_scores, zdna_regions, zdna_step_scores


def test_g4hunter_scores_golden():
    # Bedrat et al. 2016: runs of 1, 2, 3, >=4 G score 1..4 per base; C negative; A/T 0
    assert g4hunter_scores("GAGGAGGGAGGGGGTCCA").tolist() == [1, 0, 2, 2, 0, 3, 3, 3, 0, 4, 4, 4, 4, 4, 0, -2, -2, 0]


def test_g4hunter_regions_both_strands_and_threshold():
    g4 = "GGGGTTGGGGTTGGGGTTGGGG"  # 16 G in runs of 4: a 25-bp window scores 64 / 25 = 2.56
    flank = "AT" * 10
    iv = g4hunter_regions(flank + g4 + flank)
    assert iv.shape[0] == 1
    s, e = iv[0]
    assert s <= 20 and e >= 42  # the region covers the G4 motif
    c4 = g4.translate(str.maketrans("ACGT", "TGCA"))[::-1]
    assert g4hunter_regions(flank + c4 + flank).shape[0] == 1  # C-rich strand: G4 on the other strand
    assert g4hunter_regions("AT" * 50).size == 0
    assert g4hunter_regions("G" * 10).size == 0  # shorter than one 25-bp window


def test_g4hunter_standard_threshold_is_1_5():
    # the telomeric repeat, 12 G in runs of 3: its best 25-bp window scores 36 / 25 = 1.44
    s = "AT" * 10 + "GGGTTAGGGTTAGGGTTAGGG" + "AT" * 10
    scores = g4hunter_scores(s)
    best = max(scores[i:i + 25].mean() for i in range(len(s) - 24))
    assert best == pytest.approx(1.44)
    assert g4hunter_regions(s).size == 0  # not called at the standard 1.5
    assert g4hunter_regions(s, threshold=1.2).shape[0] == 1
    assert g4hunter_regions(s, threshold=1.44).shape[0] == 1  # the threshold is inclusive


def test_consecutive_prone_windows_merge():
    # two G4s 60 bp apart: two runs of prone windows, two regions
    g4, gap = "GGGGTTGGGGTTGGGGTTGGGG", "AT" * 30
    iv = g4hunter_regions(gap + g4 + gap + g4 + gap)
    assert iv.shape[0] == 2 and iv[0, 1] <= iv[1, 0]


def test_zdna_step_scores_follow_zseeker():
    # CG 7, GT 1.25, AA mismatch -3 then -6, AT run +0.5 bonus (1.0 each) for the first four
    assert zdna_step_scores("CGTAAA").tolist() == [7.0, 1.25, 1.0, -3.0, -6.0]
    at = zdna_step_scores("AT" * 6)  # 11 AT/TA steps: 1, 1, 1, 1, 0.5, 0.5, -4.5, then -99.5
    assert at.tolist() == [1.0] * 4 + [0.5, 0.5, -4.5] + [-99.5] * 4


ZSEEKER_GOLDEN = [  # (sequence, ZSeeker's regions as 0-based half-open base intervals)
    ("TTTT" + "CG" * 4 + "AAAA", []),  # 7 CG/GC steps: 49 < 50
    ("TTTT" + "CG" * 5 + "AAAA", [[4, 14]]),  # 9 steps: 63
    ("G" * 20, []),
    ("TTT" + "TA" * 40 + "TTT", []),  # long AT runs are penalised
    ("GG" + "TG" * 25 + "GG", [[1, 52]]),  # 50 steps of 1.25
    # one mismatch (G|A) joins two 35-point halves: 35 - 3 + 1.25 + 35 = 68.25
    ("TTTT" + "CGCGCG" + "A" + "CGCGCG" + "AAAA", [[4, 17]]),
    ("AAAA" + "CG" * 8 + "AA" + "CG" * 8 + "TTTT", [[3, 39]]),
    ("A" * 10 + "CG" * 8 + "A" * 39 + "CG" * 8, [[9, 26], [64, 81]]),  # the drop closes the first
]


@pytest.mark.parametrize("seq, want", ZSEEKER_GOLDEN)
def test_zdna_regions_equal_zseeker(seq, want):
    assert zdna_regions(seq).tolist() == want


def test_zdna_mismatch_tolerance():
    half = "CGCGCG"  # 5 steps of 7: 35 < 50 alone
    assert zdna_regions("TTTT" + half + "AAAA").size == 0
    assert zdna_regions("TTTT" + half + "A" + half + "AAAA").shape[0] == 1  # found across the mismatch
    assert zdna_regions("TTTT" + half + "AAAAAAAA" + half + "AAAA").size == 0  # 7 mismatches in a row: too many


def test_interval_helpers():
    from mitbench.metrics.audit.intervals import as_intervals, count_in, covered_bp, runs

    s, e = runs(np.array([0, 1, 1, 0, 1]))
    assert s.tolist() == [1, 4] and e.tolist() == [3, 5]
    iv = as_intervals([5, 0, 8], [10, 3, 12])  # sorted by start; 8-12 overlaps 5-10
    assert iv.tolist() == [[0, 3], [5, 10], [8, 12]]
    assert count_in(iv, 4, 9) == 2 and covered_bp(iv, 4, 9) == 4 and covered_bp(iv, 0, 20) == 10
