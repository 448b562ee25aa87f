"""Two reference points: the PWM-only baseline (−35 + −10 at fixed positions) and a random score."""
from __future__ import annotations

import torch
from torch import Tensor

from mitbench.data.core.grammar import STANDARD
from mitbench.models.baselines.components.base import Component
from mitbench.models.baselines.components.pwm import PAPER_MINUS10, PAPER_MINUS35, matrix, pwm_at

_P = 2_147_483_647  # Mersenne prime 2^31 - 1: products of two residues fit in int64


class PWMOnly(Component):
    """``PWM35(x @ minus35_start) + PWM10(x @ minus10_start)``: core boxes only, no compensation.

    Parameters
    ----------
    minus35_start, minus10_start : int
        0-based first base of the −35 and −10 hexamers (standard layout: 30, 53).

    Notes
    -----
    48 learnable float64 parameters: ``minus35`` (6, 4) and ``minus10`` (6, 4), initialised to
    the paper's matrices (MIT Appendix C.1). Input ``(B, L, 4)`` float64 one-hot, output ``(B,)``.
    """

    def __init__(self, minus35_start: int = STANDARD.minus35_start, minus10_start: int = STANDARD.minus10_start) -> None:
        super().__init__()
        self.minus35_start, self.minus10_start = int(minus35_start), int(minus10_start)
        self.minus35 = matrix(PAPER_MINUS35)
        self.minus10 = matrix(PAPER_MINUS10)
        self.min_length = max(self.minus35_start, self.minus10_start) + 6

    def forward(self, x: Tensor) -> Tensor:
        """``(B, L, 4)`` float64 one-hot -> ``(B,)`` float64 score, higher = more active."""
        return pwm_at(x, self.minus35, self.minus35_start) + pwm_at(x, self.minus10, self.minus10_start)

    def extra_repr(self) -> str:
        return f"minus35_start={self.minus35_start}, minus10_start={self.minus10_start}"


class RandomScore(Component):
    """A standard-normal score that is a deterministic function of (sequence, seed).

    The same sequence always gets the same score, whatever batch or order it is scored in; two
    different sequences get (pseudo-)independent scores. Two polynomial hashes of the base
    codes modulo the prime ``2^31 - 1`` (with seed-dependent multipliers, length included) are
    mixed by a few rounds of squaring, mapped to ``u1, u2`` in (0, 1) and turned into a normal
    by Box–Muller. No learnable parameters.

    Parameters
    ----------
    seed : int
        Changes every score.
    """

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        self.seed = int(seed)
        self.min_length = 1
        gen = torch.Generator().manual_seed(self.seed)
        # multipliers, offsets for the two hashes; int64, in [2, P)
        self._consts = torch.randint(2, _P, (6,), generator=gen, dtype=torch.int64)

    def _hash(self, codes: Tensor, mult: int, offset: int, salt: int) -> Tensor:
        length = codes.shape[1]
        powers = torch.empty(length, dtype=torch.int64)
        acc = 1
        for i in range(length):  # positions, not sequences: one pass, reused by the whole batch
            powers[i] = acc
            acc = acc * mult % _P
        h = ((codes + 1) * powers % _P).sum(dim=1) % _P
        h = (h + length * salt + offset) % _P
        for _ in range(3):
            h = (h * h + offset) % _P
            h = (h * mult + salt) % _P
        return h

    def forward(self, x: Tensor) -> Tensor:
        """``(B, L, 4)`` one-hot -> ``(B,)`` float64 N(0, 1) draws, one per distinct sequence."""
        codes = x.argmax(dim=-1).to(torch.int64)
        c = [int(v) for v in self._consts]
        u1 = (self._hash(codes, c[0], c[1], c[4]).to(torch.float64) + 0.5) / _P
        u2 = (self._hash(codes, c[2], c[3], c[5]).to(torch.float64) + 0.5) / _P
        return torch.sqrt(-2.0 * torch.log(u1)) * torch.cos(2.0 * torch.pi * u2)

    def extra_repr(self) -> str:
        return f"seed={self.seed}"
