"""Training-data readers: errors name the file and line, exclusions above data.max_excluded stop the
run, pinned SHA-256 catch a clean cut, the counts and digests are reported."""
import hashlib

import pytest

from mitbench.data.fit.lagator import Lagator2022
from mitbench.data.core.textio import InputError
from mitbench.data.fit.training import verify_files

HEADER = "sequence,Median,Mode,Mean,Std,Coverage\n"


def _lagator(tmp_path, rows: list[str], **kw) -> Lagator2022:
    (tmp_path / "Pr_constitutive.csv").write_text(HEADER + "".join(rows))
    return Lagator2022(str(tmp_path), "Pr", val_fraction=0.3, test_fraction=0.3, **kw)


def _rows(n: int, bad: int = 0) -> list[str]:
    seqs = [("acgt" * 30)[:120 - i % 3] + "t" * (i % 3) for i in range(n)]
    return [f"{s.replace('acg', 'acn', 1) if i < bad else s[:i % 97] + 'g' + s[i % 97 + 1:]},1.0,1,{i / 7:.4f},0.3,100\n"
            for i, s in enumerate(seqs)]


def test_exclusions_below_the_limit_are_counted(tmp_path):
    data = _lagator(tmp_path, _rows(200, bad=1), max_excluded=0.01)
    table = data.frame()
    summary = data.input_summary()
    assert (summary["data_rows_read"], summary["data_rows_excluded"], summary["data_max_excluded"]) == (200, 1, 0.01)
    assert summary["data_rows_used"] == len(table) <= 199
    assert summary["data_sha256"] == {"Pr_constitutive.csv": hashlib.sha256(
        (tmp_path / "Pr_constitutive.csv").read_bytes()).hexdigest()}


def test_exclusions_above_the_limit_stop_unless_allowed(tmp_path):
    with pytest.raises(ValueError, match=r"3 of 200 rows excluded \(1.50%\).*Pr_00000.*line 2: non-ACGT character 'N'"
                                         r".*more than data.max_excluded=0.01.*data.max_excluded=0.02"):
        _lagator(tmp_path, _rows(200, bad=3)).frame()
    assert _lagator(tmp_path, _rows(200, bad=3), max_excluded=0.02).input_summary()["data_rows_excluded"] == 3
    with pytest.raises(ValueError, match="max_excluded must be a fraction"):
        _lagator(tmp_path, _rows(10), max_excluded=2)


@pytest.mark.parametrize("text, needle", [
    (HEADER + "acgt,1.0,1,abc,0.3,100\n", "Pr_constitutive.csv, line 2, column 'Mean': 'abc' is not a number"),
    (HEADER, "Pr_constitutive.csv: a header but no data rows"),
    (HEADER + "acgt,1.0,1,2.5,0.3,100\nacgt,1.0,1,2", "line 3: 4 fields, but the header has 6 (the last line, and "
                                                     "the file does not end with a newline: truncated?)"),
    ("sequence,Median\nacgt,1\n", "Pr_constitutive.csv: header lacks the column(s) ['Mean']"),
    (HEADER + "acgt,1,1,2,0.3,100\n\"acgt,1.0,1,2.5,0.3,100\n", "Pr_constitutive.csv, line 3: not a valid table"),
])
def test_malformed_files_name_file_and_line(tmp_path, text, needle):
    (tmp_path / "Pr_constitutive.csv").write_text(text)
    with pytest.raises(InputError) as err:
        Lagator2022(str(tmp_path), "Pr").frame()
    assert needle in str(err.value) and str(tmp_path) in str(err.value)


def test_undecodable_bytes_name_the_line(tmp_path):
    (tmp_path / "Pr_constitutive.csv").write_bytes((HEADER + "acgt,1,1,2,0.3,100\n").encode() + b"\xff\xfe,1\n")
    with pytest.raises(InputError, match=r"Pr_constitutive.csv, line 3: bytes that are not UTF-8 text"):
        Lagator2022(str(tmp_path), "Pr").frame()


def test_pinned_digest_catches_a_clean_cut(tmp_path):
    rows = _rows(100)
    data = _lagator(tmp_path, rows)
    pin = {"Pr_constitutive.csv": data.input_summary()["data_sha256"]["Pr_constitutive.csv"]}
    assert len(_lagator(tmp_path, rows, sha256=pin).frame()) == len(data.frame())
    cut = _lagator(tmp_path, rows[:50], sha256=pin)  # a valid table, half the rows
    with pytest.raises(InputError, match=r"Pr_constitutive.csv: SHA-256 \w{12}\.\.\. differs from the published"
                                         r" file's \w{12}\.\.\. .*data.sha256=null"):
        cut.frame()
    assert len(_lagator(tmp_path, rows[:50]).frame()) < len(data.frame())  # unpinned: it trains on the half
    with pytest.raises(FileNotFoundError, match="missing.txt: no such file"):
        verify_files(tmp_path, ["missing.txt"], None)
