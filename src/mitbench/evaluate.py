"""``evaluate``: score one suite with one model through ``Trainer.predict`` and write the outputs.

Outputs (into ``cfg.paths.output_dir``, all-or-nothing, see :mod:`mitbench.outputs`):
``scores.csv`` (id, class, sequence, score), ``metrics.json`` (flat keys), ``report.md`` and PNG
figures. Returns the metrics dict on rank 0 and ``{}`` on other ranks.
"""
from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

import hydra
import lightning as L
import torch
from omegaconf import DictConfig, OmegaConf

from mitbench.data.records import records_to_frame
from mitbench.models.writer import ScoreWriter, merge_shards
from mitbench.loggers import log_run
from mitbench.outputs import StagedOutput, write_json

log = logging.getLogger(__name__)


def _is_launcher_process() -> bool:
    """True in the process that starts a run (before DDP spawns rank>0 copies of it)."""
    return os.environ.get("LOCAL_RANK", "0") == "0" and os.environ.get("NODE_RANK", "0") == "0"


def build_loggers(cfg: DictConfig) -> list:
    return [hydra.utils.instantiate(node) for node in (cfg.get("logger") or {}).values() if node]


def run(cfg: DictConfig) -> dict[str, Any]:
    """Compose suite, model, datamodule and trainer from ``cfg``; predict; write outputs."""
    t0 = time.perf_counter()
    out_dir = Path(cfg.paths.output_dir)
    L.seed_everything(cfg.seed, workers=True, verbose=False)

    suite = hydra.utils.instantiate(cfg.suite)
    records = suite.records()
    model = hydra.utils.instantiate(cfg.model)
    model.check_records(records)  # before any scoring: a bad record fails fast, nothing written
    # records go in after instantiation: as an instantiate kwarg they would be merged into the
    # config (an OmegaConf deep copy of every record: minutes for 30,000 records)
    datamodule = hydra.utils.instantiate(cfg.datamodule, _partial_=True)(records=records)

    shard_dir = out_dir / ".shards"
    if _is_launcher_process():
        shutil.rmtree(shard_dir, ignore_errors=True)  # stale shards of a crashed run never merge
    writer = ScoreWriter(shard_dir)
    loggers = build_loggers(cfg)
    trainer = hydra.utils.instantiate(cfg.trainer, callbacks=[writer], logger=loggers or False)
    trainer.predict(model, datamodule=datamodule, return_predictions=False)
    # sequences computed (not served from the score cache), summed over ranks; collective: all ranks call it
    n_scored = int(trainer.strategy.reduce(
        torch.tensor(float(model.n_scored), device=trainer.strategy.root_device), reduce_op="sum").item())
    trainer.strategy.barrier()
    if not trainer.is_global_zero:
        return {}
    log.info("scored %d of %d sequences; %d served from the score cache", n_scored, len(records),
             len(records) - n_scored)

    scores, mode = merge_shards(shard_dir)
    shutil.rmtree(shard_dir, ignore_errors=True)
    missing = [r.id for r in records if r.id not in scores]
    if missing:
        raise RuntimeError(f"no score for record {missing[0]!r} ({len(missing)} missing)")
    table = records_to_frame(records)
    table["score"] = [scores[r.id] for r in records]

    metrics: dict[str, Any] = {
        "model": model.name, "mode": mode, "suite": suite.name, "suite_version": suite.version,
        "n_sequences": len(records), "seed": int(cfg.seed), "n_scored": n_scored,
    }
    metrics.update(suite.summarize(table))
    metrics["wall_time_s"] = round(time.perf_counter() - t0, 3)

    with StagedOutput(out_dir) as stage:
        table[["id", "class", "sequence", "score"]].to_csv(stage.path / "scores.csv", index=False,
                                                          float_format="%.10g")
        write_json(stage.path / "metrics.json", metrics)
        write_run_config(cfg, stage.path)
        figures = suite.figures(table, metrics, stage.path)
        (stage.path / "report.md").write_text(_report(suite, model, table, metrics, figures, stage.path))

    log_run(loggers, OmegaConf.to_container(cfg, resolve=False), metrics)
    print(format_metrics(metrics))
    log.info("outputs written to %s", out_dir)
    return metrics


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


def _report(suite, model, table, metrics, figures, stage_dir: Path) -> str:
    head = (f"# mitbench report: {model.name} on {suite.name} (v{suite.version})\n\n"
            f"Scoring mode: `{metrics['mode']}`; {metrics['n_sequences']} sequences; "
            f"seed {metrics['seed']}.\n\n")
    body = suite.report(table, metrics)
    figs = "".join(f"\n![{p.stem}]({p.relative_to(stage_dir).as_posix()})\n" for p in figures)
    return head + body + ("\n## Figures\n" + figs if figs else "")


def sweep_objective(metrics: dict[str, Any]) -> float | None:
    """The value a Hydra sweeper optimises: CSS where the suite defines it."""
    value = metrics.get("css")
    return float(value) if isinstance(value, (int, float)) else None


def format_metrics(metrics: dict[str, Any]) -> str:
    """Two-column text table of the metrics."""
    width = max(len(k) for k in metrics)
    lines = [f"{'metric':<{width}}  value", f"{'-' * width}  -----"]
    for k, v in metrics.items():
        lines.append(f"{k:<{width}}  {v:.4g}" if isinstance(v, float) else f"{k:<{width}}  {v}")
    return "\n".join(lines)
