"""One id per ``-m`` sweep, so a sweep's comparison pools its own jobs only.

A second sweep into a used ``hydra.sweep.dir`` used to pool the first sweep's finished jobs into
its comparison and its BH-FDR family; and the default sweep folder (``${now:...}`` to the second)
was shared by two sweeps started in the same second. The resolver ``${sweep_id:}`` gives the
local time to the microsecond, the process id and 16 random bits; Hydra caches it in the sweep's
config and copies that cache into every job's config (``ConfigLoader.load_sweep_config``), so
the sweep folder (``multirun/<entry>/${sweep_id:}``) and every job see the same value. Each
``evaluate`` job records it in ``metrics.json`` (``sweep_id``, from ``hydra.job.env_set``, where the
config puts it) and :class:`mitbench.runs.compare.CompareCallback` pools the jobs that carry it.
"""
from __future__ import annotations

import os
import secrets
from datetime import datetime
from typing import Any

ENV = "MITBENCH_SWEEP_ID"  # the hydra.job.env_set key (so a job's own scripts can read it too)


def new_sweep_id() -> str:
    """``YYYY-mm-dd_HH-MM-SS_ffffff-<pid>-<4 hex>`` (OmegaConf resolver ``${sweep_id:}``, cached)."""
    return f"{datetime.now().strftime('%Y-%m-%d_%H-%M-%S_%f')}-{os.getpid()}-{secrets.token_hex(2)}"


def sweep_id_of(config: Any) -> str | None:
    """The sweep id in a composed config with its ``hydra`` node (the sweep's, or a job's); None if
    the config does not define one. Resolving it in the sweep's config fixes it for every job."""
    from omegaconf import OmegaConf

    value = OmegaConf.select(config, f"hydra.job.env_set.{ENV}", default=None)
    return str(value) if value else None


def job_sweep_id() -> str | None:
    """Inside a job of a ``-m`` sweep: its sweep id; None in a single run or outside Hydra."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    if not HydraConfig.initialized():
        return None
    hydra_cfg = HydraConfig.get()
    if hydra_cfg.mode != RunMode.MULTIRUN:
        return None
    value = hydra_cfg.job.env_set.get(ENV)
    return str(value) if value else None
