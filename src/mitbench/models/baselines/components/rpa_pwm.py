"""Relative Position-Aware PWM (RPA-PWM): scans both strands, knows only relative grammar.

No absolute position is used. A *parse* of one strand is a −35 start ``p`` and a spacer
``s`` in 15..19 (so the −10 starts at ``q = p + 6 + s``); its score is::

    PWM35(p) + PWM10(q) + spacing[s - 15]
      + up_weight * max_{u in [p-20, p-9]} PWM_UP(u)          (UP within 20 bp upstream of −35;
                                                               0 when no 9-bp window fits)
      + ext_weight * g(ext - ext_threshold) * ext,  ext = PWM_EXT(q - 3)   (TGn adjacent to −10)

with ``g(z) = sigmoid(z / T)``. Every element of a parse lies on the same strand (strand
consistency): the minus strand is parsed by running the same code on the reverse complement.
The sequence score is the (smooth) maximum over all parses of both strands, forward-strand
parses getting ``+ strand_bonus``::

    S(x) = max(parses(x) + strand_bonus, parses(revcomp(x)))

Hence ``S(x) == S(revcomp(x))`` exactly when ``strand_bonus == 0``; with the default bonus the
two differ by at most ``|strand_bonus|`` (a deliberate forward-strand preference).

Initial values: −35/−10/UP/ext −10 matrices, ``up_weight`` 0.5 and the gate of PA-PWM
(MIT Appendix C.1); spacing table (1.0, 1.5, 2.0, 1.5, 1.0) and strand bonus 1.0 of the reference
``scripts/rpa_pwm.py`` (bryanc5864/MechanisticInvarianceTesting_GLMs). Deliberate differences
from that script: one −10 matrix (it also accepted a "broken −10" matrix that scores TGTAAT as a
perfect box); graded UP and extended −10 terms from the PWMs instead of thresholded AT-content
and exact-TGT rules; smooth gate instead of ``if``.
"""
from __future__ import annotations

import torch
from torch import Tensor, nn

from mitbench.models.baselines.components.base import Component
from mitbench.models.baselines.components.pwm import (PAPER_EXT10, PAPER_MINUS10, PAPER_MINUS35, PAPER_UP,
                                            matrix, pwm_scan, reverse_complement_onehot, scalar,
                                            smooth_max, soft_gate)

MIN_SPACER, MAX_SPACER = 15, 19


