"""Hydra entry points. Configs live in the package (``mitbench/conf``), so an installed wheel runs
outside a clone; the scripts at the top of the repository (``evaluate.py``, ``train_baselines.py``)
are thin aliases of these functions.

Each entry point composes its config and calls an importable ``run(cfg)`` that returns the metrics;
what the function returns is the value Hydra sweepers optimise.
"""
from __future__ import annotations

import hydra
from omegaconf import DictConfig

from mitbench.loggers import quiet_wandb_defaults


@hydra.main(version_base="1.3", config_path="conf", config_name="evaluate")
def evaluate_main(cfg: DictConfig) -> float | None:
    """``python evaluate.py [model=...] [suite=...] [-m sweeps]``; with ``experiment=reproduce_paper``
    the reproduction of the paper (:func:`mitbench.reproduce.run`)."""
    import hydra.utils

    from mitbench.evaluate import run, sweep_objective

    if cfg.get("reproduce") is not None:
        from mitbench.reproduce import run as reproduce

        reproduce(cfg)
        return None
    metrics = run(cfg)
    return sweep_objective(metrics, hydra.utils.instantiate(cfg.suite).spec) if metrics else None


@hydra.main(version_base="1.3", config_path="conf", config_name="train_baselines")
def fit_main(cfg: DictConfig) -> float | None:
    """``python train_baselines.py [model=...] [data=...] [-m sweeps]``: validation Pearson r."""
    from mitbench.train import run

    value = run(cfg).get("val_pearson")
    return float(value) if isinstance(value, (int, float)) else None


def main_evaluate() -> None:
    quiet_wandb_defaults()
    evaluate_main()


def main_fit() -> None:
    quiet_wandb_defaults()
    fit_main()
