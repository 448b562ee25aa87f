"""Scorers that know no mechanism, for the verdict's false-positive benchmark.

Each class is a factory ``make(rng) -> f`` where ``f(X)`` maps integer codes ``(N, L)`` (0..3 = A, C,
G, T; one length per call) to ``(N,)`` float64 scores: a fixed function of the sequence, drawn once.
Positions are absolute (0 = the 5′ end). None of them reads the relative geometry of UP, −35, TGT
and −10 — that is what they are for. The power classes (which do) are in ``verdict_false_positives``.
"""
from __future__ import annotations

import numpy as np
import torch

from mitbench.engine.calibration import PANEL_DEPTHS, PANEL_DILATIONS, PANEL_KERNELS, PANEL_POOLS
from mitbench.models.baselines.components.random_conv import RandomConvNet

MAX_LEN = 256


def _smooth(rng: np.random.Generator, ell: float, channels: int) -> np.ndarray:
    """``(MAX_LEN, channels)`` Gaussian weights, correlated along the sequence with length scale ``ell``
    (0: independent per position), unit variance."""
    z = rng.standard_normal((MAX_LEN + 200, channels))
    if ell > 0:
        x = np.arange(-int(4 * ell), int(4 * ell) + 1)
        k = np.exp(-0.5 * (x / ell) ** 2)
        k /= np.sqrt((k ** 2).sum())
        z = np.stack([np.convolve(z[:, c], k, mode="same") for c in range(channels)], axis=1)
    return z[100:100 + MAX_LEN]


def _is_at(X: np.ndarray) -> np.ndarray:
    return ((X == 0) | (X == 3)).astype(float)


def linear(ell: float, at_only: bool = False):
    """Random position-weight model: a weight per position and base, smooth with length scale ``ell``
    (``at_only``: weights on A and T only, G/C weigh 0)."""
    def make(rng):
        w = _smooth(rng, ell, 4)
        if at_only:
            w[:, 1] = w[:, 2] = 0.0
        return lambda X: w[np.arange(X.shape[1])[None, :], X].sum(1)
    return make


def iid_noise(rng):
    """An independent standard-normal score per sequence (the suite's sequences are all distinct)."""
    own = np.random.default_rng(int(rng.integers(1 << 62)))
    return lambda X: own.standard_normal(len(X))


def weighted_at(end: str):
    """A/T content weighted by a monotone profile from one end (random power or exponential decay)."""
    def make(rng):
        kind, p, rate = int(rng.integers(2)), rng.uniform(0.2, 3.0), rng.uniform(0.005, 0.1)

        def f(X):
            t = np.arange(X.shape[1]) / (X.shape[1] - 1)
            w = (1 - t) ** p if kind == 0 else np.exp(-rate * np.arange(X.shape[1]))
            return (_is_at(X) * (w if end == "5" else w[::-1])).sum(1)
        return f
    return make


_UP_ALLOWED = [(0,)] * 6 + [(0, 2), (0, 1, 2, 3), (0, 2)]  # AAAAAARNR


def motif_anywhere(end: str):
    """UP consensus (AAAAAARNR, up to 0–2 mismatches) anywhere; the match nearest one end scores best."""
    def make(rng):
        max_mm, slope = int(rng.integers(0, 3)), rng.uniform(0.1, 2.0)

        def f(X):
            n = X.shape[1] - 8
            mm = sum(~np.isin(X[:, i:i + n], allowed) for i, allowed in enumerate(_UP_ALLOWED))
            pos = np.arange(n) / (n - 1)
            value = ((1 - pos) if end == "5" else pos) ** slope
            return np.where(mm <= max_mm, value[None, :], 0.0).max(1)
        return f
    return make


def at_window(rng):
    """A/T-window heuristics: A/T in a fixed window (x3, plus a tiny 5′-weighted A/T tie-breaker), the
    richest window of a random width, or the number of A/T-rich w-mers weighted towards one end."""
    kind, w, a = int(rng.integers(4)), int(rng.integers(5, 41)), int(rng.integers(0, 150))
    thr, p, tie = rng.uniform(0.6, 0.9), rng.uniform(0.0, 2.0), rng.uniform(-1e-3, 1e-3)

    def f(X):
        at = _is_at(X)
        cs = np.concatenate([np.zeros((len(X), 1)), at.cumsum(1)], axis=1)
        win = (cs[:, w:] - cs[:, :-w]) / w
        s = np.arange(win.shape[1]) / (X.shape[1] - 1)
        if kind == 0:
            return 3 * at[:, a:a + w].sum(1) + tie * (at * np.linspace(1, 0, X.shape[1])).sum(1)
        if kind == 1:
            return win.max(1) + tie * (at * np.linspace(1, 0, X.shape[1])).sum(1)
        return ((win >= thr) * ((1 - s) if kind == 2 else s) ** p).sum(1)
    return f


def untrained_cnn(rng):
    """An untrained CNN drawn like the panel's members, from other seeds."""
    net = RandomConvNet(seed=int(rng.integers(1 << 30)) + 10 ** 9, channels=8,
                        kernel=int(rng.choice(PANEL_KERNELS)), depth=int(rng.choice(PANEL_DEPTHS)),
                        dilation=int(rng.choice(PANEL_DILATIONS)), pool=str(rng.choice(PANEL_POOLS)))

    def f(X):
        x = torch.nn.functional.one_hot(torch.from_numpy(X.astype(np.int64)), 4)
        with torch.no_grad():
            return net(x.to(torch.float32)).numpy()
    return f


# the table: five scorers that got `mechanism` under suite v2.2 (deterministic: one draw each)
def table_scorers() -> dict:
    def at_5prime_linear(X):
        return (_is_at(X) * (1 - np.arange(X.shape[1]) / X.shape[1])).sum(1)

    def at_rich_9mers_5prime(X):
        cs = np.concatenate([np.zeros((len(X), 1)), _is_at(X).cumsum(1)], axis=1)
        rich = (cs[:, 9:] - cs[:, :-9]) >= 7
        return (rich * (1 - np.arange(rich.shape[1]) / 100)).sum(1)

    def at_15_23_x3_tiebreak(X):
        at = _is_at(X)
        return 3 * at[:, 15:24].sum(1) + 0.001 * (at * (1 - np.arange(X.shape[1]) / X.shape[1])).sum(1)

    return {"table_at_5prime_linear": at_5prime_linear, "table_up_nearest_5prime": _nearest_up,
            "table_at_rich_9mers_5prime": at_rich_9mers_5prime, "table_at_15_23_x3": at_15_23_x3_tiebreak}


def _nearest_up(X):
    """Exact AAAAAARNR matches; the one nearest the 5′ end scores best (1 - start / 100)."""
    n = X.shape[1] - 8
    hit = np.ones((len(X), n), bool)
    for i, allowed in enumerate(_UP_ALLOWED):
        hit &= np.isin(X[:, i:i + n], allowed)
    return np.where(hit, 1 - np.arange(n)[None, :] / 100, 0.0).max(1)


CLASSES = {
    "iid_noise": iid_noise,
    **{f"linear_l{ell}": linear(ell) for ell in (0, 3, 10, 30)},
    **{f"linear_at_l{ell}": linear(ell, at_only=True) for ell in (0, 3, 10, 30)},
    "at_5prime": weighted_at("5"), "at_3prime": weighted_at("3"),
    "motif_5prime": motif_anywhere("5"), "motif_3prime": motif_anywhere("3"),
    "at_window": at_window,
    "untrained_cnn": untrained_cnn,
}
