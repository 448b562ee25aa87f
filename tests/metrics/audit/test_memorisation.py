"""Memorisation: exact matches to a genome, checked on hand-built copies, against a brute-force
scan, and against the random-sequence expectation log4(2 N n)."""
import math

import numpy as np
import pytest

from mitbench.metrics.audit.memorisation import (MIN_MATCH_BP, match_cover, matching_statistics, memo_tables,
                                                  region_stats)

COMP = str.maketrans("ACGT", "TGCA")


def rc(s):
    return s[::-1].translate(COMP)


def rand(rng, n, alphabet="ACGT"):
    return "".join(rng.choice(list(alphabet), n))


def brute_ms(q, genome):
    strands = [p for g in genome for s in (g, rc(g)) for p in s.split("N") if p]
    out = []
    for i in range(len(q)):
        n = 0
        while i + n < len(q) and any(q[i:i + n + 1] in s for s in strands):
            n += 1
        out.append(n)
    return np.array(out)


def _flank(rng, n, avoid):
    """Random bases whose base next to the copy differs from ``avoid`` (the copy cannot extend)."""
    s = list(rand(rng, n))
    s[-1] = next(b for b in "ACGT" if b != avoid)
    return "".join(s)


@pytest.mark.parametrize("strand", ["forward", "reverse"])
def test_a_120bp_copy_is_found_on_either_strand(strand):
    rng = np.random.default_rng(0)
    genome = rand(rng, 20000)
    copy = genome[5000:5120]
    if strand == "reverse":
        copy, before, after = rc(copy), rc(genome[5120]), rc(genome[4999])
    else:
        before, after = genome[4999], genome[5120]
    query = _flank(rng, 60, before) + copy + _flank(rng, 60, after)[::-1]
    ms = matching_statistics([query], [genome])[0]
    assert ms[60] == 120 and ms.max() == 120
    cover = match_cover(ms)
    longest, frac = region_stats(cover, 0, len(query))
    assert longest == 120 and frac == pytest.approx(120 / 240)
    assert (cover[60:180] == 120).all() and (cover[:60] < MIN_MATCH_BP).all()


def test_random_dna_matches_a_random_genome_about_log4_of_the_search_space():
    rng = np.random.default_rng(1)
    genome, queries = rand(rng, 200_000), [rand(rng, 5000) for _ in range(8)]
    expected = math.log(2 * len(genome) * 5000, 4)  # 2 strands x genome x query positions
    longest = [int(ms.max()) for ms in matching_statistics(queries, [genome])]
    assert expected - 3 <= np.mean(longest) <= expected + 2
    assert max(longest) <= expected + 6


def test_matching_statistics_equal_a_brute_force_scan_with_n_runs_and_several_contigs():
    rng = np.random.default_rng(2)
    for _ in range(25):
        alphabet = "ACGT"[: rng.integers(2, 5)]  # small alphabets give long matches
        genome = [rand(rng, rng.integers(1, 60), alphabet) for _ in range(rng.integers(1, 4))]
        genome = [g[:7] + "NNN" + g[7:].lower() for g in genome]  # masked runs, soft-masked case
        queries = [rand(rng, rng.integers(1, 40), alphabet) for _ in range(3)]
        upper = [g.upper() for g in genome]
        for q, ms in zip(queries, matching_statistics(queries, genome)):
            np.testing.assert_array_equal(ms, brute_ms(q, upper))
            cover = [max([ms[i] for i in range(b + 1) if i + ms[i] > b], default=0) for b in range(len(q))]
            np.testing.assert_array_equal(match_cover(ms), cover)


def test_batches_and_split_contigs_give_the_same_statistics():
    rng = np.random.default_rng(3)
    genome = [rand(rng, 400, "AC"), rand(rng, 90, "AC"), rand(rng, 250, "AC")]
    queries = [rand(rng, 12, "AC") for _ in range(5)]
    one = matching_statistics(queries, genome)
    split = matching_statistics(queries, genome, batch_bp=30)  # pieces of 30 bp overlapping by 12
    for q, a, b in zip(queries, one, split):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, brute_ms(q, genome))


def test_an_empty_genome_matches_nothing_and_bad_queries_fail_clearly():
    assert matching_statistics(["ACGT"], ["NNNN"])[0].tolist() == [0, 0, 0, 0]
    with pytest.raises(ValueError, match="'N' at position 2"):
        matching_statistics(["ACNT"], ["ACGT"])


def test_memo_tables_by_distance_bin_fade_where_the_copy_ends():
    rng = np.random.default_rng(4)
    genome = rand(rng, 50_000)
    copied = genome[1000:1700] + rand(rng, 1300)  # copies for 700 bp, then random: memorisation fades
    natural = rand(rng, 2000)
    whole, bins = memo_tables([copied, natural], [genome], bin_bp=500, n_bins=4)
    assert list(whole.columns) == ["memo_longest_bp", f"memo_frac_ge{MIN_MATCH_BP}"]
    assert whole.loc[0, "memo_longest_bp"] >= 700 and whole.loc[1, "memo_longest_bp"] < 30
    assert whole.loc[0, "memo_frac_ge50"] == pytest.approx(700 / 2000, abs=0.003)
    gen_bins = bins.iloc[:4]["memo_frac_ge50"].tolist()
    assert gen_bins[0] == 1.0 and gen_bins[1] == pytest.approx(200 / 500, abs=0.01)
    assert gen_bins[2] == gen_bins[3] == 0.0
    assert bins.iloc[1]["memo_longest_bp"] >= 700  # a match straddling the bin edge counts its full length
    assert (bins.iloc[4:]["memo_frac_ge50"] == 0).all()


def test_own_text_counts_for_its_query_only_and_is_the_positionwise_maximum():
    from mitbench.metrics.audit.memorisation import memo_tables

    rng = np.random.default_rng(7)
    genome = "".join(rng.choice(list("ACGT"), size=5_000))
    own = "".join(rng.choice(list("ACGT"), size=400))
    copy = own[:150] + "".join(rng.choice(list("ACGT"), size=250))  # copies its own text's first 150 bp
    other = "".join(rng.choice(list("ACGT"), size=400))
    whole, _ = memo_tables([copy, other], [genome], bin_bp=200, n_bins=2, own=[own, own[::-1]])
    alone, _ = memo_tables([copy, other], [genome], bin_bp=200, n_bins=2)
    assert whole.loc[0, "memo_longest_bp"] >= 150 and alone.loc[0, "memo_longest_bp"] < 30
    assert whole.loc[1, "memo_longest_bp"] == alone.loc[1, "memo_longest_bp"]  # a reversed (not complemented) text adds nothing long
    assert whole.loc[0, "memo_frac_ge50"] >= 150 / 400
