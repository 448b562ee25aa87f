"""Curated natural promoter table: validity, categories, placement, agreement with RegulonDB windows."""
import csv
from importlib import resources

import numpy as np
import pytest

from helpers import shared_path
from mitbench.data.mit.natural import draw, fit_spacer, is_intact, load_curated, pools, realize
from mitbench.data.core.grammar import mismatches
from mitbench.data.mit.regulondb import iter_rows


def _rows():
    text = resources.files("mitbench").joinpath("resources", "natural_promoters.csv").read_text()
    return list(csv.DictReader(text.splitlines()))


def test_table_loads_with_honest_categories():
    table = load_curated()
    assert len(table) == 20 and len({p.name for p in table}) == 20
    assert all(p.citation for p in table)
    sizes = {k: len(v) for k, v in pools(table).items()}
    assert sizes == {"intact": 9, "weak": 7, "compensated": 4}
    for p in table:
        mm = mismatches(p.minus10, "TATAAT")
        if p.category == "intact":
            assert mm <= 1 and p.minus10[1] == "A"
        else:
            assert mm >= 2 or p.minus10[1] != "A"
        assert (p.category == "compensated") == (not is_intact(p.minus10) and (p.up or p.ext10))
    assert {"tac", "Ptac"}.isdisjoint(p.name for p in table)  # synthetic hybrids are excluded


def test_is_intact_requires_the_minus11_a():
    assert is_intact("TATAAT") and is_intact("GATAAT") and is_intact("TATGAT")
    assert not is_intact("TGTAAT")  # the benchmark's broken -10: one mismatch, at -11
    assert not is_intact("TATGTT")


def test_bad_table_rows_are_named(tmp_path):
    header = ",".join(_rows()[0].keys())
    path = tmp_path / "t.csv"
    path.write_text(header + "\nfoo,g,E. coli,TTGACA,17,TATNAT,0,0,,cite,\n")
    with pytest.raises(ValueError, match=r"t.csv, line 2 \(foo\): minus10 'TATNAT'"):
        load_curated(path)
    path.write_text(header + "\nfoo,g,E. coli,TTGACA,22,TATAAT,0,0,,cite,\n")
    with pytest.raises(ValueError, match="spacer '22' not in 15-19"):
        load_curated(path)
    path.write_text(header + "\nfoo,g,E. coli,TTGACA,17,TATAAT,yes,0,,cite,\n")
    with pytest.raises(ValueError, match="up must be 0 or 1"):
        load_curated(path)


def test_realize_curated_places_consensus_up_and_tg():
    rrnb = next(p for p in load_curated() if p.name == "rrnB_P1")
    gal = next(p for p in load_curated() if p.name == "galP1")
    seq, elems, meta = realize(rrnb, np.random.default_rng(3))
    assert seq[30:36] == "TTGTCT" and seq[53:59] == "TATAAT" and seq[15:21] == "AAAAAA"
    assert [e.name for e in elems] == ["up", "minus35", "minus10"] and meta["up_source"] == "consensus"
    seq, elems, meta = realize(gal, np.random.default_rng(3))
    assert seq[50:52] == "TG" and seq[53:59] == "TATGGT" and [e.name for e in elems] == ["minus35", "ext10", "minus10"]


def test_fit_spacer_and_draw_are_balanced():
    assert fit_spacer("AAAAAAAATTTTTTTTTCC", "N" * 17) == "AAAAAAAA" + "TTTTTTTCC"
    assert fit_spacer("AAAAAAATTTTTTTT", "N" * 17) == "AAAAAAA" + "NN" + "TTTTTTTT"
    pool = load_curated()[:3]
    got = draw(pool, 10, np.random.default_rng(0))
    counts = {p.name: sum(q.name == p.name for q, _ in got) for p in pool}
    assert sorted(counts.values()) == [3, 3, 4]
    assert [c for _, c in got][:3] == [0, 0, 0] and max(c for _, c in got) == 3


def test_curated_hexamers_agree_with_regulondb_windows():
    """Each E. coli entry that names a RegulonDB promoter must occur in that 81-nt window with the
    stated spacer, the -10 ending 4-9 nt before the +1, and the stated extended -10 flag."""
    path = shared_path("regulondb", "PromoterSet.txt")
    windows = {f[1]: f[5].upper() for _, f in iter_rows(path)}
    checked = 0
    for row in _rows():
        if not row["regulondb_name"]:
            continue
        w = windows[row["regulondb_name"]]
        sp = int(row["spacer"])
        hits = [i for i in range(len(w) - 12 - sp)
                if w[i:i + 6] == row["minus35"] and w[i + 6 + sp:i + 12 + sp] == row["minus10"]
                and 4 <= 60 - (i + 12 + sp) <= 9]
        assert len(hits) == 1, row["name"]
        s10 = hits[0] + 6 + sp
        assert (w[s10 - 3:s10 - 1] == "TG") == (row["ext10"] == "1"), row["name"]
        checked += 1
    assert checked == 11
