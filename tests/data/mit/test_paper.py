"""The paper's MIT construction (design="paper"): counts, independent backgrounds, H scrambled in place,
B/G from A's promoters, and agreement with the released sequences on the design statistics."""
from collections import Counter

import numpy as np
import pytest

from helpers import shared_path
from mitbench.data.mit.design_stats import REGIONS, motif_checks, region_at, shared_background
from mitbench.data.mit.external import read_external
from mitbench.data.core.grammar import (BROKEN_10, CONSENSUS_35, EXT10, STANDARD, Layout, iid_background, mismatches)
from mitbench.data.mit.designed import COUNTS, STRONG_35, build_mit
from mitbench.data.mit.paper import PAPER_NATURAL_UP, break_minus10

NATURAL_FIXED = {"up", "minus35", "ext10", "minus10"}  # natural promoters differ from the paper's list here


@pytest.fixture(scope="module")
def paper():
    return build_mit(42, design="paper")


@pytest.fixture(scope="module")
def by_id(paper):
    return {r.id: r for r in paper}


def test_counts_ids_no_controls_and_determinism(paper):
    assert len(paper) == 650 and Counter(r.label for r in paper) == COUNTS
    assert paper[0].id == "A_000" and paper[-1].id == "H_049"
    assert [r.sequence for r in build_mit(42, design="paper")] == [r.sequence for r in paper]
    assert build_mit(7, design="paper")[300].sequence != paper[300].sequence
    with_controls = build_mit(42, design="paper", controls=True)  # placement families on the paper's E
    assert len(with_controls) > 650 and {r.label for r in with_controls[650:]} == {"placement_ref", "up_placement", "comp_placement"}
    with pytest.raises(ValueError, match="design"):
        build_mit(42, design="swapped")


def test_backgrounds_are_independent_per_class(paper):
    """Matched design: C_i and D_i share every background base; paper design: ~sum p_b^2 = 0.2536 (i.i.d. 0.56)."""
    for a, b in (("C", "D"), ("D", "E"), ("E", "H"), ("E", "F")):
        assert abs(shared_background(paper, a, b) - 0.2536) < 0.03
    assert shared_background(build_mit(42, controls=False), "C", "D") == 1.0


def test_synthetic_motifs_and_h_scrambled_in_place(by_id):
    lay = STANDARD
    for i in range(100):
        d, e = by_id[f"D_{i:03d}"].sequence, by_id[f"E_{i:03d}"]
        assert d[30:36] == CONSENSUS_35 and d[53:59] == BROKEN_10
        assert e.sequence[50:53] == EXT10 and mismatches(e.sequence[15:24], "AAAAAARNR") == 0
    for i in range(50):
        h, f = by_id[f"H_{i:03d}"], by_id[f"F_{i:03d}"]
        assert sorted(h.sequence[slice(*lay.up)]) == sorted(h.meta["up_element"])  # a permutation of its own UP
        assert sorted(h.sequence[slice(*lay.ext10)]) == sorted(EXT10)
        assert h.sequence[30:36] == CONSENSUS_35 and h.sequence[53:59] == BROKEN_10 and not h.meta["up"]
        assert h.element("up_scrambled").start == 15 and h.element("up") is None
        assert f.meta["minus35"] in STRONG_35 and f.sequence[30:36] == f.meta["minus35"] and f.sequence[50:53] == EXT10


def test_b_and_g_are_a_promoters_with_the_paper_broken_minus10(by_id):
    for j in range(100):
        a, b = by_id[f"A_{j:03d}"], by_id[f"B_{j:03d}"]
        assert b.meta["natural_name"] == a.meta["natural_name"] and b.meta["minus35"] == a.meta["minus35"]
        assert b.meta["minus10"] == a.meta["minus10"][0] + "C" + a.meta["minus10"][2:]  # intact pool: -11A -> C
        assert b.sequence[53:59] == b.meta["minus10"] and b.element("up") is None and b.element("ext10") is None
        if j < 50:
            g = by_id[f"G_{j:03d}"]
            assert g.meta["natural_name"] == a.meta["natural_name"] and g.meta["minus10"] == b.meta["minus10"]
            assert mismatches(g.sequence[15:24], PAPER_NATURAL_UP) == 0 and g.sequence[50:53] == EXT10
            assert g.element("up") is not None and g.meta["up"] and g.meta["ext10"]


def test_break_minus10_rule():
    rng = np.random.default_rng(0)
    assert break_minus10("TATAAT", rng) == "TCTAAT" and break_minus10("TTAACT", rng) == "TGAACT"
    other = {break_minus10("GGTAAT", np.random.default_rng(s)) for s in range(30)}
    assert {o[1] for o in other} == {"A", "C", "T"} and all(o[0] + o[2:] == "GTAAT" for o in other)


def test_iid_background_and_resized_layout():
    s = iid_background(np.random.default_rng(1), 200_000, 0.56)
    counts = Counter(s)
    assert abs((counts["A"] + counts["T"]) / len(s) - 0.56) < 0.005 and abs(counts["A"] / len(s) - 0.28) < 0.005
    assert iid_background(np.random.default_rng(3), 50) == iid_background(np.random.default_rng(3), 50)
    assert STANDARD.resized(100) == STANDARD
    big = STANDARD.resized(150)
    assert (big.minus35_start, big.up_start, big.minus10_start, big.length) == (45, 30, 68, 150)
    assert STANDARD.resized(50).up_start == 0
    with pytest.raises(ValueError, match="does not fit"):
        Layout().resized(45)


@pytest.mark.shared
def test_fresh_paper_build_agrees_with_the_released_design(paper):
    """A/T per class and region (|z| < 4 for independent draws; natural classes only on background regions,
    their promoters come from mitbench's source), motifs in place, and independence of the backgrounds."""
    released = read_external(shared_path("mit_reference", "sequences"))
    a, b = region_at(released).set_index("class"), region_at(paper).set_index("class")
    width = {name: hi - lo for name, (lo, hi) in REGIONS.items()}
    for cls in "ABCDEFGH":
        for region, w in width.items():
            if cls in "ABG" and region in NATURAL_FIXED:
                continue
            p = (a.loc[cls, region] + b.loc[cls, region]) / 2
            se = np.sqrt(p * (1 - p) * 2 / (a.loc[cls, "n"] * w))
            z = (a.loc[cls, region] - b.loc[cls, region]) / se if se > 0 else 0.0
            assert abs(z) < 4, (cls, region, a.loc[cls, region], b.loc[cls, region])
    ma, mb = motif_checks(released).set_index("class"), motif_checks(paper).set_index("class")
    for cls in "CDEFH":
        assert ma.loc[cls, "minus10_broken"] == mb.loc[cls, "minus10_broken"] == (0.0 if cls == "C" else 1.0)
    assert ma.loc["E", "tgt_50"] == mb.loc["E", "tgt_50"] == 1.0 and ma.loc["E", "up_consensus_15"] == mb.loc["E", "up_consensus_15"] == 1.0
    assert 0.2 < ma.loc["H", "tgt_50"] < 0.7 and 0.2 < mb.loc["H", "tgt_50"] < 0.7  # TGT left in place by chance (1/3)
    for pair in (("C", "D"), ("E", "H")):
        assert abs(shared_background(released, *pair) - shared_background(paper, *pair)) < 0.03
