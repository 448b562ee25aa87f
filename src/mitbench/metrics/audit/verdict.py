"""The generation-realism audit's verdict rule (beside the MIT's in :mod:`mitbench.metrics.mit.verdict`).

A metric family is ``distinguishable`` when any of its metrics is flagged (generated vs natural,
paired by window, sign-flip test, BH-FDR across all metrics at q ≤ α); the audit's verdict is
``distinguishable`` when any family is, else ``not distinguishable``. A verdict of ``not
distinguishable`` is absence of evidence at this number of windows, not proof of realism.
"""
from __future__ import annotations

import pandas as pd

DISTINGUISHABLE, NOT_DISTINGUISHABLE = "distinguishable", "not distinguishable"


def family_verdicts(tests: pd.DataFrame) -> dict[str, str]:
    """``{family: verdict}`` from the audit's tests table (columns ``family``, ``flagged``), in table order."""
    return {fam: (DISTINGUISHABLE if part["flagged"].any() else NOT_DISTINGUISHABLE)
            for fam, part in tests.groupby("family", sort=False)}


def audit_verdict(families: dict[str, str]) -> str:
    """The run's verdict: ``distinguishable`` when any family is."""
    return DISTINGUISHABLE if any(v == DISTINGUISHABLE for v in families.values()) else NOT_DISTINGUISHABLE
