"""Runs and caches written before the layout move (issue 24) stay readable after it.

``tests/fixtures/run_premove`` is the default run (``python evaluate.py``, PA-PWM on the MIT v3.0)
written by main at c844ca2, before any module moved: its ``config.yaml`` names the
old ``_target_`` paths (``mitbench.models.biophysical...``, ``mitbench.calibration...``).
``tests/fixtures/cache_keys_premove.json`` holds the score-cache keys the baselines had then.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hydra.utils import instantiate

import mitbench
from mitbench.api import compose, score
from mitbench.metrics.mit.summary import summarize_mit
from mitbench.runs.compare import compare_runs

FIXTURES = Path(__file__).parent / "fixtures"
RUN = FIXTURES / "run_premove"


def test_the_fixture_names_old_module_paths():
    text = (RUN / "config.yaml").read_text()
    assert "mitbench.models.biophysical.BiophysicalScorer" in text and "mitbench.calibration.RandomInitNull" in text


def test_load_run_reads_a_run_written_before_the_move():
    run = mitbench.load_run(RUN)
    assert len(run.table) == 1400 and run.metrics["verdict"] == "mechanism"
    assert run.table["id"].iloc[0] == "A_000" and run.spec["headline"][0]["key"] == "css"
    again = summarize_mit(run.table, seed=run.metrics["seed"])  # the metric functions re-run on the old table
    for key in ("css", "scr", "mes_synthetic", "up_placement_effect", "comp_placement_effect"):
        assert again[key] == pytest.approx(run.metrics[key], abs=1e-12), key


def test_compare_reads_a_run_written_before_the_move():
    table = compare_runs([RUN])
    assert table.loc[0, "verdict"] == "mechanism" and table.loc[0, "css"] == 1.0
    assert table.loc[0, "suite_version"] == "3.0"


def test_default_model_scores_equal_the_premove_scores():
    """The 650 designed 100-bp promoters re-scored by today's PA-PWM equal the pre-move run's to 1e-12."""
    table = mitbench.load_run(RUN).table
    mit = table[table["class"].isin(list("ABCDEFGH"))]
    assert len(mit) == 650
    now = score(mit["sequence"].tolist(), model="pa_pwm")
    assert np.max(np.abs(now - mit["score"].to_numpy(float))) <= 1e-12


def test_score_cache_keys_survive_the_move():
    """A cache filled before the move still serves: keys name the model's class and state, not its module."""
    golden = json.loads((FIXTURES / "cache_keys_premove.json").read_text())
    for name, key in golden.items():
        model = instantiate(compose("evaluate", [f"model={name}"]).model)
        assert model.cache_key("ACGT" * 25) == key, name
