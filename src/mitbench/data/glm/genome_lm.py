"""Genome language-model data: seeded random crops on both strands, held-out windows, DataModule.

Batches are int64 code tensors ``(B, L)`` (A, C, G, T = 0..3; the model maps codes to its token
ids and adds its special tokens). Training crops lie inside N-free stretches of the training
part of a :class:`~mitbench.data.glm.genome_split.GenomeSplit`, so none overlaps a held-out block;
each crop is the forward or the reverse strand with probability ½.

Determinism and resuming: crop ``g`` (a global index, ``epoch × epoch_size + i``) is drawn from
``numpy.random.default_rng([seed, g])`` alone, so a run that resumes at an epoch boundary sees
exactly the crops an uninterrupted run would.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Sequence

import lightning as L
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from mitbench.data.core.genome import Contig, read_genome
from mitbench.data.glm.genome_split import GenomeSplit, reverse_complement_codes, split_genome, tile_windows


class GenomeCrops(Dataset):
    """Crops of ``length`` bp, uniform over all valid start positions of all tracks.

    Parameters
    ----------
    tracks : sequence of ndarray
        int64 codes of the training stretches (forward strand); those shorter than ``length``
        are skipped.
    length : int
        Crop length in bp.
    seed : int
        Base seed (see module docstring).
    epoch_size : int
        Crops per epoch (``len(self)``).
    """

    def __init__(self, tracks: Sequence[np.ndarray], length: int, seed: int, epoch_size: int) -> None:
        self.tracks = [t for t in tracks if len(t) >= length]
        if not self.tracks:
            raise ValueError(f"no training stretch is at least {length} bp long; lower the context length")
        self.length, self.seed, self.epoch_size = int(length), int(seed), int(epoch_size)
        self.cum = np.cumsum([len(t) - length + 1 for t in self.tracks])  # valid starts per track

    def __len__(self) -> int:
        return self.epoch_size

    def locate(self, index: int) -> tuple[int, int, bool]:
        """``(track, start, reverse)`` of global crop ``index``."""
        rng = np.random.default_rng([self.seed, int(index)])
        u = int(rng.integers(self.cum[-1]))
        track = int(np.searchsorted(self.cum, u, side="right"))
        start = u - (int(self.cum[track - 1]) if track else 0)
        return track, start, bool(rng.integers(2))

    def __getitem__(self, index: int) -> torch.Tensor:
        track, start, reverse = self.locate(index)
        crop = self.tracks[track][start:start + self.length]
        return torch.from_numpy(reverse_complement_codes(crop) if reverse else crop.copy())


class EpochIndices(Sampler[int]):
    """Global indices ``epoch × n .. (epoch + 1) × n - 1``; Lightning calls :meth:`set_epoch`."""

    def __init__(self, n: int) -> None:
        self.n, self.epoch = int(n), 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.epoch * self.n, (self.epoch + 1) * self.n))

    def __len__(self) -> int:
        return self.n


class GenomeLMDataModule(L.LightningDataModule):
    """Crops of a genome for training; held-out windows for validation and the final figures.

    Parameters
    ----------
    genome : str
        FASTA(.gz) reference (see :func:`mitbench.data.core.genome.read_genome`).
    context : int
        Crop and window length in bp.
    batch_size : int
        Crops per training step.
    steps_per_epoch : int
        Training steps per epoch (an epoch ends with a validation pass and a checkpoint).
    val_fraction, test_fraction : float
        Held-out block sizes (fractions of the genome; see :func:`split_genome`).
    split_seed : int
        Seed of the block placement (keep it fixed across runs that are compared).
    seed : int
        Seed of the crops.
    n_val_windows : int
        Windows of the validation block scored at each validation (evenly spaced over both
        strands; the learning curve). The final figures use every window.
    """

    def __init__(self, genome: str, context: int = 256, batch_size: int = 32, steps_per_epoch: int = 200,
                 val_fraction: float = 0.1, test_fraction: float = 0.1, split_seed: int = 0, seed: int = 0,
                 n_val_windows: int = 128) -> None:
        super().__init__()
        for key, value in (("context", context), ("batch_size", batch_size), ("steps_per_epoch", steps_per_epoch),
                           ("n_val_windows", n_val_windows)):
            if int(value) < 1:
                raise ValueError(f"{key} must be >= 1, got {value}")
        self.genome = str(genome)
        self.context, self.batch_size, self.steps_per_epoch = int(context), int(batch_size), int(steps_per_epoch)
        self.val_fraction, self.test_fraction = float(val_fraction), float(test_fraction)
        self.split_seed, self.seed, self.n_val_windows = int(split_seed), int(seed), int(n_val_windows)
        self.contigs: list[Contig] = []
        self.split: GenomeSplit | None = None

    def setup(self, stage: str | None = None) -> None:
        if self.split is not None:
            return
        if not Path(self.genome).is_file():
            raise FileNotFoundError(f"genome={self.genome!r}: no such file")
        self.contigs = read_genome(self.genome)
        self.split = split_genome([len(c) for c in self.contigs], self.val_fraction, self.test_fraction,
                                  self.split_seed)
        self.crops = GenomeCrops(self.split.stretches(self.contigs, "train", self.context), self.context,
                                 self.seed, self.steps_per_epoch * self.batch_size)
        val = self.windows("val")
        if len(val) == 0:
            raise ValueError(f"{self.genome}: the validation block holds no N-free window of {self.context} bp")
        pick = np.unique(np.linspace(0, len(val) - 1, min(self.n_val_windows, len(val))).round().astype(int))
        self.val_subset = val[pick]

    def windows(self, part: str) -> np.ndarray:
        """int64 ``(N, context)``: every window of a held-out part, both strands (:func:`tile_windows`)."""
        return tile_windows(self.split.stretches(self.contigs, part, self.context), self.context)

    def train_tracks(self, both_strands: bool = True) -> list[np.ndarray]:
        """Codes of every N-free training stretch (forward, then reverse strands): the data a
        baseline is fitted on, exactly what the crops are drawn from (any length >= 1 bp)."""
        fwd = self.split.stretches(self.contigs, "train", 1)
        return fwd + [reverse_complement_codes(t) for t in fwd] if both_strands else fwd

    def summary(self) -> dict[str, int]:
        """Sizes (bp) of the parts and the number of contigs, for the run's metrics."""
        sizes = {f"{p}_bp": int(sum(len(s) for s in self.split.segments[p])) for p in ("train", "val", "test")}
        return {"genome_bp": int(sum(self.split.lengths)), "n_contigs": len(self.contigs), **sizes}

    def train_dataloader(self) -> DataLoader:
        return DataLoader(self.crops, batch_size=self.batch_size, sampler=EpochIndices(len(self.crops)),
                          drop_last=True)

    def val_dataloader(self) -> DataLoader:
        return DataLoader(torch.from_numpy(self.val_subset), batch_size=self.batch_size)  # rows: (B, L)
