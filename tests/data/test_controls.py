"""Placement controls of the MIT: exact composition, motifs untouched, placements as declared."""
from collections import Counter

import pytest

from mitbench.data.controls import UP_PLACEMENTS, comp_placements, placement_names
from mitbench.data.grammar import BROKEN_10, CONSENSUS_35, EXT10
from mitbench.data.mit import build_mit


@pytest.fixture(scope="module")
def recs():
    return build_mit(seed=42)


def test_counts_and_determinism(recs):
    fam = Counter(r.label for r in recs if r.meta.get("design") == "placement_control")
    homopolymer_ups = sum(r.sequence[15:24] == "A" * 9 for r in recs if r.label == "E" and int(r.meta["group"]) < 50)
    assert fam == {"comp_placement": 50 * 23, "up_placement": 50 * 23 - homopolymer_ups}
    assert len(recs) == 650 + sum(fam.values())
    assert [r.sequence for r in build_mit(seed=42)] == [r.sequence for r in recs]
    assert len(placement_names("up_placement")) == len(placement_names("comp_placement")) == 23


def test_placements_are_permutations_that_cannot_act(recs):
    e = {r.meta["group"]: r for r in recs if r.label == "E"}
    for r in recs:
        if r.meta.get("design") != "placement_control":
            continue
        ref = e[r.meta["group"]].sequence
        assert sorted(r.sequence) == sorted(ref) and r.sequence != ref  # exact composition, not E itself
        assert r.sequence[30:36] == CONSENSUS_35 and r.sequence[53:59] == BROKEN_10  # core motifs untouched
        up = r.element("up")
        assert r.sequence[up.start:up.end] == ref[15:24] or r.meta["placement"] == "scrambled"
        if r.meta["placement"] != "scrambled":
            assert up.start in UP_PLACEMENTS and not (up.start < 36 or 42 <= up.start < 59)  # never upstream / on motifs
        if r.label == "comp_placement" and r.meta["placement"] != "scrambled":
            t = r.element("ext10_moved").start
            assert r.sequence[t:t + 3] == EXT10 and not 50 <= t < 53 and (t + 3 <= up.start or t >= up.end)
        if r.label == "up_placement":
            assert r.sequence[50:53] == EXT10  # the extended -10 stays in place


def test_comp_placements_never_overlap():
    for p, t in comp_placements():
        assert p + 9 <= t or t + 3 <= p
        assert t + 3 <= 50 or t >= 59
