"""Position-Aware PWM (PA-PWM, MIT Appendix C.1) and its two ablations as one module.

Score of a one-hot sequence ``x`` (higher = more promoter-like, arbitrary units)::

    S = PWM35(x @ p35) + PWM10(x @ p10) - spacing_penalty * |p10 - p35 - 6 - optimal_spacing|
        + up_weight * PWM_UP(x @ p_up)                                         (compensation)
        + g(ext - ext_threshold) * ext * (w_strong + (w_weak - w_strong) * g(weak_threshold - s10))

with ``ext = PWM_EXT(x @ p_ext)``, ``s10 = PWM10(x @ p10)`` and ``g(z) = sigmoid(z / T)``.

* ``compensation=False`` is PA-PWM-NoComp (no UP, no extended −10 terms; those parameters are
  not created).
* ``positional=False`` is PA-PWM-NoPos: each PWM is scanned over the whole sequence and its
  best window is taken (the positions and the spacing term are unused).
* ``follow_length=True`` reads a sequence of ``L`` bp at the positions of the layout resized to
  ``L`` (:meth:`mitbench.data.core.grammar.Layout.resized`: every element shifted by the move of the
  −35, ``round(minus35_start * L / layout_length) - minus35_start``), the rule the length
  ablation builds its sequences with; on ``layout_length``-bp sequences nothing changes.

Differences from the reference code (bryanc5864/MechanisticInvarianceTesting_GLMs@f93aa74,
``PositionAwarePWM``), all initialised to reproduce its decisions:

* Its hard thresholds ``ext10 > 1.0`` and ``score_10 < 5.0`` become sigmoid gates with
  learnable thresholds and a fixed temperature ``T`` (``gate_temperature``). Every hand-set
  PWM entry is a multiple of 0.1, so PWM sums are too; thresholds initialised half-way between
  grid values (1.05 for "> 1.0", 4.95 for "< 5.0") with ``T = 0.01`` give the same decision as
  the hard rule on every sequence, with gates within 0.7 % of 0/1 (sigmoid(±5)).
  Note the paper's broken −10 ``TGTAAT`` scores exactly 5.0 and so is *not* "weak": the
  extended −10 gets ×0.5 on the MIT classes, as in the reference.
* The UP term is graded: ``up_weight`` (0.5, the paper's size) × the UP-PWM score of the window,
  never a thresholded bonus, so a scrambled sequence (H) whose displaced background happens to be
  AT-rich still scores below its compensated partner (E) unless the window matches the UP PWM
  as well as the UP element does.
"""
from __future__ import annotations

from torch import Tensor

from mitbench.data.core.grammar import STANDARD, Layout
from mitbench.models.baselines.components.base import Component
from mitbench.models.baselines.components.pwm import (PAPER_EXT10, PAPER_MINUS10, PAPER_MINUS35, PAPER_UP,
                                            matrix, pwm_at, pwm_scan, scalar, soft_gate)


