"""Nullsettes report: tables and figures from a hand-made metrics dict."""
import numpy as np
import pandas as pd

from mitbench.metrics.nullsettes import summarize_nullsettes
from mitbench.report.nullsettes import nullsettes_figures, nullsettes_report
from mitbench.suites.nullsettes import NullsettesSuite, _report_values


def _metrics():
    rows = []
    for i in range(12):
        base = -100.0 - i
        rows += [{"group": f"c{i}", "type": "nonmutant", "score": base, "length": 100},
                 {"group": f"c{i}", "type": "T01", "score": base - 1, "length": 100},
                 {"group": f"c{i}", "type": "T02", "score": base + (1 if i % 2 else -1), "length": 100}]
    m = summarize_nullsettes(pd.DataFrame(rows), n_perm=999)
    m.update({"dataset": "toy", "kingdom": "prokaryotic", "frame_defects": ["lagator: ORF of 716 bp (frameshift)"],
              "repair_frame": False, "frame_repairs": [], "flank_trims": [], "iupac": [],
              "linker_policy": "fixed", "cds_encoded_T01": 0.25})
    return m


def test_report_lists_defects_types_and_quintiles():
    m = _metrics()
    text = nullsettes_report(m, {"T01": "CDS - Promoter", "T02": "Promoter - CDS"}, *_report_values(NullsettesSuite().spec))
    assert "- lagator: ORF of 716 bp (frameshift)" in text and "`repair_frame=false`" in text
    assert "| T01 | CDS - Promoter | 1 |" in text and "| T02 | Promoter - CDS | 0.5 |" in text
    assert "| 0.25 |" in text and "| q5 |" in text and "Ties count as failures" in text
    assert "(1/2)" in text  # success rate: T01 significant, T02 not


def test_figures_are_written(tmp_path):
    paths = nullsettes_figures(_metrics(), tmp_path, ["T01", "T02"])
    assert [p.name for p in paths] == ["nullsettes_accuracy.png", "nullsettes_quintiles.png"]
    assert all(p.stat().st_size > 1000 for p in paths) and np.isfinite(_metrics()["accuracy_q1"])


def test_report_shows_the_random_init_null_per_type():
    m = _metrics()
    m.update({"accuracy_T01_null_mean": 0.61, "accuracy_T01_null_sd": 0.2, "accuracy_T01_null_p": 0.05,
              "accuracy_T01_null_values": [0.4, 0.82], "accuracy_T02_null_mean": 0.5, "accuracy_T02_null_p": 0.7})
    text = nullsettes_report(m, {"T01": "CDS - Promoter", "T02": "Promoter - CDS"}, *_report_values(NullsettesSuite().spec))
    assert "random-init null mean" in text
    assert "| 0.25 | 0.61 | 0.05 |" in text and "| T01_null_mean |" not in text
