"""Cassette parts: splitting into parts/junctions, fixed-junction translocation, frame check, repairs."""
import pytest

from mitbench.data.nullsettes.cassettes import (EUKARYOTIC, PROKARYOTIC, Repair, encodes_cds, frame_defect, orf_of, repair,
                                     split_segments, translocate)

SEGS = [("promoter", "TTGACA"), ("link1", "CC"), ("rbs", "AGGAGG"), ("start_codon", "ATG"), ("cds", "GCTGCT"),
        ("stop_codon", "TAA"), ("linker", "GGGG"), ("terminator", "TTTTT")]


def _cassette(segs=SEGS, kingdom="prokaryotic"):
    return split_segments("g1", kingdom, segs)


def test_split_groups_parts_and_junctions():
    c = _cassette()
    assert c.order == PROKARYOTIC
    assert c.part("promoter") == "TTGACA" and c.part("cds") == "GCTGCT"
    assert [c.junction(k) for k in range(5)] == ["CC", "", "", "", "GGGG"]


def test_nonmutant_order_rebuilds_the_source_and_annotates_every_segment():
    seq, els = translocate(_cassette(), PROKARYOTIC)
    assert seq == "".join(s for _, s in SEGS)
    spans = {e.name: (e.start, e.end) for e in els}
    assert spans["link1"] == (6, 8) and spans["rbs"] == (8, 14) and spans["terminator"] == (len(seq) - 5, len(seq))
    for name, s in SEGS:
        a, b = spans[name]
        assert seq[a:b] == s


def test_translocation_moves_parts_and_keeps_junctions_in_place():
    order = ("cds", "promoter", "rbs", "start_codon", "stop_codon", "terminator")
    seq, els = translocate(_cassette(), order)
    # junction k stays after the k-th part: CDS + CC + promoter + RBS + ATG + TAA + GGGG + T
    assert seq == "GCTGCT" + "CC" + "TTGACA" + "AGGAGG" + "ATG" + "TAA" + "GGGG" + "TTTTT"
    wild, _ = translocate(_cassette(), PROKARYOTIC)
    assert sorted(seq) == sorted(wild) and len(seq) == len(wild)
    assert {e.name: e.start for e in els}["cds"] == 0


def test_multi_segment_parts_get_whole_and_piece_elements():
    segs = [("distal_promoter", "AAAA"), ("promoter_library", "CCCC"), ("proximal_promoter", "GG"),
            ("kozak_part1", "GCCACC"), ("start_codon", "ATG"), ("kozak+4", "T"), ("cds", "CTGCT"),
            ("stop_codon", "TAA"), ("terminator1", "CC"), ("terminator_conservative", "AATAAA")]
    c = _cassette(segs, "eukaryotic")
    assert c.order == EUKARYOTIC and c.part("cds") == "TCTGCT"  # the Kozak +4 base is the CDS's first base
    seq, els = translocate(c, EUKARYOTIC)
    names = [e.name for e in els]
    assert {"promoter", "distal_promoter", "promoter_library", "terminator", "terminator_conservative",
            "kozak+4"} <= set(names)
    assert {e.name: (e.start, e.end) for e in els}["promoter"] == (0, 10)


@pytest.mark.parametrize("segs, match", [
    (SEGS[1:], "before the first part"),
    ([SEGS[2], *SEGS[:2], *SEGS[3:]], "where 'promoter' was expected"),
    (SEGS[:5] + [("linker_x", "AA"), ("cds", "GCT")] + SEGS[5:], "split by junction"),
    (SEGS + [("tail", "AA")], "follows the last part"),
    (SEGS[:-1], "expected"),
])
def test_split_rejects_malformed_cassettes(segs, match):
    with pytest.raises(ValueError, match=match):
        _cassette(segs)


def test_translocate_rejects_non_permutations():
    with pytest.raises(ValueError, match="not a permutation"):
        translocate(_cassette(), ("promoter", "rbs"))


def test_frame_check_accepts_an_intact_orf_and_names_defects():
    assert frame_defect(_cassette()) is None
    assert orf_of(_cassette()) == ("ATGGCTGCTTAA", 3)
    shifted = [(k, "GCTGC" if k == "cds" else s) for k, s in SEGS]
    msg = frame_defect(_cassette(shifted))
    assert "11 bp is not a multiple of 3 (frameshift)" in msg
    early = [(k, "GCTTGAGCT" if k == "cds" else s) for k, s in SEGS]
    msg = frame_defect(_cassette(early))
    assert "in-frame stop TGA at ORF offset 6 (CDS offset 3), 6 bp before the annotated stop" in msg
    bad_start = [(k, "CTG" if k == "start_codon" else s) for k, s in SEGS]
    assert "start codon is 'CTG'" in frame_defect(_cassette(bad_start))


def test_repair_checks_its_context_before_inserting(monkeypatch):
    fix = Repair("d", "cds", 3, "A", "GCT", "CC", "toy deletion", "toy")
    monkeypatch.setattr("mitbench.data.nullsettes.cassettes.KNOWN_REPAIRS", (fix,))
    out, used = repair("d", [("cds", "GCTCCT")])
    assert out == [("cds", "GCTACCT")] and used == [fix]
    assert repair("other", [("cds", "GCTCCT")]) == ([("cds", "GCTCCT")], [])
    with pytest.raises(ValueError, match="expected GCT|CC at offset 3"):
        repair("d", [("cds", "GGGCCT")])


def test_encodes_cds_finds_an_in_frame_upstream_atg():
    cds = "GCTGCTGCT"
    assert encodes_cds("ATG" + cds + "TAA", (3, 12))
    assert encodes_cds("ATGCCC" + cds, (6, 15))  # extended N-terminus
    assert not encodes_cds("ATGTAA" + cds, (6, 15))  # stop between ATG and CDS
    assert not encodes_cds("ATGC" + cds, (4, 13))  # ATG out of frame
    assert not encodes_cds("ATG" + "GCTTAAGCT", (3, 12))  # stop inside the CDS
