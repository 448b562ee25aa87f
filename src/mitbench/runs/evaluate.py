"""``evaluate``: score one suite with one model through ``Trainer.predict`` and write the outputs.

Outputs (into ``cfg.paths.output_dir``, published all at once, see :mod:`mitbench.engine.outputs`):
``scores.csv`` (id, class, sequence, score), ``metrics.json`` (flat keys), ``spec.json`` (the
suite's metric spec, read by sweep comparisons), ``report.md`` and PNG figures. Returns the
metrics dict on rank 0 and ``{}`` on other ranks.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import hydra
import lightning as L
from omegaconf import DictConfig, OmegaConf

from mitbench.engine.console import SequenceProgressBar, summary
from mitbench.engine.scoring import Engine
from mitbench.engine.loggers import build_loggers, log_run
from mitbench.metrics.calibration import calibrate
from mitbench.engine.writer import ScoreWriter
from mitbench.engine.outputs import SPEC_FILE, run_staged, write_json, write_scores
from mitbench.engine.session import format_metrics, write_run_config
from mitbench.suites.spec import TIE_RULE, MetricSpec
from mitbench.runs.sweeps import job_sweep_id

log = logging.getLogger(__name__)


def run(cfg: DictConfig) -> dict[str, Any]:
    """Compose suite, model, datamodule and trainer from ``cfg``; score the model, its composition
    references and (with ``calibration=random_init``) its random-initialised null; write outputs.

    Everything the run writes (results, config, logger files, score shards) goes into its private
    version folder, published on success in one rename (:class:`mitbench.engine.outputs.StagedOutput`);
    a second run into the same folder stops at once (:class:`mitbench.engine.outputs.RunDirBusy`).
    """
    return run_staged(cfg.paths.output_dir, lambda stage: _run(cfg, stage))


def _run(cfg: DictConfig, stage_dir: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    L.seed_everything(cfg.seed, workers=True, verbose=False)
    alpha = float(cfg.get("alpha", 0.05))

    suite = hydra.utils.instantiate(cfg.suite)
    records = suite.records()
    limit = cfg.get("limit")
    if limit:
        records = stratified_subset(records, int(limit))
    _refuse_partial_prediction(cfg)
    model = hydra.utils.instantiate(cfg.model)
    if suite.score_only and model.mode != "precomputed":
        raise ValueError(f"suite {suite.name!r} replays scores from a file (its records have no sequences): "
                         f"score it with model=precomputed model.path=<that file>, not {model.name!r}")
    model.check_records(records)  # before any scoring: a bad record fails fast, nothing written
    calibration = hydra.utils.instantiate(cfg.calibration) if cfg.get("calibration") else None
    if calibration is not None:
        calibration.check_level(alpha)
    # records go in after instantiation: Hydra would deep-copy them into an OmegaConf node
    datamodule = hydra.utils.instantiate(cfg.datamodule, _partial_=True)(records=records)
    writer = ScoreWriter(stage_dir / ".shards")
    # loggers are built with the results (below): a run that fails never starts a W&B run
    bars = [SequenceProgressBar()] if cfg.trainer.get("enable_progress_bar", True) else []
    trainer = hydra.utils.instantiate(cfg.trainer, callbacks=[writer, *bars], logger=False)
    engine = Engine(trainer, writer, datamodule, records, stage_dir / ".shards")

    main = engine.score(model, "model")
    refs, skipped = {}, []
    for name, node in (cfg.get("references") or {}).items():
        if suite.score_only:  # no sequences to score
            skipped.append(f"{name}: the suite's records are score-only (no sequences)")
            continue
        ref = hydra.utils.instantiate(node)
        try:
            ref.check_records(records)
        except ValueError as err:  # e.g. a 6-mer model on shorter records: report it, do not fail the run
            skipped.append(f"{name}: {err}")
            continue
        refs[name] = None if ref.name == model.name else engine.score(ref, f"ref_{name}")
    has_null = calibration is not None and calibration.supports(model)
    nulls = [engine.score(copy, f"null{k}") for k, copy in enumerate(calibration.copies(model))] if has_null else []
    panel = (_score_panel(cfg, engine, calibration, suite.panel_records(records))
             if calibration is not None and not has_null else [])
    engine.close()
    if main is None:  # rank > 0 under DDP
        return {}

    table = main.table
    metrics: dict[str, Any] = {
        "model": model.name, "checkpoint": model.checkpoint_label(), "mode": main.mode, "suite": suite.name, "suite_version": suite.version,
        "n_sequences": len(records), "seed": int(cfg.seed), "n_scored": main.n_scored,
        "scoring": model.scoring_label(),
    }
    if model.approximation():
        metrics["scoring_approximation"] = model.approximation()
    if limit:
        metrics.update({"smoke": True, "limit": int(limit)})
    sweep = job_sweep_id()
    if sweep:  # the sweep's comparison pools the jobs that carry its id, never an earlier sweep's
        metrics["sweep_id"] = sweep
    metrics.update(suite.summarize(table))
    spec = suite.spec
    for name, ref in refs.items():
        ref_metrics = metrics if ref is None else suite.summarize_null(ref.table)
        metrics.update({f"ref_{name}_{m.key}": ref_metrics.get(m.key) for m in spec.calibrated_metrics()})
    if skipped:
        metrics["references_skipped"] = skipped
    metrics["calibration"] = _calibration_note(cfg, calibration, model, bool(panel))
    if has_null:
        metrics.update(calibrate(metrics, [suite.summarize_null(n.table) for n in nulls], spec.calibrated_metrics()))
        metrics["n_null_scored"] = sum(n.n_scored for n in nulls)  # 0 when the twins came from the cache
    if panel:
        metrics.update(calibrate(metrics, [suite.summarize_null(p.table) for p in panel], spec.panel, prefix="panel"))
    metrics.update(suite.verdict(metrics, alpha, has_null))
    metrics["wall_time_s"] = round(time.perf_counter() - t0, 3)

    write_scores(table, stage_dir)
    write_json(stage_dir / "metrics.json", metrics)
    write_json(stage_dir / SPEC_FILE, spec.to_dict())
    write_run_config(cfg, stage_dir)
    figures = suite.figures(table, metrics, stage_dir)
    (stage_dir / "report.md").write_text(_report(suite, model, table, metrics, figures, stage_dir))
    log_run(build_loggers(cfg, stage_dir), OmegaConf.to_container(cfg, resolve=False), metrics,
            figures=figures, table=table)
    log.info("metrics:\n%s", format_metrics(metrics))
    if cfg.get("verbose"):
        print(format_metrics(metrics))
    print(summary(metrics, spec.headline, Path(cfg.paths.output_dir)))
    return metrics


def stratified_subset(records: list, limit: int) -> list:
    """At most ``limit`` records, taken round-robin over the labels (classes or probe conditions) in
    record order, so a smoke run sees every class and the first groups of each (pairs stay matched)."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    by_label: dict[str, list] = {}
    for r in records:
        by_label.setdefault(r.label, []).append(r)
    chosen: set[str] = set()
    for i in range(max(len(v) for v in by_label.values())):
        for recs in by_label.values():
            if i < len(recs) and len(chosen) < limit:
                chosen.add(recs[i].id)
    return [r for r in records if r.id in chosen]


