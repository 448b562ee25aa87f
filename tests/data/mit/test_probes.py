"""Probe generators: determinism and hand-checkable constructions."""
import pytest

from mitbench.data.core.grammar import BROKEN_10, CONSENSUS_10, CONSENSUS_35, EXT10
from mitbench.data.mit.probes import (at_titration_records, background_records, length_records, motif_records,
                                  spacing_records, strand_records, up_sweep_records, upcomp_records)
from mitbench.data.core.grammar import move_window
from mitbench.data.mit.probes.common import overlaps
from mitbench.data.core.records import reverse_complement

SMALL = {  # kind: (probe name, seed -> records)
    "at": ("at_titration", lambda seed: at_titration_records(seed, [0.3, 0.55, 0.8], 4)),
    "up": ("up_sweep", lambda seed: up_sweep_records(seed, [0, 10, 20, 25, 45, 60, 80], True, 4, 0.55)),
    "sp": ("spacing", lambda seed: spacing_records(seed, list(range(12, 26)), 4, 0.55)),
    "st": ("strand", lambda seed: strand_records(seed, 4, 0.55)),
    "len": ("abl_length", lambda seed: length_records(seed, [50, 100, 150, 200], 3, 0.55)),
    "bg": ("abl_background", lambda seed: background_records(seed, [0.4, 0.7], 3)),
    "mot": ("abl_motif", lambda seed: motif_records(seed, 3, 0.55, "TTTACA", "TATGTT")),
    "upc": ("abl_upcomp", lambda seed: upcomp_records(seed, 3, 0.55)),
}


def build(kind, seed=0):
    return SMALL[kind][1](seed)


def by_group(records, key):
    out = {}
    for r in records:
        out.setdefault(r.meta["group"], {})[r.meta[key]] = r
    return out


@pytest.mark.parametrize("kind", sorted(SMALL))
def test_same_seed_same_records_other_seed_differs(kind):
    a, b, c = build(kind, 7), build(kind, 7), build(kind, 8)
    assert a == b
    assert [r.id for r in a] == [r.id for r in c] and [r.sequence for r in a] != [r.sequence for r in c]
    assert all(r.meta["probe"] == SMALL[kind][0] for r in a)


def test_move_window_golden():
    assert move_window("0123456789", 2, 6, 2) == "0167452389"  # disjoint: exchange
    assert move_window("0123456789", 2, 3, 2) == "0142356789"  # overlap: rotate union 2..4
    assert move_window("0123456789", 5, 1, 3) == "0567412389"  # 4 stays between
    assert overlaps(25, 34) == "minus35" and overlaps(45, 54) == "ext10+minus10" and overlaps(60, 69) == "none"


def test_at_titration_exact_at_and_shared_flanks():
    recs = build("at")
    assert len(recs) == 3 * 4 * 3
    for r in recs:
        assert abs(r.meta["at_fraction"] - r.meta["at_target"]) <= 1 / len(r.sequence)
        assert sum(c in "AT" for c in r.sequence) == round(100 * r.meta["at_target"])
        assert r.sequence[30:36] == CONSENSUS_35
    for group in by_group(recs, "variant").values():
        i, b, c = group["intact"].sequence, group["broken"].sequence, group["compensated"].sequence
        assert i[53:59] == CONSENSUS_10 and b[53:59] == BROKEN_10 and c[53:59] == BROKEN_10
        assert c[50:53] == EXT10 and c[15:21] == "AAAAAA"
        outside = [k for k in range(100) if not (15 <= k < 24 or 50 <= k < 59)]
        assert [i[k] for k in outside] == [b[k] for k in outside] == [c[k] for k in outside]
    assert recs[0].id == "at30_intact_000" and recs[-1].id == "at80_compensated_003"


def test_at_titration_rejects_unreachable_level():
    with pytest.raises(ValueError, match="AT level 0.05"):
        at_titration_records(0, [0.05], 1)


