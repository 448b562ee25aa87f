"""Experiment loggers. W&B runs offline unless the user opts in, and never prompts.

Loggers write into the run's version folder (:class:`mitbench.engine.outputs.StagedOutput`), never
beside the published results: a failed or killed run cannot touch an earlier run's
``csv/metrics.csv`` or ``wandb/`` files, and its own logger files are discarded with its folder.
"""
from __future__ import annotations

import logging
import os

from pathlib import Path

from lightning.pytorch.loggers import WandbLogger

log = logging.getLogger(__name__)


def quiet_wandb_defaults() -> None:
    """Environment defaults so W&B can never block a run: offline, silent, no console capture."""
    os.environ.setdefault("WANDB_MODE", "offline")
    os.environ.setdefault("WANDB_SILENT", "true")
    os.environ.setdefault("WANDB_CONSOLE", "off")


def _has_credentials() -> bool:
    if os.environ.get("WANDB_API_KEY"):
        return True
    netrc = os.path.expanduser("~/.netrc")
    return os.path.exists(netrc) and "api.wandb.ai" in open(netrc).read()


def wandb_logger(project: str, save_dir: str, name: str | None = None, mode: str | None = None,
                 group: str | None = None, **kwargs) -> WandbLogger:
    """A ``WandbLogger`` that cannot prompt.

    Parameters
    ----------
    project : str
        W&B project.
    save_dir : str
        Where the offline run directory is written (the run's output dir).
    name : str, optional
        Run name.
    group : str, optional
        W&B group; the configs set it to the sweep folder's name in a ``-m`` sweep.
    mode : {"offline", "online", "disabled"}, optional
        Defaults to ``$WANDB_MODE``, else ``"offline"``. ``"online"`` without credentials falls
        back to offline with a warning instead of asking for a key.
    """
    quiet_wandb_defaults()
    mode = mode or os.environ.get("WANDB_MODE", "offline")
    if mode == "online" and not _has_credentials():
        log.warning("WANDB_MODE=online but no W&B credentials found; logging offline instead")
        mode = "offline"
    os.makedirs(save_dir, exist_ok=True)
    logger = WandbLogger(project=project, name=name, save_dir=save_dir, mode=mode, offline=(mode != "online"),
                         group=group, **kwargs)
    # Lightning always passes `anonymous` to wandb.init, and wandb warns that the setting is obsolete
    if logger._wandb_init.get("anonymous") is None:
        logger._wandb_init.pop("anonymous", None)
    return logger


def build_loggers(cfg, save_dir: str | Path) -> list:
    """The loggers of ``cfg.logger`` (a dict of Hydra nodes), each writing under ``save_dir``.

    Parameters
    ----------
    cfg : DictConfig
        The run's config; ``cfg.logger`` may be missing or empty (no loggers).
    save_dir : str or Path
        The run's version folder (``StagedOutput.path``); replaces each node's ``save_dir``.
    """
    import hydra

    nodes = [node for node in (cfg.get("logger") or {}).values() if node]
    return [hydra.utils.instantiate(node, **({"save_dir": str(save_dir)} if "save_dir" in node else {}))
            for node in nodes]


def log_run(loggers: list, hparams: dict, metrics: dict, figures: list | tuple = (), table=None) -> None:
    """Log hyper-parameters and numeric metrics to every logger (W&B also gets the figures and the
    scores table), then close each run.

    W&B runs are finished explicitly so that the jobs of a multirun never share one run.
    """
    numeric = {k: v for k, v in metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    for lg in loggers:
        lg.log_hyperparams(hparams)
        lg.log_metrics(numeric)
        if isinstance(lg, WandbLogger):
            for path in figures:
                lg.log_image(key=f"figures/{path.stem}", images=[str(path)])
            if table is not None:
                lg.log_table(key="scores", dataframe=table)
            if "verdict" in metrics:
                lg.experiment.summary["verdict"] = metrics["verdict"]
        lg.finalize("success")
        if isinstance(lg, WandbLogger):
            lg.experiment.finish()
