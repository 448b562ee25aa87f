"""evaluate.run end to end on a toy suite and scorer: outputs, atomicity, bad input."""
import json

import pandas as pd
import pytest

from helpers import compose
from mitbench.evaluate import run

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
