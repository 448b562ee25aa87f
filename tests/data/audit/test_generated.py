import pytest

from mitbench.data.audit.generated import read_generated
from mitbench.data.audit.windows import AuditWindow

W = [AuditWindow("c:0-12", "c", 0, "ACGT", "AAAACCCC"), AuditWindow("c:20-32", "c", 20, "TTTT", "GGGGAAAA")]


def _files(tmp_path, records, rows, header="id\tsource_window\tseed_len\ttemperature"):
    fa = tmp_path / "gen.fa"
    fa.write_text("".join(f">{i} x\n{s}\n" for i, s in records))
    man = tmp_path / "manifest.tsv"
    man.write_text(header + "\n" + "".join("\t".join(r) + "\n" for r in rows))
    return fa, man


GOOD_REC = [("g1", "acgtCCCCAAAATT"), ("g2", "TTTTGGGGTTTT")]
GOOD_ROWS = [("g1", "c:0-12", "4", "0.7"), ("g2", "c:20-32", "4", "0.7")]


def test_reads_continuations_in_window_order(tmp_path):
    fa, man = _files(tmp_path, GOOD_REC[::-1], GOOD_ROWS)
    seqs, rows = read_generated(fa, man, W, gen_len=8)
    assert seqs == ["CCCCAAAA", "GGGGTTTT"]  # seed stripped, extra bases dropped, upper-cased
    assert [r["temperature"] for r in rows] == ["0.7", "0.7"]


@pytest.mark.parametrize("records,rows,match", [
    ([("g1", "ACGTCCCCAAAA"), ("zz", "TTTTGGGGTTTT")], GOOD_ROWS, r"record 'zz' \(#1\) is not in the manifest"),
    ([("g1", "ACGTCCCCAAAA")], GOOD_ROWS, r"id 'g2' has no record in"),
    ([("g1", "ACG"), GOOD_REC[1]], GOOD_ROWS, r"record 'g1' has 3 bp, shorter than its 4-bp seed"),
    ([("g1", "ACGTCCC"), GOOD_REC[1]], GOOD_ROWS, r"record 'g1' has 3 bp after its seed, 8 needed"),
    ([("g1", "ACGACCCCAAAA"), GOOD_REC[1]], GOOD_ROWS, r"record 'g1' does not start with the seed of window 'c:0-12' \(first difference at position 3\)"),
    ([("g1", "ACGTCCNCAAAA"), GOOD_REC[1]], GOOD_ROWS, r"record 'g1': character 'N' at position 6"),
    (GOOD_REC, [("g1", "c:0-12", "4", "1"), ("g2", "c:0-12", "4", "1")], r"window 'c:0-12' is continued by both 'g1' and 'g2'"),
    (GOOD_REC, [("g1", "c:0-12", "4", "1"), ("g2", "c:99-111", "4", "1")], r"record 'g2' continues window 'c:99-111', which is not an audit window"),
    (GOOD_REC, [("g1", "c:0-12", "5", "1"), ("g2", "c:20-32", "4", "1")], r"record 'g1': seed_len 5 differs from the audit's 4"),
])
def test_bad_input_names_the_record(tmp_path, records, rows, match):
    fa, man = _files(tmp_path, records, rows)
    with pytest.raises(ValueError, match=match):
        read_generated(fa, man, W, gen_len=8)


def test_missing_window_and_column(tmp_path):
    fa, man = _files(tmp_path, GOOD_REC[:1], GOOD_ROWS[:1])
    with pytest.raises(ValueError, match=r"audit window 'c:20-32' has no generated record"):
        read_generated(fa, man, W, gen_len=8)
    fa, man = _files(tmp_path, GOOD_REC, [r[:2] for r in GOOD_ROWS], header="id\tsource_window")
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['seed_len'\]"):
        read_generated(fa, man, W, gen_len=8)
