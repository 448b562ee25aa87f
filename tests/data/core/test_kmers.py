import numpy as np
import pytest

from mitbench.data.core.kmers import (base_codes, canonical_map, kmer_counts, kmer_index, kmer_index_at,
                                 kmer_strings, revcomp_index)


def test_kmer_index_golden_and_n_skipped():
    # AC = 0*4+1 = 1, CG = 1*4+2 = 6, GT = 11; the N drops the two 2-mers that touch it
    assert kmer_index(base_codes("ACGT"), 2).tolist() == [1, 6, 11]
    assert kmer_index_at(base_codes("ACNGT"), 2).tolist() == [1, -1, -1, 11]
    assert kmer_index(base_codes("acgt"), 4).tolist() == [0 * 64 + 1 * 16 + 2 * 4 + 3]


def test_kmer_strings_order_and_counts_both_strands():
    assert kmer_strings(2)[:5] == ["AA", "AC", "AG", "AT", "CA"]
    c = kmer_counts("AAC", 2, both_strands=True)  # AA, AC + reverse complement GTT: GT, TT
    names = kmer_strings(2)
    assert {names[i]: int(v) for i, v in enumerate(c) if v} == {"AA": 1, "AC": 1, "GT": 1, "TT": 1}


@pytest.mark.parametrize("k,n_classes", [(1, 2), (2, 10), (3, 32), (4, 136), (5, 512)])
def test_canonical_space_size(k, n_classes):
    # odd k: 4^k / 2; even k: (4^k + 4^(k/2)) / 2 (palindromes are their own class)
    class_of, n = canonical_map(k)
    assert n == n_classes and class_of.max() == n - 1


def test_revcomp_index_is_an_involution_and_correct():
    rc = revcomp_index(3)
    assert np.array_equal(rc[rc], np.arange(64))
    names = kmer_strings(3)
    assert names[rc[names.index("AAC")]] == "GTT"
