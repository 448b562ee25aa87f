"""Null p-values, edit consistency, the Cohen's d guard and the calibration of a metric set."""
import json
import math

import pytest

from mitbench.metrics.calibration import calibrate, min_null_pvalue
from mitbench.metrics.stats import cohens_d, edit_consistency, null_pvalue
from mitbench.suites.spec import Metric


def test_null_pvalue_plus_one_and_ties_against_the_model():
    null = [0.1, 0.2, 0.3, 0.9]
    assert null_pvalue(1.0, null, True) == pytest.approx(1 / 5)  # never below 1/(n+1)
    assert null_pvalue(0.3, null, True) == pytest.approx(3 / 5)  # the tie at 0.3 counts against
    assert null_pvalue(0.1, null, False) == pytest.approx(2 / 5)  # lower is better
    assert math.isnan(null_pvalue(float("nan"), null, True)) and math.isnan(null_pvalue(1.0, [], True))
    assert min_null_pvalue(19) == 0.05


def test_edit_consistency():
    assert edit_consistency([2, 2, 2, 0], [1, 1, 1, 1]) == 0.75
    assert edit_consistency([1, 1], [1, 1]) == 0.0  # ties move neither way
    assert math.isnan(edit_consistency([], []))


def test_cohens_d_guard_on_float_noise():
    # the paper's pwm_results.json C scores differ only at ~1e-15: d must be undefined, not 1e15
    c = [5.5 + 1e-15, 5.5, 5.5 - 1e-15, 5.5]
    d = [4.0, 4.0 + 1e-15, 4.0, 4.0]
    assert math.isnan(cohens_d(c, d))
    assert cohens_d([5.6, 5.5, 5.4, 5.5], d) == pytest.approx(1.5 / math.sqrt(0.02 / 6), rel=1e-9)  # pooled over 4 + 4 - 2


def test_calibrate_keys_and_directions():
    metrics = {"css": 0.9, "rank": 2.0, "desc": 0.3}
    nulls = [{"css": v, "rank": r} for v, r in ((0.5, 5.0), (0.9, 1.0), (0.95, 3.0), (None, 4.0))]
    out = calibrate(metrics, nulls, [Metric("css", "CSS"), Metric("rank", "rank", higher_is_better=False),
                                     Metric("desc", "d", higher_is_better=None)])
    assert out["n_null"] == 4 and "desc_null_p" not in out
    assert out["css_null_p"] == pytest.approx(3 / 4)  # 0.9 (tie) and 0.95 at least as good; None not counted
    assert out["css_null_mean"] == pytest.approx(2.35 / 3) and out["rank_null_p"] == pytest.approx(2 / 5)
    assert math.isnan(out["css_null_values"][3])
    json.dumps(out, allow_nan=True)  # plain JSON types
