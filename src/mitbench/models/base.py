"""The one scoring contract shared by every model, gLM or baseline.

A scorer is a ``LightningModule`` whose ``predict_step`` maps a batch
``{"ids": list[str], "sequences": list[str]}`` to

    {"ids": list[str], "scores": torch.float64 tensor (B,), "mode": str}

Scores are per-sequence, float64, and **higher = more likely / more active**. ``mode`` names
how they were computed: ``ll`` (causal log-likelihood, nats), ``pll`` (exact pseudo-log-
likelihood, nats), ``energy`` (negative binding free energy, a.u.), ``score`` (a model's own
scale), ``precomputed`` (read from a file). Inside a family, :meth:`Scorer.scoring_label` names the
convention (gLMs: ``pll_exact``, ``pll_unmasked``, ``ll_mean``, ...; see
:mod:`mitbench.models.glm.conventions`) and :meth:`Scorer.approximation` says how it departs from the
exact score: approximations are separate, named conventions, never silent.

Subclasses implement :meth:`score_batch` and may override :meth:`check_records` (length and
context constraints) and :meth:`identity` (what makes a cached score reusable).
"""
from __future__ import annotations

import abc
import hashlib
import json
from typing import Any, Sequence

import lightning as L
import torch
from torch import Tensor

from mitbench.data.core.records import SequenceRecord


class Scorer(L.LightningModule, abc.ABC):
    """Base class of all scorers.

    Parameters
    ----------
    name : str
        Model name used in outputs and comparison tables.
    """

    mode: str = "score"
    #: what kind of model this is, for ``mitbench list models`` (``baseline``, ``gLM``, ``file``)
    category: str = "model"
    #: whether :meth:`random_init_copy` can build the model's architecture with random weights
    has_architecture_null: bool = False

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.cache = None  # optional ScoreCache (see mitbench.models.cache); set by subclasses
        self.n_scored = 0  # sequences actually computed (not served from the cache) in this process

    # --- contract -------------------------------------------------------------------------
    @abc.abstractmethod
    def score_batch(self, sequences: Sequence[str]) -> Tensor:
        """Score upper-case ACGT strings; return float64 ``(B,)``, higher = more likely."""

    def check_records(self, records: Sequence[SequenceRecord]) -> None:
        """Raise ``ValueError`` naming the first record this model cannot score. Default: none."""

    def random_init_copy(self, seed: int) -> "Scorer":
        """A copy of this model's architecture with random weights drawn with ``seed`` (the
        calibration null). Only scorers with ``has_architecture_null`` implement it."""
        raise NotImplementedError(f"{type(self).__name__} has no architecture to re-initialise")

    def checkpoint_label(self) -> str:
        """What produced the scores, for titles and summaries (a checkpoint, weights or file)."""
        return self.name

    def scoring_label(self) -> str:
        """The scoring convention written into outputs (``metrics.json`` ``scoring``). Default: ``mode``."""
        return self.mode

    def approximation(self) -> str | None:
        """A sentence saying how the scores approximate the exact ``mode``, or None when they do not."""
        return None

    def identity(self) -> dict[str, Any]:
        """Everything that determines this model's scores (weights hash, revision, mode, ...)."""
        return {"name": self.name, "mode": self.mode, "class": type(self).__qualname__}

    # --- Lightning ------------------------------------------------------------------------
    def predict_step(self, batch: dict, batch_idx: int = 0, dataloader_idx: int = 0) -> dict:
        ids, seqs = list(batch["ids"]), list(batch["sequences"])
        scores = self._score_with_cache(ids, seqs)
        return {"ids": ids, "scores": scores, "mode": self.mode}

    def _score_with_cache(self, ids: list[str], seqs: list[str]) -> Tensor:
        if self.cache is None:
            out = self._checked(self.score_batch(seqs), ids)
            self.n_scored += len(seqs)
            return out
        keys = [self.cache_key(s) for s in seqs]
        found = self.cache.get_many(keys)
        todo = [i for i, k in enumerate(keys) if k not in found]
        result = torch.empty(len(seqs), dtype=torch.float64)
        if todo:
            # checked before the cache sees them: a non-finite score is an error naming its record
            new = self._checked(self.score_batch([seqs[i] for i in todo]), [ids[i] for i in todo])
            self.cache.put_many({keys[i]: v for i, v in zip(todo, new.tolist())})
            result[todo] = new
            self.n_scored += len(todo)
        for i, k in enumerate(keys):
            if k in found:
                result[i] = found[k]
        return result

    def cache_key(self, sequence: str) -> str:
        """Content address of (model identity, sequence)."""
        if not hasattr(self, "_identity_digest"):
            blob = json.dumps(self.identity(), sort_keys=True, default=str).encode()
            self._identity_digest = hashlib.sha256(blob).hexdigest()
        return hashlib.sha256(f"{self._identity_digest}:{sequence}".encode()).hexdigest()

    def _checked(self, scores: Tensor, ids: list[str]) -> Tensor:
        """``scores`` as float64 ``(B,)`` on the CPU, one finite value per record of ``ids``.

        Raises
        ------
        RuntimeError
            If the count differs from ``len(ids)``.
        ValueError
            Naming the first record whose score is NaN or infinite.
        """
        scores = torch.as_tensor(scores).detach().to("cpu", torch.float64).reshape(-1)
        if scores.numel() != len(ids):
            raise RuntimeError(f"model {self.name!r} returned {scores.numel()} scores for {len(ids)} sequences")
        bad = [i for i, s in zip(ids, scores.tolist()) if not _finite(s)]
        if bad:
            raise ValueError(f"model {self.name!r} returned a non-finite score for record {bad[0]!r}"
                             f" ({len(bad)} record(s) in this batch)")
        return scores


def _finite(x: float) -> bool:
    return x == x and x not in (float("inf"), float("-inf"))