class RPAPWM(Component):
    """Both-strand scanning promoter score with relative constraints only.

    Parameters
    ----------
    up_window : int
        The UP element must lie within this many bp upstream of the −35 start (9-bp windows
        starting ``up_window`` .. 9 bp before it).
    up_weight, ext10_weight : float
        Initial weights of the UP-PWM and extended −10 terms.
    ext10_threshold : float
        Initial centre of the "extended −10 present" gate (PWM units).
    strand_bonus : float
        Initial bonus of forward-strand parses.
    spacing : list of float
        Initial scores of spacers 15, 16, 17, 18, 19 bp (5 values).
    gate_temperature : float
        Temperature ``T`` of the sigmoid gate (fixed).
    pool_temperature : float
        0: hard max over parses (the reference); > 0: ``T * logsumexp`` (smooth everywhere).

    Notes
    -----
    Learnable float64 parameters: ``minus35`` (6, 4), ``minus10`` (6, 4), ``up`` (9, 4),
    ``ext10`` (3, 4), ``spacing`` (5,), ``up_weight``, ``ext10_weight``, ``ext10_threshold``,
    ``strand_bonus``: 105 in total. Input ``(B, L, 4)`` float64 one-hot, any ``L >= 27``
    (−35 + 15-bp spacer + −10); output ``(B,)`` float64, higher = more active.
    """

    def __init__(self, up_window: int = 20, up_weight: float = 0.5, ext10_weight: float = 1.0,
                 ext10_threshold: float = 1.05, strand_bonus: float = 1.0,
                 spacing: list[float] | None = None, gate_temperature: float = 0.01,
                 pool_temperature: float = 0.0) -> None:
        super().__init__()
        spacing = [1.0, 1.5, 2.0, 1.5, 1.0] if spacing is None else [float(v) for v in spacing]
        if len(spacing) != MAX_SPACER - MIN_SPACER + 1:
            raise ValueError(f"spacing needs {MAX_SPACER - MIN_SPACER + 1} values (15..19 bp), got {len(spacing)}")
        if up_window < 9:
            raise ValueError(f"up_window must be >= 9 (the UP element is 9 bp), got {up_window}")
        if gate_temperature <= 0:
            raise ValueError(f"gate_temperature must be > 0, got {gate_temperature}")
        self.up_window = int(up_window)
        self.gate_temperature, self.pool_temperature = float(gate_temperature), float(pool_temperature)
        self.minus35, self.minus10 = matrix(PAPER_MINUS35), matrix(PAPER_MINUS10)
        self.up, self.ext10 = matrix(PAPER_UP), matrix(PAPER_EXT10)
        self.spacing = nn.Parameter(torch.tensor(spacing, dtype=torch.float64))
        self.up_weight, self.ext10_weight = scalar(up_weight), scalar(ext10_weight)
        self.ext10_threshold, self.strand_bonus = scalar(ext10_threshold), scalar(strand_bonus)
        self.min_length = 6 + MIN_SPACER + 6

    def _up_per_start(self, x: Tensor) -> Tensor:
        """Best UP-PWM window upstream of each −35 start ``p``: ``(B, L - 5)`` (0 if none fits)."""
        batch, length, _ = x.shape
        width, span = self.up.shape[0], self.up_window - self.up.shape[0] + 1
        padded = torch.cat([x.new_zeros(batch, self.up_window, 4), x], dim=1)
        scores = pwm_scan(padded, self.up)  # index j <-> window start j - up_window
        starts = torch.arange(scores.shape[1], device=x.device) - self.up_window
        scores = scores.masked_fill(starts < 0, float("-inf"))  # windows must lie in the sequence
        per_p = scores.unfold(1, span, 1).amax(-1)  # (B, L - width + 2): p = 0 .. L - width + 1
        per_p = per_p[:, : length - 5]
        has_window = torch.arange(length - 5, device=x.device) >= width
        return torch.where(has_window, per_p, torch.zeros_like(per_p))

    def parses(self, x: Tensor) -> Tensor:
        """Scores of every forward-strand parse: ``(B, n_parses)`` float64."""
        length = x.shape[1]
        s35, s10 = pwm_scan(x, self.minus35), pwm_scan(x, self.minus10)  # (B, L-5)
        ext = pwm_scan(x, self.ext10)  # (B, L-2), index = start
        ext_term = self.ext10_weight * soft_gate(ext, self.ext10_threshold, self.gate_temperature) * ext
        up_term = self.up_weight * self._up_per_start(x)
        out = []
        for k, spacer in enumerate(range(MIN_SPACER, MAX_SPACER + 1)):
            n = length - 11 - spacer  # number of -35 starts whose -10 fits
            if n <= 0:
                continue
            q = 6 + spacer  # -10 start offset from p; ext -10 starts at p + q - 3
            out.append(s35[:, :n] + s10[:, q:q + n] + self.spacing[k] + up_term[:, :n]
                       + ext_term[:, q - 3:q - 3 + n])
        return torch.cat(out, dim=1)

    def forward(self, x: Tensor) -> Tensor:
        """``(B, L, 4)`` float64 one-hot, ``L >= 27`` -> ``(B,)`` float64 score."""
        if x.shape[1] < self.min_length:
            raise ValueError(f"RPA-PWM needs sequences of >= {self.min_length} bp, got {x.shape[1]}")
        both = torch.cat([self.parses(x) + self.strand_bonus,
                          self.parses(reverse_complement_onehot(x))], dim=1)
        return smooth_max(both, dim=1, temperature=self.pool_temperature)

    def extra_repr(self) -> str:
        return (f"up_window={self.up_window}, gate_temperature={self.gate_temperature}, "
                f"pool_temperature={self.pool_temperature}")
