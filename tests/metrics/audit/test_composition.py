import numpy as np
import pytest

from mitbench.metrics.audit.composition import (composition_stats, cumulative_gc_skew_range, dust_intervals,
                                                gc_fraction, gc_skew, homopolymer_runs, homopolymer_stats)
from mitbench.metrics.audit.intervals import covered_bp


def _random_dna(n: int, seed: int = 0) -> str:
    return "".join(np.random.default_rng(seed).choice(list("ACGT"), n))


def test_gc_fraction_and_skew():
    assert gc_fraction("GGCCAT") == pytest.approx(4 / 6)
    assert gc_fraction("ggccNNat") == pytest.approx(4 / 6)  # lower case counts, N does not
    assert gc_skew("GGGC") == pytest.approx(0.5)  # (3 - 1) / 4
    assert gc_skew("CCCC") == -1.0 and np.isnan(gc_skew("ATAT")) and np.isnan(gc_fraction("NNN"))


def test_cumulative_gc_skew_range_by_hand():
    # windows of 4 bp: GGGG (+1), CCCC (-1), CCCC (-1), GGGC (+0.5): walk 0, 1, 0, -1, -0.5 -> range 2
    assert cumulative_gc_skew_range("GGGG" "CCCC" "CCCC" "GGGC" "AT", window=4) == pytest.approx(2.0)
    assert np.isnan(cumulative_gc_skew_range("GGGG" "CC", window=4))  # one whole window


def test_homopolymer_spectrum():
    s = "AAAAACGTTTTTTT"  # runs A5 C1 G1 T7
    assert homopolymer_runs(s).tolist() == [5, 1, 1, 7]
    st = homopolymer_stats(s)
    assert st["homopolymer_max_bp"] == 7
    assert st["homopolymer_ge5_per_kb"] == pytest.approx(2 / 0.014)
    assert st["homopolymer_mean_bp"] == pytest.approx(6.0)  # runs of >= 2 bp: 5 and 7
    assert homopolymer_runs("AANNAAcgT").tolist() == [2, 2, 1, 1, 1]  # N breaks a run, case is ignored
    assert np.isnan(homopolymer_stats("ACGT")["homopolymer_mean_bp"])


def test_composition_stats_keys():
    assert set(composition_stats("ACGTACGT")) == {"gc_fraction", "gc_skew", "homopolymer_max_bp",
                                                   "homopolymer_ge5_per_kb", "homopolymer_mean_bp"}


def test_dust_masks_a_dinucleotide_repeat_not_random_dna():
    r = _random_dna(4000)
    s = r[:2000] + "CA" * 50 + r[2000:]
    iv = dust_intervals(s)
    assert covered_bp(iv, 2000, 2100) == 100  # the whole repeat
    assert covered_bp(iv, 0, len(s)) - 100 < 0.01 * len(r)  # and almost nothing else
    assert covered_bp(dust_intervals(r), 0, len(r)) < 0.01 * len(r)
    assert dust_intervals("ACG").shape == (0, 2)


NEW = {"gc_fraction": "composition (GC, skew)", "gc_skew": "composition (GC, skew)",
       "homopolymer_max_bp": "low complexity", "homopolymer_ge5_per_kb": "low complexity",
       "homopolymer_mean_bp": "low complexity", "dust_fraction": "low complexity",
       "codon_js": "codon usage", "aa_js": "codon usage", "cai": "codon usage",
       "sd_fraction": "coding (ORFs)", "trna_count": "RNA genes"}


def test_new_features_per_region_and_their_families():
    from mitbench.data.core.genome import read_genome
    from mitbench.metrics.audit.features import FeatureSpec, family_of, sequence_features
    from mitbench.metrics.audit.kmers import Background
    from mitbench.metrics.audit.organisation import CodingReference
    from mitbench.runs.audit import default_reference

    genome = read_genome(default_reference())[0].sequence
    seq = genome[226_000:234_000]  # holds tRNA-Glu (229,558) and rRNA
    spec = FeatureSpec(8000, 2000)
    bg = Background.count([genome[:50_000]], spec.background_ks(), k_novel=8)
    whole, bins = sequence_features(seq, bg, spec, CodingReference.count([genome[400_000:600_000]]))
    for metric, family in {**NEW, "gc_skew_cum_range": "composition (GC, skew)"}.items():
        assert metric in whole and family_of(metric) == family
    assert all(set(NEW) <= set(b) and "gc_skew_cum_range" not in b for b in bins)
    assert whole["trna_count"] >= 1 and sum(b["trna_count"] for b in bins) == whole["trna_count"]
    assert whole["gc_fraction"] == pytest.approx(gc_fraction(seq))
    assert np.mean([b["gc_fraction"] for b in bins]) == pytest.approx(whole["gc_fraction"], abs=1e-3)
    assert sum(b["dust_fraction"] for b in bins) / 4 == pytest.approx(whole["dust_fraction"])
    without, _ = sequence_features(seq, bg, spec)  # no reference codon table: those columns are left out
    assert not {"codon_js", "aa_js", "cai"} & set(without) and "sd_fraction" in without
