"""The audit's three-way verdict on hand-built tests tables."""
import numpy as np
import pandas as pd
import pytest

from mitbench.metrics.audit import verdict as v
from mitbench.metrics.audit.equivalence import DIFFERENT, EQUIVALENT, NOT_ENOUGH_DATA


def _tests(statuses: list[str], families: list[str] | None = None) -> pd.DataFrame:
    n = len(statuses)
    return pd.DataFrame({"metric": [f"m{i}" for i in range(n)], "family": families or ["f"] * n,
                         "flagged": [s == DIFFERENT for s in statuses], "status": statuses,
                         "margin": [0.5] * n, "sd_natural": [1.0] * n, "mde": np.linspace(0.2, 0.6, n),
                         "mde_fold": np.linspace(1.1, 1.5, n)})


def test_verdicts_are_the_three_stated_names():
    assert v.VERDICTS == ("distinguishable", "indistinguishable", "not distinguished (underpowered)")


def test_indistinguishable_needs_80_percent_equivalent_and_a_low_auroc_ci():
    t = _tests([EQUIVALENT] * 8 + [NOT_ENOUGH_DATA] * 2)
    assert v.audit_verdict(t, [0.45, 0.55]) == v.INDISTINGUISHABLE and v.shortfalls(t, [0.45, 0.55]) == []
    assert v.audit_verdict(t, [0.45, 0.6]) == v.UNDERPOWERED  # the bound is strict
    assert v.shortfalls(t, [0.45, 0.65]) == ["detector AUROC CI upper end 0.65 not below 0.6"]
    assert v.audit_verdict(t, None) == v.UNDERPOWERED and v.shortfalls(t, None) == ["detector not run"]
    assert v.audit_verdict(t, [float("nan"), float("nan")]) == v.UNDERPOWERED
    t7 = _tests([EQUIVALENT] * 7 + [NOT_ENOUGH_DATA] * 3)
    assert v.audit_verdict(t7, [0.45, 0.55]) == v.UNDERPOWERED
    assert v.shortfalls(t7, [0.45, 0.55]) == ["7 of 10 metrics equivalent (needs 8)"]


def test_any_flag_is_distinguishable_whatever_else():
    t = _tests([DIFFERENT] + [EQUIVALENT] * 9)
    assert v.audit_verdict(t, [0.45, 0.55]) == v.DISTINGUISHABLE


def test_family_verdicts_and_summary():
    t = _tests([DIFFERENT, EQUIVALENT, EQUIVALENT, EQUIVALENT, NOT_ENOUGH_DATA],
               ["a", "a", "b", "b", "c"])
    assert v.family_verdicts(t) == {"a": v.DISTINGUISHABLE, "b": v.INDISTINGUISHABLE, "c": v.UNDERPOWERED}
    s = v.equivalence_summary(t)
    assert (s["n_equivalent"], s["n_not_enough_data"], s["share_equivalent"]) == (3, 1, 0.6)
    assert s["equivalent"] == ["m1", "m2", "m3"] and s["not_enough_data"] == ["m4"]
    assert s["mde_median_sd"] == pytest.approx(0.4) and s["mde_median_fold"] == pytest.approx(1.3)
    assert s["equivalence_delta"] == 0.5 and s["margin_undefined"] == []
