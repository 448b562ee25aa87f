"""Thermodynamic σ70 binding model: position-anchored binding energies summed over spacer lengths.

The MIT paper's thermodynamic baseline (Appendix C.2) scores a promoter by a free energy
ΔG = ΔG_−35 + ΔG_−10 + ΔG_spacing + ΔG_UP + ΔG_ext−10, with hard thresholds for the UP AT
content and for the "weak −10 + good extended −10" compensation. This module is a differentiable
re-implementation whose parameters start at the paper's hand-set values:

* ``e35``, ``e10`` (6, 4): −35 / −10 energy matrices (positive = favourable, i.e. −ΔG, in kT).
* ``spacing`` (S,): energy of each spacer length in ``spacers`` (default 15..19 bp). The −35
  box is anchored at ``minus35_start``; each spacer length places the −10 box (and the extended
  −10 just upstream of it) differently and the configurations are summed as a Boltzmann
  ensemble, ``logsumexp`` over spacer lengths, so energy falls off with distance from the
  optimal −10 position instead of being read at one hard-coded position.
* ``ext`` (3, 4) plus ``ext_tg`` (scalar): extended −10 energy; at the hand-set values "TG" scores
  2.0, "T" alone 0.5, anything else 0 (the paper's rule) via a ``T``·``G`` product term.
* ``comp_gain``, ``comp_e10``, ``comp_ext``: compensation. The paper doubles the extended −10
  energy when the −10 energy is below 8 and the extended −10 energy above 1; here the doubling
  is ``1 + comp_gain · σ((comp_e10 − E10)/τ) · σ((E_ext − comp_ext)/τ)``, a smooth gate.
* ``up`` (W, 4): position-specific UP weights; ``c = up · x`` over the window is a (weighted)
  A/T count. The hand-set values weigh A and T by 1 over the 20 bp the paper reads (the last 20
  of the window), so ``c`` is the AT count of those 20 bp. ``up_heights``/``up_thresholds`` turn
  it into energy with three smooth steps (paper: +0.5 above 60 % AT, +1.5 above 70 %, +2.5 above
  80 %; thresholds 12.5/14.5/16.5 sit midway between attainable counts, so the steps agree with
  the paper's up to the gate width) plus ``up_slope · c`` (graded term, 0 at the hand-set
  values; it gives the fit a gradient where the steps are flat). Parameters are O(1) in count
  units so one optimiser step size suits every term.

Output (``forward``), float64 ``(B,)``, higher = more active:

* ``output="log_activity"`` (default): log2 predicted activity, basal + occupancy,
  ``log2(2^floor + σ(−ΔG + μ))`` with learnable chemical potential ``mu`` and basal level
  ``floor`` (log2 units). Occupancy saturates, so the gain from an UP element depends on the
  promoter it is added to, as measured expression does; a strictly increasing function of −ΔG,
  so pairwise orders (CSS, SCR) equal those of −ΔG.
* ``output="energy"``: −ΔG in kT (the paper's additive score).
"""
from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import Tensor, nn

from mitbench.data.core.grammar import STANDARD
from mitbench.models.baselines.components.base import Component
from mitbench.models.baselines.components.pwm import BASES, pwm_at

_A, _C, _G, _T = (BASES.index(b) for b in "ACGT")

# Paper's hand-set energies (−ΔG, higher = better), ACGT columns.
PAPER_E35 = [
    [0.0, -1.0, -1.0, 2.0], [0.0, -1.0, -1.0, 2.0], [0.5, -1.0, 2.0, -0.5],
    [2.0, -1.0, -1.0, 0.5], [0.5, 2.0, -1.0, -0.5], [2.0, -1.0, -1.0, 0.5],
]
PAPER_E10 = [
    [0.5, -1.5, -2.0, 2.0], [3.0, -3.0, -3.0, 0.0], [0.5, -1.0, -1.5, 2.0],
    [2.0, -1.5, -1.0, 0.5], [2.0, -1.0, -1.0, 0.5], [0.5, -1.0, -1.5, 2.0],
]
PAPER_SPACING = {15: -0.3, 16: -0.1, 17: 1.0, 18: -0.1, 19: -0.5}
PAPER_UP_STEPS = ((0.5, 12.5), (1.0, 14.5), (1.0, 16.5))  # (height, AT count of 20 bp)
PAPER_UP_WIDTH = 20  # bp the paper's AT fraction is read over, starting at the UP element


