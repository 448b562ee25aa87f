"""DataModule for positional-contrastive fine-tuning: Urtecho positional pairs + genome crops.

Each training step gets ``{"pairs": {"positive": (B, 100), "negatives": (B, K, 100)},
"genome": (B', L)}`` int64 codes (negatives in the order of
:data:`mitbench.data.glm.positional_pairs.NEGATIVES`), so the language-model loss on the genome is
trained alongside the margin loss. Validation: every pair of the held-out backgrounds
(dataloader 0) and the genome validation windows (dataloader 1).
"""
from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from mitbench.data.core.encoding import codes
from mitbench.data.glm.genome_lm import EpochIndices, GenomeLMDataModule
from mitbench.data.glm.positional_pairs import NEGATIVES, positional_pairs


class PairTensors(Dataset):
    """Pairs as code tensors; with ``sample_seed`` an index ``g`` draws pair
    ``default_rng([sample_seed, g]).integers(n)`` (with replacement, resumable), else it is the pair."""

    def __init__(self, positive: np.ndarray, negatives: np.ndarray, sample_seed: int | None = None) -> None:
        self.positive, self.negatives = torch.from_numpy(positive), torch.from_numpy(negatives)
        self.sample_seed = sample_seed

    def __len__(self) -> int:
        return len(self.positive)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        if self.sample_seed is not None:
            index = int(np.random.default_rng([self.sample_seed, int(index)]).integers(len(self.positive)))
        return {"positive": self.positive[index], "negatives": self.negatives[index]}


class PositionalPairsDataModule(GenomeLMDataModule):
    """Urtecho pairs (see :func:`positional_pairs`) plus the genome crops of the parent class.

    Parameters
    ----------
    root : str
        Urtecho 2019 folder (``data.root=``).
    val_backgrounds : list of str
        Backgrounds whose pairs are held out for validation.
    min_up_effect : float
        Minimum measured log2 UP effect of a positive.
    pair_batch_size : int
        Pairs per training step.
    pair_seed : int
        Seed of the negatives' construction and of the pair sampling.
    **genome_kwargs
        :class:`GenomeLMDataModule` arguments (``genome``, ``context``, ``batch_size``,
        ``steps_per_epoch`` …); one epoch = ``steps_per_epoch`` steps.
    """

    def __init__(self, root: str, val_backgrounds: list[str], min_up_effect: float = 1.0, pair_batch_size: int = 32,
                 pair_seed: int = 0, **genome_kwargs) -> None:
        super().__init__(**genome_kwargs)
        if pair_batch_size < 1:
            raise ValueError(f"pair_batch_size must be >= 1, got {pair_batch_size}")
        self.root, self.val_backgrounds = str(root), list(val_backgrounds)
        self.min_up_effect, self.pair_batch_size, self.pair_seed = float(min_up_effect), int(pair_batch_size), int(pair_seed)
        self.pairs = None

    def setup(self, stage: str | None = None) -> None:
        super().setup(stage)
        if self.pairs is not None:
            return
        from mitbench.data.fit.urtecho import read_urtecho

        table, _ = read_urtecho(self.root, verbose=False)
        self.pairs = positional_pairs(table, self.min_up_effect, tuple(self.val_backgrounds), self.pair_seed)
        for split in ("train", "val"):
            if not (self.pairs["split"] == split).any():
                raise ValueError(f"{self.root}: no {split} pairs (val_backgrounds={self.val_backgrounds})")

    def pair_tensors(self, split: str, sample_seed: int | None = None) -> PairTensors:
        """The pairs of ``split`` as code arrays ``(N, 100)`` and ``(N, K, 100)``."""
        sub = self.pairs[self.pairs["split"] == split]
        pos = np.stack([codes(s) for s in sub["positive"]])
        neg = np.stack([np.stack([codes(s) for s in sub[name]]) for name in NEGATIVES], axis=1)
        return PairTensors(pos, neg, sample_seed)

    def summary(self) -> dict[str, int]:
        counts = self.pairs["split"].value_counts()
        return {**super().summary(), "train_pairs": int(counts.get("train", 0)), "val_pairs": int(counts.get("val", 0))}

    def train_dataloader(self) -> dict[str, DataLoader]:
        pairs = self.pair_tensors("train", sample_seed=self.pair_seed)
        n = self.steps_per_epoch * self.pair_batch_size
        return {"pairs": DataLoader(pairs, batch_size=self.pair_batch_size, sampler=EpochIndices(n), drop_last=True),
                "genome": super().train_dataloader()}

    def val_dataloader(self) -> list[DataLoader]:
        return [DataLoader(self.pair_tensors("val"), batch_size=256), super().val_dataloader()]
