"""The verdict rule (MIT v3) on hand-set metrics: each branch, the nulls, the measured bound."""
import math

import numpy as np
import pytest

from mitbench.metrics.calibration import calibrate, global_null_pvalue
from mitbench.metrics.mit.verdict import mit_verdict
from mitbench.suites.spec import Metric

PASS = {"n": 50, "m": 3, "effect": 0.9, "effect_ci_low": 0.8, "effect_ci_high": 1.0, "win_all": 0.8, "p_signflip": 1e-9}
FAIL = {**PASS, "effect": 0.0, "p_signflip": 1.0, "win_all": 0.0}


def _m(css_lo=0.96, up=PASS, comp=PASS, **extra):
    m = {"css": 1.0, "css_ci_low": css_lo, "css_consistency": 1.0}
    for f, d in (("up_placement", up), ("comp_placement", comp)):
        if d is not None:
            m.update({f"{f}_{k}": v for k, v in d.items()})
    return {**m, **extra}


PANEL = {"up_placement_effect_panel_p": 0.05, "comp_placement_effect_panel_p": 0.05, "n_panel": 19}


def test_panel_branches():
    """Models without an architecture: design test AND the untrained-CNN panel, per family."""
    assert mit_verdict(_m(**PANEL), 0.05, has_null=False)["verdict"] == "mechanism"
    beaten = {**PANEL, "up_placement_effect_panel_p": 0.3}
    assert mit_verdict(_m(**beaten), 0.05, False)["verdict"] == "inconclusive"  # one family only
    assert mit_verdict(_m(up=FAIL, comp=FAIL, **PANEL), 0.05, False)["verdict"] == "composition"
    assert mit_verdict(_m(css_lo=0.4, **PANEL), 0.05, False)["verdict"] == "inconclusive"  # no compensation
    no_controls = mit_verdict(_m(up=None, comp=None), 0.05, False)
    assert no_controls["verdict"] == "inconclusive" and "No placement controls" in no_controls["verdict_evidence"][-1]


def test_no_null_is_never_mechanism():
    """calibration=none: a passed design test is undecided (a fixed non-linear function could pass it)."""
    out = mit_verdict(_m(), 0.05, False)
    assert out["verdict"] == "inconclusive" and "needs a null" in out["verdict_basis"]
    assert mit_verdict(_m(up=FAIL, comp=FAIL), 0.05, False)["verdict"] == "composition"


def test_random_init_branches():
    beats = {"css_null_p": 0.05, "up_placement_effect_null_p": 0.05, "comp_placement_effect_null_p": 0.05,
             "null_global_p": 0.05, "null_global_k": 8}
    assert mit_verdict(_m(**beats), 0.05, has_null=True)["verdict"] == "mechanism"
    # compensation beyond the twins as a whole, placement not: composition
    v = mit_verdict(_m(**{**beats, "up_placement_effect_null_p": 0.3, "comp_placement_effect_null_p": 0.2}), 0.05, True)
    assert v["verdict"] == "composition" and v["verdict_beats_null"] == ["css"]
    # one metric beats its null by chance, but not the twins as a whole: untrained-like
    chance = {**beats, "up_placement_effect_null_p": 0.4, "comp_placement_effect_null_p": 0.4, "null_global_p": 0.3}
    out = mit_verdict(_m(**chance), 0.05, True)
    assert out["verdict"] == "untrained-like" and out["verdict_beats_null"] == ["css"]



def test_saturated_twins_do_not_block_mechanism():
    """Untrained causal twins often reach CSS 1.00; with 10 of 19 there, css_null_p >= 11/20 for any
    model. CSS against the twins is evidence, not a gate: the placement families decide (measured on the
    planted-mechanism control, docs/train_glm.md)."""
    saturated = {"css": 1.0, "css_ci_low": 0.93, "css_null_p": 0.55, "up_placement_effect_null_p": 0.05,
                 "comp_placement_effect_null_p": 0.05, "null_global_p": 0.05, "null_global_k": 8}
    out = mit_verdict(_m(**saturated), 0.05, has_null=True)
    assert out["verdict"] == "mechanism" and "css" not in out["verdict_beats_null"]
    # the descriptive requirement still holds: CSS whose CI reaches 0.5 is not rewarded compensation
    assert mit_verdict(_m(**{**saturated, "css": 0.6, "css_ci_low": 0.45}), 0.05, True)["verdict"] != "mechanism"
    # one family passing its twins is not enough
    assert mit_verdict(_m(**{**saturated, "up_placement_effect_null_p": 0.3}), 0.05, True)["verdict"] != "mechanism"

def test_measured_bound_and_level():
    """The bound quoted is the measured worst class; the design level is the worst component (alpha)."""
    measured = {"worst_rate": 0.004, "worst_upper": 0.0145, "source": "benchmarks/verdict_false_positives.py"}
    out = mit_verdict(_m(**PANEL), 0.05, False, measured=measured)
    assert out["verdict_false_positive_bound"] == 0.0145 and out["verdict_false_positive_rate"] == 0.004
    assert out["verdict_design_level"] == 0.05 and out["verdict_effect"] == 0.9
    assert math.isnan(mit_verdict(_m(**PANEL), 0.05, False)["verdict_false_positive_bound"])


def test_global_null_level_and_union_defect():
    """Exchangeable model and twins: P(global p <= 0.05) = 0.05 over eight metrics (a union of eight
    per-metric tests rejects far more often); a model best on every metric gets 1/20."""
    rng = np.random.default_rng(0)
    union = glob = 0
    for _ in range(2000):
        cols = [(rng.normal(), rng.normal(size=19), True) for _ in range(8)]
        union += any((1 + (n >= v).sum()) / 20 <= 0.05 for v, n, _ in cols)
        glob += global_null_pvalue(cols)[0] <= 0.05
    assert glob / 2000 == pytest.approx(0.05, abs=0.015) and union / 2000 > 0.25
    assert global_null_pvalue([(9.0, np.zeros(19), True), (-9.0, np.zeros(19), False)]) == (0.05, 2)


def test_calibrate_panel_prefix():
    out = calibrate({"up_placement_effect": 1.0}, [{"up_placement_effect": v} for v in np.linspace(-1, 0.5, 19)],
                    [Metric("up_placement_effect", "up")], prefix="panel")
    assert out["n_panel"] == 19 and out["up_placement_effect_panel_p"] == 0.05 and "n_null" not in out
