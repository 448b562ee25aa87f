"""``train_baselines``: fit a biophysical component to measured expression with ``Trainer.fit``.

Outputs (into ``cfg.paths.output_dir``, published all at once like ``evaluate``'s, see
:mod:`mitbench.engine.outputs`; a failed or killed fit leaves an earlier fit there untouched):
``checkpoints/best.ckpt`` (lowest validation MSE; the component's weights under ``component.``,
tensors and plain values only, so it loads with ``torch.load(weights_only=True)``; evaluate it
with ``evaluate.py model=<name> model.checkpoint=<path>``), ``config.yaml``, ``overrides.yaml``,
the logger files (``csv/``, ``wandb/``), ``fit_metrics.json``, ``predictions.csv`` (id, split, score,
prediction, target), ``logos.png`` (every fitted (W, 4) matrix, row-centred) and
``scatter.png`` (predicted vs measured, held-out splits). ``fit_metrics.json`` holds Pearson and
Spearman r and n per split, epochs, parameter counts, the rows the data reader read and
excluded (``data_rows_*``), the SHA-256 of its files (``data_sha256``) and ``wall_time_s``; everything except
``wall_time_s`` is identical for the same seed and config (deterministic CPU float64 training).
"""
from __future__ import annotations

import logging
import time
from importlib import resources
from pathlib import Path
from typing import Any

import hydra
import lightning as L
import numpy as np
import pandas as pd
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from mitbench.data.fit.training import SPLITS
from mitbench.engine.console import SequenceProgressBar
from mitbench.engine.session import format_metrics, write_run_config
from mitbench.engine.loggers import build_loggers, log_run
from mitbench.metrics.stats import correlation
from mitbench.engine.outputs import run_staged, write_json

log = logging.getLogger(__name__)
NONDETERMINISTIC_KEYS = ("wall_time_s",)  # excluded when comparing two runs with the same seed


def fittable_models() -> list[str]:
    """Models ``train_baselines.py`` can fit: those with a config in the ``fit`` group."""
    folder = resources.files("mitbench").joinpath("conf", "fit")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def run(cfg: DictConfig) -> dict[str, Any]:
    """Fit ``cfg.model.component`` on ``cfg.data``; write and return the fit metrics.

    Raises
    ------
    SystemExit
        With one line naming the models it can fit, when ``cfg.model`` has no ``fit`` config
        (gLMs, the k-mer and random baselines, precomputed scores).
    """
    if cfg.get("fit") is None:
        choice = HydraConfig.get().runtime.choices.get("model") if HydraConfig.initialized() else None
        raise SystemExit(f"train_baselines.py cannot fit model={choice or cfg.model.get('name', '?')}: it fits "
                         f"only biophysical components, i.e. model={'|'.join(fittable_models())}")
    return run_staged(cfg.paths.output_dir, lambda stage: _fit(cfg, stage), "fit outputs")


def _fit(cfg: DictConfig, stage_dir: Path) -> dict[str, Any]:
    """Fit and write every output into ``stage_dir`` (the run's unpublished version folder)."""
    t0 = time.perf_counter()
    L.seed_everything(cfg.seed, workers=True, verbose=False)
    data = hydra.utils.instantiate(cfg.data)
    datamodule = hydra.utils.instantiate(cfg.datamodule, data=data)
    datamodule.setup("fit")
    component = hydra.utils.instantiate(cfg.model.component)
    regressor = hydra.utils.instantiate(cfg.fit, component=component)
    x, y = datamodule.tensors["train"].tensors
    with torch.no_grad():
        regressor.head.initialise(component(x), y)
    initial = {k: v.clone() for k, v in component.state_dict().items()}

    ckpt = ModelCheckpoint(dirpath=stage_dir / "checkpoints", filename="best", monitor="val_loss",
                           mode="min", save_top_k=1, enable_version_counter=False)
    callbacks = [ckpt, hydra.utils.instantiate(cfg.early_stopping)]
    callbacks += [SequenceProgressBar()] if cfg.trainer.get("enable_progress_bar", True) else []
    loggers = build_loggers(cfg, stage_dir)
    trainer = hydra.utils.instantiate(cfg.trainer, callbacks=callbacks, logger=loggers or False)
    trainer.fit(regressor, datamodule=datamodule)
    # weights_only: proves the checkpoint holds only tensors and plain values (what evaluate accepts)
    best = torch.load(ckpt.best_model_path, map_location="cpu", weights_only=True)
    regressor.load_state_dict(best["state_dict"])

    metrics: dict[str, Any] = {"model": cfg.model.name, "data": data.name, "target": data.target_name,
                               "seed": int(cfg.seed), "epochs": int(trainer.current_epoch),
                               "best_epoch": int(best["epoch"]),
                               "checkpoint": Path(ckpt.best_model_path).relative_to(stage_dir).as_posix(),
                               "n_parameters_component": _count(component),
                               "n_parameters_head": _count(regressor.head),
                               "max_abs_change_from_init": max(
                                   float((v - initial[k]).abs().max()) for k, v in component.state_dict().items()
                                   if v.is_floating_point())}
    frames = []
    for split in SPLITS:
        score, pred, target = regressor.predict_loader(datamodule.loader(split))
        metrics.update(_fit_stats(split, pred.numpy(), target.numpy()))
        frame = datamodule.split_frame(split)[["id", "split"]]
        frames.append(frame.assign(score=score.numpy(), prediction=pred.numpy(), target=target.numpy()))
    table = pd.concat(frames, ignore_index=True)
    metrics.update(data.input_summary())
    metrics["wall_time_s"] = round(time.perf_counter() - t0, 3)

    write_json(stage_dir / "fit_metrics.json", metrics)
    table.to_csv(stage_dir / "predictions.csv", index=False, float_format="%.10g")
    write_run_config(cfg, stage_dir)
    from mitbench.report.fit import plot_logos, plot_scatter
    plot_logos(component, stage_dir / "logos.png", title=f"{cfg.model.name} fitted on {data.name}")
    plot_scatter(table, stage_dir / "scatter.png", ylabel=f"measured {data.target_name}",
                 title=f"{cfg.model.name} on {data.name}: held-out")
    log_run(loggers, OmegaConf.to_container(cfg, resolve=False), metrics)
    print(format_metrics(metrics))
    return metrics


def _count(module: torch.nn.Module) -> int:
    return int(sum(p.numel() for p in module.parameters()))


def _fit_stats(split: str, pred: np.ndarray, target: np.ndarray) -> dict[str, Any]:
    return {f"{split}_n": int(len(target)),
            f"{split}_pearson": correlation(pred, target, "pearson")[0],
            f"{split}_spearman": correlation(pred, target, "spearman")[0],
            f"{split}_mse": float(np.mean((pred - target) ** 2)) if len(target) else float("nan")}
