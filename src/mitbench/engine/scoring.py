"""The scoring engine: one Lightning ``Trainer`` scores any number of models over one set of
records, through ``Trainer.predict`` and the :class:`~mitbench.engine.writer.ScoreWriter` (a shard
per rank under DDP, merged on rank 0). The model under test, its composition references and its
random-initialised null copies all go through :meth:`Engine.score`, so they share batching, the
score cache and the same checks.
"""
from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd
import torch

from mitbench.data.core.records import SequenceRecord, records_to_frame
from mitbench.models.base import Scorer
from mitbench.engine.writer import ScoreWriter, merge_shards
from mitbench.engine.outputs import is_launcher_process, safe_name

log = logging.getLogger(__name__)


@dataclass
class Scored:
    """One model's scores: the table (records + float64 ``score``), the scoring mode, and how many
    sequences were computed rather than served from the cache (summed over ranks)."""

    table: pd.DataFrame
    mode: str
    n_scored: int


class Engine:
    """Score models over ``records`` with ``trainer`` (whose callbacks include ``writer``).

    Parameters
    ----------
    trainer : lightning.Trainer
        Built with ``writer`` among its callbacks.
    writer : ScoreWriter
        Collects each rank's predictions.
    datamodule : SequenceDataModule
        Serves ``records``.
    records : sequence of SequenceRecord
        What is scored (validated).
    shard_root : Path
        Folder for per-rank shards (one sub-folder per scoring, removed after the merge); private
        to the run (inside its version folder, see :mod:`mitbench.engine.outputs`).
    """

    def __init__(self, trainer, writer: ScoreWriter, datamodule, records: Sequence[SequenceRecord],
                 shard_root: Path) -> None:
        self.trainer, self.writer, self.datamodule = trainer, writer, datamodule
        self.records, self.shard_root = list(records), Path(shard_root)
        self._frame = records_to_frame(self.records)

    def score(self, model: Scorer, tag: str) -> Scored | None:
        """Score every record with ``model``; the :class:`Scored` on rank 0, None on other ranks.

        Collective under DDP: every rank must call it, in the same order, with the same ``tag``.

        Raises
        ------
        RuntimeError
            If a record got no score (names the first one).
        """
        shard_dir = self.shard_root / safe_name(tag)  # tags come from config keys: never a path
        if is_launcher_process():
            shutil.rmtree(shard_dir, ignore_errors=True)  # stale shards of a crashed run never merge
        self.writer.begin(shard_dir)
        model.n_scored = 0
        self.trainer.predict(model, datamodule=self.datamodule, return_predictions=False)
        strategy = self.trainer.strategy
        n_scored = int(strategy.reduce(torch.tensor(float(model.n_scored), device=strategy.root_device),
                                       reduce_op="sum").item())
        strategy.barrier()
        if not self.trainer.is_global_zero:
            return None
        scores, mode = merge_shards(self.writer.shard_dir)
        shutil.rmtree(self.writer.shard_dir, ignore_errors=True)
        missing = [r.id for r in self.records if r.id not in scores]
        if missing:
            raise RuntimeError(f"{model.name}: no score for record {missing[0]!r} ({len(missing)} missing)")
        table = self._frame.copy()
        table["score"] = [scores[r.id] for r in self.records]
        log.info("%s: scored %d of %d sequences; %d served from the score cache", model.name, n_scored,
                 len(self.records), len(self.records) - n_scored)
        return Scored(table, mode, n_scored)

    def close(self) -> None:
        if is_launcher_process():
            shutil.rmtree(self.shard_root, ignore_errors=True)