class PAPWM(Component):
    """Position-aware PWM promoter score.

    Parameters
    ----------
    minus35_start, minus10_start, up_start, ext10_start : int
        0-based first base of the −35 hexamer, −10 hexamer, 9-bp UP element and 3-bp extended
        −10 (standard 100-bp layout: 30, 53, 15, 50).
    compensation : bool
        Score the UP element and the extended −10 (False: PA-PWM-NoComp).
    positional : bool
        Read each element at its position (False: PA-PWM-NoPos, best window anywhere).
    optimal_spacing : int
        Spacer length (bp) with no spacing penalty.
    up_weight : float
        Initial weight of the graded UP-PWM term.
    spacing_penalty : float
        Initial penalty per bp of spacer deviation from ``optimal_spacing``.
    ext10_threshold : float
        Initial centre of the "extended −10 present" gate (PWM units).
    weak10_threshold : float
        Initial centre of the "−10 is weak" gate (PWM units).
    ext10_weak_weight, ext10_strong_weight : float
        Initial multipliers of the extended −10 score when the −10 is weak / strong.
    gate_temperature : float
        Temperature ``T`` of the sigmoid gates (fixed, not learned; PWM units).
    follow_length : bool
        Read other lengths at the resized layout's positions (see module docstring); False reads
        the fixed positions whatever the length.
    layout_length : int
        Length (bp) of the layout the positions above belong to (100).

    Notes
    -----
    Learnable parameters (float64): ``minus35`` (6, 4), ``minus10`` (6, 4), ``spacing_penalty``;
    with compensation also ``up`` (9, 4), ``ext10`` (3, 4), ``up_weight``, ``ext10_threshold``,
    ``weak10_threshold``, ``ext10_weak_weight``, ``ext10_strong_weight``: 49 or 102 in total.
    """

    def __init__(self, minus35_start: int = STANDARD.minus35_start, minus10_start: int = STANDARD.minus10_start,
                 up_start: int = STANDARD.up_start, ext10_start: int = STANDARD.ext10_start, compensation: bool = True, positional: bool = True,
                 optimal_spacing: int = 17, up_weight: float = 0.5, spacing_penalty: float = 0.5,
                 ext10_threshold: float = 1.05, weak10_threshold: float = 4.95,
                 ext10_weak_weight: float = 1.5, ext10_strong_weight: float = 0.5,
                 gate_temperature: float = 0.01, follow_length: bool = False,
                 layout_length: int = STANDARD.length) -> None:
        super().__init__()
        if gate_temperature <= 0:
            raise ValueError(f"gate_temperature must be > 0, got {gate_temperature}")
        self.minus35_start, self.minus10_start = int(minus35_start), int(minus10_start)
        self.up_start, self.ext10_start = int(up_start), int(ext10_start)
        self.compensation, self.positional = bool(compensation), bool(positional)
        self.optimal_spacing = int(optimal_spacing)
        self.gate_temperature = float(gate_temperature)
        self.minus35 = matrix(PAPER_MINUS35)
        self.minus10 = matrix(PAPER_MINUS10)
        self.spacing_penalty = scalar(spacing_penalty)
        if self.compensation:
            self.up = matrix(PAPER_UP)
            self.ext10 = matrix(PAPER_EXT10)
            self.up_weight = scalar(up_weight)
            self.ext10_threshold = scalar(ext10_threshold)
            self.weak10_threshold = scalar(weak10_threshold)
            self.ext10_weak_weight = scalar(ext10_weak_weight)
            self.ext10_strong_weight = scalar(ext10_strong_weight)
        self.follow_length, self.layout_length = bool(follow_length) and self.positional, int(layout_length)
        if self.positional:
            self.min_length = self._fitting_length()
        else:
            self.min_length = 9 if self.compensation else 6

    def _ends(self, shift: int) -> list[int]:
        starts = [(self.minus35_start, 6), (self.minus10_start, 6)]
        starts += [(self.up_start, 9), (self.ext10_start, 3)] if self.compensation else []
        return [s + shift for s, _ in starts] + [s + shift + w for s, w in starts]

    def shift(self, length: int) -> int:
        """Offset (bp) added to every configured position for a ``length``-bp sequence (0 unless
        ``follow_length``)."""
        if not self.follow_length or length == self.layout_length:
            return 0
        lay = Layout(length=self.layout_length, up_start=self.up_start, minus35_start=self.minus35_start,
                     spacer=self.minus10_start - self.minus35_start - 6)
        return lay.resized(length).minus35_start - self.minus35_start

    def _fitting_length(self) -> int:
        """Shortest length holding every element: fixed positions, or (following the length) the
        shortest length from which every length up to ``layout_length`` fits."""
        if not self.follow_length:
            return max(self._ends(0))
        n = self.layout_length
        while n > 1:
            try:
                ends = self._ends(self.shift(n - 1))
            except ValueError:
                break
            if min(ends) < 0 or max(ends) > n - 1:
                break
            n -= 1
        return n

    def _element(self, x: Tensor, weight: Tensor, start: int) -> Tensor:
        if self.positional:
            return pwm_at(x, weight, start)
        return pwm_scan(x, weight).amax(dim=1)  # best window anywhere; grad goes to the arg-max

    def forward(self, x: Tensor) -> Tensor:
        """Score one-hot sequences.

        Parameters
        ----------
        x : Tensor
            ``(B, L, 4)`` float64 one-hot (ACGT); ``L >= self.min_length``.

        Returns
        -------
        Tensor
            ``(B,)`` float64 score, higher = more active.
        """
        k = self.shift(x.shape[1])
        s10 = self._element(x, self.minus10, self.minus10_start + k)
        score = self._element(x, self.minus35, self.minus35_start + k) + s10
        if self.positional:
            spacer = self.minus10_start - self.minus35_start - 6
            score = score - self.spacing_penalty * abs(spacer - self.optimal_spacing)
        if not self.compensation:
            return score
        score = score + self.up_weight * self._element(x, self.up, self.up_start + k)
        ext = self._element(x, self.ext10, self.ext10_start + k)
        present = soft_gate(ext, self.ext10_threshold, self.gate_temperature)
        weak = soft_gate(-s10, -self.weak10_threshold, self.gate_temperature)  # s10 < threshold
        mult = self.ext10_strong_weight + (self.ext10_weak_weight - self.ext10_strong_weight) * weak
        return score + present * ext * mult

    def extra_repr(self) -> str:
        return (f"minus35_start={self.minus35_start}, minus10_start={self.minus10_start}, "
                f"up_start={self.up_start}, ext10_start={self.ext10_start}, "
                f"compensation={self.compensation}, positional={self.positional}, "
                f"optimal_spacing={self.optimal_spacing}, gate_temperature={self.gate_temperature}, "
                f"follow_length={self.follow_length}, layout_length={self.layout_length}")
