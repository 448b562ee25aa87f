import numpy as np

from mitbench.metrics.audit.nonb import g4hunter_regions, g4hunter_scores, zdna_regions


def test_g4hunter_scores_golden():
    # Bedrat et al. 2016: runs of 1, 2, 3, >=4 G score 1..4 per base; C negative; A/T 0
    assert g4hunter_scores("GAGGAGGGAGGGGGTCCA").tolist() == [1, 0, 2, 2, 0, 3, 3, 3, 0, 4, 4, 4, 4, 4, 0, -2, -2, 0]


def test_g4hunter_regions_both_strands_and_threshold():
    g4 = "GGGTTAGGGTTAGGGTTAGGG"  # telomeric G4: mean score over 25 bp with flanks
    flank = "AT" * 10
    iv = g4hunter_regions(flank + g4 + flank)
    assert iv.shape[0] == 1
    s, e = iv[0]
    assert s <= 20 and e >= 41  # the region covers the G4 motif
    c4 = g4.translate(str.maketrans("ACGT", "TGCA"))[::-1]
    assert g4hunter_regions(flank + c4 + flank).shape[0] == 1  # C-rich strand: G4 on the other strand
    assert g4hunter_regions("AT" * 50).size == 0
    assert g4hunter_regions("G" * 10).size == 0  # shorter than one 25-bp window


def test_zdna_alternation_rule():
    # T|C and G|A are not purine-pyrimidine steps; (CG)x4 = 7 steps of weight 7 = 49 < 50; (CG)x5 = 9 steps = 63 >= 50
    assert zdna_regions("TTTT" + "CG" * 4 + "AAAA").size == 0
    assert zdna_regions("TTTT" + "CG" * 5 + "AAAA").tolist() == [[4, 14]]
    assert zdna_regions("GGGGGGGGGGGGGGGGGGGG").size == 0  # no purine-pyrimidine alternation
    assert zdna_regions("TTT" + "TA" * 40 + "TTT").size == 0  # AT steps weigh 0.5: 81 * 0.5 = 40.5 < 50
    # the G before the first T alternates too (G|T): 50 steps of 1.25 = 62.5, bases 1..51
    assert zdna_regions("GG" + "TG" * 25 + "GG").tolist() == [[1, 52]]


def test_interval_helpers():
    from mitbench.metrics.audit.intervals import as_intervals, count_in, covered_bp, runs

    s, e = runs(np.array([0, 1, 1, 0, 1]))
    assert s.tolist() == [1, 4] and e.tolist() == [3, 5]
    iv = as_intervals([5, 0, 8], [10, 3, 12])  # sorted by start; 8-12 overlaps 5-10
    assert iv.tolist() == [[0, 3], [5, 10], [8, 12]]
    assert count_in(iv, 4, 9) == 2 and covered_bp(iv, 4, 9) == 4 and covered_bp(iv, 0, 20) == 10
