"""MIT generator: counts, layout, matched design (C/D/E share backgrounds, H = E swapped), determinism."""
import hashlib
import os
import subprocess
import sys
from collections import Counter

import pytest

from helpers import ROOT
from mitbench.data.core.grammar import BROKEN_10, CONSENSUS_10, CONSENSUS_35, EXT10
from mitbench.data.core.io import read_fasta, records_from_json, records_to_json
from mitbench.data.mit.designed import COUNTS, STRONG_35, build_mit, main
from mitbench.data.core.records import validate_records

DESIGNED = set(range(15, 24)) | set(range(30, 36)) | set(range(50, 59))  # UP, -35, ext -10 + -10


@pytest.fixture(scope="module")
def recs():
    return build_mit(seed=42, controls=False)  # the 650 paper-style records; controls: test_controls.py


@pytest.fixture(scope="module")
def by_id(recs):
    return {r.id: r for r in recs}


def _sha(paths):
    return {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items()}


def test_counts_ids_lengths_alphabet(recs):
    assert len(recs) == 650
    assert Counter(r.label for r in recs) == COUNTS
    assert [r.id for r in recs if r.label == "H"] == [f"H_{i:03d}" for i in range(50)]
    assert recs[0].id == "A_000" and recs[-1].id == "H_049"
    assert all(len(r.sequence) == 100 and set(r.sequence) <= set("ACGT") for r in recs)
    assert len({r.sequence for r in recs}) == 650
    validate_records(recs)


def test_group_and_elements_match_the_layout(recs):
    for r in recs:
        i = int(r.id[2:])
        assert r.meta["group"] == f"{i:03d}"
        m35, m10 = r.element("minus35"), r.element("minus10")
        assert (m35.start, m35.end, m10.start, m10.end) == (30, 36, 53, 59)
        assert r.sequence[30:36] == r.meta["minus35"] and r.sequence[53:59] == r.meta["minus10"]
        assert (r.element("up") is not None) == bool(r.meta["up"])
        assert (r.element("ext10") is not None) == bool(r.meta["ext10"])
        ext = r.element("ext10")
        if ext is not None:
            assert (ext.start, ext.end) == (50, 53) and r.sequence[50:52] == "TG"


def test_synthetic_motifs(by_id):
    for i in range(100):
        c, d, e = (by_id[f"{x}_{i:03d}"].sequence for x in "CDE")
        assert (c[30:36], c[53:59]) == (CONSENSUS_35, CONSENSUS_10)
        assert (d[30:36], d[53:59]) == (CONSENSUS_35, BROKEN_10)
        assert (e[50:53], e[53:59]) == (EXT10, BROKEN_10)
        assert e[15:24] == by_id[f"E_{i:03d}"].meta["up_element"] and e[15:21] == "AAAAAA"
        assert e[21] in "AG" and e[23] in "AG"


def test_c_d_e_share_background_outside_designed_elements(by_id):
    for i in range(100):
        c, d, e = (by_id[f"{x}_{i:03d}"].sequence for x in "CDE")
        diff_cd = {k for k in range(100) if c[k] != d[k]}
        diff_de = {k for k in range(100) if d[k] != e[k]}
        assert diff_cd == {54}  # TATAAT -> TGTAAT, nothing else
        assert diff_de <= DESIGNED and diff_de <= set(range(15, 24)) | set(range(50, 53))
        assert all(c[k] == d[k] == e[k] for k in range(100) if k not in DESIGNED)


def test_h_is_e_with_segments_swapped(by_id):
    for i in range(50):
        e, h = by_id[f"E_{i:03d}"], by_id[f"H_{i:03d}"]
        assert sorted(h.sequence) == sorted(e.sequence)
        assert h.sequence[15:24] == e.sequence[40:49] and h.sequence[40:49] == e.sequence[15:24]
        outside = [k for k in range(100) if not (15 <= k < 24 or 40 <= k < 49)]
        assert all(h.sequence[k] == e.sequence[k] for k in outside)
        assert h.meta["group"] == e.meta["group"] and h.meta["compensated_pair"] == e.id
        assert e.meta["scrambled_pair"] == h.id
        assert h.element("up").start == 40 and h.sequence[40:46] == "AAAAAA"
    assert sum(by_id[f"H_{i:03d}"].sequence != by_id[f"E_{i:03d}"].sequence for i in range(50)) == 50


