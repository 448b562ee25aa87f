"""Nullsettes builder: records, composition identity, frame check and repair, flanks, IUPAC, subset, CLI.

The toy source folder (tests/nullsettes_toy.py) runs everywhere; tests on the real data skip
when ../shared/data is absent.
"""
import json
from collections import Counter

import pytest

from helpers import shared_path
from mitbench.data.nullsettes.build import (DATASETS, build_cassettes, build_nullsettes, main, read_translocations)
from mitbench.data.core.records import validate_records
from nullsettes_toy import CDS, make_root

CODE = dict(zip([a + b + c for a in "TCAG" for b in "TCAG" for c in "TCAG"],
                "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"))


def _translate(orf: str) -> str:
    return "".join(CODE[orf[i:i + 3]] for i in range(0, len(orf) - 2, 3))


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return make_root(tmp_path_factory.mktemp("ns"))


def _check_records(records, n_cassettes, n_types):
    validate_records(records)
    assert len(records) == n_cassettes * (n_types + 1)
    by_group = {}
    for r in records:
        by_group.setdefault(r.meta["group"], []).append(r)
        assert r.label == r.meta["type"] and r.id == f"{r.meta['group']}_{r.label}"
        assert max(e.end for e in r.elements) == len(r.sequence)
    for group, recs in by_group.items():
        wild = next(r for r in recs if r.label == "nonmutant")
        assert [r.label for r in recs] == ["nonmutant"] + [f"T{k:02d}" for k in range(1, n_types + 1)]
        for r in recs:  # the composition identity
            assert len(r.sequence) == len(wild.sequence) and Counter(r.sequence) == Counter(wild.sequence)
            assert r.label == "nonmutant" or r.sequence != wild.sequence
    return by_group


@pytest.mark.parametrize("dataset", ["kosuri", "lagator", "deboer_pTpA", "zahm"])
def test_toy_build_every_dataset(root, dataset):
    records, report = build_nullsettes(root, dataset)
    n_types = 19 if DATASETS[dataset] == "prokaryotic" else 11
    _check_records(records, 3, n_types)
    assert report.n_types == n_types and report.n_cassettes == 3 and len(report.type_orders) == n_types
    assert report.cds_encoded["nonmutant"] == 1.0


def test_toy_mutant_is_the_parts_in_the_table_order(root):
    records, _ = build_nullsettes(root, "kosuri")
    wild, t01 = records[0], records[1]
    order = read_translocations(root)["prokaryotic"][0][1]
    parts = {n: wild.sequence[e.start:e.end] for e in wild.elements for n in [e.name]}
    linker = parts["linker_between_stopcodon_and_terminator"]
    # junctions: none until the stop codon -> terminator slot (between the 5th and 6th part)
    assert t01.sequence == "".join(parts[p] for p in order[:5]) + linker + parts[order[5]]


def test_lagator_frameshift_is_reported_and_repaired(root):
    _, raw = build_cassettes(root, "lagator", repair_frame=False)
    assert len(raw.frame_defects) == 1 and raw.frame_repairs == []
    msg = raw.frame_defects[0]
    assert msg.startswith("lagator: ORF of 578 bp is not a multiple of 3 (frameshift)")
    assert "3 of 3 nonmutants" in msg and "1-nt deletion in the sfGFP CDS at offset 535" in msg
    cassettes, fixed = build_cassettes(root, "lagator", repair_frame=True)
    assert fixed.frame_defects == raw.frame_defects  # the source defect stays reported
    assert len(fixed.frame_repairs) == 1 and "inserted 'A' at offset 535" in fixed.frame_repairs[0]
    assert cassettes[0][0].part("cds") == CDS


def test_undocumented_frame_defect_refuses_to_repair(root, tmp_path):
    parts = json.loads((root / "nullsettes" / "cassette_parts.json").read_text())
    parts["kosuri"]["cds"] = CDS[:-1]
    other = make_root(tmp_path)
    (other / "nullsettes" / "cassette_parts.json").write_text(json.dumps(parts))
    with pytest.raises(ValueError, match="no documented repair"):
        build_nullsettes(other, "kosuri")
    _, report = build_nullsettes(other, "kosuri", repair_frame=False)
    assert "frameshift" in report.frame_defects[0]


def test_deboer_duplicated_flanks_are_trimmed_once(root):
    cassettes, report = build_cassettes(root, "deboer_pTpA")
    cas, meta = cassettes[0]
    assert (meta["flank_trimmed_5"], meta["flank_trimmed_3"]) == (12, 10)
    assert cas.part("promoter") == "GGGCCCAAATTTGCATCACATC" + "ACGTACGTTATAAAAG" + "GGTTACGGCTGTTTCTTAAT"
    assert "12+10" in report.flank_trims[0]
    kept, report = build_cassettes(root, "deboer_pTpA", trim_flanks=False)
    assert len(kept[0][0].part("promoter")) == len(cas.part("promoter")) + 22 and report.flank_trims == []


