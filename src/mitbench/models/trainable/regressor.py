"""LightningModule that fits a biophysical component's parameters to measured expression.

``Regressor`` holds the component as ``self.component`` (checkpoints carry ``component.*`` keys,
which :class:`mitbench.models.baselines.biophysical.BiophysicalScorer` loads) and a monotone saturating
head (``head.*``) mapping the component's score ``s`` (higher = more active) to the target::

    y_hat = log2(2^floor + 2^(offset + scale * log2 σ(gain * (s - mu))))

i.e. expression = basal + maximal × occupancy, occupancy = σ(gain·(s − μ)) (the thermodynamic
model's log σ(−ΔG + μ) with ``gain`` the inverse temperature). ``gain`` and ``scale`` are kept
positive (``exp`` of a parameter), so the head is increasing and fitted scores rank sequences
like predicted expression. Loss: mean squared error (target units²) plus an optional Gaussian
prior ``prior_weight · Σ (θ − θ_init)²`` pulling component parameters toward their hand-set values
(it matters for parameters the data cannot identify).
"""
from __future__ import annotations

import math

import lightning as L
import torch
from torch import Tensor, nn

from mitbench.models.baselines.components.base import OUTPUT_SCALES, Component


class SaturatingHead(nn.Module):
    """Monotone map from component score to log2 expression (see module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        f64 = dict(dtype=torch.float64)
        self.log_gain = nn.Parameter(torch.zeros((), **f64))
        self.mu = nn.Parameter(torch.zeros((), **f64))
        self.log_scale = nn.Parameter(torch.zeros((), **f64))
        self.offset = nn.Parameter(torch.zeros((), **f64))
        self.floor = nn.Parameter(torch.full((), -30.0, **f64))

    def forward(self, s: Tensor) -> Tensor:
        """``(B,)`` score -> ``(B,)`` predicted target."""
        log2_occ = nn.functional.logsigmoid(self.log_gain.exp() * (s - self.mu)) / math.log(2.0)
        return torch.logaddexp2(self.floor.expand_as(s), self.offset + self.log_scale.exp() * log2_occ)

    @torch.no_grad()
    def initialise(self, s: Tensor, y: Tensor) -> None:
        """Data-driven start: μ at the 90th score percentile, unit gain per score SD, scale and
        offset by least squares (scale floored at 0.05), floor at the 1st target percentile."""
        sd = float(s.std()) or 1.0
        self.log_gain.fill_(math.log(1.0 / sd))
        self.mu.fill_(float(torch.quantile(s, 0.9)))
        u = nn.functional.logsigmoid(self.log_gain.exp() * (s - self.mu)) / math.log(2.0)
        design = torch.stack([u, torch.ones_like(u)], dim=1)
        coef = torch.linalg.lstsq(design, y[:, None]).solution[:, 0]
        scale = max(float(coef[0]), 0.05)
        self.log_scale.fill_(math.log(scale))
        self.offset.fill_(float((y - scale * u).mean()))
        self.floor.fill_(float(torch.quantile(y, 0.01)))


class AffineHead(nn.Module):
    """``y_hat = offset + exp(log_scale) * s``: for components whose score is already log2 activity
    (``output_scale == "log2_activity"``, e.g. the thermodynamic model's saturating output)."""

    def __init__(self) -> None:
        super().__init__()
        self.log_scale = nn.Parameter(torch.zeros((), dtype=torch.float64))
        self.offset = nn.Parameter(torch.zeros((), dtype=torch.float64))

    def forward(self, s: Tensor) -> Tensor:
        return self.offset + self.log_scale.exp() * s

    @torch.no_grad()
    def initialise(self, s: Tensor, y: Tensor) -> None:
        """Unit scale (the score is already in log2 units); offset matches the means."""
        self.log_scale.fill_(0.0)
        self.offset.fill_(float((y - s).mean()))


class Regressor(L.LightningModule):
    """Fit ``component`` + a monotone head by MSE: :class:`AffineHead` when the component declares
    ``output_scale == "log2_activity"``, else :class:`SaturatingHead` (see
    :mod:`mitbench.models.baselines.components.base`).

    Parameters
    ----------
    component : Component
        One-hot ``(B, L, 4)`` float64 -> ``(B,)`` score; its parameters are trained.
    lr : float
        Adam learning rate.
    prior_weight : float
        Weight of the squared distance of component parameters from their initial values
        (per-parameter sum, added to the MSE); 0 disables it.
    """

    def __init__(self, component: Component, lr: float = 0.02, prior_weight: float = 0.0) -> None:
        super().__init__()
        self.component = component.to(torch.float64)
        if component.output_scale not in OUTPUT_SCALES:
            raise ValueError(f"{type(component).__name__}.output_scale must be one of {OUTPUT_SCALES}, "
                             f"got {component.output_scale!r}")
        self.head = AffineHead() if component.output_scale == "log2_activity" else SaturatingHead()
        self.lr, self.prior_weight = float(lr), float(prior_weight)
        # A plain dict (not buffers) so checkpoints hold only component.* and head.* keys.
        self._initial = {n: p.detach().clone() for n, p in self.component.named_parameters()}

    def forward(self, x: Tensor) -> Tensor:
        """Predicted target ``(B,)`` for one-hot ``x`` ``(B, L, 4)``."""
        return self.head(self.component(x))

    def prior(self) -> Tensor:
        """``Σ (θ − θ_init)²`` over component parameters (0-dim tensor)."""
        total = torch.zeros((), dtype=torch.float64, device=self.device)
        for name, p in self.component.named_parameters():
            total = total + ((p - self._initial[name].to(p.device)) ** 2).sum()
        return total

    def training_step(self, batch, batch_idx: int) -> Tensor:
        x, y = batch
        mse = nn.functional.mse_loss(self(x), y)
        loss = mse + self.prior_weight * self.prior() if self.prior_weight else mse
        self.log("train_mse", mse, on_step=False, on_epoch=True, batch_size=len(y))
        return loss

    def validation_step(self, batch, batch_idx: int) -> None:
        x, y = batch
        self.log("val_loss", nn.functional.mse_loss(self(x), y), on_epoch=True, batch_size=len(y),
                 prog_bar=True)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)

    @torch.no_grad()
    def predict_loader(self, loader) -> tuple[Tensor, Tensor, Tensor]:
        """``(score, prediction, target)`` float64 over a loader of ``(x, y)`` batches."""
        self.eval()
        s, p, t = [], [], []
        for x, y in loader:
            score = self.component(x.to(self.device))
            s.append(score.cpu()), p.append(self.head(score).cpu()), t.append(y)
        return torch.cat(s), torch.cat(p), torch.cat(t)
