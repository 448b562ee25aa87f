"""Numeric encodings of ACGT strings: integer codes and one-hot tensors.

Channel order is always A, C, G, T (index 0..3), so the reverse complement of a one-hot tensor is
a flip of both the position and the channel axis.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
from torch import Tensor

BASES = "ACGT"
_CODE = np.full(256, -1, dtype=np.int64)
for _i, _b in enumerate(BASES.encode()):
    _CODE[_b] = _i


def codes(sequence: str, where: str = "sequence") -> np.ndarray:
    """int64 ``(L,)`` codes 0..3 of an upper-case ACGT string.

    Raises
    ------
    ValueError
        Naming ``where`` and the first character that is not A/C/G/T with its 0-based position.
    """
    raw = np.frombuffer(sequence.encode("latin-1", "replace"), dtype=np.uint8)
    out = _CODE[raw]
    bad = np.flatnonzero(out < 0)
    if bad.size:
        raise ValueError(f"{where}: character {sequence[int(bad[0])]!r} at position {int(bad[0])} is not A/C/G/T")
    return out


def one_hot(sequences: Sequence[str], dtype: torch.dtype = torch.float64) -> Tensor:
    """Encode equal-length ACGT strings as ``(B, L, 4)`` one-hot (A, C, G, T channels).

    Raises
    ------
    ValueError
        If lengths differ or a character is not A/C/G/T (the message names the sequence's index).
    """
    if not sequences:
        return torch.zeros(0, 0, 4, dtype=dtype)
    length = len(sequences[0])
    out = np.empty((len(sequences), length), dtype=np.int64)
    for i, s in enumerate(sequences):
        if len(s) != length:
            raise ValueError(f"sequence #{i} has length {len(s)}, expected {length} (one batch, one length)")
        out[i] = codes(s, f"sequence #{i}")
    return torch.nn.functional.one_hot(torch.from_numpy(out), 4).to(dtype)
