"""Position weight matrices and the tensor primitives every biophysical component uses.

Tensors: a batch of one-hot sequences ``x`` has shape ``(B, L, 4)``, dtype float64, channel
order A, C, G, T. A PWM ``w`` has shape ``(W, 4)`` (log-odds, higher = favoured).
The paper's hand-set matrices (MIT Appendix C.1) are given here as initial values.
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import Tensor

from mitbench.data.core.encoding import BASES



def _matrix(rows: Sequence[dict[str, float]]) -> list[list[float]]:
    return [[row[b] for b in BASES] for row in rows]


# Paper's log-odds values, ACGT columns.
PAPER_MINUS35 = _matrix([
    {"T": 1.5, "A": -0.5, "C": -1.5, "G": -1.5},
    {"T": 1.5, "A": -0.5, "C": -1.5, "G": -1.5},
    {"G": 1.5, "A": -0.5, "T": -1.0, "C": -1.5},
    {"A": 1.5, "T": -0.3, "G": -1.5, "C": -1.5},
    {"C": 1.5, "A": -0.5, "T": -1.0, "G": -1.5},
    {"A": 1.5, "T": -0.3, "G": -1.5, "C": -1.5},
])
PAPER_MINUS10 = _matrix([
    {"T": 1.5, "A": -0.3, "C": -2.0, "G": -2.0},
    {"A": 2.0, "T": -0.5, "G": -2.5, "C": -2.5},
    {"T": 1.5, "A": -0.5, "C": -1.5, "G": -2.0},
    {"A": 1.5, "T": -0.3, "G": -1.5, "C": -2.0},
    {"A": 1.5, "T": -0.3, "G": -1.5, "C": -1.5},
    {"T": 1.5, "A": -0.3, "C": -1.5, "G": -2.0},
])
PAPER_UP = _matrix(
    [{"A": 1.0, "T": 0.5, "G": -1.0, "C": -1.0}] * 5
    + [
        {"A": 0.5, "T": 0.5, "G": -0.5, "C": -0.5},
        {"A": 0.5, "G": 0.5, "T": -0.5, "C": -0.5},
        {"A": 0.5, "T": 0.5, "G": -0.5, "C": -0.5},
        {"A": 0.5, "G": 0.5, "T": -0.5, "C": -0.5},
    ]
)
PAPER_EXT10 = _matrix([
    {"T": 1.5, "A": -0.5, "C": -1.5, "G": -1.5},
    {"G": 1.5, "A": -1.0, "T": -1.0, "C": -1.5},
    {"A": 0.3, "T": 0.3, "G": 0.3, "C": 0.3},
])


def reverse_complement_onehot(x: Tensor) -> Tensor:
    """Reverse complement of ``(B, L, 4)`` one-hot (ACGT order makes it a double flip)."""
    return x.flip(1).flip(2)


def pwm_at(x: Tensor, weight: Tensor, start: int) -> Tensor:
    """Score ``weight`` (W, 4) placed at ``start`` in every sequence: ``(B,)``.

    A window reaching past either end is scored only on the bases inside the sequence.
    """
    width = weight.shape[0]
    lo, hi = max(start, 0), min(start + width, x.shape[1])
    if lo >= hi:
        return x.new_zeros(x.shape[0])
    return (x[:, lo:hi, :] * weight[lo - start: hi - start]).sum(dim=(1, 2))


def pwm_scan(x: Tensor, weight: Tensor) -> Tensor:
    """Score ``weight`` at every start position: ``(B, L - W + 1)``."""
    width = weight.shape[0]
    windows = x.unfold(1, width, 1)  # (B, L-W+1, 4, W)
    return torch.einsum("bpcw,wc->bp", windows, weight)


def smooth_max(scores: Tensor, dim: int, temperature: float = 0.0) -> Tensor:
    """Maximum over ``dim``; ``temperature > 0`` gives ``T * logsumexp(scores / T)`` instead.

    The hard max (``temperature == 0``) is differentiable almost everywhere (the gradient
    goes to the arg-max); the soft form is smooth and exceeds the max by at most
    ``T * log(n)`` for ``n`` entries. ``-inf`` entries are ignored by both.
    """
    if temperature <= 0:
        return scores.amax(dim=dim)
    return temperature * torch.logsumexp(scores / temperature, dim=dim)


def soft_gate(value: Tensor, threshold: Tensor, temperature: float) -> Tensor:
    """Smooth step ``sigmoid((value - threshold) / T)``: ~1 above ``threshold``, ~0 below.

    Replaces the paper's hard ``if value > threshold`` so the score stays differentiable in
    both ``value`` (hence the PWM weights) and ``threshold``.
    """
    return torch.sigmoid((value - threshold) / temperature)


def scalar(value: float) -> torch.nn.Parameter:
    """A learnable float64 scalar parameter."""
    return torch.nn.Parameter(torch.tensor(float(value), dtype=torch.float64))


def matrix(values: Sequence[Sequence[float]]) -> torch.nn.Parameter:
    """A learnable float64 ``(W, 4)`` PWM parameter initialised to ``values``."""
    return torch.nn.Parameter(torch.tensor(values, dtype=torch.float64))
