"""Repeat finders: hand-built sequences with known answers, and golden intervals that non-B DB's
own ``non-B_gfa`` finders (compiled with scripts/nbmst_repeats.c) reported on the same planted
sequences, so the re-implementation reports what the tool reports, merges included."""
import numpy as np
import pytest

from mitbench.metrics.audit.motifs.repeats import (direct_repeats, inverted_repeats, mirror_repeats,
                                              short_tandem_repeats)

COMP = str.maketrans("ACGT", "TGCA")


def _planted(seed, n=1500):
    rng = np.random.default_rng(seed)
    s = list(rng.choice(list("ACGT"), n))
    arm = "".join(rng.choice(list("ACGT"), 14))
    s[100:114] = arm  # direct repeat, spacer 30
    s[144:158] = arm
    s[200:208] = arm[:8]  # direct repeat with 8-bp arms (too short)
    s[213:221] = arm[:8]
    s[300:312] = arm[:12]  # direct repeat, spacer 5
    s[317:329] = arm[:12]
    s[400:414] = arm  # inverted repeat, spacer 20
    s[434:448] = arm.translate(COMP)[::-1]
    s[500:508] = arm[:8]  # inverted repeat with 8-bp arms, spacer 3
    s[511:519] = arm[:8].translate(COMP)[::-1]
    s[700:714] = arm  # mirror repeat, spacer 5
    s[719:733] = arm[::-1]
    s[900:948] = arm[:12] * 4  # tandem array: 4 copies of a 12-bp unit
    s[1000:1021] = "ACGTTGC" * 3  # STR: 7-bp unit x 3
    s[1100:1112] = "AT" * 6  # STR: (AT) x 6
    return "".join(s)


# non-B_gfa's output on _planted(seed) (0-based, half-open); DR at the tool's default spacer <= 10
# and at spacer <= 100 (-maxDRspacer 100)
GOLDEN = {
    0: {"DR": [[300, 329], [900, 948]],
        "DR100": [[98, 209], [199, 309], [300, 329], [301, 412], [317, 413], [900, 948], [1096, 1133]],
        "IR": [[400, 448], [500, 519], [1099, 1111], [1100, 1112]],
        "MR": [[700, 733], [1001, 1021]], "STR": [[1000, 1021], [1099, 1112]]},
    1: {"DR": [[300, 330], [899, 948]], "DR100": [[100, 158], [211, 326], [299, 412], [899, 948]],
        "IR": [[400, 448], [441, 456], [499, 520], [804, 819], [1100, 1112]],
        "MR": [[700, 733], [1001, 1021]], "STR": [[1000, 1021], [1100, 1112]]},
    2: {"DR": [[300, 330], [900, 948], [998, 1022]],
        "DR100": [[100, 158], [300, 330], [301, 412], [900, 948], [998, 1022]],
        "IR": [[400, 448], [500, 519], [784, 894], [1009, 1024], [1042, 1058], [1099, 1111], [1100, 1112]],
        "MR": [[700, 733], [1000, 1022]], "STR": [[998, 1022], [1099, 1112]]},
}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_repeats_equal_non_b_gfa_output(seed):
    s, want = _planted(seed), GOLDEN[seed]
    assert direct_repeats(s).tolist() == want["DR"]
    assert direct_repeats(s, spacer_max=100).tolist() == want["DR100"]
    assert inverted_repeats(s).tolist() == want["IR"]
    assert mirror_repeats(s).tolist() == want["MR"]
    assert short_tandem_repeats(s).tolist() == want["STR"]


def _background(n=300, seed=11):
    s = "".join(np.random.default_rng(seed).choice(list("ACGT"), n))
    assert direct_repeats(s, spacer_max=100).size == 0 and mirror_repeats(s).size == 0
    return s


def test_planted_direct_repeat_counts_once():
    bg, arm = _background(), "GATTACCAGTCA"  # 12-bp arm
    spacer = _background(30, seed=3)
    s = bg[:100] + arm + spacer + arm + bg[100:]
    assert direct_repeats(s, spacer_max=100).tolist() == [[100, 154]]
    assert direct_repeats(s).size == 0  # the tool's default spacer is <= 10
    short = bg[:100] + arm + spacer[:8] + arm + bg[100:]
    assert direct_repeats(short).tolist() == [[100, 132]]


def test_tandem_copies_merge_into_one_repeat():
    # 4 tandem copies hold repeats at offsets 12, 24 and 36; the tool reports one, the whole array
    bg, unit = _background(), "GATTACCAGTCA"
    s = bg[:100] + unit * 4 + bg[100:]
    assert direct_repeats(s).tolist() == [[100, 148]]
    assert direct_repeats(s, spacer_max=100).tolist() == [[100, 148]]


def test_direct_repeat_arm_and_spacer_limits():
    bg = _background()
    eleven = "TCCTGGGCGGT"  # the 11-bp arm of a 94-bp-spacer repeat the tool does not call at its default
    s = bg[:20] + eleven + _background(94, seed=4) + eleven + bg[20:]
    assert direct_repeats(s).size == 0
    assert direct_repeats(s, spacer_max=100).tolist() == [[20, 136]]
    nine = "ACGTTGCAT"  # arms of 9 bp are below the 10-bp minimum (flanks chosen not to match)
    assert direct_repeats("AC" + nine + "TTT" + nine + "GA").size == 0
    assert direct_repeats("AC" + nine + "TTT" + nine + "TA").tolist() == [[2, 24]]  # 10 bp with the T


def test_inverted_and_mirror_repeats_hand_made():
    arm = "ACGTTGCATG"
    # arm + 3-bp spacer + reverse complement of arm; flanking G/G do not pair (G-C would)
    assert inverted_repeats("GG" + arm + "TTT" + arm.translate(COMP)[::-1] + "GG").tolist() == [[2, 25]]
    assert mirror_repeats("CA" + arm + "TTTT" + arm[::-1] + "GT").tolist() == [[2, 26]]
    eight = "ACGTTGCA"[:7] + "G"  # 8-bp arms: inverted repeats only with spacer <= 4
    rc = eight.translate(COMP)[::-1]
    assert inverted_repeats("TT" + eight + "AAA" + rc + "TT").tolist() == [[2, 21]]
    assert inverted_repeats("TT" + eight + "AAACCA" + rc + "TT").size == 0
    assert mirror_repeats("CA" + arm[:9] + "GTTC" + arm[:9][::-1] + "GT").size == 0  # 9-bp arms < 10
    assert mirror_repeats("CA" + arm[:9] + "GTTC" + arm[:9][::-1] + "AT").tolist() == [[1, 25]]


def test_short_tandem_repeats_units_and_length():
    s = "GCGCA" + "AT" * 6 + "GCC" + "A" * 9 + "GC" + "ACGTTGCAG" * 3 + "T"
    # (AT)x6 = 12 bp kept; A x 9 < 10 bp dropped; a 9-bp unit x 3 (units up to 9) kept
    assert short_tandem_repeats(s).tolist() == [[5, 17], [31, 58]]
    assert short_tandem_repeats(s, min_bp=8).tolist() == [[5, 17], [20, 29], [31, 58]]
