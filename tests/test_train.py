"""train.run end to end on small synthetic data: outputs, checkpoint contract, determinism, splits."""
import json

import pandas as pd
import pytest
import torch

from helpers import compose, shared_path, visible_files
from mitbench.data.fit.training import split_by_group, split_by_hash
from mitbench.models.baselines.biophysical import BiophysicalScorer
from mitbench.models.baselines.components.thermodynamic import ThermodynamicModel
from mitbench.runs.train_baselines import NONDETERMINISTIC_KEYS, run

FAST = ["logger=none", "data.n=300", "trainer.max_epochs=3", "datamodule.batch_size=64"]


def _cfg(tmp_path, extra=()):
    return compose([*FAST, f"paths.output_dir={tmp_path}", *extra], config_name="train_baselines")


def test_fit_writes_outputs_and_loadable_checkpoint(tmp_path):
    metrics = run(_cfg(tmp_path))
    for name in ("fit_metrics.json", "predictions.csv", "logos.png", "scatter.png", "checkpoints/best.ckpt"):
        assert (tmp_path / name).is_file(), name
    assert metrics["train_n"] + metrics["val_n"] + metrics["test_n"] == 300
    assert metrics["n_parameters_component"] == 182 and metrics["max_abs_change_from_init"] > 0
    state = torch.load(tmp_path / "checkpoints/best.ckpt", weights_only=True)["state_dict"]
    assert {k for k in state if not k.startswith(("component.", "head."))} == set()
    fitted = BiophysicalScorer("t", ThermodynamicModel(), mode="score", checkpoint=str(tmp_path / "checkpoints/best.ckpt"))
    handset = BiophysicalScorer("t", ThermodynamicModel(), mode="score")
    preds = pd.read_csv(tmp_path / "predictions.csv")
    seqs = ["TTGACA".join(["A" * 30, "C" * 64])]
    assert not torch.equal(fitted.score_batch(seqs), handset.score_batch(seqs))
    assert set(preds["split"]) == {"train", "val", "test"}


def test_same_seed_same_fit_metrics(tmp_path):
    a = run(_cfg(tmp_path / "a", ["trainer.max_epochs=2"]))
    b = run(_cfg(tmp_path / "b", ["trainer.max_epochs=2"]))
    strip = lambda m: {k: v for k, v in m.items() if k not in NONDETERMINISTIC_KEYS}
    assert strip(a) == strip(b)
    on_disk = json.loads((tmp_path / "a" / "fit_metrics.json").read_text())
    assert on_disk["test_pearson"] == pytest.approx(a["test_pearson"])


def test_splits():
    groups = pd.Series(["a", "b", "c", "a", "d"])
    assert split_by_group(groups, ["a"], ["b"]).tolist() == ["test", "val", "train", "test", "train"]
    with pytest.raises(ValueError, match="'z'"):
        split_by_group(groups, ["z"], [])
    keys = pd.Series([f"k{i}" for i in range(2000)])
    s = split_by_hash(keys, 0, 0.1, 0.2)
    assert s.equals(split_by_hash(keys[::-1], 0, 0.1, 0.2).sort_index())  # order-independent
    assert 0.17 < (s == "test").mean() < 0.23 and 0.07 < (s == "val").mean() < 0.13


@pytest.mark.slow
def test_urtecho_backgrounds_are_disjoint():
    from mitbench.data.fit.urtecho import Urtecho2019

    root = shared_path("urtecho2019")
    cfg = compose(["logger=none", "data=urtecho2019", f"data.root={root}", "paths.output_dir=/tmp/x"],
                  config_name="train_baselines")
    import hydra
    table = hydra.utils.instantiate(cfg.data).frame()
    assert isinstance(hydra.utils.instantiate(cfg.data), Urtecho2019)
    by = {s: set(table.loc[table["split"] == s, "background"]) for s in ("train", "val", "test")}
    assert by["test"] == {"bg3514590:3514740", "bg991964:992114"} and by["val"] == {"bg1163421:1163571"}
    assert not (by["train"] & by["test"]) and not (by["train"] & by["val"])


def test_failed_refit_keeps_the_earlier_fit_and_reports_data_counts(tmp_path):
    metrics = run(_cfg(tmp_path, ["logger=csv"]))
    assert (metrics["data_rows_read"], metrics["data_rows_excluded"], metrics["data_rows_used"]) == (300, 0, 300)
    assert metrics["checkpoint"] == "checkpoints/best.ckpt" and (tmp_path / "csv" / "metrics.csv").is_file()
    before = visible_files(tmp_path)
    assert {"fit_metrics.json", "checkpoints/best.ckpt", "csv/metrics.csv", "config.yaml"} <= set(before)
    with pytest.raises(Exception, match="n must be >= 1"):
        run(_cfg(tmp_path, ["logger=csv", "data.n=0", "model=pa_pwm"]))
    assert visible_files(tmp_path) == before
    from hydra import compose as hydra_compose, initialize_config_dir
    from helpers import CONF
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        assert hydra_compose("train_baselines", return_hydra_config=True).hydra.output_subdir is None