def test_up_sweep_positions_and_identical_composition():
    recs = build("up")
    assert len(recs) == 4 * (8 + 1)  # 15 added to the 7 positions, plus none
    for group in by_group(recs, "condition").values():
        correct = group["p15"].sequence
        up = correct[15:24]
        for cond, r in group.items():
            if cond == "none":
                assert r.meta["up_position"] is None
                continue
            p = r.meta["up_position"]
            assert r.sequence[p:p + 9] == up and sorted(r.sequence) == sorted(correct)
            if r.meta["overlaps"] == "none":
                assert r.sequence[30:36] == CONSENSUS_35 and r.sequence[50:59] == EXT10 + BROKEN_10
        assert group["p25"].meta["overlaps"] == "minus35" and group["p45"].meta["overlaps"] == "ext10+minus10"
        # none is the correct construct without the UP: same bases outside 15..23
        assert group["none"].sequence[:15] + group["none"].sequence[24:] == correct[:15] + correct[24:]


def test_spacing_really_s_and_same_bases():
    recs = build("sp")
    for group in by_group(recs, "spacing").values():
        ref = sorted(group[17].sequence)
        for s, r in group.items():
            assert r.sequence[30:36] == CONSENSUS_35 and r.sequence[36 + s:42 + s] == CONSENSUS_10
            assert r.element("minus10").start - r.element("minus35").end == s
            assert sorted(r.sequence) == ref


def test_strand_constructions():
    recs = build("st")
    for g in by_group(recs, "condition").values():
        fwd, rip = g["forward"].sequence, g["rc_in_place"].sequence
        assert g["full_rc"].sequence == reverse_complement(fwd)
        assert rip[30:36] == "TGTCAA" and rip[53:59] == "ATTATA"
        assert fwd[:30] + fwd[36:53] + fwd[59:] == rip[:30] + rip[36:53] + rip[59:]
        scr = g["scrambled"].sequence
        assert sorted(scr[30:36]) == sorted(CONSENSUS_35) and scr[30:36] not in (CONSENSUS_35, "TGTCAA")
        assert sorted(scr[53:59]) == sorted(CONSENSUS_10) and scr[53:59] != CONSENSUS_10
        e = g["full_rc"].element("minus10")
        assert reverse_complement(g["full_rc"].sequence[e.start:e.end]) == CONSENSUS_10


def test_ablation_constructions():
    for r in build("len"):
        n = len(r.sequence)
        assert n == r.meta["length_bp"] and r.sequence[round(0.3 * n):round(0.3 * n) + 6] == CONSENSUS_35
    mot = by_group(build("mot"), "variant")
    assert all(r.sequence[30:36] == "TTTACA" and r.sequence[53:59] == "TATGTT"
               for r in build("mot") if r.meta["level"] == "w35_w10")
    assert len(mot) == 3
    for recs in (build("len"), build("mot")):  # each level's scrambled control: UP + ext -10 shuffled in place
        cells = {}
        for r in recs:
            cells.setdefault((r.meta["level"], r.meta["group"]), {})[r.meta["variant"]] = r
        assert all("scrambled" in g for g in cells.values())
        for g in cells.values():
            comp, scr = g["compensated"].sequence, g["scrambled"].sequence
            up, ext = (next((e.start, e.end) for e in g["compensated"].elements if e.name == n) for n in ("up", "ext10"))
            assert sorted(scr[slice(*up)]) == sorted(comp[slice(*up)]) and sorted(scr[slice(*ext)]) == sorted("TGT")
            assert scr[slice(*ext)] != "TGT" and scr[:up[0]] + scr[up[1]:ext[0]] + scr[ext[1]:] == comp[:up[0]] + comp[up[1]:ext[0]] + comp[ext[1]:]
    for g in by_group(build("upc"), "variant").values():
        up = g["consensus"].sequence[15:24]
        assert g["reverse_complement"].sequence[15:24] == reverse_complement(up)
        assert set(g["at_random"].sequence[15:24]) <= set("AT")
        assert sorted(g["scrambled"].sequence[15:24]) == sorted(up)
