"""The pairs layout (one natural + one synthetic FASTA per window, a pairs CSV), written by the test
as the Synthetic Genomes Benchmark's generation pipeline lays it out, read as audit windows; bad
input fails naming the file and the pair."""
import pytest

from mitbench.data.audit.pairs import read_pairs
from mitbench.models.generators.manifest import ManifestGenerator

from pairs_layout import GEN, SEED, write_layout


@pytest.mark.parametrize("columns", ["full", "make_manifest"])
def test_pairs_become_audit_windows_and_continuations(tmp_path, columns):
    ref, manifest, truth = write_layout(tmp_path, columns=columns)
    pairs = read_pairs(manifest, SEED, GEN, ref)
    assert [p.id for p in pairs] == list(truth)
    for p in pairs:
        c, s, nat, syn = truth[p.id]
        w = p.window
        assert (w.contig, w.start, w.id) == (c, s, f"{c}:{s}-{s + SEED + GEN}")
        assert w.seed == nat[:SEED] and w.continuation == nat[SEED:SEED + GEN] and p.generated == syn[SEED:SEED + GEN]
    gen = ManifestGenerator(str(manifest))
    windows = gen.own_windows(ref, SEED, GEN)
    assert [w.contig for w in windows] == ["chrA", "chrA", "chrB"]  # sorted like drawn windows
    out = gen.continuations(windows, GEN, seed=0)
    assert out == [next(p.generated for p in pairs if p.window.id == w.id) for w in windows]
    prov = gen.provenance()
    assert prov["pairs"]["pair_001"] == "chrA:100-600"
    assert prov["settings"] == ({"seed": {"1337": 3}} if columns == "full" else {"seed_len": {"100": 3}})


def test_relative_paths_resolve_under_data_root(tmp_path, monkeypatch):
    ref, manifest, _ = write_layout(tmp_path)
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    manifest.rename(moved / manifest.name)
    monkeypatch.chdir(moved)
    with pytest.raises(FileNotFoundError, match=r"pair 'pair_001': orig file 'Tag/orig.chrA.100.600.fa' not found"):
        read_pairs(moved / manifest.name, SEED, GEN, ref)
    assert len(read_pairs(moved / manifest.name, SEED, GEN, ref, data_root=tmp_path)) == 3


def _edit(path, fn):
    lines = path.read_text().split("\n")
    path.write_text("\n".join(fn(lines)))


def _layout(tmp_path, name, **kw):
    (tmp_path / name).mkdir()
    ref, manifest, _ = write_layout(tmp_path / name, n=2, **kw)
    return ref, manifest, tmp_path / name / "Tag"


def test_missing_file_and_wrong_lengths_name_the_file_and_the_pair(tmp_path):
    ref, manifest, data = _layout(tmp_path, "a")
    (data / "orig.chrB.1000.600.fa").unlink()
    with pytest.raises(FileNotFoundError, match=r"pairs\.Tag\.csv: pair 'pair_002': orig file .* not found"):
        read_pairs(manifest, SEED, GEN, ref)
    ref, manifest, data = _layout(tmp_path, "b")
    with pytest.raises(ValueError, match=r"orig\.chrA\.100\.600\.fa: pair 'pair_001', record 'chrA:101-700': 600 bp, "
                                         r"the audit needs 700 \(audit.seed_len 100 \+ audit.gen_len 600\)"):
        read_pairs(manifest, SEED, 600, ref)
    syn1 = data / "syn_chrA:101-700.fasta"
    full = syn1.read_text()
    _edit(syn1, lambda ls: ls[:6])  # header + 5 lines of 80 bp: a generation that stopped short
    with pytest.raises(ValueError, match=r"syn_chrA:101-700\.fasta: pair 'pair_001', record 'synthetic_1': 400 bp, "
                                         r"the audit needs 500"):
        read_pairs(manifest, SEED, GEN, ref)
    syn1.write_text(full)
    _edit(manifest, lambda ls: [ls[0], ls[1].replace(",600,1337", ",650,1337"), *ls[2:]])
    with pytest.raises(ValueError, match=r"orig\.chrA\.100\.600\.fa: pair 'pair_001': 600 bp, "
                                         r"the manifest's len says 650"):
        read_pairs(manifest, SEED, GEN, ref)
    (data / "extra.fa").write_text(">a\nACGT\n>b\nACGT\n")
    _edit(manifest, lambda ls: [ls[0], ls[1].replace(",650,1337", ",600,1337").replace("Tag/orig.chrA.100.600.fa",
                                                                                      "Tag/extra.fa"), *ls[2:]])
    with pytest.raises(ValueError, match=r"extra\.fa: pair 'pair_001': 2 FASTA records, expected exactly one"):
        read_pairs(manifest, SEED, GEN, ref)


def test_non_acgt_and_a_changed_prompt_name_the_record_and_position(tmp_path):
    ref, manifest, data = _layout(tmp_path, "a")
    syn1 = data / "syn_chrA:101-700.fasta"
    original = syn1.read_text()
    _edit(syn1, lambda ls: [ls[0], ls[1][:20] + "N" + ls[1][21:], *ls[2:]])
    with pytest.raises(ValueError, match=r"syn_chrA:101-700\.fasta: pair 'pair_001', record 'synthetic_1': "
                                         r"character 'N' at position 20 is not A/C/G/T"):
        read_pairs(manifest, SEED, GEN, ref)
    syn1.write_text(original)
    _edit(syn1, lambda ls: [ls[0], ls[1][:20] + ("A" if ls[1][20] != "A" else "C") + ls[1][21:], *ls[2:]])
    with pytest.raises(ValueError, match=r"pair 'pair_001': does not start with the natural prompt .* position 20"):
        read_pairs(manifest, SEED, GEN, ref)
    ref, manifest, data = _layout(tmp_path, "b", columns="make_manifest")
    with pytest.raises(ValueError, match=r"pair 'pair_001': seed_len 100 differs from audit.seed_len 90"):
        read_pairs(manifest, 90, GEN, ref)


def test_windows_must_lie_on_the_reference_and_not_overlap(tmp_path):
    ref, manifest, data = _layout(tmp_path, "a")
    other = tmp_path / "other.fa"
    other.write_text(">chrA\n" + "A" * 5000 + "\n>chrB\n" + "C" * 4000 + "\n")
    with pytest.raises(ValueError, match=r"pair 'pair_001': the natural window differs from .*other\.fa at "
                                         r"chrA:100-600 \(first difference at position 0\)"):
        read_pairs(manifest, SEED, GEN, other)
    (tmp_path / "chrC.fa").write_text(">chrC\nACGT\n")
    with pytest.raises(ValueError, match=r"pair 'pair_001': contig 'chrA' is not in the reference"):
        read_pairs(manifest, SEED, GEN, tmp_path / "chrC.fa")
    _edit(manifest, lambda ls: [ls[0], ls[1], ls[1].replace("pair_001", "pair_009"), *ls[2:]])
    with pytest.raises(ValueError, match=r"pairs 'pair_001' and 'pair_009' overlap on chrA"):
        read_pairs(manifest, SEED, GEN, ref)
    ref, manifest, data = _layout(tmp_path, "b", columns="make_manifest")
    _edit(data / "orig.chrB.1000.600.fa", lambda ls: [">somewhere", *ls[1:]])
    with pytest.raises(ValueError, match=r"orig\.chrB\.1000\.600\.fa: pair 'pair_002': cannot place the window on "
                                         r"the reference: no contig/start columns and the header 'somewhere'"):
        read_pairs(manifest, SEED, GEN, ref)
