"""``train_glm``: train a DNA language model on a genome (``task=pretrain``) or fine-tune one with
positional-contrastive pairs (``task=contrastive``), with ``Trainer.fit``.

Outputs (into ``cfg.paths.output_dir``; the final files all-or-nothing via
:class:`~mitbench.engine.outputs.StagedOutput`): ``hf/`` (``save_pretrained`` of model + tokenizer:
``python evaluate.py model=hf_causal|hf_masked model.path=<run>/hf``), ``fit_metrics.json``,
``learning_curve.csv`` + ``learning_curve.png`` (validation bits/nt vs tokens seen),
``report.md``, ``config.yaml``/``overrides.yaml``, and ``checkpoints/last.ckpt`` (written after
every epoch; rerunning into the same directory, ``hydra.run.dir=<run>``, resumes from it with the
time budget already spent restored, if it holds only tensors and plain values and was trained with
this run's settings: :mod:`mitbench.runs.resume`).

Held-out figures are computed after training, in float32, on every window of the validation and
test blocks (both strands), for the model and, fitted in the same run on the same training bases,
Markov chains of several orders (:mod:`mitbench.models.baselines.components.markov`); the Markov order is
chosen on the validation block and reported on the test block, as the model is.
"""
from __future__ import annotations

import inspect
import logging
import math
import time
from pathlib import Path
from typing import Any

import hydra
import lightning as L
import pandas as pd
import torch
from lightning.pytorch.callbacks import Callback, ModelCheckpoint, Timer
from omegaconf import DictConfig, OmegaConf

from mitbench.engine.session import format_metrics, write_run_config
from mitbench.engine.loggers import build_loggers, log_run
from mitbench.models.baselines.components.markov import markov_bits_per_nt
from mitbench.models.trainable.genome_lm import GenomeLM
from mitbench.engine.outputs import run_staged, write_json
from mitbench.runs.resume import ResumeRefused, StampTrainingConfig, checked_resume, training_config  # noqa: F401

log = logging.getLogger(__name__)
SUITE_SEED = 42  # conf/suite/mit.yaml: the MIT a trained model is judged on, kept out of a planted corpus
TRAINABLE = Path(__file__).parents[1] / "conf" / "train_glm" / "model"


class ConfigError(ValueError):
    """A command line that cannot describe a training run (reported as one line by the CLI)."""


def check_config(cfg: DictConfig) -> type:
    """The model class of ``cfg.model``, or :class:`ConfigError` if it is not a trainable architecture."""
    options = "|".join(sorted(p.stem for p in TRAINABLE.glob("*.yaml")))
    target = cfg.model.get("_target_", "")
    try:
        cls = hydra.utils.get_class(target)
    except Exception:  # noqa: BLE001 — any import failure means "not a trainable class"
        cls = None
    allowed = {name for k in inspect.getmro(cls) if isinstance(cls, type) for name in
               inspect.signature(k.__init__).parameters} if isinstance(cls, type) else set()
    extra = set(cfg.model.keys()) - allowed - {"_target_"}
    if not (isinstance(cls, type) and issubclass(cls, GenomeLM)) or extra:
        raise ConfigError(f"model={cfg.model.get('name', target)} is not a trainable architecture (it is a scorer "
                          f"of the evaluate `model` group?); train_glm takes model={options}")
    if cfg.task.name == "pretrain" and cfg.get("init"):
        raise ConfigError("init= starts positional-contrastive fine-tuning: add task=contrastive")
    return cls


def run(cfg: DictConfig) -> dict[str, Any]:
    """Train as ``cfg.task`` says; write and return the fit metrics.

    Results and logger files go into the run folder's private version folder, published in one
    rename on success (:class:`mitbench.engine.outputs.StagedOutput`); the resume checkpoint
    (``checkpoints/last.ckpt``) lives beside the versions, so a killed run resumes.

    Raises
    ------
    ResumeRefused
        If ``checkpoints/last.ckpt`` exists (and ``resume`` is true) but holds pickled Python
        objects, cannot be read, or was trained with other settings (:func:`mitbench.runs.resume.checked_resume`).
    """
    check_config(cfg)
    out_dir = Path(cfg.paths.output_dir)
    return run_staged(out_dir, lambda stage: _run(cfg, out_dir, stage), "train_glm outputs", internal=("checkpoints",))


