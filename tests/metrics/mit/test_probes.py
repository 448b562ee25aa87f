"""Probe summaries on synthetic score tables with known answers, and on the paper's scores."""
import json
import math

import pandas as pd
import pytest

from helpers import shared_path
from mitbench.data.mit.probes import at_titration_records, spacing_records, strand_records, up_sweep_records
from mitbench.data.core.records import records_to_frame
from mitbench.metrics.mit import hierarchy
from mitbench.metrics.mit import probes as mp


def scored(records, fn):
    table = records_to_frame(records)
    table["score"] = [float(fn(row)) for row in table.itertuples()]
    return table


def at_count(row):
    return row.sequence.count("A") + row.sequence.count("T")


def test_accuracy_counts_ties_as_failures():
    # the project's one tie rule (issue 7): a tie is a failure, counted and reported
    assert mp.accuracy([1.0, -1.0, 0.0, 2.0]) == pytest.approx(2 / 4)
    assert mp.wins([1.0, -1.0, 0.0, 2.0, float("nan")]) == (0.5, 2, 1, 4)
    assert math.isnan(mp.accuracy([]))
    block = mp.win_block("k", [1.0, 1.0, 0.0], chance=0.5)
    assert block == {"k": pytest.approx(2 / 3), "k_ties": 1, "k_n": 3, "k_pvalue": pytest.approx(0.5)}


def test_at_count_scorer_is_pure_composition():
    m = mp.at_titration(scored(at_titration_records(0, [0.3, 0.5, 0.8], 5), at_count))
    assert m["at_pearson_r"] == pytest.approx(1.0) and m["at_pearson_r_compensated"] == pytest.approx(1.0)
    assert m["at_slope_per_10pct"] == pytest.approx(10.0)  # 100 bp: +10 pp A/T = +10 A/T bases
    assert m["at_delta_compensated_minus_broken"] == 0.0 and m["at_acc_compensated_gt_broken"] == 0.0
    assert m["at_acc_compensated_gt_broken_ties"] == 15 and m["at_acc_compensated_gt_broken_pvalue"] == 1.0
    assert m["at_delta_intact_minus_broken"] == 0.0


def test_motif_reader_at_titration():
    m = mp.at_titration(scored(at_titration_records(0, [0.4, 0.6], 5),
                               lambda r: 2.0 * (r.variant == "intact") + (r.variant == "compensated")))
    assert m["at_delta_intact_minus_broken"] == 2.0 and m["at_acc_intact_gt_broken"] == 1.0
    assert m["at_delta_compensated_minus_broken"] == 1.0 and math.isnan(m["at_pearson_r_intact"])


def test_up_sweep_position_reader_and_composition_reader():
    suite = up_sweep_records(0, [0, 5, 10, 15, 20, 25, 45, 60, 80], True, 6, 0.55)
    m = mp.up_sweep(scored(suite, lambda r: float(r.condition == "p15")))
    assert m["up_delta_wrong_minus_correct"] == -1.0 and m["up_delta_none_minus_correct"] == -1.0
    assert m["up_acc_correct_gt_wrong"] == 1.0 and m["up_acc_correct_gt_none"] == 1.0
    assert m["up_peak_position"] == 15 and m["up_n_clear_wrong"] == 6  # 25 and 45 hit motifs
    c = mp.up_sweep(scored(suite, at_count))
    assert c["up_delta_wrong_minus_correct"] == 0.0 and c["up_acc_correct_gt_wrong"] == 0.0
    assert c["up_acc_correct_gt_wrong_ties"] == 6 * 6 and c["up_acc_correct_best"] == 0.0
    assert m["up_acc_correct_best"] == 1.0 and m["up_acc_correct_best_pvalue"] == pytest.approx((1 / 7) ** 6)
    assert math.isnan(c["up_peak_position"])
    table = scored(suite, at_count)
    none, p15 = (table[table.condition == k].set_index("group") for k in ("none", "p15"))
    expected = (none.sequence.map(lambda s: sum(c in "AT" for c in s[15:24]))
                - p15.sequence.map(lambda s: sum(c in "AT" for c in s[15:24]))).mean()
    assert c["up_delta_none_minus_correct"] == pytest.approx(expected)


