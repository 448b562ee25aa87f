"""Ambiguous and oversized inputs: a JSON key or FASTA header key given twice, a decompression bomb,
manifests with a byte-order mark or compression. Each must parse exactly or stop naming the file."""
from __future__ import annotations

import bz2
import gzip
import json
import lzma

import pytest

from mitbench.data.mit.external import read_external
from mitbench.data.audit.generated import read_manifest
from mitbench.data.core.io import read_fasta
from mitbench.data.nullsettes.sources import read_parts
from mitbench.data.mit.probe_scores import read_score_cells
from mitbench.data.core import textio
from mitbench.data.core.textio import InputError, read_json, read_table
from mitbench.models.precomputed import load_score_file

ITEM = '{"id": "s%d", "sequence": "ACGT", "class_label": "%s"}'


@pytest.mark.parametrize("name,text,reader,key", [
    ("scores.json", '{"s1": 1.0, "s2": 2.0, "s1": 3.0}', load_score_file, "s1"),
    ("scores.json", '{"D": [1.0], "E": [2.0], "D": [0.5]}', load_score_file, "D"),
    ("probe.json", '{"up": {"g1": 1.0, "g1": 2.0}}', read_score_cells, "g1"),
    ("seqs.json", "[" + ITEM % (0, "D") + ', {"id": "s1", "sequence": "ACGT", "class_label": "D", '
     '"class_label": "E"}]', read_external, "class_label"),
    ("nullsettes/cassette_parts.json", '{"d1": {"Promoter": "p1", "Promoter": "p2"}}', None, "Promoter"),
])
def test_a_json_key_given_twice_is_refused_naming_file_and_key(tmp_path, name, text, reader, key):
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    with pytest.raises(InputError, match=rf"{path.name}: key '{key}' occurs twice"):
        (reader or (lambda p: read_parts(tmp_path)))(path)


def test_the_record_holding_a_duplicate_key_is_named(tmp_path):
    path = tmp_path / "seqs.json"
    path.write_text('[{"id": "s7", "sequence": "ACGT", "class_label": "D", "gc": 1, "gc": 2}]')
    with pytest.raises(InputError, match=r"key 'gc' occurs twice in the object of id 's7'"):
        read_external(path)


@pytest.mark.parametrize("header,key", [("s2 class=D class=E", "class"), ("s2 class=D group=1 group=2", "group")])
def test_a_fasta_header_key_given_twice_is_refused(tmp_path, header, key):
    path = tmp_path / "in.fa"
    path.write_text(f">s1 class=D\nACGT\n>{header}\nACGT\n")
    with pytest.raises(InputError, match=rf"in.fa, record #1: record 's2': header key '{key}' occurs twice"):
        read_fasta(path)


def _bomb(path, content: bytes, compress) -> None:
    path.write_bytes(compress(content))


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
def test_a_decompression_bomb_stops_at_the_limit(tmp_path, monkeypatch, compress):
    monkeypatch.setenv("MITBENCH_MAX_INPUT_BYTES", "256K")
    table, fasta, js = tmp_path / "t.csv", tmp_path / "b.fa", tmp_path / "b.json"
    _bomb(table, b"id,score\n" + b"s,1\n" * (1 << 17), compress)  # 512 KiB of rows from a few kB
    _bomb(fasta, b">s class=D\n" + b"A" * (1 << 20) + b"\n", compress)  # one 1-Mb record
    _bomb(js, b'{"s": "' + b"A" * (1 << 20) + b'"}', compress)
    for path, read in ((table, lambda p: read_table(p, ",", ["id"])), (fasta, read_fasta), (js, read_json)):
        assert path.stat().st_size < 20_000
        with pytest.raises(InputError, match=rf"{path.name}: more than 262,144 bytes after .* decompression"):
            read(path)
    monkeypatch.setenv("MITBENCH_MAX_INPUT_BYTES", "1M")  # a genuinely larger file is read whole
    assert len(read_table(table, ",", ["id"])[1]) == 1 << 17


def test_the_limit_also_bounds_plain_files_and_a_bad_setting_is_named(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"s": "A" * 5000}))
    monkeypatch.setenv("MITBENCH_MAX_INPUT_BYTES", "4096")
    with pytest.raises(InputError, match=r"big.json: more than 4,096 bytes; no reader"):
        read_json(path)
    monkeypatch.setenv("MITBENCH_MAX_INPUT_BYTES", "1M")
    assert textio.max_input_bytes() == 1 << 20
    monkeypatch.setenv("MITBENCH_MAX_INPUT_BYTES", "lots")
    with pytest.raises(ValueError, match="MITBENCH_MAX_INPUT_BYTES='lots' is not a size"):
        textio.max_input_bytes()


MANIFEST = "id\tsource_window\tseed_len\ng1\tc:0-12\t4\n"


@pytest.mark.parametrize("name,data", [
    ("manifest.tsv", MANIFEST.encode("utf-8-sig")),  # Excel / Windows editors write a BOM
    ("manifest.tsv.gz", gzip.compress(MANIFEST.encode())),
    ("manifest.csv.gz", gzip.compress(MANIFEST.replace("\t", ",").encode())),
])
def test_manifests_read_like_every_other_table(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert read_manifest(path) == [{"id": "g1", "source_window": "c:0-12", "seed_len": "4"}]


def test_a_damaged_manifest_names_the_file_and_line(tmp_path):
    path = tmp_path / "manifest.tsv"
    path.write_bytes(MANIFEST.encode() + b"g2\t\xff\xfe\t4\n")
    with pytest.raises(InputError, match=r"manifest.tsv, line 3: bytes that are not UTF-8"):
        read_manifest(path)
