"""Position-scanning model (MIT Appendix C.3), relaxed to be differentiable.

The reference (``PositionScanningModel``, bryanc5864/MechanisticInvarianceTesting_GLMs@f93aa74)
takes the best −35 start ``p`` and the best −10 start ``q`` *independently*, then scores::

    PWM35(p) + PWM10(q) - 0.3 (|p - e35| + |q - e10|) - 0.4 |q - p - 6 - 17| - 5 [p >= q]
      + best_ext * (1.5 if PWM10(q) < 7 else 0.3)   if best_ext > 1.0   (ext −10 in q-5 .. q-1)
      + 2 (at - 0.5)                                if at > 0.75        (AT of [p-25, p-5))

Here each arg-max is replaced by a soft arg-max: candidate starts are weighted by
``softmax((PWM - tie_break * start) / select_temperature)`` and every term is its expectation under those weights
(the pair terms under the product of the two). As ``select_temperature -> 0`` this is the
reference exactly (the small ``tie_break`` handicap sends equal windows to the first one,
as the reference does). The ``if``
rules become sigmoid gates of temperature ``gate_temperature`` whose learnable thresholds are
initialised half-way between grid values (PWM sums are multiples of 0.1: 1.05 for "> 1.0",
6.95 for "< 7.0"; AT fractions of the 20-bp window are multiples of 0.05: 0.775 for "> 0.75"),
so the hand-set model reproduces the reference's decisions.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from mitbench.data.core.grammar import STANDARD
from mitbench.models.baselines.components.base import Component
from mitbench.models.baselines.components.pwm import (PAPER_EXT10, PAPER_MINUS10, PAPER_MINUS35, matrix,
                                            pwm_scan, scalar, soft_gate)


MAX_LENGTH = 200  # bp: (B, L, L) float64 pair tensors; 128 records of 200 bp need ~40 MB each


class PositionScan(Component):
    """Soft arg-max position-scanning promoter score.

    Parameters
    ----------
    expected_minus35, expected_minus10 : int
        Expected 0-based starts of the −35 and −10 hexamers (standard layout: 30, 53).
    optimal_spacing : int
        Spacer length without penalty (bp).
    position_penalty, spacing_penalty, order_penalty : float
        Initial penalties: per bp of displacement, per bp of spacer deviation, −35 not upstream.
    ext10_threshold, weak10_threshold : float
        Initial gate centres (PWM units) for "ext −10 present" and "−10 weak".
    ext10_weak_weight, ext10_strong_weight : float
        Initial multipliers of the best ext −10 score when the −10 is weak / strong.
    up_weight, up_threshold : float
        Initial UP bonus ``up_weight * (at - 0.5)`` and its AT-fraction gate centre.
    select_temperature, gate_temperature, at_temperature : float
        Fixed temperatures of the soft arg-max (PWM units), PWM gates and AT gate (fraction).
    tie_break : float
        Fixed per-bp handicap of later windows in the soft arg-max (PWM units), so equal-scoring
        windows resolve to the first one as in the reference; ``tie_break * L`` must stay below
        the 0.1 PWM grid so distinct scores are never reordered (default 5e-4: L <= 200).
        Hence ``max_length = min(200, 0.1 / tie_break)`` bp, which also bounds the memory of
        the ``(B, L, L)`` pair tensors (the component contract's ``max_length``).

    Notes
    -----
    Learnable float64 parameters: ``minus35`` (6, 4), ``minus10`` (6, 4), ``ext10`` (3, 4) and 9
    scalars: 69 in total. Input ``(B, L, 4)`` float64 one-hot, ``6 <= L <= max_length``; output ``(B,)``.
    """

    def __init__(self, expected_minus35: int = STANDARD.minus35_start, expected_minus10: int = STANDARD.minus10_start,
                 optimal_spacing: int = STANDARD.spacer,
                 position_penalty: float = 0.3, spacing_penalty: float = 0.4, order_penalty: float = 5.0,
                 ext10_threshold: float = 1.05, weak10_threshold: float = 6.95,
                 ext10_weak_weight: float = 1.5, ext10_strong_weight: float = 0.3,
                 up_weight: float = 2.0, up_threshold: float = 0.775, select_temperature: float = 1e-4,
                 tie_break: float = 5e-4, gate_temperature: float = 0.01, at_temperature: float = 0.005) -> None:
        super().__init__()
        self.expected_minus35, self.expected_minus10 = int(expected_minus35), int(expected_minus10)
        self.optimal_spacing = int(optimal_spacing)
        self.select_temperature, self.gate_temperature = float(select_temperature), float(gate_temperature)
        self.at_temperature, self.tie_break = float(at_temperature), float(tie_break)
        self.minus35, self.minus10, self.ext10 = matrix(PAPER_MINUS35), matrix(PAPER_MINUS10), matrix(PAPER_EXT10)
        self.position_penalty, self.spacing_penalty = scalar(position_penalty), scalar(spacing_penalty)
        self.order_penalty = scalar(order_penalty)
        self.ext10_threshold, self.weak10_threshold = scalar(ext10_threshold), scalar(weak10_threshold)
        self.ext10_weak_weight, self.ext10_strong_weight = scalar(ext10_weak_weight), scalar(ext10_strong_weight)
        self.up_weight, self.up_threshold = scalar(up_weight), scalar(up_threshold)
        self.min_length = 6
        # exact tie-breaking needs tie_break * L < 0.1; memory grows as L**2 (pair tensors)
        self.max_length = min(MAX_LENGTH, int(0.1 / self.tie_break)) if self.tie_break > 0 else MAX_LENGTH

    def _best_ext_before(self, x: Tensor, n: int) -> Tensor:
        """Best ext −10 PWM over starts ``q-5 .. q-1`` for each −10 start ``q < n``: ``(B, n)``."""
        ext = pwm_scan(x, self.ext10)  # (B, L-2); starts >= 0 only (the reference clips at 0)
        padded = F.pad(ext, (5, 0), value=float("-inf"))  # index j <-> start j - 5
        return padded.unfold(1, 5, 1)[:, :n].amax(-1)  # -inf when q == 0 (no window)

    def _at_upstream(self, x: Tensor, n: int) -> tuple[Tensor, Tensor]:
        """AT fraction of ``[max(0, p-25), p-5)`` and whether it is non-empty, per ``p < n``."""
        at = F.pad((x[..., 0] + x[..., 3]).cumsum(1), (1, 0))  # (B, L+1) prefix sums
        p = torch.arange(n, device=x.device)
        lo, hi = (p - 25).clamp(min=0), (p - 5).clamp(min=0)
        width = (hi - lo).to(x.dtype)
        frac = (at[:, hi] - at[:, lo]) / width.clamp(min=1)
        return frac, width > 0

    def forward(self, x: Tensor) -> Tensor:
        """``(B, L, 4)`` float64 one-hot -> ``(B,)`` float64 score, higher = more active."""
        s35, s10 = pwm_scan(x, self.minus35), pwm_scan(x, self.minus10)  # (B, n), n = L-5
        n = s35.shape[1]
        pos = torch.arange(n, device=x.device, dtype=x.dtype)
        first = self.tie_break * pos  # the reference keeps the first of equal windows
        w35 = torch.softmax((s35 - first) / self.select_temperature, dim=1)
        w10 = torch.softmax((s10 - first) / self.select_temperature, dim=1)
        score = (w35 * s35).sum(1) + (w10 * s10).sum(1)
        displacement = (w35 * (pos - self.expected_minus35).abs()).sum(1) \
            + (w10 * (pos - self.expected_minus10).abs()).sum(1)
        pair = w35[:, :, None] * w10[:, None, :]  # (B, p, q)
        spacer = pos[None, :] - pos[:, None] - 6  # (p, q)
        spacing_dev = (pair * (spacer - self.optimal_spacing).abs()).sum((1, 2))
        wrong_order = (pair * (pos[:, None] >= pos[None, :]).to(x.dtype)).sum((1, 2))
        score = score - self.position_penalty * displacement - self.spacing_penalty * spacing_dev \
            - self.order_penalty * wrong_order

        ext = self._best_ext_before(x, n)
        has_ext = torch.isfinite(ext)
        ext = torch.where(has_ext, ext, torch.zeros_like(ext))
        present = soft_gate(ext, self.ext10_threshold, self.gate_temperature) * has_ext
        weak = soft_gate(-s10, -self.weak10_threshold, self.gate_temperature)
        mult = self.ext10_strong_weight + (self.ext10_weak_weight - self.ext10_strong_weight) * weak
        score = score + (w10 * present * ext * mult).sum(1)

        frac, has_up = self._at_upstream(x, n)
        up = soft_gate(frac, self.up_threshold, self.at_temperature) * has_up * self.up_weight * (frac - 0.5)
        return score + (w35 * up).sum(1)

    def extra_repr(self) -> str:
        return (f"expected_minus35={self.expected_minus35}, expected_minus10={self.expected_minus10}, "
                f"optimal_spacing={self.optimal_spacing}, select_temperature={self.select_temperature}, "
                f"tie_break={self.tie_break}, "
                f"gate_temperature={self.gate_temperature}, at_temperature={self.at_temperature}")
