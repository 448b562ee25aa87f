"""LightningDataModule of one-hot continuation chunks for the real-vs-generated CNN detector.

Each continuation (natural = label 0, generated = label 1) is cut into non-overlapping
``chunk_bp`` pieces; chunk ``j`` starts ``j * chunk_bp`` bp after the seed. Windows, not chunks,
are split into train and held-out sets (seeded), so no held-out window's sequence is ever
trained on. A generated training chunk that reproduces the natural chunk it stands beside (the
generator copied the true continuation there: at least ``copy_identity`` of its positions carry
the natural base; two unrelated sequences share ~0.25-0.3) is left out of training: no detector
can tell a copy from the genome, and keeping it would train the same input towards both labels
(``n_train_copies`` counts them). Held-out chunks are all scored, copies included. Training
chunks are shuffled each epoch with a seeded generator and reverse-complemented with probability
1/2 (a base-pair-symmetric augmentation: the detector must not key on which strand the genome was
read from).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import lightning as L
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from mitbench.data.core.encoding import one_hot


@dataclass(frozen=True)
class ChunkIndex:
    """Metadata of the held-out chunks, aligned with the predict loader's order.

    Attributes
    ----------
    window : ndarray of int (n,)
        Window ordinal.
    chunk : ndarray of int (n,)
        Chunk ordinal from the seed (distance = chunk * chunk_bp).
    label : ndarray of int (n,)
        0 = natural, 1 = generated.
    """

    window: np.ndarray
    chunk: np.ndarray
    label: np.ndarray


class _Chunks(Dataset):
    def __init__(self, x: torch.Tensor, y: torch.Tensor, augment: bool, seed: int) -> None:
        self.x, self.y, self.augment = x, y, augment
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return self.x.shape[0]

    def __getitem__(self, i: int):
        x = self.x[i]
        if self.augment and self.rng.random() < 0.5:
            x = x.flip(0).flip(1)  # reverse complement: reverse positions, swap A<->T and C<->G
        return x, self.y[i]


class ChunkDataModule(L.LightningDataModule):
    """Chunks of natural and generated continuations, split by window.

    Parameters
    ----------
    natural, generated : sequence of str
        True and generated continuations, paired by window (same order, same length).
    chunk_bp : int
        Chunk length in bp.
    test_fraction : float
        Fraction of windows held out for evaluation (at least one each side).
    batch_size : int
        Training batch size.
    copy_identity : float
        A generated training chunk with at least this share of positions equal to its natural
        chunk is a copy and left out of training (1.0: exact copies only; in (0.3, 1]).
    seed : int
        Seeds the split, the shuffling and the augmentation.
    """

    def __init__(self, natural: Sequence[str], generated: Sequence[str], chunk_bp: int = 1000,
                 test_fraction: float = 0.5, batch_size: int = 64, copy_identity: float = 0.5,
                 seed: int = 0) -> None:
        super().__init__()
        if not 0.3 < copy_identity <= 1.0:
            raise ValueError(f"copy_identity must be in (0.3, 1] (unrelated DNA shares ~0.25-0.3 of positions), "
                             f"got {copy_identity}")
        self.copy_identity = float(copy_identity)
        if len(natural) != len(generated) or len(natural) < 2:
            raise ValueError(f"need >= 2 windows paired natural/generated, got {len(natural)} and {len(generated)}")
        length = min(len(s) for s in list(natural) + list(generated))
        if length < chunk_bp:
            raise ValueError(f"continuations of {length} bp are shorter than one {chunk_bp}-bp chunk")
        self.natural, self.generated = list(natural), list(generated)
        self.chunk_bp, self.batch_size, self.seed = int(chunk_bp), int(batch_size), int(seed)
        self.n_chunks = length // self.chunk_bp
        n = len(natural)
        n_test = min(n - 1, max(1, int(round(test_fraction * n))))
        perm = np.random.default_rng(seed).permutation(n)
        self.test_windows = np.sort(perm[:n_test])
        self.train_windows = np.sort(perm[n_test:])

    def _tensors(self, windows: np.ndarray, drop_copies: bool = False) -> tuple[torch.Tensor, torch.Tensor, ChunkIndex]:
        seqs, win, chunk, label = [], [], [], []
        for lab, pool in ((0, self.natural), (1, self.generated)):
            for w in windows:
                for j in range(self.n_chunks):
                    span = slice(j * self.chunk_bp, (j + 1) * self.chunk_bp)
                    piece = pool[w][span]
                    if drop_copies and lab == 1 and self._is_copy(piece, self.natural[w][span]):
                        self.n_train_copies += 1
                        continue
                    seqs.append(piece)
                    win.append(w), chunk.append(j), label.append(lab)
        x = one_hot(seqs, dtype=torch.float32)
        y = torch.tensor(label, dtype=torch.float32)
        return x, y, ChunkIndex(np.asarray(win), np.asarray(chunk), np.asarray(label))

    def _is_copy(self, generated: str, natural: str) -> bool:
        """At least ``copy_identity`` of the positions carry the natural base."""
        same = np.frombuffer(generated.encode(), np.uint8) == np.frombuffer(natural.encode(), np.uint8)
        return bool(same.mean() >= self.copy_identity)

    def setup(self, stage: str | None = None) -> None:
        if not hasattr(self, "train_x"):
            self.n_train_copies = 0
            self.train_x, self.train_y, _ = self._tensors(self.train_windows, drop_copies=True)
            self.test_x, self.test_y, self.test_index = self._tensors(self.test_windows)

    def train_dataloader(self) -> DataLoader:
        gen = torch.Generator().manual_seed(self.seed)
        return DataLoader(_Chunks(self.train_x, self.train_y, True, self.seed), batch_size=self.batch_size,
                          shuffle=True, generator=gen)

    def predict_dataloader(self) -> DataLoader:
        return DataLoader(_Chunks(self.test_x, self.test_y, False, self.seed), batch_size=256, shuffle=False)
