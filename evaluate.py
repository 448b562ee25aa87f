"""Score a suite with a model: ``python evaluate.py [model=...] [suite=...] [-m sweeps]``.

Thin entry point; the work is in :func:`mitbench.evaluate.run` (importable and tested).
"""
import hydra
from omegaconf import DictConfig

from mitbench.evaluate import run
from mitbench.loggers import quiet_wandb_defaults


@hydra.main(version_base="1.3", config_path="conf", config_name="evaluate")
def main(cfg: DictConfig) -> float | None:
    metrics = run(cfg)
    # Returned value is what Hydra sweepers optimise; CSS where the suite defines it.
    value = metrics.get("css")
    return float(value) if isinstance(value, (int, float)) else None


if __name__ == "__main__":
    quiet_wandb_defaults()
    main()