def test_zahm_iupac_is_resolved_seeded_and_recorded(root):
    records, report = build_nullsettes(root, "zahm", seed=3)
    wild = records[0]
    resolved = wild.meta["resolved_linker2"]
    assert set(resolved) <= set("ACGT") and resolved[:6] == "TAATCG" and resolved[-5:] == "ACTAG"
    assert resolved[6] in "CGT" and resolved[7] in "AGT" and resolved[8] in "ACT" and resolved[9] in "ACG"
    assert all(r.meta["resolved_linker2"] == resolved for r in records[:12])  # shared by its mutants
    assert resolved in wild.sequence and "linker2" in report.iupac[0]
    again, _ = build_nullsettes(root, "zahm", seed=3)
    assert [r.sequence for r in again] == [r.sequence for r in records]
    other = {r.meta["resolved_linker2"] for r in build_nullsettes(root, "zahm", seed=4)[0]}
    assert other != {r.meta["resolved_linker2"] for r in records}
    assert wild.element("tre").start == 0 and wild.element("minimal_promoter").start == 15


def test_seeded_subset(root):
    a, rep = build_nullsettes(root, "kosuri", n_cassettes=2, seed=1)
    b, _ = build_nullsettes(root, "kosuri", n_cassettes=2, seed=1)
    assert [r.id for r in a] == [r.id for r in b] and rep.n_cassettes == 2 and rep.n_available == 3
    groups = {s: tuple(sorted({r.meta["group"] for r in build_nullsettes(root, "kosuri", n_cassettes=1, seed=s)[0]}))
              for s in range(6)}
    assert len(set(groups.values())) > 1
    with pytest.raises(ValueError, match="n_cassettes must be in 1..3"):
        build_nullsettes(root, "kosuri", n_cassettes=4)


def test_bad_translocation_table_is_named(root, tmp_path):
    other = make_root(tmp_path)
    path = other / "nullsettes" / "translocations.tsv"
    lines = path.read_text().splitlines()
    lines[1] = "prokaryotic\t1\tPromoter - RBS - Start codon - CDS - Stop codon - Terminator"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match="line 2: .* is not a translocation"):
        read_translocations(other)
    with pytest.raises(ValueError, match="unknown nullsettes dataset"):
        build_nullsettes(other, "ecoli")
    with pytest.raises(FileNotFoundError, match="suite.root must hold"):
        build_nullsettes(tmp_path / "missing", "kosuri")


def test_cli_writes_fasta_metadata_and_build_report(root, tmp_path, capsys):
    paths = main(["--dataset", "lagator", "--root", str(root), "--out", str(tmp_path), "--n-cassettes", "2"])
    fasta = paths["fasta"].read_text()
    assert fasta.count(">") == 40 and "class=nonmutant" in fasta and "type=T19" in fasta
    build = json.loads(paths["build"].read_text())
    assert build["frame_repairs"] and build["n_cassettes"] == 2
    assert "40 records" in capsys.readouterr().out


# ------------------------------------------------------------------ real data (../shared/data)

@pytest.mark.shared
@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_real_build_a_few_cassettes_per_dataset(dataset):
    root = shared_path("nullsettes").parent
    records, report = build_nullsettes(root, dataset, n_cassettes=3, seed=0)
    by_group = _check_records(records, 3, 19 if DATASETS[dataset] == "prokaryotic" else 11)
    assert len(report.frame_defects) == (1 if dataset == "lagator" else 0)
    for recs in by_group.values():  # every (repaired) nonmutant reads ATG ... stop in frame
        wild = recs[0]
        a, z = wild.element("start_codon").start, wild.element("stop_codon").end
        protein = _translate(wild.sequence[a:z])
        assert protein.startswith("M") and protein.endswith("*") and protein.count("*") == 1


@pytest.mark.shared
def test_real_lagator_defect_named_and_repaired_to_gfp():
    root = shared_path("nullsettes").parent
    records, raw = build_nullsettes(root, "lagator", n_cassettes=2, repair_frame=False)
    assert "frameshift" in raw.frame_defects[0] and "offset 535" in raw.frame_defects[0]
    assert "CDS offset 666" in raw.frame_defects[0]
    records, fixed = build_nullsettes(root, "lagator", n_cassettes=2)
    wild = records[0]
    protein = _translate(wild.sequence[wild.element("start_codon").start:wild.element("stop_codon").end])
    assert len(protein) == 239 and "VQLADHYQQNTPIG" in protein and protein.endswith("GMDELYK*")


@pytest.mark.shared
def test_real_deboer_and_zahm_source_checks():
    root = shared_path("nullsettes").parent
    _, pt = build_nullsettes(root, "deboer_pTpA", n_cassettes=5)
    _, ab = build_nullsettes(root, "deboer_Abf1TATA", n_cassettes=5)
    assert "17+13" in pt.flank_trims[0] and "16+19" in ab.flank_trims[0]
    records, z = build_nullsettes(root, "zahm", n_cassettes=5)
    assert z.iupac and all(set(r.meta["resolved_linker2"]) <= set("ACGT") for r in records)
    assert len(records[0].meta["resolved_linker2"]) == 89
