import numpy as np
import pytest

from mitbench.metrics.audit.organisation import (CODE, CalledGenes, CodingReference, aa_counts, cai, cai_weights, call_genes,
                                                 codon_counts, coding_stats, genes, mismatches, motif_hits,
                                                 nn_distance, promoter_hits, trna_genes)
from mitbench.data.core.kmers import base_codes

COMP = str.maketrans("ACGT", "TGCA")


def test_mismatch_counts_and_iupac():
    assert mismatches(base_codes("TATAATGTAAAT"), "TATAAT").tolist() == [0, 5, 3, 4, 5, 2, 3]
    assert mismatches(base_codes("AATCAAGGGGTTA"), "WATCAANNNNTTR").tolist() == [0]


def test_motif_hits_both_strands():
    s = "GGGGG" + "TATAAT" + "GGGGGGGG" + "ATTATA" + "GGG"  # forward at 5, reverse complement at 19
    assert motif_hits(s, "TATAAT", 0).tolist() == [5, 19]


def test_promoter_on_either_strand():
    bg = "G" * 60
    prom = "TTGACA" + "C" * 17 + "TATAAT"  # -35, 17-bp spacer, -10: 29 bp
    s = bg[:10] + prom + bg[:40]
    assert promoter_hits(s).tolist() == [10]
    rc = s.translate(COMP)[::-1]  # the same promoter on the other strand: leftmost base 79 - 39 = 40
    assert promoter_hits(rc).tolist() == [len(s) - 10 - len(prom)]


def test_nn_distance():
    assert nn_distance(np.array([0, 10, 30])) == 10.0  # nearest: 10, 10, 20 -> median 10
    assert np.isnan(nn_distance(np.array([5])))


def test_genes_called_on_the_shipped_genome():
    from mitbench.runs.audit import default_reference
    from mitbench.data.core.genome import read_genome

    seq = read_genome(default_reference())[0].sequence[100_000:120_000]
    iv = genes(seq)
    covered = np.zeros(len(seq), bool)
    for s, e in iv:
        covered[s:e] = True
    assert iv.shape[0] >= 10 and covered.mean() > 0.7  # E. coli is ~88% coding
    assert ((iv[:, 1] - iv[:, 0]) % 3 == 0).all()  # whole codons


def _shipped(lo: int, hi: int) -> str:
    from mitbench.runs.audit import default_reference
    from mitbench.data.core.genome import read_genome

    return read_genome(default_reference())[0].sequence[lo:hi]


def _index(codon: str) -> int:
    a, b, c = ("ACGT".index(x) for x in codon)
    return 16 * a + 4 * b + c


def test_codon_counts_and_translation():
    c = codon_counts("ATGGCTGCTNAAGCAT")  # ATG GCT GCT NAA GCA + T: the N codon and the tail are skipped
    assert c.sum() == 4 and c[_index("GCT")] == 2 and c[_index("ATG")] == 1 and c[_index("GCA")] == 1
    assert CODE[_index("TGA")] == "*" and CODE[_index("ATG")] == "M" and CODE[_index("GGG")] == "G"
    assert (CODE == "*").sum() == 3 and len(set(CODE)) == 21
    aa = aa_counts(c)
    assert aa.sum() == 4 and sorted(aa[aa > 0].tolist()) == [1.0, 3.0]  # M once, A three times


def test_cai_weights_by_hand_and_cai_one_for_the_preferred_codons():
    ref = np.zeros(64)
    ref[_index("GCT")], ref[_index("GCC")], ref[_index("GCA")] = 30, 10, 0  # Ala: GCG absent too
    ref[_index("AAA")], ref[_index("AAG")] = 8, 2  # Lys
    w = cai_weights(ref)
    assert w[_index("GCT")] == 1 and w[_index("GCC")] == pytest.approx(1 / 3)
    assert w[_index("GCA")] == pytest.approx(0.5 / 30)  # Sharp & Li: an absent codon counts 0.5
    assert w[_index("AAG")] == pytest.approx(0.25) and np.isnan(w[_index("ATG")]) and np.isnan(w[_index("TAA")])
    best = codon_counts("ATG" + "GCT" * 20 + "AAA" * 7 + "TGG" + "TAA")  # only the preferred codons
    assert cai(best, w) == pytest.approx(1.0)
    mixed = codon_counts("GCT" + "AAG")  # geometric mean of 1 and 0.25
    assert cai(mixed, w) == pytest.approx(0.5)


def test_codon_distance_zero_for_the_references_own_genes():
    seq = _shipped(100_000, 120_000)
    ref = CodingReference.count([seq])
    called = call_genes(seq)
    assert ref.n_genes == called.intervals.shape[0] >= 10 and ref.bp == len(seq)
    st = coding_stats(called, 0, len(seq), ref)
    assert st["codon_js"] == 0.0 and st["aa_js"] == 0.0
    assert 0.5 < st["cai"] < 1.0 and 0.3 < st["sd_fraction"] <= 1.0  # E. coli genes mostly carry an SD
    other = coding_stats(call_genes(_shipped(500_000, 520_000)), 0, 20_000, ref)
    assert 0 < other["codon_js"] < 0.03  # other genes of the same genome: close, not identical
    short = CalledGenes(np.array([[0, 90]]), codon_counts("ATG" + "GCT" * 28 + "TAA")[None], np.array([True]))
    assert np.isnan(coding_stats(short, 0, 90, ref)["codon_js"])  # 29 < MIN_CODONS sense codons
    assert np.isnan(coding_stats(short, 90, 200, ref)["sd_fraction"])  # no gene starts there
    assert set(coding_stats(called, 0, len(seq), None)) == {"sd_fraction"}


def test_coding_reference_streams_up_to_max_bp():
    seq = _shipped(100_000, 120_000)
    ref = CodingReference.count(iter([seq[:10_000], seq[10_000:], seq]), max_bp=15_000)
    assert ref.bp == 15_000 and ref.record()["coding_reference_bp"] == 15_000


def test_shine_dalgarno_detected_when_planted():
    rng = np.random.default_rng(1)
    sense = [a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT" if CODE[_index(a + b + c)] != "*"]
    orf = "ATG" + "".join(rng.choice(sense, 300)) + "TAA"

    def flank() -> str:
        return "".join(rng.choice(list("ACGT"), 300, p=[0.35, 0.15, 0.15, 0.35]))

    left, right = flank(), flank()
    for upstream, has_sd in (("AGGAGG", True), ("TCTCTC", False)):
        s = left + upstream + "ACTACTAA" + orf + right  # the motif ends 8 bp before the ATG
        called = call_genes(s)
        assert called.intervals.tolist() == [[314, 314 + len(orf)]]
        assert called.sd.tolist() == [has_sd]
        assert coding_stats(called, 0, len(s), None)["sd_fraction"] == float(has_sd)


def test_trna_found_in_the_shipped_genome_not_in_random_dna():
    iv = trna_genes(_shipped(229_000, 231_000))  # tRNA-Glu at 229,558..229,633 (1-based, inclusive)
    assert iv.tolist() == [[557, 633]]
    assert trna_genes("".join(np.random.default_rng(0).choice(list("ACGT"), 8000))).shape == (0, 2)
