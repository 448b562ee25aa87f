"""Training data for the biophysical baselines: the regression-table contract, splits, DataModule.

A training source (:class:`RegressionData` subclass; Urtecho 2019, Lagator 2022, synthetic)
returns a table with columns ``id`` (str, unique), ``sequence`` (ACGT, one length for the whole
table), ``target`` (float64: measured expression on the scale the source documents, e.g. log2)
and ``split`` (``"train"``, ``"val"`` or ``"test"``), plus any descriptive columns.
"""
from __future__ import annotations

import abc
import hashlib

import lightning as L
import numpy as np
import pandas as pd
import torch
from torch.utils.data import DataLoader, TensorDataset

from mitbench.data.encoding import one_hot

SPLITS = ("train", "val", "test")


class RegressionData(abc.ABC):
    """A source of (sequence, measured target) pairs with a fixed train/val/test split."""

    name: str = "data"
    target_name: str = "target"

    @abc.abstractmethod
    def build(self) -> pd.DataFrame:
        """The table described in the module docstring."""

    def frame(self) -> pd.DataFrame:
        """:meth:`build`, checked (columns, splits, one length, finite targets) and cached."""
        if getattr(self, "_frame", None) is None:
            table = self.build().reset_index(drop=True)
            missing = {"id", "sequence", "target", "split"} - set(table.columns)
            if missing:
                raise ValueError(f"{self.name}: table lacks columns {sorted(missing)}")
            lengths = table["sequence"].str.len().unique()
            if len(lengths) != 1:
                raise ValueError(f"{self.name}: sequences of several lengths {sorted(lengths)[:5]}")
            for split in SPLITS:
                if not (table["split"] == split).any():
                    raise ValueError(f"{self.name}: split {split!r} is empty")
            if not np.isfinite(table["target"].to_numpy(float)).all():
                raise ValueError(f"{self.name}: non-finite target for {table.loc[~np.isfinite(table['target']), 'id'].iloc[0]!r}")
            self._frame = table
        return self._frame


def split_by_group(groups: pd.Series, test: list[str], val: list[str]) -> pd.Series:
    """``"test"``/``"val"`` for rows whose group is listed there, else ``"train"``.

    Raises
    ------
    ValueError
        If a listed group does not occur, or a group is listed for both test and val.
    """
    present = set(groups.astype(str))
    for g in [*test, *val]:
        if g not in present:
            raise ValueError(f"held-out group {g!r} does not occur (have: {sorted(present)})")
    if set(test) & set(val):
        raise ValueError(f"groups {sorted(set(test) & set(val))} listed for both test and val")
    out = pd.Series("train", index=groups.index)
    out[groups.astype(str).isin(val)] = "val"
    out[groups.astype(str).isin(test)] = "test"
    return out


def split_by_hash(keys: pd.Series, seed: int, val_fraction: float, test_fraction: float) -> pd.Series:
    """Deterministic random split: SHA-256 of ``f"{seed}:{key}"`` mapped to [0, 1).

    Independent of row order and platform; the same key always lands in the same split.
    """
    if val_fraction < 0 or test_fraction < 0 or val_fraction + test_fraction >= 1:
        raise ValueError(f"need 0 <= val, test fractions and val + test < 1, got {val_fraction}, {test_fraction}")
    u = keys.astype(str).map(lambda k: int(hashlib.sha256(f"{seed}:{k}".encode()).hexdigest()[:12], 16) / 16**12)
    return pd.Series(np.where(u < test_fraction, "test", np.where(u < test_fraction + val_fraction, "val", "train")),
                     index=keys.index)


class RegressionDataModule(L.LightningDataModule):
    """Serve one-hot sequences and targets of a :class:`RegressionData` by split.

    Batches are tuples ``(x, y)``: ``x`` float64 ``(B, L, 4)`` one-hot ACGT, ``y`` float64 ``(B,)``.

    Parameters
    ----------
    data : RegressionData
        The source.
    batch_size : int
        Training batch size (validation/test use whole splits in batches of 4096).
    seed : int
        Seed of the training-set shuffling generator (deterministic epochs).
    """

    def __init__(self, data: RegressionData, batch_size: int = 256, seed: int = 0) -> None:
        super().__init__()
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.data, self.batch_size, self.seed = data, batch_size, seed
        self.tensors: dict[str, TensorDataset] = {}

    def setup(self, stage: str | None = None) -> None:
        if self.tensors:
            return
        table = self.data.frame()
        for split in SPLITS:
            sub = table[table["split"] == split]
            x = one_hot(sub["sequence"].tolist())
            y = torch.tensor(sub["target"].to_numpy(np.float64))
            self.tensors[split] = TensorDataset(x, y)

    def split_frame(self, split: str) -> pd.DataFrame:
        """Rows of ``split`` in the order the loaders serve them."""
        table = self.data.frame()
        return table[table["split"] == split].reset_index(drop=True)

    def train_dataloader(self) -> DataLoader:
        gen = torch.Generator().manual_seed(self.seed)
        return DataLoader(self.tensors["train"], batch_size=self.batch_size, shuffle=True, generator=gen)

    def val_dataloader(self) -> DataLoader:
        return DataLoader(self.tensors["val"], batch_size=4096)

    def test_dataloader(self) -> DataLoader:
        return DataLoader(self.tensors["test"], batch_size=4096)

    def loader(self, split: str) -> DataLoader:
        """Unshuffled loader of any split (for evaluation after fitting)."""
        return DataLoader(self.tensors[split], batch_size=4096)
