"""Every reader fuzzed (hypothesis): random bytes, truncations, inserted bytes, bit flips, other
encodings, compression (intact and cut) and, for JSON, wrongly typed fields. The only outcomes
allowed: a parse, or the project's ``InputError`` naming the file. Compressed intact copies parse
exactly like the plain file. The default run tries ``FAST`` examples per reader; ``-m slow`` 20x more."""
from __future__ import annotations

import bz2
import gzip
import json
import lzma
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from mitbench.data.mit.external import read_external
from mitbench.data.core.genome import read_genome
from mitbench.data.core.io import read_fasta
from mitbench.data.fit.lagator import Lagator2022
from mitbench.data.mit.natural import load_curated
from mitbench.data.mit.regulondb import read_promoter_set
from mitbench.data.core.textio import InputError
from mitbench.data.fit.urtecho import EXPRESSION, LIBRARY, SPACERS, read_urtecho
from mitbench.models.precomputed import load_score_file

FAST, SLOW = 40, 800
SEQ = "TCCGACGGGGAGTATATACTC" + "ACGT" * 44 + "A"  # the Urtecho sense flank + 177 bp
FASTA = "".join(f">s{i} class={'DE'[i % 2]} group={i // 2}\n{'ACGT' * 12}\nacgtac\n" for i in range(6))
CLASS_JSON = json.dumps([{"id": f"s{i}", "sequence": "ACGT" * 5, "class_label": "DE"[i % 2],
                          "metadata": {"gc": 0.5, "note": "x"}} for i in range(6)], indent=1)
SCORES_JSON = json.dumps({f"s{i}": -1.25 * i for i in range(6)})
SCORES_CSV = "id,score\n" + "".join(f"s{i},{-1.25 * i}\n" for i in range(6))
LAGATOR = "sequence,Median,Mode,Mean,Std,Coverage\n" + "".join(f"{'acgt' * 30},1.0,1,{i}.5,0.3,100\n" for i in range(6))
REGULONDB = "# comment\n" + "".join(
    f"P{i}\tp{i}P\tforward\t{100 + i}\tSigma70\t{'acgt' * 15}Aacgtacgtacgtacgtacgt\tevidence\tStrong\n" for i in range(4))
CURATED = ("name,gene,organism,minus35,spacer,minus10,up,ext10,regulondb_name,citation,note\n"
           "lacP1,lacZ,E. coli,TTTACA,18,TATGTT,0,0,,Ref,\nrrnB,rrnB,E. coli,TTGTCT,16,TATAAT,1,0,,Ref,\n")
EXPR = ("name RNA_exp_rep1.1 RNA_exp_rep1.2 RNA_exp_rep2 RNA_exp_rep3 RNA_exp_average DNA_sum\n"
        + "".join(f"noUP_consensus35_sp_consensus10_bg{i}:151 0.5 0.5 0.5 0.5 0.5 10\n" for i in range(4)))
LIB = "".join(f">noUP_consensus35_sp_consensus10_bg{i}:151\t{SEQ}\n" for i in range(4))
SPACERS_TXT = f"Spacer\tSequence\nsp\t{SEQ[115:132]}\n"  # the spacer where the reader expects it


def _flip(data: bytes, at: int, mask: int) -> bytes:
    return data[:at] + bytes([data[at] ^ mask]) + data[at + 1:] if data else data


def damaged(good: str) -> st.SearchStrategy[bytes]:
    """Bytes of a damaged copy of ``good`` (see the module docstring)."""
    raw = good.encode()
    n = len(raw)
    squeeze = [gzip.compress, bz2.compress, lzma.compress]
    return st.one_of(
        st.binary(max_size=3000),
        st.integers(0, n).map(lambda i: raw[:i]),
        st.tuples(st.integers(0, n), st.binary(min_size=1, max_size=64)).map(lambda t: raw[:t[0]] + t[1] + raw[t[0]:]),
        st.tuples(st.integers(0, n - 1), st.integers(1, 255)).map(lambda t: _flip(raw, *t)),
        st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252"]).map(lambda enc: (good.replace("c", "ç", 1)).encode(enc)),
        st.tuples(st.sampled_from(squeeze), st.floats(0, 1)).map(lambda t: t[0](raw)[:int(len(t[0](raw)) * t[1])]),
        st.tuples(st.sampled_from(squeeze), st.integers(0, n), st.binary(max_size=16)).map(
            lambda t: t[0](raw[:t[1]] + t[2] + raw[t[1]:])),
    )


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                           max_leaves=6)