class ThermodynamicModel(Component):
    """Differentiable thermodynamic promoter model (see module docstring).

    Parameters
    ----------
    minus35_start : int
        0-based first base of the −35 hexamer (standard layout: 30).
    up_start : int
        0-based first base of the UP element (standard: 15). The paper reads the AT fraction of
        the 20 bp from here (15–34); the UP window is those 20 bp plus ``up_window - 20`` bp
        upstream (9–34 by default), which start at weight 0 and can be learned.
    up_window : int
        UP window length in bp (26).
    spacers : sequence of int
        Spacer lengths (bp between −35 and −10 hexamers) in the ensemble; default 15..19.
    gate_width : float
        Width τ (kT) of the smooth compensation gates.
    up_gate_width : float
        Width (AT-count units) of the smooth UP steps.
    output : {"log_activity", "energy"}
        What ``forward`` returns (see module docstring).
    mu : float
        Initial chemical potential μ (kT); not in the paper (its score is −ΔG), chosen so the
        hand-set model's MIT classes span the sigmoid's rise (C ≈ 26.6 kT, D ≈ 21.1 kT).
    floor : float
        Initial basal activity (log2, relative to full occupancy).
    """

    def __init__(self, minus35_start: int = STANDARD.minus35_start, up_start: int = STANDARD.up_start, up_window: int = 26,
                 spacers: Sequence[int] = (15, 16, 17, 18, 19), gate_width: float = 0.1,
                 up_gate_width: float = 0.1, output: str = "log_activity", mu: float = -25.0,
                 floor: float = -10.0) -> None:
        super().__init__()
        spacers = [int(s) for s in spacers]
        if up_window < PAPER_UP_WIDTH or up_start + PAPER_UP_WIDTH - up_window < 0:
            raise ValueError(f"up_window must be in [{PAPER_UP_WIDTH}, up_start + {PAPER_UP_WIDTH}], got {up_window}")
        if output not in ("log_activity", "energy"):
            raise ValueError(f"output must be 'log_activity' or 'energy', got {output!r}")
        if not spacers or min(spacers) < 1:
            raise ValueError(f"spacers must be positive lengths, got {spacers}")
        self.minus35_start = int(minus35_start)
        self.up_start = int(up_start)
        self.up_window_start = self.up_start + PAPER_UP_WIDTH - int(up_window)
        self.up_window = int(up_window)
        self.spacers = spacers
        self.gate_width = float(gate_width)
        self.up_gate_width = float(up_gate_width)
        self.output = output
        self.output_scale = "log2_activity" if output == "log_activity" else "unbounded"
        # shortest sequence (bp) holding every element at its configured position
        self.min_length = max(self.minus35_start + 12 + max(spacers), self.up_window_start + self.up_window)
        f64 = dict(dtype=torch.float64)
        self.e35 = nn.Parameter(torch.tensor(PAPER_E35, **f64))
        self.e10 = nn.Parameter(torch.tensor(PAPER_E10, **f64))
        self.spacing = nn.Parameter(torch.tensor([PAPER_SPACING.get(s, -4.0) for s in spacers], **f64))
        ext = torch.zeros(3, 4, **f64)
        ext[0, _T] = 0.5
        self.ext = nn.Parameter(ext)
        self.ext_tg = nn.Parameter(torch.tensor(1.5, **f64))
        self.comp_gain = nn.Parameter(torch.tensor(1.0, **f64))
        self.comp_e10 = nn.Parameter(torch.tensor(8.0, **f64))
        self.comp_ext = nn.Parameter(torch.tensor(1.0, **f64))
        up = torch.zeros(up_window, 4, **f64)
        up[up_window - PAPER_UP_WIDTH:, [_A, _T]] = 1.0
        self.up = nn.Parameter(up)
        self.up_heights = nn.Parameter(torch.tensor([h for h, _ in PAPER_UP_STEPS], **f64))
        self.up_thresholds = nn.Parameter(torch.tensor([t for _, t in PAPER_UP_STEPS], **f64))
        self.up_slope = nn.Parameter(torch.zeros((), **f64))
        self.mu = nn.Parameter(torch.tensor(float(mu), **f64))
        self.floor = nn.Parameter(torch.tensor(float(floor), **f64))

    # --- terms ------------------------------------------------------------------------------
    def up_energy(self, x: Tensor) -> Tensor:
        """UP term ``(B,)``: smooth steps of the weighted A/T count of the UP window, plus slope."""
        count = pwm_at(x, self.up, self.up_window_start)
        steps = torch.sigmoid((count[:, None] - self.up_thresholds) / self.up_gate_width)
        return steps @ self.up_heights + self.up_slope * count

    def configuration_energies(self, x: Tensor) -> Tensor:
        """Energy of each spacer configuration ``(B, S)`` (−35, −10, spacing, ext −10, compensation)."""
        e35 = pwm_at(x, self.e35, self.minus35_start)
        cols = []
        for s in self.spacers:  # S <= 5 configurations, vectorised over the batch
            p10 = self.minus35_start + 6 + s
            e10 = pwm_at(x, self.e10, p10)
            ext = pwm_at(x, self.ext, p10 - 3) + self.ext_tg * x[:, p10 - 3, _T] * x[:, p10 - 2, _G]
            gate = (torch.sigmoid((self.comp_e10 - e10) / self.gate_width)
                    * torch.sigmoid((ext - self.comp_ext) / self.gate_width))
            cols.append(e10 + ext * (1.0 + self.comp_gain * gate))
        return e35[:, None] + torch.stack(cols, dim=1) + self.spacing

    def energy(self, x: Tensor) -> Tensor:
        """−ΔG (kT) of one-hot ``x`` (B, L, 4) float64 ACGT; ``(B,)``, higher = stronger binding.

        Raises
        ------
        ValueError
            If ``x`` is shorter than ``min_length`` or not ``(B, L, 4)``.
        """
        if x.ndim != 3 or x.shape[2] != 4:
            raise ValueError(f"expected one-hot (B, L, 4), got shape {tuple(x.shape)}")
        if x.shape[1] < self.min_length:
            raise ValueError(f"sequence length {x.shape[1]} < {self.min_length} bp this layout needs")
        return self.up_energy(x) + torch.logsumexp(self.configuration_energies(x), dim=1)

    def forward(self, x: Tensor) -> Tensor:
        """Score ``(B,)`` of one-hot ``x`` (B, L, 4) float64 ACGT, per ``output`` (higher = more active)."""
        energy = self.energy(x)
        if self.output == "energy":
            return energy
        log2_occupancy = nn.functional.logsigmoid(energy + self.mu) / math.log(2.0)
        return torch.logaddexp2(self.floor.expand_as(log2_occupancy), log2_occupancy)
