"""The combined probes suite end to end through evaluate.run with the ATCount toy scorer."""
import json

import hydra
import pandas as pd
import pytest

from helpers import compose
from mitbench.data.core.records import records_to_frame
from mitbench.runs.evaluate import run

SMALL = ["suite.parts.at_titration.generator.n_per_level=3", "suite.parts.up_sweep.generator.n_per_position=3",
         "suite.parts.spacing.generator.n_per_spacing=3", "suite.parts.strand.generator.n_per_condition=3"]


def _cfg(tmp_path):
    from omegaconf import OmegaConf, open_dict

    cfg = compose(["suite=probes", "logger=none", f"paths.output_dir={tmp_path}", *SMALL])
    with open_dict(cfg):
        cfg.model = OmegaConf.create({"_target_": "toys.ATCount", "name": "at_count"})
        cfg.trainer.enable_progress_bar = False
    return cfg


def test_probes_suite_with_at_count(tmp_path):
    metrics = run(_cfg(tmp_path))
    # 3 groups × (6 levels × 3 variants + 18 UP conditions + 14 spacings + 4 strand conditions)
    assert metrics["n_sequences"] == 3 * (18 + 18 + 14 + 4) and metrics["suite"] == "probes"
    assert metrics["at_pearson_r"] == pytest.approx(1.0) and metrics["at_slope_per_10pct"] == pytest.approx(10.0)
    assert metrics["up_delta_wrong_minus_correct"] == 0.0 and metrics["strand_accuracy"] == 0.0  # ties fail
    assert metrics["spacing_effect"] == 0.0 and metrics["hier_effect_positional"] == 0.0
    assert metrics["hier_effect_up_presence"] == -metrics["up_delta_none_minus_correct"] > 0
    on_disk = json.loads((tmp_path / "metrics.json").read_text())
    assert on_disk["hier_at_over_positional"] is None  # undefined: no positional effect
    scores = pd.read_csv(tmp_path / "scores.csv")
    assert (scores["score"] == scores["sequence"].str.count("[AT]")).all()
    names = {p.name for p in tmp_path.glob("*.png")}
    assert names == {"at_titration.png", "up_sweep.png", "spacing.png", "strand.png", "effect_hierarchy.png"}
    report = (tmp_path / "report.md").read_text()
    assert "## Effect-size hierarchy" in report and "`strand_accuracy`" in report


@pytest.mark.parametrize("name", ["abl_length", "abl_background", "abl_motif", "abl_upcomp"])
def test_ablation_configs_summarize_and_plot(name, tmp_path):
    cfg = compose([f"suite={name}", "suite.generator.n_per_level=2", "logger=none", f"paths.output_dir={tmp_path}"])
    suite = hydra.utils.instantiate(cfg.suite)
    table = records_to_frame(suite.records())
    table["score"] = table["sequence"].str.count("[AT]").astype(float)
    metrics = suite.summarize(table)
    assert metrics and all(k.startswith(name + "_") for k in metrics)
    assert [p.name for p in suite.figures(table, metrics, tmp_path)] == [f"{name}.png"]
    assert suite.report(table, metrics).startswith("\n## ")


@pytest.mark.parametrize("probe", ["../../escaped", "/tmp/x", "..", ""])
def test_probe_name_must_be_a_plain_file_name(probe):
    with pytest.raises(Exception, match="must be a plain name"):
        hydra.utils.instantiate(compose(["suite=spacing", f"suite.probe='{probe}'", "logger=none"]).suite)
