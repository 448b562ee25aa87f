"""Resuming ``train_glm`` from ``<run>/checkpoints/last.ckpt`` only when that is what happened.

Two ways a resume used to mislead:

* The checkpoint was read by Lightning with torch's default ``weights_only``, which the environment
  can turn off (``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1``): a crafted ``last.ckpt`` then ran code when
  unpickled. :func:`checked_resume` reads it first with ``torch.load(weights_only=True)``, which no
  environment variable overrides, and refuses anything but tensors and plain values; ``train_glm``
  passes ``weights_only=True`` to ``Trainer.fit`` too, so Lightning's own read is restricted the same way.
* A rerun into a finished folder with another genome, seed or learning rate "resumed" (zero steps,
  or a few) and published the new settings as if the model had been trained on them. Every
  checkpoint records the settings that shape training (:func:`training_config`, written by
  :class:`StampTrainingConfig`); a resume whose settings differ is refused, naming the keys.

A resume may change the budget (``trainer.max_steps``, ``max_time``, ``max_epochs``), where it runs
(accelerator, devices, threads) and what is logged or evaluated afterwards (:data:`MAY_CHANGE`).
"""
from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import torch
from lightning.pytorch.callbacks import Callback
from omegaconf import DictConfig, OmegaConf

KEY = "mitbench_training_config"  # where a checkpoint keeps the settings it was trained with
MAY_CHANGE = ("trainer.max_steps", "trainer.max_time", "trainer.max_epochs", "trainer.accelerator", "trainer.devices",
              "trainer.num_nodes", "trainer.strategy", "trainer.enable_progress_bar", "trainer.log_every_n_steps",
              "trainer.enable_model_summary", "logger", "eval", "paths", "threads", "resume", "verbose")


class ResumeRefused(ValueError):
    """A checkpoint that must not be resumed from (the CLI prints the message as one paragraph)."""


def training_config(cfg: DictConfig) -> dict[str, Any]:
    """The resolved settings that shape training, flattened to ``{"model.lr": 0.003, ...}``
    (plain values only, so a checkpoint holding them loads with ``weights_only=True``)."""
    flat: dict[str, Any] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict) and node:
            for k, v in node.items():
                walk(v, f"{prefix}{k}.")
            return
        key = prefix[:-1]
        if not any(key == m or key.startswith(m + ".") for m in MAY_CHANGE):
            flat[key] = node

    walk(OmegaConf.to_container(cfg, resolve=True), "")
    return flat


class StampTrainingConfig(Callback):
    """Writes :func:`training_config` into every checkpoint Lightning saves (under :data:`KEY`)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def on_save_checkpoint(self, trainer, pl_module, checkpoint: dict[str, Any]) -> None:
        checkpoint[KEY] = self.config


def checked_resume(path: Path, config: dict[str, Any]) -> None:
    """Refuse to resume from ``path`` unless it holds only tensors and plain values and was trained
    with ``config`` (:func:`training_config` of this run).

    Raises
    ------
    ResumeRefused
        A checkpoint that needs unpickling of Python objects (never unpickled), one that cannot be
        read, one without recorded settings, or one whose settings differ (naming the keys, with
        the checkpoint's value and this run's).
    """
    how = ("run into a new folder (hydra.run.dir=...), or start this one over with resume=false (its "
           "checkpoint is then replaced)")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        first = str(err).strip().splitlines()[-1][:200] if str(err).strip() else type(err).__name__
        raise ResumeRefused(f"checkpoint '{path}' was refused: it holds pickled Python objects that "
                            f"torch.load(weights_only=True) does not unpickle ({first}); a crafted checkpoint runs "
                            f"code that way, and mitbench's own hold only tensors and plain values. Do not load it "
                            f"with any other tool; {how}.") from None
    except Exception as err:  # noqa: BLE001 — truncated, not a zip, ...: any unreadable file
        raise ResumeRefused(f"checkpoint '{path}' cannot be read to resume from ({type(err).__name__}: "
                            f"{str(err)[:200]}); {how}.") from None
    stamped = state.get(KEY) if isinstance(state, dict) else None
    if not isinstance(stamped, dict):
        raise ResumeRefused(f"checkpoint '{path}' does not record the settings it was trained with (written by an "
                            f"older mitbench?), so resuming it under this run's settings cannot be checked; {how}.")
    differ = sorted(k for k in set(stamped) | set(config) if stamped.get(k, "<unset>") != config.get(k, "<unset>"))
    if differ:
        shown = "; ".join(f"{k}: {stamped.get(k, '<unset>')!r} -> {config.get(k, '<unset>')!r}" for k in differ[:8])
        more = f" (and {len(differ) - 8} more)" if len(differ) > 8 else ""
        raise ResumeRefused(f"checkpoint '{path}' was trained with other settings than this run: {shown}{more}. "
                            f"Resuming would publish these settings as if the model had been trained with them. "
                            f"Rerun with the checkpoint's settings to continue its training, or {how}.")