def test_spacing_peak_and_effect():
    suite = spacing_records(0, list(range(12, 26)), 4, 0.55)
    m = mp.spacing(scored(suite, lambda r: -abs(r.spacing - 17)))
    # other spacings are 1..5 below and 1..8 above 17: mean distance (15 + 36) / 13
    assert m["spacing_peak"] == 17 and m["spacing_effect"] == pytest.approx(51 / 13)
    assert m["spacing_acc_optimal_is_max"] == 1.0 and m["spacing_range"] == 8.0
    flat = mp.spacing(scored(suite, at_count))
    assert math.isnan(flat["spacing_peak"]) and flat["spacing_effect"] == 0.0


def test_strand_accuracy():
    suite = strand_records(0, 8, 0.55)
    m = mp.strand(scored(suite, lambda r: float(r.condition == "forward")))
    assert m["strand_accuracy"] == 1.0 and m["strand_delta_forward_minus_full_rc"] == 1.0
    c = mp.strand(scored(suite, at_count))  # RC and shuffles keep A/T: all ties
    assert c["strand_accuracy"] == 0.0 and c["strand_delta_forward_minus_scrambled"] == 0.0
    assert c["strand_accuracy_ties"] == 8 and m["strand_accuracy_pvalue"] == pytest.approx(0.5 ** 8)


def test_ablation_golden():
    t = pd.DataFrame({"level": ["a"] * 4 + ["b"] * 2, "variant": ["ref", "x", "ref", "x", "ref", "x"],
                      "group": ["0", "0", "1", "1", "0", "0"], "score": [1.0, 3.0, 2.0, 1.0, 0.0, 0.0]})
    m = mp.ablation(t, "abl", "ref")
    assert m["abl_a_delta_x_minus_ref"] == 0.5 and m["abl_a_acc_x_gt_ref"] == 0.5
    assert m["abl_b_acc_x_gt_ref"] == 0.0 and m["abl_b_acc_x_gt_ref_ties"] == 1 and m["abl_a_mean_ref"] == 1.5
    assert "abl_a_css" not in m  # no compensated/scrambled variants: no CSS/SCR


def test_ablation_css_and_scr_per_level():
    t = pd.DataFrame({"level": ["a"] * 6 + ["b"] * 3, "group": ["0", "0", "0", "1", "1", "1", "0", "0", "0"],
                      "variant": ["broken", "compensated", "scrambled"] * 3,
                      "score": [1.0, 3.0, 2.0, 2.0, 1.0, 0.5, 0.0, 1.0, 1.0]})
    m = mp.ablation(t, "abl", "broken")
    assert (m["abl_a_css"], m["abl_a_css_n"], m["abl_a_scr"]) == (0.5, 2, 1.0)  # 3>1, 1<2 ; 3>2, 1>0.5
    assert (m["abl_b_css"], m["abl_b_scr"], m["abl_b_scr_ties"]) == (1.0, 0.0, 1)  # the tie fails
    assert m["abl_a_css"] == m["abl_a_acc_compensated_gt_broken"]
    u = mp.ablation(t.replace({"compensated": "consensus"}), "u", "broken", compensated="consensus")
    assert u["u_a_scr"] == 1.0


def test_without_win_rates_nulls_every_win_block():
    m = {**mp.win_block("k", [1.0, -1.0]), "k_delta": 0.3, "peak": 14}
    out = mp.without_win_rates(m)
    assert all(math.isnan(out[x]) for x in ("k", "k_ties", "k_n", "k_pvalue")) and out["k_delta"] == 0.3 and out["peak"] == 14


def _battery(score):
    parts = [up_sweep_records(0, [0, 5, 10, 15, 20, 25, 45, 60, 70, 80], True, 8, 0.55),
             at_titration_records(0, [0.3, 0.5, 0.8], 8), spacing_records(0, list(range(12, 26)), 8, 0.55),
             strand_records(0, 8, 0.55)]
    return scored([r for p in parts for r in p], score)


