"""The generation-realism audit's verdict rule (beside the MIT's in :mod:`mitbench.metrics.mit.verdict`).

Every metric has a status (:mod:`.paired`, :mod:`.equivalence`): ``different`` (flagged: sign-flip
test, BH across all metrics, q < α), ``equivalent`` (TOST against ±δ natural SDs, BH across all
metrics, q < α, not flagged) or ``not enough data``. The run's verdict is

* ``distinguishable`` when any metric is flagged (the CNN detector enters as ``cnn_score``, its
  per-window score difference);
* ``indistinguishable`` when nothing is flagged, at least :data:`EQUIVALENT_SHARE` of the metrics
  tested are equivalent, and the detector's per-chunk AUROC 95% CI lies below
  :data:`AUROC_BOUND` (a run without the detector cannot be called indistinguishable);
* ``not distinguished (underpowered)`` otherwise: no difference found, but the run could not
  show that the effects it would miss are small (:func:`shortfalls` says which leg failed).

A family's verdict uses the same words on its own metrics: ``distinguishable`` when any is flagged,
``indistinguishable`` when at least :data:`EQUIVALENT_SHARE` of them are equivalent, else underpowered.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from mitbench.metrics.audit.equivalence import EQUIVALENT, NOT_ENOUGH_DATA

DISTINGUISHABLE, INDISTINGUISHABLE = "distinguishable", "indistinguishable"
UNDERPOWERED = "not distinguished (underpowered)"
VERDICTS = (DISTINGUISHABLE, INDISTINGUISHABLE, UNDERPOWERED)
EQUIVALENT_SHARE = 0.8  # of the metrics tested
AUROC_BOUND = 0.6  # the per-chunk AUROC CI's upper end must lie below (0.5 = chance; δ = 0.5 SD is 0.638)


def _share_equivalent(part: pd.DataFrame) -> float:
    return float((part["status"] == EQUIVALENT).mean()) if len(part) else float("nan")


def _equivalent_count(part: pd.DataFrame) -> tuple[int, int]:
    """``(metrics equivalent, metrics needed)``: the rule "at least EQUIVALENT_SHARE of them", in counts."""
    return int((part["status"] == EQUIVALENT).sum()), math.ceil(EQUIVALENT_SHARE * len(part) - 1e-9)


def family_verdicts(tests: pd.DataFrame) -> dict[str, str]:
    """``{family: verdict}`` from the audit's tests table (columns ``family``, ``flagged``, ``status``),
    in table order."""
    out = {}
    for fam, part in tests.groupby("family", sort=False):
        if part["flagged"].any():
            out[fam] = DISTINGUISHABLE
        else:
            n_eq, need = _equivalent_count(part)
            out[fam] = INDISTINGUISHABLE if n_eq >= need else UNDERPOWERED
    return out


def _auroc_hi(auroc_ci: Sequence[float] | None) -> float:
    return float(auroc_ci[1]) if auroc_ci is not None and len(auroc_ci) == 2 else float("nan")


def shortfalls(tests: pd.DataFrame, auroc_ci: Sequence[float] | None) -> list[str]:
    """Why an unflagged run is not ``indistinguishable``: one phrase per failed leg (empty when none failed)."""
    n_eq, need = _equivalent_count(tests)
    out = []
    if n_eq < need:
        out.append(f"{n_eq} of {len(tests)} metrics equivalent (needs {need})")
    hi = _auroc_hi(auroc_ci)
    if auroc_ci is None:
        out.append("detector not run")
    elif not hi < AUROC_BOUND:  # NaN fails too
        out.append(f"detector AUROC CI upper end {hi:.3g} not below {AUROC_BOUND}")
    return out


def audit_verdict(tests: pd.DataFrame, auroc_ci: Sequence[float] | None) -> str:
    """The run's verdict from its tests table and the detector's per-chunk AUROC CI (None: detector not run)."""
    if tests["flagged"].any():
        return DISTINGUISHABLE
    return UNDERPOWERED if shortfalls(tests, auroc_ci) else INDISTINGUISHABLE


def equivalence_summary(tests: pd.DataFrame) -> dict:
    """``metrics.json`` fields: counts and lists per status, the share equivalent, the metrics whose margin
    is undefined (no natural spread), the median MDE over metrics in natural SDs (``mde / sd_natural``)
    and as a fold (``mde_fold``), ``equivalence_delta`` and the rule's constants."""
    eq = tests["status"] == EQUIVALENT
    ned = tests["status"] == NOT_ENOUGH_DATA
    mde_sd = (tests["mde"] / tests["sd_natural"]).to_numpy(float)
    fold = tests["mde_fold"].to_numpy(float)
    return {
        "equivalent": tests.loc[eq, "metric"].tolist(), "n_equivalent": int(eq.sum()),
        "not_enough_data": tests.loc[ned, "metric"].tolist(), "n_not_enough_data": int(ned.sum()),
        "share_equivalent": _share_equivalent(tests),
        "margin_undefined": tests.loc[~np.isfinite(tests["margin"].to_numpy(float)), "metric"].tolist(),
        "mde_median_sd": float(np.nanmedian(mde_sd)) if np.isfinite(mde_sd).any() else float("nan"),
        "mde_median_fold": float(np.nanmedian(fold)) if np.isfinite(fold).any() else float("nan"),
        "equivalence_delta": float(np.nanmedian(tests["margin"] / tests["sd_natural"]))
        if np.isfinite(tests["margin"].to_numpy(float)).any() else float("nan"),
        "equivalent_share_required": EQUIVALENT_SHARE, "auroc_bound": AUROC_BOUND,
    }
