"""An untrained convolutional network: a fixed non-linear function of the sequence that knows nothing.

The MIT's placement design makes the effect of every scorer that ignores where the core promoter is
exactly zero (:mod:`mitbench.data.mit.controls`), but a fixed *non-linear* function can respond to the
UP element next to ``TTGACA`` differently from the UP next to a decoy by accident, consistently in
every background. Untrained networks do; for gLMs the random-init twins measure how often. Models
without an architecture (baselines, precomputed scores) are measured against a panel of these
networks instead (:class:`mitbench.engine.calibration.RandomInitNull`).
"""
from __future__ import annotations

import torch
from torch import Tensor, nn

from mitbench.models.baselines.components.base import Component

POOLS = ("sum", "max", "mean")


class RandomConvNet(Component):
    """``depth`` random 1-D convolutions with ReLU, a 1x1 read-out and a global pool.

    Parameters
    ----------
    seed : int
        Initialisation seed (PyTorch's default ``Conv1d`` initialisation under ``manual_seed``).
    channels : int
        Hidden channels.
    kernel : int
        Kernel width (bp) of every layer.
    depth : int
        Convolution layers (receptive field ``1 + depth (kernel - 1) dilation`` bp).
    dilation : int
        Dilation of the layers after the first.
    pool : {"sum", "mean", "max"}
        Global pooling of the per-position read-out.

    Notes
    -----
    A fixed function (parameters frozen), computed in float32 (a null of random functions needs no
    float64 precision, and float64 convolutions are ~10x slower on a CPU). Input ``(B, L, 4)``
    float64 one-hot, ``L >= min_length``; output ``(B,)`` float64 (an arbitrary scale).
    """

    def __init__(self, seed: int = 0, channels: int = 16, kernel: int = 9, depth: int = 2, dilation: int = 1,
                 pool: str = "sum") -> None:
        super().__init__()
        if pool not in POOLS:
            raise ValueError(f"pool must be one of {POOLS}, got {pool!r}")
        if min(channels, kernel, depth, dilation) < 1:
            raise ValueError("channels, kernel, depth and dilation must be >= 1")
        self.seed, self.channels, self.kernel, self.depth = int(seed), int(channels), int(kernel), int(depth)
        self.dilation, self.pool = int(dilation), pool
        gen_state = torch.random.get_rng_state()
        torch.manual_seed(self.seed)  # the network is a function of its seed alone
        layers: list[nn.Module] = []
        for i in range(self.depth):
            layers += [nn.Conv1d(4 if i == 0 else channels, channels, kernel, dilation=1 if i == 0 else dilation),
                       nn.ReLU()]
        layers.append(nn.Conv1d(channels, 1, 1))
        self.net = nn.Sequential(*layers)
        torch.random.set_rng_state(gen_state)
        for p in self.net.parameters():
            p.requires_grad_(False)
        self.min_length = 1 + kernel - 1 + (depth - 1) * (kernel - 1) * dilation

    def _apply(self, fn, recurse: bool = True):
        # stays float32 whatever dtype a wrapper casts to (BiophysicalScorer makes components float64)
        super()._apply(fn, recurse)
        self.net.float()
        return self

    def forward(self, x: Tensor) -> Tensor:
        """``(B, L, 4)`` float64 one-hot -> ``(B,)`` float64."""
        h = self.net(x.transpose(1, 2).to(torch.float32))[:, 0].to(torch.float64)
        if self.pool == "sum":
            return h.sum(dim=1)
        if self.pool == "mean":
            return h.mean(dim=1)
        return h.amax(dim=1)

    def extra_repr(self) -> str:
        return (f"seed={self.seed}, channels={self.channels}, kernel={self.kernel}, depth={self.depth}, "
                f"dilation={self.dilation}, pool={self.pool!r}")
