"""Placement controls of the MIT v3: a Latin square of exact-composition cells, elements where the
metadata says, decoys that keep the A/T pattern, and a design no absolute-position scorer can pass."""
from collections import Counter, defaultdict

import numpy as np
import pytest

from mitbench.data.mit.controls import FAMILIES, REFERENCE, PlacementDesign, canvas, cells, decoy
from mitbench.data.core.grammar import BROKEN_10, CONSENSUS_10, CONSENSUS_35, EXT10, STANDARD, mismatches
from mitbench.data.mit.designed import build_mit


@pytest.fixture(scope="module")
def recs():
    return [r for r in build_mit(42) if r.meta.get("design") == "placement_control"]


def _ws(s):
    return "".join("W" if c in "AT" else "S" for c in s)


def test_counts_ids_and_determinism(recs):
    assert Counter(r.label for r in recs) == {REFERENCE: 150, "up_placement": 300, "comp_placement": 300}
    assert len({r.sequence for r in recs}) == 750 and {len(r.sequence) for r in recs} == {PlacementDesign().length} == {200}
    again = [r for r in build_mit(42) if r.meta.get("design") == "placement_control"]
    assert [(r.id, r.sequence) for r in again] == [(r.id, r.sequence) for r in recs]
    other = [r for r in build_mit(43) if r.meta.get("design") == "placement_control"]
    assert [r.id for r in other] == [r.id for r in recs] and not {r.sequence for r in other} & {r.sequence for r in recs}
    assert all(r.meta["generator_seed"] == 42 for r in recs)


def test_cells_are_permutations_with_elements_where_declared(recs):
    by_group = defaultdict(list)
    for r in recs:
        by_group[r.meta["group"]].append(r)
    e = {r.meta["group"]: r for r in build_mit(42) if r.label == "E"}
    for g, group in by_group.items():
        assert len({"".join(sorted(r.sequence)) for r in group}) == 1  # exact composition within a background
        up = e[g].sequence[STANDARD.up_start:STANDARD.up_start + 9]
        for r in group:
            el = {x.name: x for x in r.elements}
            j, k, c = r.meta["frame"], r.meta["slot"], el["minus35"].start
            assert r.sequence[c:c + 6] == CONSENSUS_35 and r.sequence[el["minus10"].start:el["minus10"].end] == BROKEN_10
            assert el["minus10"].start == c + 23 and r.meta["layout_offset"] == c - STANDARD.minus35_start
            assert r.sequence[el["up"].start:el["up"].end] == up
            ext = el.get("ext10") or el["ext10_moved"]
            assert r.sequence[ext.start:ext.end] == EXT10
            assert r.meta["correct"] == (j == k) == (el["up"].start == c - 15)
            assert ("ext10" in el) == (j == k or r.label == "up_placement")
            assert (r.label == REFERENCE) == (j == k)


def test_ws_pattern_depends_only_on_the_moved_bases(recs):
    """comp_placement: the A/T string of a cell is a function of the slot alone (decoys keep the W/S
    pattern; the TGT moves with the UP), so every A/T heuristic has effect exactly 0."""
    ws = defaultdict(set)
    for r in recs:
        if r.label in (REFERENCE, "comp_placement"):
            ws[(r.meta["group"], r.meta["slot"])].add(_ws(r.sequence))
    assert all(len(v) == 1 for v in ws.values())


def test_decoys_keep_pattern_and_differ_from_consensus():
    rng = np.random.default_rng(0)
    for _ in range(200):
        d35, d10 = decoy(rng, CONSENSUS_35, (CONSENSUS_35,)), decoy(rng, BROKEN_10, (CONSENSUS_10, BROKEN_10))
        assert sorted(d35) == sorted(CONSENSUS_35) and _ws(d35) == _ws(CONSENSUS_35) and mismatches(d35, CONSENSUS_35) >= 3
        assert _ws(d10) == _ws(BROKEN_10) and min(mismatches(d10, CONSENSUS_10), mismatches(d10, BROKEN_10)) >= 3


def test_design_geometry():
    d = PlacementDesign()
    assert d.frames(0) == [25, 85, 145] and d.frames(16)[-1] + 29 + d.flank == d.length
    assert cells("up_placement", 3)[:2] == [(0, 1, 0), (0, 2, 0)] and cells("comp_placement", 3)[:2] == [(0, 1, 1), (0, 2, 2)]
    cv = canvas(np.random.default_rng(1), d, "AAAAAAGCG")
    assert all(p != "AAAAAAGCG" and sorted(p) == sorted(cv.placeholders[0]) for p in cv.placeholders)
    with pytest.raises(ValueError, match="frame_spacing"):
        PlacementDesign(frame_spacing=40)
    assert FAMILIES == ("up_placement", "comp_placement")
