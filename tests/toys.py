"""Toy suite and scorer used to test the evaluate plumbing independently of real models."""
from __future__ import annotations

import torch

from mitbench.data.core.records import SequenceRecord
from mitbench.suites.base import Suite
from mitbench.models.base import Scorer


class ToySuite(Suite):
    name = "toy"

    def __init__(self, sequences: dict[str, str], version: str = "0") -> None:
        super().__init__(version)
        self.sequences = dict(sequences)

    def build(self):
        return [SequenceRecord(i, "X", s) for i, s in self.sequences.items()]

    def summarize(self, table):
        return {"mean_score": float(table["score"].mean())}


class ATCount(Scorer):
    """Score = number of A/T bases (exact, easy to check by hand)."""

    mode = "score"

    def __init__(self, name: str = "at_count", nan_for: str | None = None) -> None:
        super().__init__(name)
        self.nan_for = nan_for

    def score_batch(self, sequences):
        return torch.tensor([float("nan") if s == self.nan_for else float(s.count("A") + s.count("T"))
                             for s in sequences], dtype=torch.float64)


class SigtermSelf(ATCount):
    """Sends SIGTERM to its own process while it scores its first batch (what ``timeout``, ``kill``
    or SLURM would do), then keeps scoring: only a handler that raises can stop the run."""

    def score_batch(self, sequences):
        import os
        import signal

        os.kill(os.getpid(), signal.SIGTERM)
        return super().score_batch(sequences)