def _refuse_partial_prediction(cfg: DictConfig) -> None:
    """``trainer.limit_predict_batches`` would leave records unscored; the suite-aware ``limit=N`` is the smoke run."""
    value = (cfg.get("trainer") or {}).get("limit_predict_batches")
    # Lightning reads an int as a number of batches and a float as a fraction: only None / 1.0 score everything
    if value is not None and not (isinstance(value, float) and value >= 1.0):
        raise ValueError(f"trainer.limit_predict_batches={value} would score only part of the suite; for a smoke run "
                         "use limit=N (N records, stratified by class or condition), e.g. python evaluate.py limit=40")


def _score_panel(cfg: DictConfig, engine: Engine, calibration, records: list) -> list:
    """The untrained-CNN panel's scores of ``records`` (a suite's :meth:`panel_records`), for a model
    with no architecture null; through an engine over those records alone (same trainer and writer)."""
    if not records or not getattr(calibration, "n_panel", 0):
        return []
    datamodule = hydra.utils.instantiate(cfg.datamodule, _partial_=True)(records=records)
    sub = Engine(engine.trainer, engine.writer, datamodule, records, engine.shard_root)
    scored = []
    for k, member in enumerate(calibration.panel()):
        member.check_records(records)
        scored.append(sub.score(member, f"panel{k}"))
    return scored


def _calibration_note(cfg: DictConfig, calibration, model, panel: bool) -> str:
    if calibration is None:
        return "none (calibration=none)"
    if not calibration.supports(model) and not panel:
        return ("none: the model has no architecture to re-initialise (a baseline or precomputed scores) and the "
                "suite has nothing for the untrained-CNN panel to calibrate (no placement controls)")
    if not calibration.supports(model):
        return ("panel: the model has no architecture to re-initialise (a baseline or precomputed scores); placement "
                f"effects calibrated against {calibration.n_panel} untrained CNNs (panel_seed {calibration.panel_seed})")
    return f"random_init (n_null={calibration.n_null}, seeds {calibration.seed}..{calibration.seed + calibration.n_null - 1})"


def _report(suite, model, table, metrics, figures, stage_dir: Path) -> str:
    approx = f" [APPROXIMATE scoring: {metrics['scoring']}]" if metrics.get("scoring_approximation") else ""
    head = (f"# mitbench report: {metrics.get('checkpoint', model.name)} on {suite.name} (v{suite.version}){approx}\n\n"
            + (f"**SMOKE RUN: only {metrics['n_sequences']} records (limit={metrics['limit']}); not a benchmark "
               "result.**\n\n" if metrics.get("smoke") else "")
            + f"Scoring mode: `{metrics['mode']}`{_convention(metrics)}; {metrics['n_sequences']} sequences; "
            f"seed {metrics['seed']}. {TIE_RULE}\n\n")
    body = suite.report(table, metrics)
    figs = "".join(f"\n![{p.stem}]({p.relative_to(stage_dir).as_posix()})\n" for p in figures)
    return head + body + ("\n## Figures\n" + figs if figs else "")


def _convention(metrics: dict[str, Any]) -> str:
    """``, convention `x`` when the convention says more than the mode, plus its approximation."""
    scoring = metrics.get("scoring")
    out = f", convention `{scoring}`" if scoring and scoring != metrics.get("mode") else ""
    return out + (f" ({metrics['scoring_approximation']})" if metrics.get("scoring_approximation") else "")


def sweep_objective(metrics: dict[str, Any], spec: MetricSpec) -> float | None:
    """The value a Hydra sweeper optimises: the spec's ``objective`` metric (None if it has none)."""
    value = metrics.get(spec.objective) if spec.objective else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