def _run(cfg: DictConfig, out_dir: Path, stage_dir: Path) -> dict[str, Any]:
    t0, cpu0 = time.perf_counter(), time.process_time()
    stamp = training_config(cfg)
    last = out_dir / "checkpoints" / "last.ckpt"
    resume = str(last) if cfg.get("resume", True) and last.is_file() else None
    if resume:  # before anything is built: a refused checkpoint costs nothing
        checked_resume(last, stamp)
        log.info("resuming from %s", resume)
    if cfg.get("threads"):
        torch.set_num_threads(int(cfg.threads))
    L.seed_everything(cfg.seed, workers=True, verbose=False)
    corpus = write_corpus(cfg, stage_dir) if cfg.get("corpus") else None
    datamodule = hydra.utils.instantiate(cfg.data, **({"genome": corpus["path"]} if corpus else {}))
    datamodule.setup("fit")
    module: GenomeLM = hydra.utils.instantiate(cfg.model)
    need = datamodule.context + module.prefix.numel() + module.suffix.numel()
    limit = getattr(module.model.config, "max_position_embeddings", None)
    if limit is not None and need > limit:
        raise ConfigError(f"data.context={datamodule.context} needs {need} positions; the model has {limit}")

    checkpoint = ModelCheckpoint(dirpath=last.parent, save_last=True, save_top_k=0, enable_version_counter=False)
    loggers = build_loggers(cfg, stage_dir)
    snapshots = HFSnapshots(cfg.get("snapshot_steps") or [], stage_dir / "snapshots")
    trainer = hydra.utils.instantiate(cfg.trainer, callbacks=[checkpoint, StampTrainingConfig(stamp), snapshots],
                                      logger=loggers or False)
    # weights_only=True explicitly: torch's default can be switched off by TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD
    trainer.fit(module, datamodule=datamodule, ckpt_path=resume, weights_only=True)
    fit_cpu_s = time.process_time() - cpu0  # CPU seconds of all threads: what the run got on a shared machine
    timer = next((cb for cb in trainer.callbacks if isinstance(cb, Timer)), None)

    metrics: dict[str, Any] = {"model": module.name, "kind": module.kind, "task": cfg.task.name,
                               "genome": str(cfg.genome), "seed": int(cfg.seed), "n_parameters": module.n_parameters(),
                               "context": datamodule.context, "steps": int(trainer.global_step),
                               "max_steps": int(trainer.max_steps), "tokens_seen": int(module.tokens_seen),
                               "resumed": resume is not None, **datamodule.summary()}
    if snapshots.saved:
        metrics["snapshots"] = snapshots.saved
    if corpus:
        metrics["corpus"] = {k: v for k, v in corpus.items() if k != "path"}
    metrics["stopped_by"] = "max_steps" if trainer.global_step >= trainer.max_steps > 0 else "max_time_or_interrupt"
    if timer is not None:
        metrics["train_time_s"] = round(timer.time_elapsed("train"), 1)
    metrics["fit_cpu_time_s"] = round(fit_cpu_s, 1)
    metrics.update(heldout_metrics(module, datamodule, cfg))
    if cfg.task.name == "contrastive":
        metrics.update(contrastive_metrics(module, datamodule, cfg, metrics.get("heldout_bits_per_nt")))
    metrics["wall_time_s"] = round(time.perf_counter() - t0, 1)
    metrics["cpu_time_s"] = round(time.process_time() - cpu0, 1)

    curve = pd.DataFrame(module.curve)
    from mitbench.report.glm import glm_report, plot_learning_curve

    module.save_hf(stage_dir / "hf")
    write_json(stage_dir / "fit_metrics.json", metrics)
    curve.to_csv(stage_dir / "learning_curve.csv", index=False, float_format="%.6g")
    write_run_config(cfg, stage_dir)
    figure = plot_learning_curve(curve, metrics, stage_dir / "learning_curve.png")
    (stage_dir / "report.md").write_text(glm_report(metrics, curve, figure.name))
    log_run(loggers, OmegaConf.to_container(cfg, resolve=False), metrics)
    print(format_metrics({k: v for k, v in metrics.items() if not isinstance(v, dict)}))
    return metrics


class HFSnapshots(Callback):
    """Saves ``hf/`` folders at the given optimiser steps into ``folder/step_<n>/hf`` (an exposure series
    from one run: each snapshot is scored like the final ``hf/``). Saving reads the weights only, so a run
    with snapshots trains bit-for-bit as one without. Snapshots before a resume point are not rewritten."""

    def __init__(self, steps, folder: Path) -> None:
        self.steps, self.folder = sorted({int(s) for s in steps}), Path(folder)
        self.saved: list[dict[str, Any]] = []

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        step = int(trainer.global_step)
        if step in self.steps and not any(s["step"] == step for s in self.saved):
            path = self.folder / f"step_{step:06d}" / "hf"
            pl_module.save_hf(path)
            self.saved.append({"step": step, "tokens_seen": int(pl_module.tokens_seen),
                               "path": str(path.relative_to(self.folder.parent))})


