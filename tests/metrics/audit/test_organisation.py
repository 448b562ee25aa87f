import numpy as np

from mitbench.metrics.audit.organisation import genes, mismatches, motif_hits, nn_distance, promoter_hits
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
