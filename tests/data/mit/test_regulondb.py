"""RegulonDB PromoterSet reader: parsing rules on a tiny file, element location, the shared release."""
import numpy as np
import pytest

from helpers import shared_path
from mitbench.data.mit.designed import build_mit
from mitbench.data.mit.natural import from_located, is_intact, pools, realize
from mitbench.data.core.grammar import mismatches
from mitbench.data.mit.regulondb import locate, read_promoter_set

HEADER = "# comment\n# Columns: ...\n"


def _window(m35="TTGACA", spacer="ACGTACGTACGTACGTA", m10="TATAAT", disc="GCCGCCG"):
    """81-nt window with the +1 upper case at index 60; -10 ends len(disc) nt before it."""
    core = m35 + spacer + m10 + disc
    up = "cg" * 40
    left = up[: 60 - len(core)]
    return (left + core).lower() + "A" + "cgtacgtacgtacgtacgtc"


def _row(pid, name, sigma, seq):
    return f"{pid}\t{name}\tforward\t100\t{sigma}\t{seq}\t[evidence]\tStrong\n"


def test_locate_finds_planted_elements():
    w = _window().upper()
    assert len(w) == 81 and w[60] == "A"
    s35, s10 = locate(w)
    assert (s35, s10) == (24, 47) and w[s10:s10 + 6] == "TATAAT" and s10 - s35 - 6 == 17
    # a weak -10 with TGn is preferred over an equally weak one without (galP1-like)
    w2 = _window(m35="CCCCCC", spacer="CGCGCGCGCGCGCGCTG", m10="TATGGT").upper()
    assert locate(w2)[1] == 47


def test_reader_filters_sigma70_and_skips_unusable_rows(tmp_path):
    good = _window()
    text = HEADER + "".join([
        _row("P1", "fooP", "Sigma70", good),
        _row("P2", "barP", "Sigma38, Sigma70", good),
        _row("P3", "bazP", "Sigma32", good),
        _row("P4", "quxP", "Sigma70", ""),  # no sequence
        _row("P5", "nP", "Sigma70", good.replace("cg", "nn", 1)),  # N in window
        _row("P6", "twoP", "Sigma70", good[:10].upper() + good[10:]),  # +1 not unique
    ])
    path = tmp_path / "PromoterSet.txt"
    path.write_text(text)
    got = read_promoter_set(path)
    assert [p.id for p in got] == ["P1", "P2"]
    p = got[0]
    assert (p.minus35, p.minus10, p.spacer, p.mm10, p.mm35, p.ext10) == ("TTGACA", "TATAAT", 17, 0, 0, False)
    path.write_text(HEADER + "P1\tfooP\tforward\n")
    with pytest.raises(ValueError, match="line 3: 3 tab-separated fields"):
        read_promoter_set(path)
    path.write_text(HEADER + _row("P3", "bazP", "Sigma32", good))
    with pytest.raises(ValueError, match="no usable Sigma70"):
        read_promoter_set(path)


def test_realize_keeps_genomic_context_and_aligns_hexamers():
    w = _window(spacer="ACGTACGTACGTACGTAC").upper()  # 18-bp spacer: one middle base dropped
    from mitbench.data.mit.regulondb import LocatedPromoter

    s35, s10 = locate(w)
    p = from_located(LocatedPromoter("X", "xP", w, s35, s10, "Strong"))
    assert p.spacer == 18
    seq, elems, meta = realize(p, np.random.default_rng(0))
    assert seq[30:36] == "TTGACA" and seq[53:59] == "TATAAT"
    assert seq[36:44] == w[s35 + 6:s35 + 14] and seq[44:53] == w[s10 - 9:s10]  # 8 + 9 natural bases
    assert s35 == 23 and seq[7:30] == w[:23]  # all 23 upstream bases, 0..6 seeded background
    assert seq[59:87] == w[s10 + 6:] and len(w) - s10 - 6 == 28  # downstream context; 87..99 background
    assert meta["natural_spacer"] == 18 and meta["up_source"] == "none"


def test_shared_promoter_set_counts_and_hand_checked_examples():
    path = shared_path("regulondb", "PromoterSet.txt")
    got = read_promoter_set(path)
    # release 10.6.3: 1962 rows name Sigma70; 3 have no sequence
    assert len(got) == 1959
    assert sum(p.mm10 <= 1 for p in got) == 761 and sum(is_intact(p.minus10) for p in got) == 733
    sizes = {k: len(v) for k, v in pools([from_located(p) for p in got]).items()}
    assert sizes == {"intact": 733, "weak": 884, "compensated": 342}
    by = {p.name: p for p in got}
    # lacZp1 window: gctcactcattaggcaccccaggc|TTTACA|ctttatgcttccggctcg|TATGTT|gtgtgg|A  (checked by hand)
    lac = by["lacZp1"]
    assert (lac.minus35_start, lac.minus35, lac.spacer) == (24, "TTTACA", 18)
    assert (lac.minus10_start, lac.minus10) == (48, "TATGTT")
    assert lac.mm10 == 2 and not lac.ext10
    # trpLp: tggcaaatattctgaaatgagctg|TTGACA|attaatcatcgaactag|TTAACT|agtacgc|A
    trp = by["trpLp"]
    assert (trp.minus35_start, trp.minus35, trp.spacer, trp.minus10, trp.mm10) == (24, "TTGACA", 17, "TTAACT", 3)
    # galEp1: extended -10 promoter, TGc|TATGGT ending 6 nt before the +1
    gal = by["galEp1"]
    assert (gal.minus10_start, gal.minus10, gal.ext10) == (48, "TATGGT", True)


def test_regulondb_source_builds_the_benchmark():
    path = shared_path("regulondb", "PromoterSet.txt")
    recs = build_mit(42, natural_source="regulondb", regulondb_path=str(path))
    nat = [r for r in recs if r.label in "ABG"]
    assert len(nat) == 250 and all(r.meta["natural_source"] == "regulondb" for r in nat)
    assert len({r.meta["natural_name"] for r in nat}) == 250  # pools are larger than the classes: no reuse
    for r in nat:
        assert r.sequence[30:36] == r.meta["minus35"] and r.sequence[53:59] == r.meta["minus10"]
    assert all(is_intact(r.meta["minus10"]) for r in nat if r.label == "A")
    assert all(r.meta["up"] or r.meta["ext10"] for r in nat if r.label == "G")
    g_ext = [r for r in nat if r.label == "G" and r.meta["ext10"]]
    assert g_ext and all(r.sequence[50:52] == "TG" for r in g_ext)  # natural TGn kept, not written
    curated = build_mit(42)
    assert [r.sequence for r in recs if r.label in "CDEFH"] == [r.sequence for r in curated if r.label in "CDEFH"]
    assert mismatches("TATGGT", "TATAAT") == 2
