"""The paper's definitions of its probe numbers on hand-made tables."""
import math

import pandas as pd
import pytest

from mitbench.metrics.mit.paper import at_delta, at_range, paper_hierarchy, positional_effect


def _at():
    rows = [("intact", 0.3, -10.0), ("intact", 0.3, -12.0), ("intact", 0.8, 10.0), ("broken", 0.3, -11.5),
            ("compensated", 0.3, -11.9), ("broken", 0.8, 7.0)]
    return pd.DataFrame(rows, columns=["variant", "at_target", "score"])


def _up():
    rows = [("p15", 1.0), ("p15", 3.0), ("p70", 0.0), ("p70", 1.0), ("none", -2.0), ("none", -2.0)]
    return pd.DataFrame(rows, columns=["condition", "score"])


def test_at_range_and_delta():
    assert at_range(_at()) == 21.0 and at_range(_at(), "broken") == 18.5
    assert at_delta(_at(), 0.3, "compensated") == pytest.approx(-0.4)
    assert math.isnan(at_range(_at(), "missing"))


def test_positional_effect_and_hierarchy():
    eff, lo, hi = positional_effect(_up(), n_boot=500)
    assert eff == 1.5 and lo <= 1.5 <= hi
    assert math.isnan(positional_effect(_up().iloc[[0, 2]])[1])  # one draw per condition: no CI
    sp = pd.DataFrame({"spacing": [14, 14, 17, 17], "score": [1.0, 3.0, 0.0, 0.0]})
    st = pd.DataFrame({"condition": ["forward", "rc_in_place"], "score": [0.0, 0.75]})
    h = paper_hierarchy(_at(), _up(), sp, st, n_boot=0)
    assert h["positional_delta_70_15"] == -1.5 and h["up_presence"] == 4.0 and h["spacing_range"] == 2.0
    assert (h["at_over_positional"], h["up_presence_over_positional"], h["spacing_over_positional"],
            h["strand_over_positional"]) == (14.0, pytest.approx(4 / 1.5), pytest.approx(2 / 1.5), -0.5)
    assert set(paper_hierarchy(_at(), None, None, None)) == {"at_range_30_80", "at_over_positional"}
    assert math.isnan(paper_hierarchy(_at(), None, None, None)["at_over_positional"])
