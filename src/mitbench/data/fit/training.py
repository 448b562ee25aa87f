"""Training data for the biophysical baselines: the regression-table contract, splits, DataModule.

A training source (:class:`RegressionData` subclass; Urtecho 2019, Lagator 2022, synthetic)
returns a table with columns ``id`` (str, unique), ``sequence`` (ACGT, one length for the whole
table), ``target`` (float64: measured expression on the scale the source documents, e.g. log2)
and ``split`` (``"train"``, ``"val"`` or ``"test"``), plus any descriptive columns.

Rows a reader drops (unmeasured, non-ACGT, unparsable layout...) are *exclusions*: the source
records them in ``excluded`` with the number of rows it read in ``n_read``. Above the fraction
``max_excluded`` (``data.max_excluded=``, default 0.01) they stop the run, since that many means a
truncated, damaged or wrong file far more often than a few bad rows; below it each run logs them
as a warning, and ``train_baselines`` writes the counts into ``fit_metrics.json``.

Published files can be pinned by SHA-256 (``sha256`` in the data config): a file cut at a line
boundary is still a valid table, so only its digest tells it from the published one.
"""
from __future__ import annotations

import abc
import hashlib
import logging
from pathlib import Path
from typing import Mapping, Sequence

import lightning as L
import numpy as np
import pandas as pd
import torch
from torch.utils.data import DataLoader, TensorDataset

from mitbench.data.core.encoding import one_hot
from mitbench.data.core.textio import InputError

SPLITS = ("train", "val", "test")
DEFAULT_MAX_EXCLUDED = 0.01
log = logging.getLogger(__name__)


class RegressionData(abc.ABC):
    """A source of (sequence, measured target) pairs with a fixed train/val/test split."""

    name: str = "data"
    target_name: str = "target"
    #: largest tolerated fraction of excluded rows (constructor argument ``max_excluded``)
    max_excluded: float = DEFAULT_MAX_EXCLUDED
    #: set by :meth:`build`: rows read from the files, and ``(row id, reason)`` of those dropped
    n_read: int | None = None
    excluded: list[tuple[str, str]] = []
    #: set by :meth:`build`: ``{file name: SHA-256 hex}`` of the files read (:func:`verify_files`)
    file_sha256: dict[str, str] = {}

    @abc.abstractmethod
    def build(self) -> pd.DataFrame:
        """The table described in the module docstring."""

    def frame(self) -> pd.DataFrame:
        """:meth:`build`, checked (columns, splits, one length, finite targets) and cached."""
        if getattr(self, "_frame", None) is None:
            table = self.build().reset_index(drop=True)
            if self.n_read is None:  # a source without exclusions (synthetic)
                self.n_read = len(table)
            self._check_exclusions()
            if table.empty:
                raise ValueError(f"{self.name}: no usable rows")
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

    def _check_exclusions(self) -> None:
        n_read, excluded = self.n_read, list(self.excluded)
        if not excluded:
            return
        fraction = len(excluded) / max(int(n_read or 0), 1)
        where = f"{self.name} ({self.root})" if getattr(self, "root", None) else self.name
        message = (f"{where}: {len(excluded)} of {n_read} rows excluded ({fraction:.2%}); e.g. "
                   + "; ".join(f"{rid!r}: {why}" for rid, why in excluded[:5]))
        if fraction > self.max_excluded:
            raise ValueError(f"{message}. That is more than data.max_excluded={self.max_excluded:g}: a truncated, "
                             "damaged or wrong input file? Check the files, or allow it with "
                             f"data.max_excluded={min(1.0, round(fraction + 0.005, 2)):g}")
        log.warning(message)

    def input_summary(self) -> dict:
        """Rows read, excluded and used (after de-duplication), the tolerated excluded fraction and
        the SHA-256 of each file read (for ``fit_metrics.json``)."""
        used = len(self.frame())
        return {"data_rows_read": self.n_read, "data_rows_excluded": len(self.excluded), "data_rows_used": used,
                "data_max_excluded": float(self.max_excluded), "data_sha256": dict(self.file_sha256)}


def verify_files(root: str | Path, names: Sequence[str], sha256: Mapping[str, str] | None) -> dict[str, str]:
    """SHA-256 of the files ``names`` under ``root``, checked against the pinned digests.

    Parameters
    ----------
    root : str or Path
        The data folder (``data.root``).
    names : sequence of str
        File names to hash.
    sha256 : mapping of str to str, optional
        Expected hex digests by file name (names it lacks are hashed, not checked); None checks nothing.

    Raises
    ------
    FileNotFoundError
        If a file is missing.
    InputError
        Naming the file whose digest differs from its pin (truncated, damaged or another version).
    """
    digests = {}
    for name in names:
        path = Path(root) / name
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file (data.root={root})")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        want = (sha256 or {}).get(name)
        if want is not None and digest != str(want).lower():
            raise InputError(f"{path}: SHA-256 {digest[:12]}... differs from the published file's {str(want)[:12]}... "
                             "(truncated, damaged or another version?). Restore the file, or train on it anyway "
                             "with data.sha256=null")
        digests[name] = digest
    return digests


def check_fraction(value: float, name: str) -> float:
    """``value`` as a float in [0, 1], else ``ValueError`` naming the argument."""
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a fraction in [0, 1], got {value}")
    return value


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
