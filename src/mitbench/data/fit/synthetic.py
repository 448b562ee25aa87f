"""Synthetic training data (the offline default): grammar-built promoters with graded labels.

A demonstration that the training pipeline runs end to end without downloads, **not evidence**
about biology: the labels come from a hidden additive-plus-saturation rule written here, so a
model fitting them shows only that it can represent that rule.

Sequences use :mod:`mitbench.data.core.grammar` primitives (standard 100-bp layout) with a seed
disjoint from the benchmark's: a 55 % AT background; a −35 hexamer with ``k35`` random
substitutions from TTGACA; a spacer of 15–19 bp (17 most often); a −10 with ``k10``
substitutions from TATAAT; optionally the UP element (positions 15–23) and an extended −10 TG
just upstream of the −10. The hidden rule (log2 units)::

    a = 1.0 (6 - k35) + 1.2 (6 - k10) - 0.8 |spacer - 17| + 1.5 UP + ext (1 + [k10 > 0])
    target = log2 sigmoid(a - 9) + N(0, noise²)   (saturating occupancy)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mitbench.data.core.grammar import CONSENSUS_10, CONSENSUS_35, STANDARD, UP_CONSENSUS, background, place, resolve_iupac
from mitbench.data.fit.training import RegressionData, split_by_hash

SPACER_CHOICES = (15, 16, 17, 18, 19)
SPACER_WEIGHTS = (0.1, 0.15, 0.5, 0.15, 0.1)


def _mutate(rng: np.random.Generator, motif: str, k: int) -> str:
    seq = list(motif)
    for pos in rng.choice(len(motif), size=k, replace=False):
        seq[pos] = rng.choice([b for b in "ACGT" if b != seq[pos]])
    return "".join(seq)


def _label(k35: int, k10: int, spacer: int, up: bool, ext: bool) -> float:
    a = 1.0 * (6 - k35) + 1.2 * (6 - k10) - 0.8 * abs(spacer - 17) + 1.5 * up + ext * (1.0 + (k10 > 0))
    return float(-np.logaddexp(0.0, -(a - 9.0)) / np.log(2.0))  # log2 sigmoid(a - 9)


class SyntheticPromoters(RegressionData):
    """Seeded synthetic promoters with graded activity (see module docstring).

    Parameters
    ----------
    n : int
        Number of sequences.
    seed : int
        Generator seed (default 20240917, disjoint from the benchmark suite seeds).
    noise : float
        SD of Gaussian label noise (log2 units).
    val_fraction, test_fraction : float
        Held-out fractions (hash split on the id).
    """

    name = "synthetic"
    target_name = "log2 activity (synthetic)"

    def __init__(self, n: int = 3000, seed: int = 20240917, noise: float = 0.3,
                 val_fraction: float = 0.15, test_fraction: float = 0.15) -> None:
        self.n, self.seed, self.noise = int(n), int(seed), float(noise)
        if self.n < 1:
            raise ValueError(f"synthetic data: n must be >= 1, got {n}")
        self.val_fraction, self.test_fraction = val_fraction, test_fraction

    def build(self) -> pd.DataFrame:
        rng = np.random.default_rng(self.seed)
        rows = []
        for i in range(self.n):
            k35, k10 = int(rng.integers(0, 4)), int(rng.integers(0, 4))
            spacer = int(rng.choice(SPACER_CHOICES, p=SPACER_WEIGHTS))
            up, ext = bool(rng.random() < 0.4), bool(rng.random() < 0.4)
            seq = background(rng, STANDARD.length)
            if up:
                seq = place(seq, STANDARD.up_start, resolve_iupac(rng, UP_CONSENSUS))
            p35 = STANDARD.minus35_start
            p10 = p35 + 6 + spacer
            seq = place(seq, p35, _mutate(rng, CONSENSUS_35, k35))
            if ext:
                seq = place(seq, p10 - 3, "TG")
            seq = place(seq, p10, _mutate(rng, CONSENSUS_10, k10))
            target = _label(k35, k10, spacer, up, ext) + self.noise * float(rng.standard_normal())
            rows.append({"id": f"syn_{i:05d}", "sequence": seq, "target": target, "k35": k35, "k10": k10,
                         "spacer": spacer, "up": up, "ext": ext})
        table = pd.DataFrame(rows)
        table["split"] = split_by_hash(table["id"], self.seed, self.val_fraction, self.test_fraction)
        return table
