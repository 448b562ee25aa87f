"""The architecture-matched null (``calibration=random_init``): score the suite with ``n_null``
copies of the model's own architecture, random weights drawn from its config alone, through the
same engine and cache as the model (tokenization shared).

The empirical p of a metric is never below ``1 / (n_null + 1)``, so ``n_null`` must be at least
``1 / alpha - 1`` (19 for alpha = 0.05) for the verdict to be able to reach its level; a smaller
value is refused rather than silently making every model "untrained-like".
"""
from __future__ import annotations

from typing import Iterator

from mitbench.metrics.calibration import min_null_pvalue
from mitbench.models.base import Scorer


class RandomInitNull:
    """Random-initialised copies of a model's architecture.

    Parameters
    ----------
    n_null : int
        Number of copies (seeds ``seed .. seed + n_null - 1``).
    seed : int
        First initialisation seed.
    """

    def __init__(self, n_null: int = 19, seed: int = 0) -> None:
        if int(n_null) < 1:
            raise ValueError(f"calibration.n_null must be >= 1, got {n_null}")
        self.n_null, self.seed = int(n_null), int(seed)

    def check_level(self, alpha: float) -> None:
        """Raise ValueError when ``n_null`` copies cannot give a p-value as small as ``alpha``."""
        if min_null_pvalue(self.n_null) > alpha:
            need = int(round(1 / alpha)) - 1
            raise ValueError(f"calibration.n_null={self.n_null}: its smallest p-value is 1/{self.n_null + 1} = "
                             f"{min_null_pvalue(self.n_null):.3g} > alpha {alpha}, so no model could ever beat the "
                             f"null; use calibration.n_null >= {need}")

    @staticmethod
    def supports(model: Scorer) -> bool:
        """Whether the model has an architecture to re-initialise (gLMs; not baselines or files)."""
        return bool(getattr(model, "has_architecture_null", False))

    def copies(self, model: Scorer) -> Iterator[Scorer]:
        """The null copies, built one at a time (only one is held in memory)."""
        for k in range(self.n_null):
            yield model.random_init_copy(self.seed + k)