def write_corpus(cfg: DictConfig, stage_dir: Path) -> dict[str, Any]:
    """Write ``cfg.corpus`` (:class:`mitbench.data.glm.planted.PlantedCorpus`) drawn from ``cfg.genome`` into
    ``<run>/corpus.fa`` (+ ``corpus.sites.tsv``), every MIT suite sequence excluded; returns its summary and
    ``path``. The suite is built here (runs may import it; ``data.glm`` must not)."""
    from mitbench.data.mit.designed import build_mit
    from mitbench.models.baselines.components.pwm import PAPER_EXT10, PAPER_MINUS10, PAPER_MINUS35, PAPER_UP

    t0 = time.perf_counter()
    builder = hydra.utils.instantiate(cfg.corpus)
    matrices = {"minus35": PAPER_MINUS35, "minus10": PAPER_MINUS10, "up": PAPER_UP, "ext10": PAPER_EXT10}
    exclude = [r.sequence for r in build_mit(seed=SUITE_SEED)]
    path = stage_dir / "corpus.fa"
    summary = builder.write(cfg.genome, path, matrices, exclude)
    log.info("corpus %s: %s", path, summary)
    return {**summary, "twin": bool(builder.twin), "temperature": float(builder.temperature),
            "share": float(builder.share), "excluded_suite": f"mit seed {SUITE_SEED} (matched, with controls)",
            "build_s": round(time.perf_counter() - t0, 1), "path": str(path)}


def heldout_metrics(module: GenomeLM, datamodule, cfg: DictConfig) -> dict[str, Any]:
    """Model and Markov bits/nt on every validation and test window (see module docstring)."""
    windows = {"val": datamodule.windows("val"), "test": datamodule.windows("test"),
               "val_subset": datamodule.val_subset}
    batch = int(cfg.eval.batch_size)
    out: dict[str, Any] = {"heldout_windows": int(len(windows["test"])), "val_windows": int(len(windows["val"]))}
    model_bits = {p: module.heldout_bits(windows[p], batch) for p in ("val", "test")}
    if module.kind == "causal":
        out["heldout_bits_per_nt"], out["val_bits_per_nt"] = model_bits["test"], model_bits["val"]
    else:
        out["heldout_bits_per_nt"] = None
        out["heldout_masked_bits_per_nt"], out["val_masked_bits_per_nt"] = model_bits["test"], model_bits["val"]
        out["notes"] = ("heldout_bits_per_nt is null: a masked LM defines no sequence likelihood. "
                        "heldout_masked_bits_per_nt is -log2 p of masked bases given both sides "
                        f"({module.mask_fraction:.0%} masked), not comparable with causal or Markov bits/nt.")
    orders = [int(k) for k in cfg.eval.markov_orders]
    markov = markov_bits_per_nt(datamodule.train_tracks(), windows, orders)
    best = min(orders, key=lambda k: markov[k]["val"])
    out.update({"markov_order": best, "markov_bits_per_nt": markov[best]["test"],
                "markov_val_bits_per_nt": markov[best]["val"],
                "markov_val_subset_bits_per_nt": markov[best]["val_subset"],
                "markov_best_test_bits_per_nt": min(m["test"] for m in markov.values()),
                "markov_by_order": {str(k): {p: markov[k][p] for p in ("val", "test")} for k in orders}})
    if out["heldout_bits_per_nt"] is not None:
        out["beats_markov"] = bool(out["heldout_bits_per_nt"] < out["markov_best_test_bits_per_nt"])
    return out


def contrastive_metrics(module, datamodule, cfg: DictConfig, after: float | None) -> dict[str, Any]:
    """Validation pair win rates and test-block bits/nt of the fine-tuned model (``after``) vs its ``init``."""
    from mitbench.data.glm.positional_pairs import NEGATIVES

    before = GenomeLM(name="init", kind=module.kind, init=str(cfg.init))
    pairs = datamodule.pair_tensors("val")
    out: dict[str, Any] = {"init": str(cfg.init), **{k: int(v) for k, v in datamodule.summary().items()
                                                      if k.endswith("_pairs")}}
    for label, model in (("before", before), ("after", module)):
        diff = pair_margins(model, pairs)
        for k, name in enumerate(NEGATIVES):
            out[f"val_win_rate_{name}_{label}"] = float((diff[:, k] > 0).double().mean())
            out[f"val_ties_{name}_{label}"] = int((diff[:, k] == 0).sum())
        out[f"val_mean_margin_{label}"] = float(diff.double().mean())
    init_bits = before.heldout_bits(datamodule.windows("test"), int(cfg.eval.batch_size))
    out["init_heldout_bits_per_nt"] = init_bits
    out["heldout_bits_rise_pct"] = 100 * (after - init_bits) / init_bits if after is not None else math.nan
    return out


@torch.no_grad()
def pair_margins(model: GenomeLM, pairs, batch_size: int = 256) -> torch.Tensor:
    """float32 ``(N, K)`` ``LL(positive) - LL(negative)`` in eval mode (nats)."""
    was = model.training
    model.eval()
    rows = []
    for i in range(0, len(pairs), batch_size):
        pos, neg = pairs.positive[i:i + batch_size], pairs.negatives[i:i + batch_size]
        rows.append(model.pair_margins(pos.to(model.device), neg.to(model.device)).cpu())
    model.train(was)
    return torch.cat(rows)
