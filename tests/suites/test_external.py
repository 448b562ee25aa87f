"""suite=external (class JSON, FASTA) and model=precomputed (JSON by id/class, CSV), in process."""
import json

import pandas as pd
import pytest
import torch

from helpers import compose
from mitbench.suites.external import ExternalSuite
from mitbench.data.core.records import SequenceRecord
from mitbench.runs.evaluate import run
from mitbench.models.precomputed import PrecomputedScorer

SEQ = {"C": "ACGTACGTAC", "D": "ACGTACGTAA", "E": "TTTTACGTAA", "H": "ATTTTCGTAA"}


def _class_json_dir(tmp_path, n=3):
    d = tmp_path / "seqs"
    d.mkdir()
    for label, seq in SEQ.items():
        items = [{"id": f"{label}_{i:03d}", "sequence": seq.lower() if i == 0 else seq, "class_label": label,
                  "is_broken": label == "D", "metadata": {"design": "toy", "k": i}} for i in range(n)]
        (d / f"class_{label}.json").write_text(json.dumps(items))
    return d


def test_class_json_layout_groups_by_index_and_keeps_metadata(tmp_path):
    recs = ExternalSuite(str(_class_json_dir(tmp_path))).records()
    assert [r.id for r in recs[:4]] == ["C_000", "C_001", "C_002", "D_000"]  # classes sorted, file order
    assert [r.meta["group"] for r in recs[:4]] == ["000", "001", "002", "000"]
    assert recs[0].sequence == SEQ["C"]  # lower case accepted, upper-cased
    assert recs[3].meta["is_broken"] is True and recs[3].meta["design"] == "toy" and recs[3].meta["k"] == 0


def test_fasta_group_from_header_else_index(tmp_path):
    fa = tmp_path / "s.fasta"
    fa.write_text(">d1 class=D group=g7 src=x\nACGT\nAC\n>e1 class=E\nacgtt\n>e2 class=E\nAAAA\n")
    recs = ExternalSuite(str(fa)).records()
    assert [(r.id, r.label, r.sequence, r.meta["group"]) for r in recs] == [
        ("d1", "D", "ACGTAC", "g7"), ("e1", "E", "ACGTT", "000"), ("e2", "E", "AAAA", "001")]
    assert recs[0].meta["src"] == "x"


def _records():
    return [SequenceRecord("a1", "A", "ACGT"), SequenceRecord("b1", "B", "ACGA"), SequenceRecord("a2", "A", "TTTT")]


def test_precomputed_class_keyed_maps_in_record_order(tmp_path):
    f = tmp_path / "s.json"
    f.write_text(json.dumps({"A": [1.5, -2.0], "B": [3.0], "Z": [9.0]}))
    m = PrecomputedScorer(str(f))
    assert m.name == "s" and m.mode == "precomputed"
    m.check_records(_records())
    out = m.predict_step({"ids": ["a2", "b1", "a1"], "sequences": ["TTTT", "ACGA", "ACGT"]})
    assert out["ids"] == ["a2", "b1", "a1"] and out["mode"] == "precomputed"
    assert out["scores"].dtype == torch.float64 and out["scores"].tolist() == [-2.0, 3.0, 1.5]


@pytest.mark.parametrize("content, match", [
    ({"A": [1.0], "B": [3.0]}, "class 'A': 1 scores .* but 2 records"),
    ({"A": [1.0, 2.0]}, "class 'B'"),
    ({"a1": 1.0, "b1": 2.0}, "record 'a2': no score"),
    ({"a1": 1.0, "b1": None, "a2": 0.0}, "record 'b1': non-finite"),
    ({"A": [1.0, float("nan")], "B": [0.0]}, "record 'a2': non-finite"),
])
def test_precomputed_mismatch_names_class_or_record(tmp_path, content, match):
    f = tmp_path / "s.json"
    f.write_text(json.dumps(content))
    with pytest.raises(ValueError, match=match):
        PrecomputedScorer(str(f)).check_records(_records())


