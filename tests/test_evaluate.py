"""evaluate.run end to end on a toy suite and scorer: outputs, atomicity, bad input."""
import json

import pandas as pd
import pytest

from helpers import compose, visible_files
from mitbench.runs.evaluate import run

TOY = ["logger=none"]


def _cfg(tmp_path, nan_for=None):
    cfg = compose([*TOY, f"paths.output_dir={tmp_path}"])
    from omegaconf import OmegaConf, open_dict
    with open_dict(cfg):
        cfg.suite = OmegaConf.create({"_target_": "toys.ToySuite",
                                      "sequences": {"a": "ACGTAA", "b": "GGGG", "c": "TTTTTT"}})
        cfg.model = OmegaConf.create({"_target_": "toys.ATCount", "name": "at_count",
                                      "nan_for": nan_for})
    return cfg


def test_run_writes_scores_and_metrics(tmp_path):
    metrics = run(_cfg(tmp_path))
    table = pd.read_csv(tmp_path / "scores.csv")
    assert table["id"].tolist() == ["a", "b", "c"]  # suite order, not length-sorted order
    assert table["score"].tolist() == [4.0, 0.0, 6.0]
    assert metrics["mean_score"] == pytest.approx(10 / 3)
    on_disk = json.loads((tmp_path / "metrics.json").read_text())
    assert on_disk["n_sequences"] == 3 and on_disk["mode"] == "score"
    assert (tmp_path / "report.md").exists()
    assert not list(tmp_path.glob(".staging-*")) and not (tmp_path / ".shards").exists()


def test_nan_score_names_record_and_keeps_previous_outputs(tmp_path):
    run(_cfg(tmp_path))
    before = (tmp_path / "scores.csv").read_bytes()
    cfg = _cfg(tmp_path, nan_for="GGGG")
    with pytest.raises(ValueError, match="'b'"):
        run(cfg)
    assert (tmp_path / "scores.csv").read_bytes() == before


def test_failed_rerun_keeps_results_and_logger_files_byte_identical(tmp_path):
    from omegaconf import open_dict
    cfg = _cfg(tmp_path)
    with open_dict(cfg):
        cfg.logger = compose(["logger=csv"]).logger
    run(cfg)
    before = visible_files(tmp_path)
    assert {"scores.csv", "metrics.json", "report.md", "csv/metrics.csv", "csv/hparams.yaml"} <= set(before)
    bad = _cfg(tmp_path, nan_for="GGGG")
    with open_dict(bad):
        bad.logger = cfg.logger
    with pytest.raises(ValueError, match="'b'"):
        run(bad)
    assert visible_files(tmp_path) == before


def test_second_run_into_a_busy_folder_is_refused(tmp_path):
    from mitbench.engine.outputs import RunDirBusy, StagedOutput
    with StagedOutput(tmp_path):
        with pytest.raises(RunDirBusy, match="another mitbench run"):
            run(_cfg(tmp_path))
    assert not (tmp_path / "metrics.json").exists()


def test_names_cannot_steer_the_run_folder():
    from hydra import compose as hydra_compose, initialize_config_dir
    from helpers import CONF
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        cfg = hydra_compose("evaluate", overrides=["model.name=../../../x", "suite.name=/etc"], return_hydra_config=True)
    assert cfg.hydra.run.dir.startswith("outputs/evaluate/_etc/_._.._.._x/")
