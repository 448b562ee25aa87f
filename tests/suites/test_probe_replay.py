"""Probe score files through the normal probe suites: suite=<probe> suite.source=<file> model=precomputed."""
import csv
import json
import math

import pytest

from helpers import compose, shared_path
from mitbench.runs.evaluate import run


def _run(tmp_path, probe, path, model=("model=precomputed", "model.path={path}")):
    overrides = ["logger=none", f"suite={probe}", f"suite.source={path}", f"paths.output_dir={tmp_path / 'run'}"]
    return run(compose(overrides + [m.format(path=path) for m in model]))


def test_strand_values_give_index_paired_accuracy(tmp_path):
    path = tmp_path / "strand.json"
    path.write_text(json.dumps({"forward": {"values": [3.0, 2.0, 5.0, 1.0]}, "reverse_in_place": {"values": [1.0, 1.0, 4.0, 1.0]},
                                "full_reverse": {"values": [0.0, 0.0, 0.0, 0.0]}, "scrambled": {"values": [9.0, 9.0, 9.0, 0.5]}}))
    m = _run(tmp_path, "strand", path)
    assert m["n_sequences"] == 16 and m["mode"] == "precomputed"
    assert (m["strand_accuracy"], m["strand_accuracy_ties"], m["strand_accuracy_n"]) == (0.75, 1, 4)  # 3>1, 2>1, 5>4, 1=1
    assert m["strand_acc_forward_gt_scrambled"] == 0.25 and m["strand_delta_forward_minus_full_rc"] == pytest.approx(2.75)
    assert "paired by draw index" in m["strand_notes"] and m["references_skipped"]
    with open(tmp_path / "run" / "scores.csv") as fh:
        first = next(csv.DictReader(fh))
    assert (first["id"], first["class"], first["score"], first["sequence"]) == ("forward#0", "forward", "3", "")


def test_condition_means_give_no_win_rates(tmp_path):
    path = tmp_path / "spacing.json"
    path.write_text(json.dumps({str(s): {"mean": -abs(s - 15.0), "std": 1.0} for s in range(12, 20)}))
    m = _run(tmp_path, "spacing", path)
    assert m["spacing_peak"] == 15 and m["n_sequences"] == 8
    assert math.isnan(m["spacing_acc_optimal_is_max"]) and math.isnan(m["spacing_acc_optimal_is_max_pvalue"])
    assert "condition means only" in m["spacing_notes"]


def test_score_only_suite_refuses_a_real_model(tmp_path):
    path = tmp_path / "strand.json"
    path.write_text(json.dumps({"forward": {"values": [1.0]}}))
    with pytest.raises(ValueError, match="replays scores from a file"):
        _run(tmp_path, "strand", path, model=("model=pa_pwm",))


@pytest.mark.shared
@pytest.mark.parametrize("probe, stem, key, value", [
    ("strand", "strand_results", "strand_accuracy", 0.44),
    ("at_titration", "at_titration_results", "at_pearson_r", 0.7843),
    ("at_titration", "at_titration_evo2_1b_results", "at_pearson_r", 0.9611),
    ("up_sweep", "positional_sweep_caduceus_results", "up_delta_70_minus_15", 0.7468),
    ("spacing", "spacing_results", "spacing_peak", 14),
])
def test_paper_probe_files_replay(tmp_path, probe, stem, key, value):
    m = _run(tmp_path, probe, shared_path("mit_reference", "scores", f"{stem}.json"))
    assert m[key] == pytest.approx(value, abs=5e-4)
