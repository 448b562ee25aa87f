"""The Python API (mitbench.evaluate / score / load_run), smoke runs, and re-analysable outputs."""
import json
import math

import numpy as np
import pytest

import mitbench
from mitbench.api import overrides_from
from mitbench.runs.evaluate import stratified_subset
from mitbench.metrics.mit.summary import summarize_mit


def test_overrides_from_keyword_arguments():
    assert overrides_from({"model__path": "/ck pt", "limit": 40, "x": None, "flag": True, "lst": [1, "a"]},
                          ["calibration=none"]) == ["model.path='/ck pt'", "limit=40", "x=null", "flag=true",
                                                    "lst=[1,a]", "calibration=none"]


def test_score_returns_plain_float64_per_sequence():
    out = mitbench.score(["ACGT" * 25, "AAAAAACCCC"], model="kmer")
    assert out.dtype == np.float64 and out.shape == (2,) and np.isfinite(out).all()
    from mitbench.models.baselines.components.composition import Composition

    log_p = Composition().log_p.numpy()  # genome base frequencies: 25 of each base
    assert mitbench.score(["ACGT" * 25], model="composition")[0] == pytest.approx(25 * log_p.sum(), rel=1e-12)
    assert log_p[0] == log_p[3] and log_p[1] == log_p[2]  # both strands counted
    with pytest.raises(ValueError, match="'seq0'.*'N' at position 2"):
        mitbench.score(["ACNT"], model="kmer")
    with pytest.raises(TypeError):
        mitbench.score("ACGT", model="kmer")


def test_evaluate_api_limit_and_load_run_reproduce_metrics(tmp_path):
    metrics = mitbench.evaluate(model="pa_pwm", suite="mit", output_dir=tmp_path, limit=40, logger="none")
    assert metrics["smoke"] is True and metrics["n_sequences"] == 40 and metrics["css"] == 1.0
    run = mitbench.load_run(tmp_path)
    assert len(run.table) == 40 and run.table["group"].str.fullmatch(r"\d{3}").all()
    assert set(run.table["class"]) >= set("ABCDEFGH") and run.spec["objective"] == "css"
    again = summarize_mit(run.table)
    for key, value in again.items():
        on_disk = run.metrics[key]
        assert (value == on_disk) or (isinstance(value, float) and math.isnan(value) and on_disk is None), key
    assert "SMOKE RUN" in (tmp_path / "report.md").read_text()


def test_stratified_subset_round_robin_over_labels():
    from mitbench.data.core.records import SequenceRecord

    recs = [SequenceRecord(f"{c}{i}", c, "ACGT") for c in "AB" for i in range(5)] + [SequenceRecord("C0", "C", "ACGT")]
    assert [r.id for r in stratified_subset(recs, 5)] == ["A0", "A1", "B0", "B1", "C0"]
    with pytest.raises(ValueError):
        stratified_subset(recs, 0)


def test_metrics_json_is_plain_json(tmp_path):
    mitbench.evaluate(model="random", suite="strand", output_dir=tmp_path, logger="none", references="none",
                      suite__generator__n_per_condition=5)
    m = json.loads((tmp_path / "metrics.json").read_text())
    assert m["suite"] == "strand" and m["n_sequences"] == 20 and "checkpoint" in m


NASTY = ["a,b", "[x]", "{y}", "${oc.env:HOME}", "${", "it's", "q=1 z", "back\\slash", "a\\${x}", "trail\\", "ünï",
         "~/x", "null", "1.5", "x'${a}'\\", ""]


@pytest.mark.parametrize("text", NASTY)
def test_quoted_override_values_compose_to_exactly_the_text(text):
    from mitbench.api import compose, quoted

    assert compose("evaluate", [f"paths.output_dir={quoted(text)}"]).paths.output_dir == text


def test_evaluate_writes_into_exactly_the_output_dir_given(tmp_path, monkeypatch):
    monkeypatch.setenv("MITBENCH_LEAK", "leaked")
    out = tmp_path / "runs, [v2] {a}" / "${oc.env:MITBENCH_LEAK}'s"
    metrics = mitbench.evaluate(model="random", suite="strand", output_dir=out, logger="none", references="none",
                                calibration="none", suite__generator__n_per_condition=5)
    assert metrics["n_sequences"] == 20 and (out / "metrics.json").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["runs, [v2] {a}"] and "leaked" not in str(list(tmp_path.rglob("*")))
