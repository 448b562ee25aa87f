"""LightningDataModule serving sequence records to ``Trainer.predict``."""
from __future__ import annotations

import lightning as L
from torch.utils.data import DataLoader, Dataset

from typing import Sequence

from mitbench.data.core.records import SequenceRecord


class _Records(Dataset):
    def __init__(self, items: list[tuple[str, str]]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> tuple[str, str]:
        return self.items[i]


def collate(batch: list[tuple[str, str]]) -> dict:
    """``{"ids": list[str], "sequences": list[str]}`` — the scorer contract's batch."""
    return {"ids": [b[0] for b in batch], "sequences": [b[1] for b in batch]}


class SequenceDataModule(L.LightningDataModule):
    """Serve records in batches.

    Parameters
    ----------
    records : sequence of SequenceRecord
        What to score (a suite's validated records).
    batch_size : int
        Sequences per ``predict_step`` call (gLM scorers split further by token budget).
    sort_by_length : bool
        Serve longest first so batches hold similar lengths (less padding). Scores do not
        depend on order; output tables follow the suite's record order.
    num_workers : int
        DataLoader workers.
    """

    def __init__(self, records: Sequence[SequenceRecord], batch_size: int = 64, sort_by_length: bool = True,
                 num_workers: int = 0) -> None:
        super().__init__()
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.records = list(records)
        self.batch_size = batch_size
        self.sort_by_length = sort_by_length
        self.num_workers = num_workers

    def predict_dataloader(self) -> DataLoader:
        items = [(r.id, r.sequence) for r in self.records]
        if self.sort_by_length:
            items.sort(key=lambda it: -len(it[1]))  # stable: ties keep suite order
        return DataLoader(_Records(items), batch_size=self.batch_size, shuffle=False,
                          num_workers=self.num_workers, collate_fn=collate)