def test_precomputed_csv_and_nan_rejected_in_predict(tmp_path):
    f = tmp_path / "s.csv"
    f.write_text("id,score\na1,0.25\nb1,1e3\na2,-7\n")
    m = PrecomputedScorer(str(f), name="csvmodel")
    m.check_records(_records())
    assert m.predict_step({"ids": ["b1", "a2"], "sequences": ["", ""]})["scores"].tolist() == [1000.0, -7.0]
    m.scores["a2"] = float("nan")  # a file can never get here (check_records rejects it): contract guard
    with pytest.raises(ValueError, match="'a2'"):
        m.predict_step({"ids": ["a1", "a2"], "sequences": ["", ""]})
    dup = tmp_path / "d.csv"
    dup.write_text("id,score\na1,1\na1,2\n")
    with pytest.raises(ValueError, match="'a1': duplicate"):
        PrecomputedScorer(str(dup))


def test_evaluate_external_precomputed_end_to_end(tmp_path):
    d = _class_json_dir(tmp_path, n=4)
    # E beats D in groups 0,1,2 and ties in 3; H beats E in group 0 only
    scores = {"C": [5, 6, 7, 8], "D": [0, 1, 2, 3], "E": [1, 2, 3, 3], "H": [9, 0, 0, 0]}
    f = tmp_path / "scores.json"
    f.write_text(json.dumps({f"{c}_{i:03d}": v for c, vals in scores.items() for i, v in enumerate(vals)}))
    out = tmp_path / "out"
    cfg = compose(["logger=none", "suite=external", f"suite.path={d}", "suite.n_boot=100", "model=precomputed",
                   f"model.path={f}", "model.name=toy", f"paths.output_dir={out}"])
    metrics = run(cfg)
    assert (metrics["css"], metrics["css_ties"], metrics["scr"], metrics["scr_ties"]) == (0.75, 1, 0.75, 0)
    assert metrics["cm"] == pytest.approx((2.25 - 1.5) / (6.5 - 1.5)) and metrics["model"] == "toy"
    table = pd.read_csv(out / "scores.csv")
    assert table.loc[table["id"] == "H_000", "score"].item() == 9.0
    assert {"mit_class_scores.png", "mit_css_vs_mes.png"} <= {p.name for p in out.glob("*.png")}
    report = (out / "report.md").read_text()
    assert "| CSS | 0.75 |" in report and "Verdict" in report


def test_external_without_d_e_reports_class_stats(tmp_path):
    fa = tmp_path / "s.fa"
    fa.write_text(">x1 class=X\nACGT\n>x2 class=X\nAAAA\n>y1 class=Y\nCCCC\n")
    f = tmp_path / "s.csv"
    f.write_text("id,score\nx1,1\nx2,3\ny1,5\n")
    out = tmp_path / "out"
    metrics = run(compose(["logger=none", "suite=external", f"suite.path={fa}", "model=precomputed",
                           f"model.path={f}", f"paths.output_dir={out}"]))
    assert (metrics["mean_X"], metrics["n_X"], metrics["mean_Y"]) == (2.0, 2, 5.0)
    assert "css" not in metrics and (out / "class_scores.png").exists()


def test_a_set_whose_metrics_cannot_fit_is_refused_before_scoring(tmp_path, monkeypatch):
    fa = tmp_path / "big.fa"
    fa.write_text("".join(f">s{i} class={'DE'[i % 2]}\nACGTACGTAA\n" for i in range(2000)))
    suite = ExternalSuite(str(fa), n_boot=1000, n_repair=10000)
    need = suite.peak_bytes(suite.build())
    assert 0 < need < 1 << 30  # bounded blocks + O(n): no (n_boot, n1, n2) tensor in the estimate
    monkeypatch.setenv("MITBENCH_MAX_MEMORY", str(need - 1))
    out = tmp_path / "out"
    cfg = compose(["logger=none", "suite=external", f"suite.path={fa}", "model=random", f"paths.output_dir={out}"])
    with pytest.raises(MemoryError, match=r"suite 'external' \(2000 records\) needs about .* GiB .*nothing was scored"):
        run(cfg)
    assert not (out / "scores.csv").exists()
    monkeypatch.setenv("MITBENCH_MAX_MEMORY", str(need))
    assert len(ExternalSuite(str(fa)).records()) == 2000
