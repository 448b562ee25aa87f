"""experiment=reproduce_paper: the paper's numbers from its released files, each printed value beside
mitbench's, in under 60 s (acceptance of issue 11)."""
import math
import subprocess
import time

import pandas as pd
import pytest

from helpers import PYTHON, ROOT, compose, shared_path
from mitbench.runs.reproduce import COLUMNS, paper_values, run


@pytest.fixture(scope="module")
def reproduction(tmp_path_factory):
    ref = shared_path("mit_reference")
    out = tmp_path_factory.mktemp("reproduce")
    t0 = time.perf_counter()
    summary = run(compose(["experiment=reproduce_paper", f"reference={ref}", f"paths.output_dir={out}"]))
    return pd.read_csv(out / "reproduction.csv", keep_default_na=False), out, summary, time.perf_counter() - t0


def _row(rows, quantity, model):
    hit = rows[(rows["quantity"] == quantity) & (rows["model"] == model)]
    assert len(hit) == 1, (quantity, model)
    return hit.iloc[0]


def _value(rows, quantity, model):
    text = _row(rows, quantity, model)["mitbench"]
    return float(text) if text != "" else math.nan


@pytest.mark.shared
def test_outputs_and_runtime(reproduction):
    rows, out, summary, seconds = reproduction
    assert tuple(rows.columns) == COLUMNS and (out / "reproduction.md").is_file()
    assert seconds < 60 and summary["compared"] >= 70
    assert not list(out.glob(".staging-*"))  # written all-or-nothing
    md = (out / "reproduction.md").read_text()
    assert "## Table 2" in md and "## Design statistics" in md and "## Discrepancies" in md


@pytest.mark.shared
@pytest.mark.parametrize("model, css, scr", [("hyenadna", 0.63, 0.48), ("evo2_1b", 0.60, 0.46), ("nt_500m", 0.54, 0.40),
                                             ("grover", 0.52, 0.52), ("caduceus", 0.49, 0.42)])
def test_table2(reproduction, model, css, scr):
    rows = reproduction[0]
    assert abs(_value(rows, "css", model) - css) <= 0.005 and abs(_value(rows, "scr", model) - scr) <= 0.005
    assert _row(rows, "css", model)["match"] == "True" and _row(rows, "scr", model)["match"] == "True"


@pytest.mark.shared
def test_paper_statistics(reproduction):
    rows = reproduction[0]
    assert abs(_value(rows, "css_pvalue_ttest", "hyenadna") - 0.004) <= 0.002
    for model, q in zip(("hyenadna", "evo2_1b", "nt_500m", "grover", "caduceus"), (0.034, 0.090, 0.569, 0.691, 0.772)):
        assert abs(_value(rows, "css_qvalue_bh8", model) - q) <= 0.002
        assert "8 tests" in _row(rows, "css_qvalue_bh8", model)["note"]
    assert _value(rows, "css_auc_qvalue_bh5", "evo2_1b") == pytest.approx(0.014, abs=0.001)  # unpaired: significant too
    assert (_value(rows, "css_repair_low", "hyenadna"), _value(rows, "css_repair_high", "hyenadna")) == (0.57, 0.68)


@pytest.mark.shared
def test_probes_and_hierarchy(reproduction):
    rows = reproduction[0]
    for model, r, delta, peak in (("hyenadna", 0.784, -0.46, 14), ("evo2_1b", 0.961, 0.55, 15), ("caduceus", 0.874, 0.75, 20)):
        assert abs(_value(rows, "at_r", model) - r) <= 0.005
        assert abs(_value(rows, "positional_delta_70_15", model) - delta) <= 0.01
        assert _value(rows, "spacing_peak", model) == peak
    assert "pooled" in _row(rows, "at_r", "hyenadna")["note"] and "condition means" in _row(rows, "at_r", "evo2_1b")["note"]
    assert _value(rows, "strand_accuracy", "hyenadna") == 0.44
    for model in ("evo2_1b", "caduceus"):
        assert math.isnan(_value(rows, "strand_accuracy", model)) and "cannot be checked" in _row(rows, "strand_accuracy", model)["note"]
    assert abs(_value(rows, "at_over_positional", "hyenadna") - 46) <= 1
    assert "CI contains 0" in _row(rows, "at_over_positional", "hyenadna")["note"]


@pytest.mark.shared
def test_contradictions_are_flagged(reproduction):
    rows = reproduction[0]
    b2 = _row(rows, "at_delta_compensated_minus_broken_30", "hyenadna")
    assert b2["match"] == "False" and float(b2["paper"]) == 0.46 and float(b2["mitbench"]) == pytest.approx(-0.463, abs=1e-3)
    pwm = _row(rows, "mes_synthetic", "pwm")
    assert pwm["mitbench"] == "" and "float noise" in pwm["note"]  # the paper's 10.00 is a capped division by noise
    assert _row(rows, "scr", "pa_pwm")["match"] == "True" and "0.96" in _row(rows, "scr", "pa_pwm")["note"]


def test_paper_values_table_is_well_formed():
    table = paper_values()
    assert not table.duplicated(["quantity", "model"]).any() and (table["tolerance"] >= 0).all()
    assert table["source"].str.len().gt(0).all()


@pytest.mark.slow
@pytest.mark.shared
def test_readme_command(tmp_path):
    ref = shared_path("mit_reference")
    res = subprocess.run([PYTHON, "evaluate.py", "experiment=reproduce_paper", f"reference={ref}",
                          f"hydra.run.dir={tmp_path}"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert (tmp_path / "reproduction.csv").is_file() and (tmp_path / "reproduction.md").is_file()
