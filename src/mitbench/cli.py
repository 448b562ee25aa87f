"""Hydra entry points. Configs live in the package (``mitbench/conf``), so an installed wheel runs
outside a clone; the scripts at the top of the repository (``evaluate.py``, ``train_baselines.py``,
``train_glm.py``) are thin aliases of these functions.

Each entry point composes its config and calls an importable ``run(cfg)`` that returns the metrics;
what the function returns is the value Hydra sweepers optimise.
"""
from __future__ import annotations

import hydra
from omegaconf import DictConfig

from mitbench.loggers import quiet_wandb_defaults


@hydra.main(version_base="1.3", config_path="conf", config_name="evaluate")
def evaluate_main(cfg: DictConfig) -> float | None:
    """``python evaluate.py [model=...] [suite=...] [-m sweeps]``."""
    from mitbench.evaluate import run, sweep_objective

    return sweep_objective(run(cfg))


@hydra.main(version_base="1.3", config_path="conf", config_name="train_baselines")
def fit_main(cfg: DictConfig) -> float | None:
    """``python train_baselines.py [model=...] [data=...] [-m sweeps]``: validation Pearson r."""
    from mitbench.train import run

    value = run(cfg).get("val_pearson")
    return float(value) if isinstance(value, (int, float)) else None


@hydra.main(version_base="1.3", config_path="conf/train_glm", config_name="train_glm")
def train_glm_main(cfg: DictConfig) -> float | None:
    """``python train_glm.py genome=<FASTA> [model=...] [task=pretrain|contrastive]``: held-out bits/nt."""
    from mitbench.train_glm import ConfigError, run

    try:
        value = run(cfg).get("heldout_bits_per_nt")
    except ConfigError as err:  # a wrong option: one line, no traceback
        raise SystemExit(f"train_glm: {err}") from None
    return float(value) if isinstance(value, (int, float)) else None


def main_evaluate() -> None:
    quiet_wandb_defaults()
    evaluate_main()


def main_fit() -> None:
    quiet_wandb_defaults()
    fit_main()


def main_train_glm() -> None:
    quiet_wandb_defaults()
    train_glm_main()
