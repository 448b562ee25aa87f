"""Urtecho 2019 reader (name grammar, orientation, bad rows) and the measured-compensation metrics."""
import numpy as np
import pandas as pd
import pytest

from helpers import shared_path
from mitbench.data.core.records import reverse_complement
from mitbench.data.fit.urtecho import SENSE_5P, parse_name, read_urtecho, sense_strand
from mitbench.metrics.measured import matched_pairs, summarize_measured

FLANK5 = SENSE_5P + "GAG"
FLANK3 = "GCTAGCGGCTTGATAGTTGCATTA"
SPACER = "CTTTATGCTTCGGCTCG"


def _construct(up: str = "C" * 24, m10: str = "TATAAT") -> str:
    core = "G" * 61 + up + "TTGACA" + SPACER + m10 + "C" * 36  # -35 at core 85
    assert len(core) == 150
    return FLANK5 + core + FLANK3


def test_parse_name_grammar():
    p = parse_name("gourse_136fold_up_35T->C/33G->C/31C->G_lac-spacer-17bp_12T->G_bg463205:463355")
    assert p == {"up": "gourse_136fold_up", "minus35": "35T->C/33G->C/31C->G", "spacer": "lac-spacer-17bp",
                 "minus10": "12T->G", "background": "bg463205:463355", "control": ""}
    assert parse_name("noUP_consensus35_ECK125137405_consensus10_bg1:151")["up"] == "noUP"
    assert parse_name("neg_control_663755:663905")["control"] == "neg"
    with pytest.raises(ValueError, match="does not match"):
        parse_name("weird_name")


def test_sense_strand_normalises_reverse_complement():
    s = _construct()
    assert sense_strand(reverse_complement(s)) == s == sense_strand(s)
    assert sense_strand("ACGT" * 50) is None


def _write_library(tmp_path, rows, expression):
    (tmp_path / "min_promoter_lib_up_20161118_controls_clean.txt").write_text(
        "".join(f">{n}\t{s}\n" for n, s in rows))
    (tmp_path / "SpacerSequences.txt").write_text(f"Spacer\tSequence\nlac-spacer-17bp\t{SPACER}\n")
    lines = ["name RNA_exp_rep1.1 RNA_exp_rep1.2 RNA_exp_rep2 RNA_exp_rep3 RNA_exp_average DNA_sum"]
    lines += [f"{n} {v} {v} {v} {v} {v} 10" for n, v in expression]
    (tmp_path / "revLP5_Min_MOPS_glu_expression.txt").write_text("\n".join(lines) + "\n")


def test_bad_rows_are_named_excluded_and_counted(tmp_path, capsys):
    good = "noUP_consensus35_lac-spacer-17bp_consensus10_bg1:151"
    flipped = "gourse_136fold_up_consensus35_lac-spacer-17bp_consensus10_bg1:151"
    with_n = "noUP_consensus35_lac-spacer-17bp_12T->G_bg1:151"
    missing = "noUP_34G->T_lac-spacer-17bp_consensus10_bg1:151"
    _write_library(tmp_path, [(good, _construct()), (flipped, reverse_complement(_construct(up="A" * 24))),
                              (with_n, _construct(m10="GATNAT"))],
                   [(good, 0.5), (flipped, 2.0), (with_n, 1.0), (missing, 1.0)])
    table, excluded = read_urtecho(tmp_path)
    assert table["id"].tolist() == [good, flipped]
    expr = "revLP5_Min_MOPS_glu_expression.txt"
    assert dict(excluded) == {with_n: f"{expr} line 4: non-ACGT character 'N'",
                              missing: f"{expr} line 5: no sequence in the library file"}
    assert "2 rows kept, 2 excluded" in capsys.readouterr().out
    seq = table.set_index("id").loc[flipped, "sequence"]
    assert len(seq) == 100 and seq[30:36] == "TTGACA" and seq[53:59] == "TATAAT" and seq[6:30] == "A" * 24
    assert table.set_index("id").loc[flipped, "log2_expression"] == pytest.approx(1.0)


def _toy_table(score_from_measured):
    rng = np.random.default_rng(0)
    rows = []
    for bg in range(30):
        for up in ("noUP", "gourse_136fold_up"):
            for m10 in ("consensus10", "12T->G"):
                y = rng.normal() + (up != "noUP") * rng.uniform(0, 2) + (m10 == "consensus10") * 1.0
                rows.append({"up": up, "minus35": "consensus35", "spacer": "s", "minus10": m10,
                             "background": f"bg{bg}", "log2_expression": y,
                             "log2_rep1": y + 0.1 * rng.normal(), "log2_rep2": y + 0.1 * rng.normal()})
    table = pd.DataFrame(rows)
    table["score"] = score_from_measured(table["log2_expression"].to_numpy())
    return table


def test_pairs_and_perfect_model():
    table = _toy_table(lambda y: 3 * y + 1)  # any increasing function of measured expression
    pairs = matched_pairs(table, "up", "noUP", "gourse_136fold_up")
    assert len(pairs) == 60
    m = summarize_measured(table, n_boot=50)
    assert m["up136_delta_spearman"] == pytest.approx(1.0) and m["up136_sign_concordance"] == 1.0
    assert m["up136_model_rise"] == m["up136_measured_rise"]
    assert m["m10_n"] == 60 and m["m10_delta_spearman"] == pytest.approx(1.0)
    assert m["spearman"] == pytest.approx(1.0)
    assert m["up_delta_spearman_ci_low"] <= 1.0 <= m["up_delta_spearman_ci_high"] + 1e-12


def test_constant_delta_model_has_no_delta_correlation():
    table = _toy_table(lambda y: np.zeros_like(y))
    table["score"] = (table["up"] != "noUP") * 1.0  # "UP always helps", nothing else
    m = summarize_measured(table, n_boot=0)
    assert m["up136_model_rise"] == 1.0 and np.isnan(m["up136_delta_spearman"])


def test_real_urtecho_files_parse_cleanly():
    root = shared_path("urtecho2019")
    table, excluded = read_urtecho(root, verbose=False)
    assert len(table) == 11367 and excluded == []
    designed = table[table["control"] == ""]
    assert len(designed) == 10898 and designed["background"].nunique() == 8
    cons = designed[(designed["minus35"] == "consensus35") & (designed["minus10"] == "consensus10")]
    assert (cons["sequence"].str[30:36] == "TTGACA").all() and (cons["sequence"].str[53:59] == "TATAAT").all()