def test_f_adds_elements_to_its_e_partner(by_id):
    seen = Counter()
    for i in range(50):
        e, f = by_id[f"E_{i:03d}"].sequence, by_id[f"F_{i:03d}"]
        assert f.meta["compensated_pair"] == f"E_{i:03d}" and f.meta["minus35"] in STRONG_35
        seen[f.meta["minus35"]] += 1
        assert f.sequence[4:15] == f.meta["distal_up"] and f.element("distal_up").start == 4
        assert all(f.sequence[k] == e[k] for k in range(100) if not (4 <= k < 15 or 30 <= k < 36))
    assert set(seen) == set(STRONG_35)


def test_pair_ids_point_to_partners_in_same_group(by_id):
    n = 0
    for r in by_id.values():
        for key in ("broken_pair", "compensated_pair", "intact_pair", "scrambled_pair", "overcompensated_pair"):
            if key in r.meta:
                assert by_id[r.meta[key]].meta["group"] == r.meta["group"]
                n += 1
    assert n == 100 * 2 + 100 * 2 + 100 * 2 + 50 * 2 + 50 * 2 + 50 * 2  # C, D, E(+H,F), F, H


def test_natural_classes_use_curated_categories(recs):
    cls = {r.id: r for r in recs if r.label in "ABG"}
    assert all(r.meta["natural_source"] == "curated" for r in cls.values())
    assert all(r.meta["mm10"] <= 1 and r.sequence[54] == "A" for r in cls.values() if r.label == "A")
    b = [r for r in cls.values() if r.label == "B"]
    assert all(not r.meta["up"] and not r.meta["ext10"] for r in b)
    assert all(r.meta["up"] or r.meta["ext10"] for r in cls.values() if r.label == "G")
    names = Counter(r.meta["natural_name"] for r in b)
    assert max(names.values()) - min(names.values()) <= 1  # even cycling over the weak pool


def test_same_seed_identical_files_different_seed_differs(tmp_path):
    a = _sha(main(["--out", str(tmp_path / "a"), "--seed", "42"]))
    b = _sha(main(["--out", str(tmp_path / "b"), "--seed", "42"]))
    c = _sha(main(["--out", str(tmp_path / "c"), "--seed", "7"]))
    assert a == b
    assert all(a[k] != c[k] for k in a)
    back = read_fasta(tmp_path / "a" / "mit.fasta")
    assert [r.sequence for r in back] == [r.sequence for r in build_mit(42)]
    assert back[0].meta["group"] == "000"


def test_bytes_do_not_depend_on_python_hash_seed(tmp_path):
    digests = []
    for hs in ("1", "2"):
        out = tmp_path / hs
        env = {**os.environ, "PYTHONHASHSEED": hs}
        subprocess.run([sys.executable, "-m", "mitbench.data.mit.designed", "--out", str(out)], check=True, env=env,
                       cwd=ROOT, capture_output=True, timeout=60)
        digests.append(_sha({k: out / f"mit.{k}" for k in ("fasta", "metadata.csv", "json")}))
    assert digests[0] == digests[1]


def test_json_roundtrip_keeps_elements_and_meta(recs):
    back = records_from_json(records_to_json(recs))
    assert back == recs


def test_g_is_compensated_by_up_and_extended_minus10(recs):
    """Like the paper's G: a weak natural -10 with an UP element and a TGn extended -10 (added where the
    natural promoter has none); classes other than G do not depend on G's construction."""
    g = [r for r in recs if r.label == "G"]
    assert len(g) == 50 and all(r.meta["up"] and r.meta["ext10"] for r in g)
    for r in g:
        assert r.element("up") is not None and r.element("ext10") is not None and r.sequence[50:52] == "TG"
        if r.meta["up_source"] == "added":
            assert r.sequence[15:21] == "AAAAAA" and r.sequence[21] in "AG" and r.sequence[23] in "AG"
    assert Counter(r.meta["up_source"] for r in g)["added"] == 50  # the curated compensated pool has no UP
