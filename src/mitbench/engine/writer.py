"""Prediction writer: every rank writes its shard of scores; rank 0 merges them."""
from __future__ import annotations

import csv
from pathlib import Path

from lightning.pytorch.callbacks import BasePredictionWriter


class ScoreWriter(BasePredictionWriter):
    """Collect ``predict_step`` outputs and write ``scores.rank<R>.csv`` shards into ``shard_dir``.

    Under DDP, Lightning's predict loop shards with ``UnrepeatedDistributedSamplerWrapper`` (ranks
    may get unequal counts; no id is repeated). Should a sampler repeat ids (e.g. a plain
    ``DistributedSampler`` padding the last batch), :func:`merge_shards` keeps the first score
    seen for an id and checks duplicates agree. The shard folder is rank 0's (broadcast in
    :meth:`setup`), so ranks whose Hydra run dir resolves differently still write where rank 0 merges.
    """

    def __init__(self, shard_dir: str | Path) -> None:
        super().__init__(write_interval="batch")
        self.shard_dir = Path(shard_dir)
        self.rows: list[tuple[str, float]] = []
        self.mode: str | None = None

    def begin(self, shard_dir: str | Path) -> None:
        """Start a new scoring: forget earlier predictions and write shards into ``shard_dir``."""
        self.shard_dir, self.rows, self.mode = Path(shard_dir), [], None

    def setup(self, trainer, pl_module, stage: str) -> None:
        # Every rank writes where rank 0 will merge. Rank>0 processes re-run the entry point
        # (Lightning's subprocess launcher) and may resolve a different run dir (Hydra multirun).
        self.shard_dir = Path(trainer.strategy.broadcast(str(self.shard_dir), src=0))

    def write_on_batch_end(self, trainer, pl_module, prediction, batch_indices, batch, batch_idx,
                           dataloader_idx) -> None:
        self.mode = prediction["mode"]
        self.rows.extend(zip(prediction["ids"], prediction["scores"].tolist()))

    def on_predict_end(self, trainer, pl_module) -> None:
        self.shard_dir.mkdir(parents=True, exist_ok=True)
        path = self.shard_dir / f"scores.rank{trainer.global_rank}.csv"
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "score", "mode"])
            for i, s in self.rows:
                w.writerow([i, repr(float(s)), self.mode])
        tmp.replace(path)


def merge_shards(shard_dir: str | Path) -> tuple[dict[str, float], str]:
    """Merge all rank shards: ``({id: score}, mode)``.

    Raises
    ------
    RuntimeError
        If two shards disagree on an id's score (beyond 1e-9) or on the scoring mode.
    """
    scores: dict[str, float] = {}
    modes: set[str] = set()
    for path in sorted(Path(shard_dir).glob("scores.rank*.csv")):
        with open(path, newline="") as fh:
            for row in csv.DictReader(fh):
                s = float(row["score"])
                modes.add(row["mode"])
                prev = scores.setdefault(row["id"], s)
                if abs(prev - s) > 1e-9 * max(1.0, abs(s)):
                    raise RuntimeError(f"record {row['id']!r}: shards disagree ({prev} vs {s})")
    if len(modes) > 1:
        raise RuntimeError(f"shards report different scoring modes: {sorted(modes)}")
    return scores, (modes.pop() if modes else "")
