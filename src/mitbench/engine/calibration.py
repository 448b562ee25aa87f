"""Nulls of networks that know nothing, scored through the same engine as the model.

* The **architecture-matched null** (``calibration=random_init``): ``n_null`` copies of the model's
  own architecture, random weights drawn from its config alone, scored like the model (tokenization
  shared, the same scoring convention, which their cache identity carries). Its empirical p is never below ``1 / (n_null + 1)``, so ``n_null`` must be at least
  ``1 / alpha - 1`` (19 for alpha = 0.05) for the verdict to reach its level; a smaller value is
  refused rather than silently making every model "untrained-like".
* The **panel of untrained CNNs**, for models with no architecture to re-initialise (baselines,
  precomputed scores, weights-only checkpoints): ``n_panel`` fixed random convolutional networks
  (:class:`~mitbench.models.baselines.components.random_conv.RandomConvNet`, architectures drawn from
  ``panel_seed``), against which the suite's panel metrics (the MIT's placement effects) are
  calibrated. A fixed non-linear function can respond to the placement geometry by accident; the
  panel measures how far such functions go on this suite's sequences.
"""
from __future__ import annotations

from typing import Any, Iterator, Sequence

import numpy as np

from mitbench.data.core.records import SequenceRecord, records_to_frame
from mitbench.metrics.calibration import min_null_pvalue
from mitbench.models.base import Scorer
from mitbench.models.baselines.biophysical import BiophysicalScorer
from mitbench.models.baselines.components.random_conv import RandomConvNet

PANEL_KERNELS, PANEL_DEPTHS, PANEL_DILATIONS, PANEL_POOLS = (5, 9, 15, 21), (1, 2), (1, 2), ("sum", "mean", "max")


def panel_member(panel_seed: int, k: int) -> dict:
    """Constructor arguments of the panel's ``k``-th network (a function of ``(panel_seed, k)``;
    receptive field at most 61 bp, so every MIT record can be scored)."""
    rng = np.random.default_rng([int(panel_seed), int(k)])
    return {"seed": int(panel_seed) * 1000 + int(k), "channels": 8,
            "kernel": int(rng.choice(PANEL_KERNELS)), "depth": int(rng.choice(PANEL_DEPTHS)),
            "dilation": int(rng.choice(PANEL_DILATIONS)), "pool": str(rng.choice(PANEL_POOLS))}


class RandomInitNull:
    """Random-initialised copies of a model's architecture, or the panel for models without one.

    Parameters
    ----------
    n_null : int
        Number of architecture copies (seeds ``seed .. seed + n_null - 1``).
    seed : int
        First initialisation seed.
    n_panel : int
        Untrained CNNs in the panel (0: no panel).
    panel_seed : int
        Seed of the panel's architectures and weights.
    """

    def __init__(self, n_null: int = 19, seed: int = 0, n_panel: int = 19, panel_seed: int = 1) -> None:
        if int(n_null) < 1:
            raise ValueError(f"calibration.n_null must be >= 1, got {n_null}")
        if int(n_panel) < 0:
            raise ValueError(f"calibration.n_panel must be >= 0, got {n_panel}")
        self.n_null, self.seed = int(n_null), int(seed)
        self.n_panel, self.panel_seed = int(n_panel), int(panel_seed)

    def check_level(self, alpha: float) -> None:
        """Raise ValueError when ``n_null`` copies (or a non-empty panel) cannot give a p-value as
        small as ``alpha``."""
        for key, n in (("n_null", self.n_null), ("n_panel", self.n_panel or None)):
            if n is not None and min_null_pvalue(n) > alpha:
                need = int(round(1 / alpha)) - 1
                raise ValueError(f"calibration.{key}={n}: its smallest p-value is 1/{n + 1} = "
                                 f"{min_null_pvalue(n):.3g} > alpha {alpha}, so no model could ever beat the "
                                 f"null; use calibration.{key} >= {need}")

    @staticmethod
    def supports(model: Scorer) -> bool:
        """Whether the model has an architecture to re-initialise (gLMs; not baselines or files)."""
        return bool(getattr(model, "has_architecture_null", False))

    def copies(self, model: Scorer) -> Iterator[Scorer]:
        """The null copies, built one at a time (only one is held in memory)."""
        for k in range(self.n_null):
            yield model.random_init_copy(self.seed + k)

    def panel(self) -> Iterator[Scorer]:
        """The panel's untrained CNNs, one at a time."""
        for k in range(self.n_panel):
            yield BiophysicalScorer(f"panel{k}", RandomConvNet(**panel_member(self.panel_seed, k)), exact_length=None)

    def panel_metrics(self, suite, records: Sequence[SequenceRecord]) -> list[dict[str, Any]]:
        """Each panel member's ``suite.summarize_null`` on ``suite.panel_records(records)``, scored by
        calling the members directly (no trainer): the fast path of benchmarks and tests, equal to
        what ``evaluate`` computes through the engine (tested)."""
        chosen = suite.panel_records(list(records))
        if not chosen:
            return []
        table = records_to_frame(chosen)
        out = []
        for member in self.panel():
            member.check_records(chosen)
            out.append(suite.summarize_null(table.assign(score=member.score_batch([r.sequence for r in chosen]).numpy())))
        return out