def test_effect_hierarchy_golden():
    # +1 for the UP at 15, +3 for the intact -10, +2 per 10 pp A/T: exact effects, zero-width CIs
    def score(r):
        return (float(r.condition == "p15") + 3.0 * (r.variant == "intact")
                + (20.0 * r.at_fraction if r.probe == "at_titration" else 0.0))
    h = hierarchy.effect_hierarchy(_battery(score), n_boot=200)
    assert h["hier_effect_positional"] == 1.0 and h["hier_effect_positional_ci_low"] == 1.0
    assert h["hier_effect_motif"] == pytest.approx(3.0) and h["hier_motif_over_positional"] == pytest.approx(3.0)
    assert h["hier_effect_at"] == pytest.approx(2.0) and h["hier_at_over_positional"] == pytest.approx(2.0)
    assert h["hier_effect_up_presence"] == 1.0 and h["hier_up_presence_over_positional_ci_low"] == pytest.approx(1.0)
    assert h["hier_effect_strand"] == 0.0 and h["hier_notes"] == ""


def test_effect_hierarchy_never_divides_by_a_null_or_negative_effect():
    none = hierarchy.effect_hierarchy(_battery(at_count), n_boot=200)  # composition: positional exactly 0
    assert none["hier_effect_positional"] == 0.0 and math.isnan(none["hier_at_over_positional"])
    assert "CI contains 0" not in none["hier_notes"] and "ratios to the positional effect are undefined" in none["hier_notes"]
    wrong = hierarchy.effect_hierarchy(_battery(lambda r: -float(r.condition == "p15")), n_boot=200)
    assert wrong["hier_effect_positional"] == -1.0 and math.isnan(wrong["hier_up_presence_over_positional"])
    assert "below 0" in wrong["hier_notes"]


def _paper(name):
    return json.loads(shared_path("mit_reference", "scores", f"{name}_results.json").read_text())


def test_paper_hyenadna_probe_values_reproduce_reported_behaviour():
    """HyenaDNA per-sequence log-likelihoods of the paper (groups = draw index, unpaired draws)."""
    d = _paper("at_titration")
    rows = [dict(at_fraction=int(lv) / 100, variant=v, group=f"{lv}_{i}", score=x)
            for lv, per in d.items() if lv != "correlation" for v, o in per.items()
            for i, x in enumerate(o["values"])]
    at = mp.at_titration(pd.DataFrame(rows))
    assert at["at_pearson_r"] == pytest.approx(d["correlation"], abs=1e-9)  # 0.7843, the paper's r
    assert at["at_pearson_r"] > 0.5 and at["at_delta_intact_minus_broken"] < 0  # intact < broken
    d = _paper("positional_sweep")
    clear = {"0", "5", "10", "15", "20", "60", "70", "80", "none"}  # 25, 35, 45 overwrite motifs
    rows = [dict(condition="none" if p == "none" else f"p{p}", up_position=None if p == "none" else int(p),
                 overlaps="none" if p in clear else "motif", group=i, score=x)
            for p, o in d.items() for i, x in enumerate(o["values"])]
    up = mp.up_sweep(pd.DataFrame(rows))
    assert up["up_delta_none_minus_correct"] == pytest.approx(-3.6998, abs=1e-3)
    assert abs(up["up_delta_wrong_minus_correct"]) < 0.1  # position barely matters
    d = _paper("spacing")
    sp = mp.spacing(pd.DataFrame([dict(spacing=int(s), group=i, score=x)
                                  for s, o in d.items() for i, x in enumerate(o["values"])]))
    assert sp["spacing_peak"] == 14  # not 17
    d = _paper("strand")
    rename = {"reverse_in_place": "rc_in_place", "full_reverse": "full_rc"}
    st = mp.strand(pd.DataFrame([dict(condition=rename.get(c, c), group=i, score=x)
                                 for c, o in d.items() for i, x in enumerate(o["values"])]))
    assert st["strand_delta_forward_minus_rc_in_place"] == pytest.approx(-0.9523, abs=1e-3)  # RC preferred
    # the paper's hierarchy divides by this near-zero positional effect (HyenaDNA: ~100x); its CI contains 0
    table = pd.concat([pd.DataFrame(rows).assign(probe="up_sweep")], ignore_index=True)
    h = hierarchy.effect_hierarchy(table, n_boot=500)
    assert h["hier_effect_positional_ci_low"] < 0 < h["hier_effect_positional_ci_high"]
    assert math.isnan(h["hier_up_presence_over_positional"]) and "CI contains 0" in h["hier_notes"]
    assert up["up_delta_70_minus_15"] == pytest.approx(-0.46, abs=0.01)  # the paper's definition, App. B.2
