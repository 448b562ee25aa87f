"""Fit a biophysical baseline: ``python train_baselines.py [model=...] [data=...] [-m sweeps]``.

Thin entry point; the work is in :func:`mitbench.train.run` (importable and tested).
"""
import hydra
from omegaconf import DictConfig

from mitbench.loggers import quiet_wandb_defaults
from mitbench.train import run


@hydra.main(version_base="1.3", config_path="conf", config_name="train_baselines")
def main(cfg: DictConfig) -> float | None:
    metrics = run(cfg)
    # Returned value is what Hydra sweepers optimise: validation Pearson r.
    value = metrics.get("val_pearson")
    return float(value) if isinstance(value, (int, float)) else None


if __name__ == "__main__":
    quiet_wandb_defaults()
    main()
