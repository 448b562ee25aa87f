"""The verdict rule on hand-set metrics (each branch), and its stated false-positive bound."""
import pytest

from mitbench.metrics.verdict import mit_verdict

PLACED = {"n": 50, "k": 23, "rank_mean": 1.0, "rank_mean_ci_low": 1.0, "rank_mean_ci_high": 1.0,
          "rank_chance": 12.5, "win_all": 1.0, "p_placement": 1 / 24}
UNPLACED = {**PLACED, "rank_mean": 12.0, "rank_mean_ci_low": 11.0, "rank_mean_ci_high": 13.0, "win_all": 0.0,
            "p_placement": 0.5}


def _m(css_lo=0.96, up=PLACED, comp=PLACED, **extra):
    m = {"css": 1.0, "css_ci_low": css_lo, "css_consistency": 1.0}
    for f, d in (("up_placement", up), ("comp_placement", comp)):
        if d is not None:
            m.update({f"{f}_{k}": v for k, v in d.items()})
    return {**m, **extra}


def test_controls_only_branches():
    assert mit_verdict(_m(), 0.05, has_null=False)["verdict"] == "mechanism"
    assert mit_verdict(_m(up=UNPLACED, comp=UNPLACED), 0.05, False)["verdict"] == "composition"
    assert mit_verdict(_m(comp=UNPLACED), 0.05, False)["verdict"] == "inconclusive"  # one family only
    assert mit_verdict(_m(css_lo=0.4), 0.05, False)["verdict"] == "inconclusive"  # compensation not rewarded
    no_controls = mit_verdict(_m(up=None, comp=None), 0.05, False)
    assert no_controls["verdict"] == "inconclusive" and "No placement controls" in no_controls["verdict_evidence"][-1]
    # a CI that reaches chance fails even with the smallest p
    assert mit_verdict(_m(up={**PLACED, "rank_mean_ci_high": 12.5}), 0.05, False)["verdict"] == "inconclusive"


def test_null_branches():
    beats = {"css_null_p": 0.05, "up_placement_rank_mean_null_p": 0.05, "comp_placement_rank_mean_null_p": 0.05}
    assert mit_verdict(_m(**beats), 0.05, has_null=True)["verdict"] == "mechanism"
    # placement beats chance but not the null: only compensation is beyond an untrained network
    v = mit_verdict(_m(**{**beats, "up_placement_rank_mean_null_p": 0.3, "comp_placement_rank_mean_null_p": 0.2}),
                    0.05, True)
    assert v["verdict"] == "composition" and v["verdict_beats_null"] == ["css"]
    none = {k: 0.4 for k in beats}
    out = mit_verdict(_m(**none), 0.05, True)
    assert out["verdict"] == "untrained-like" and out["verdict_beats_null"] == []


def test_false_positive_bound():
    assert mit_verdict(_m(), 0.05, False)["verdict_false_positive_bound"] == pytest.approx(1 / 24)
    assert mit_verdict(_m(), 0.01, True)["verdict_false_positive_bound"] == pytest.approx(0.0)  # floor(0.24)/24
    assert "architecture null" in mit_verdict(_m(), 0.05, False)["verdict_basis"]