def confused(good: str) -> st.SearchStrategy[bytes]:
    """``good`` JSON with one value (at any depth <= 2) replaced by a value of any JSON type."""
    def replace(args):
        doc, path, value = json.loads(good), args[0], args[1]
        node = doc
        for key in path[:-1]:
            node = node[key % len(node)] if isinstance(node, list) else node[sorted(node)[key % len(node)]]
            if not isinstance(node, (list, dict)) or not node:
                return json.dumps(value).encode()
        last = path[-1]
        if isinstance(node, list):
            node[last % len(node)] = value
        else:
            node[sorted(node)[last % len(node)]] = value
        return json.dumps(doc).encode()
    return st.tuples(st.lists(st.integers(0, 50), min_size=1, max_size=3), JSON_VALUES).map(replace)


def _allowed(read, name: str, data: bytes, folder_files: dict[str, str] | None = None):
    """Write ``data`` as ``name`` (beside ``folder_files``), read it; an error must be ours and name it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        for other, text in (folder_files or {}).items():
            (Path(tmp) / other).write_text(text)
        path.write_bytes(data)
        try:
            return read(path)
        except InputError as err:
            assert str(path) in str(err), str(err)


READERS = {  # name: (file name, good text, reader, extra files, parse -> comparable)
    "fasta": ("in.fasta", FASTA, read_fasta, None, lambda r: [(x.id, x.label, x.sequence, x.meta) for x in r]),
    "genome": ("g.fna", FASTA, read_genome, None, lambda r: [(c.name, c.sequence) for c in r]),
    "class_json": ("class_D.json", CLASS_JSON, read_external, None, lambda r: [(x.id, x.label, x.meta) for x in r]),
    "scores_json": ("s.json", SCORES_JSON, load_score_file, None, lambda r: r),
    "scores_csv": ("s.csv", SCORES_CSV, load_score_file, None, lambda r: r),
    "regulondb": ("PromoterSet.txt", REGULONDB, read_promoter_set, None, lambda r: r),
    "curated": ("natural.csv", CURATED, load_curated, None, lambda r: r),
    "lagator": ("Pr_constitutive.csv", LAGATOR, lambda p: Lagator2022(str(p.parent), "Pr", target="Mean").build(),
                None, lambda t: t.to_dict("list")),
    "urtecho_expression": (EXPRESSION, EXPR, lambda p: read_urtecho(p.parent, verbose=False),
                           {LIBRARY: LIB, SPACERS: SPACERS_TXT},
                           lambda t: (t[0].to_dict("list"), t[1])),
    "urtecho_library": (LIBRARY, LIB, lambda p: read_urtecho(p.parent, verbose=False),
                        {EXPRESSION: EXPR, SPACERS: SPACERS_TXT},
                        lambda t: (t[0].to_dict("list"), t[1])),
}
FUZZ = settings(max_examples=FAST, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_intact_and_compressed_copies_parse_the_same(reader):
    name, good, read, extra, key = READERS[reader]
    plain = key(_allowed(read, name, good.encode(), extra))
    assert plain  # the good file parses
    for squeeze in (gzip.compress, bz2.compress, lzma.compress):
        assert key(_allowed(read, name, squeeze(good.encode()), extra)) == plain


@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_damaged_input_parses_or_raises_our_error_naming_the_file(reader, data):
    name, good, read, extra, _ = READERS[reader]
    _allowed(read, name, data.draw(damaged(good)), extra)


@pytest.mark.parametrize("reader", ["class_json", "scores_json"])
@FUZZ
@given(data=st.data())
def test_wrongly_typed_json_fields_raise_our_error(reader, data):
    name, good, read, extra, _ = READERS[reader]
    _allowed(read, name, data.draw(confused(good)), extra)


@pytest.mark.slow
@pytest.mark.parametrize("reader", sorted(READERS))
@settings(FUZZ, max_examples=SLOW)
@given(data=st.data())
def test_damaged_input_many_examples(reader, data):
    name, good, read, extra, _ = READERS[reader]
    _allowed(read, name, data.draw(st.one_of(damaged(good), confused(good)) if "json" in reader else damaged(good)),
             extra)


def test_class_json_field_types_are_checked(tmp_path):
    path = tmp_path / "class_D.json"
    for item, needle in [({"id": 5, "sequence": "ACGT", "class_label": "D"}, "'id' must be a non-empty string (int 5)"),
                         ({"id": "a", "sequence": "ACGT", "class_label": ["D"]}, "'class_label' must be a non-empty string"),
                         ({"id": "a", "class_label": "D"}, "'sequence' must be a non-empty string (no such field)"),
                         ("a string", "item 0: expected an object"),
                         ({"id": "a", "sequence": "ACGT", "class_label": "D", "gc": [1]}, "field 'gc' is not a scalar")]:
        path.write_text(json.dumps([item]))
        with pytest.raises(InputError) as err:
            read_external(path)
        assert str(err.value).startswith(f"{path}, item 0: ") and needle in str(err.value)
