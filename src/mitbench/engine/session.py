"""What every entry point's run writes besides its results: the resolved config and the overrides, and
the console's metrics table (shared by ``evaluate``, ``audit``, ``train_baselines`` and ``train_glm``)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf


def write_run_config(cfg: DictConfig, outdir: Path) -> None:
    """``config.yaml`` (resolved) and ``overrides.yaml`` of this run, written with its results.

    Hydra's own ``.hydra/`` copy is switched off (``hydra.output_subdir: null``): it is written at
    start-up, so a failed rerun into an existing directory would describe a config its results
    did not come from.
    """
    from hydra.core.hydra_config import HydraConfig

    (outdir / "config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True))
    overrides = list(HydraConfig.get().overrides.task) if HydraConfig.initialized() else []
    (outdir / "overrides.yaml").write_text(OmegaConf.to_yaml(OmegaConf.create(overrides)))


def format_metrics(metrics: dict[str, Any]) -> str:
    """Two-column text table of the metrics."""
    width = max(len(k) for k in metrics)
    lines = [f"{'metric':<{width}}  value", f"{'-' * width}  -----"]
    for k, v in metrics.items():
        lines.append(f"{k:<{width}}  {v:.4g}" if isinstance(v, float) else f"{k:<{width}}  {v}")
    return "\n".join(lines)
