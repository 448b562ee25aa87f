"""The reproduction table and its markdown (:mod:`mitbench.runs.reproduce`): the paper's printed numbers
beside mitbench's from the released files, in the paper's layout, with the discrepancies explained."""
from __future__ import annotations

import math
from typing import Any, Mapping

import pandas as pd

from mitbench.report.common import fmt, fmt_ci, fmt_p, markdown_table

COLUMNS = ("quantity", "model", "paper", "mitbench", "abs_diff", "match", "note")
MIT_KEYS = ("css", "scr", "css_ci_low", "css_ci_high", "css_pvalue_ttest", "css_qvalue_bh8", "mes_natural",
            "mes_synthetic", "mean_C_minus_D", "mean_E_minus_H", "css_auc", "css_auc_pvalue", "css_auc_qvalue_bh5",
            "scr_auc", "scr_auc_pvalue", "css_repair_low", "css_repair_high")
PROBE_KEYS = {"at_r": "at_pearson_r", "at_range_30_80": "at_range_30_80", "positional_delta_70_15": "positional_delta_70_15",
              "spacing_peak": "spacing_peak", "strand_accuracy": "strand_accuracy",
              "at_over_positional": "at_over_positional", "up_presence_over_positional": "up_presence_over_positional",
              "spacing_over_positional": "spacing_over_positional", "strand_over_positional": "strand_over_positional",
              "at_delta_compensated_minus_broken_30": "at_delta_compensated_minus_broken_30"}
UNPAIRED_NOTE = "not in the paper: mitbench's unpaired statistic (classes drawn independently)"


def _num(x: Any) -> float:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else math.nan


def _probe_note(quantity: str, m: dict[str, Any]) -> str:
    means = m.get("means_only", {})
    if quantity == "strand_accuracy" and means.get("strand"):
        return "cannot be checked: the released strand file holds condition means only (no per-draw scores)"
    if quantity.endswith("_over_positional") and "positional_effect" in m:
        pos, lo, hi = (_num(m.get(k)) for k in ("positional_effect", "positional_effect_ci_low",
                                                 "positional_effect_ci_high"))
        text = f"the paper's ratio to the positional effect (UP at 15 minus at 70) = {fmt(pos)}"
        if pos < 0:
            return text + ": negative (the UP scores higher at 70), so the ratio's sign is meaningless; mitbench's hierarchy leaves it undefined"
        if math.isfinite(lo) and lo <= 0 <= hi:
            return text + f" {fmt_ci(lo, hi)}: its 95% CI contains 0, so mitbench's hierarchy leaves this ratio undefined"
        if not math.isfinite(lo):
            return text + " (no CI: condition means only)"
    return ""


def reproduction_rows(mit: Mapping[str, dict], probes: Mapping[str, dict], paper: pd.DataFrame,
                      biophysical: Mapping[str, dict]) -> pd.DataFrame:
    """One row per (quantity, model) computed or printed, columns :data:`COLUMNS` (module docstring
    of :mod:`mitbench.runs.reproduce`)."""
    values: dict[tuple[str, str], tuple[float, str]] = {}
    for model, m in mit.items():
        for q in MIT_KEYS:
            if q in m:
                values[(q, model)] = (_num(m[q]), UNPAIRED_NOTE if "auc" in q or "repair" in q else "")
    for model, m in probes.items():
        for q, key in PROBE_KEYS.items():
            if key in m:
                values[(q, model)] = (_num(m[key]), _probe_note(q, m))
    printed = {(r.quantity, r.model): r for r in paper.itertuples()}
    for model, file_values in biophysical.items():  # released summaries of models mitbench scores live
        for q in ("css", "scr"):
            if (q, model) in values and (q, model) not in printed and file_values.get(q) is not None:
                printed[(q, model)] = pd.Series({"paper": float(file_values[q]), "tolerance": 0.005,
                                                 "source": "released biophysical_comparison.json",
                                                 "note": "the reference implementation's run; mitbench's own model "
                                                         "scored live on the released sequences"})
    order = {q: i for i, q in enumerate(MIT_KEYS[:8] + tuple(PROBE_KEYS) + MIT_KEYS[8:])}
    keys = sorted(set(values) | set(printed), key=lambda k: (order.get(k[0], len(order)), k[1]))
    rows = []
    for q, model in keys:
        value, auto = values.get((q, model), (math.nan, "the released files do not give this number"))
        p = printed.get((q, model))
        paper_v = _num(getattr(p, "paper", math.nan)) if p is not None else math.nan
        diff = abs(paper_v - value) if math.isfinite(paper_v) and math.isfinite(value) else math.nan
        match = "" if not math.isfinite(diff) else bool(diff <= float(getattr(p, "tolerance")) + 1e-9)
        notes = [f"source: {p.source}"] if p is not None else []
        notes += [n for n in (getattr(p, "note", "") if p is not None else "", auto) if n]
        if match is False:
            notes.append(f"differs by {fmt(diff)} (tolerance {fmt(float(p.tolerance))})")
        rows.append((q, model, paper_v, value, diff, match, "; ".join(notes)))
    return pd.DataFrame(rows, columns=COLUMNS)


def _pm(rows: pd.DataFrame, q: str, model: str, p: bool = False) -> tuple[str, str]:
    hit = rows[(rows["quantity"] == q) & (rows["model"] == model)]
    if hit.empty:
        return "", ""
    f = fmt_p if p else fmt
    r = hit.iloc[0]
    mark = "" if r["match"] == "" else (" ✓" if r["match"] else " ✗")
    return ("" if not math.isfinite(r["paper"]) else f(r["paper"])), f(r["mitbench"]) + mark


def _side_by_side(rows: pd.DataFrame, models, quantities, p_like=()) -> str:
    header = ["model"] + [f"{q} {side}" for q in quantities for side in ("paper", "mitbench")]
    body = [[m] + [c for q in quantities for c in _pm(rows, q, m, q in p_like)] for m in models]
    return markdown_table(header, body)


def reproduction_markdown(rows: pd.DataFrame, mit: Mapping[str, dict], probes: Mapping[str, dict],
                          design: Mapping[str, pd.DataFrame], missing: list[str], reference: str) -> str:
    """``reproduction.md``: the paper's tables side by side, discrepancies, unpaired statistics and
    design statistics."""
    compared = rows[rows["match"] != ""]
    out = [f"# Reproduction of the paper from its released files\n\nReference: `{reference}`. "
           f"{len(compared)} printed numbers compared, {int((compared['match'] == True).sum())} reproduced "  # noqa: E712
           "(✓: |paper − mitbench| ≤ the row's tolerance, see reproduction.csv). Each mitbench number is computed "
           "from the released scores by the definition the paper evidently used (`stats=paper`: one-sided "
           "one-sample t-test on the 0/1 wins, BH over its family of 8).\n"]
    glms = [m for m in mit if m in ("hyenadna", "evo2_1b", "nt_500m", "grover", "caduceus", "kmer", "random", "pwm")]
    out.append("## Table 2: compensation and scramble control\n\n" + _side_by_side(
        rows, glms, ("css", "scr", "css_pvalue_ttest", "css_qvalue_bh8"), ("css_pvalue_ttest", "css_qvalue_bh8")))
    out.append("\nmitbench's default statistics on the same pairs (exact binomial p, exact Clopper–Pearson CI):\n\n"
               + markdown_table(["model", "CSS", "exact p", "95% CI (exact)", "95% CI (paper bootstrap)"],
                                [[m, fmt(mit[m]["css"]), fmt_p(mit[m]["css_pvalue_exact"]), fmt_ci(*mit[m]["css_ci_exact"]),
                                  fmt_ci(mit[m]["css_ci_low"], mit[m]["css_ci_high"])] for m in glms]))
    others = [m for m in mit if m not in glms]
    if others:
        out.append("\n## Biophysical baselines (mitbench's models on the released sequences)\n\n"
                   + _side_by_side(rows, others, ("css", "scr")))
    out.append("\n## Effect sizes (Table 2 / authors' RESULTS.md)\n\n"
               + _side_by_side(rows, glms, ("mes_natural", "mes_synthetic", "mean_C_minus_D", "mean_E_minus_H")))
    out.append("\n## Mechanistic probes (Appendix B)\n\n" + _side_by_side(
        rows, list(probes), ("at_r", "at_range_30_80", "positional_delta_70_15", "spacing_peak", "strand_accuracy")))
    out.append("\n## Effect hierarchy (Appendix D: each effect ÷ the positional effect)\n\n" + _side_by_side(
        rows, list(probes), ("at_over_positional", "up_presence_over_positional", "spacing_over_positional",
                             "strand_over_positional")))
    pos = [[m, fmt(p.get("positional_effect")), fmt_ci(p.get("positional_effect_ci_low"), p.get("positional_effect_ci_high"))]
           for m, p in probes.items()]
    out.append("\nPositional effect (UP at 15 minus at 70, independent draws, percentile bootstrap):\n\n"
               + markdown_table(["model", "effect", "95% CI"], pos))
    out.append("\n## Unpaired statistics (not in the paper)\n\nThe released classes have independent backgrounds, "
               "so pairing E_i with D_i by index is arbitrary. Beside it: CSS over 10,000 random re-pairings, the "
               "all-pairs win rate (AUC, ties fail) with its bootstrap CI and one-sided Mann–Whitney p, BH over the "
               "5 gLMs.\n\n" + markdown_table(
                   ["model", "CSS (index)", "CSS re-paired 2.5–97.5%", "min–max", "AUC E>D [95% CI]", "MW p", "q (BH, 5)",
                    "AUC E>H", "MW p (E>H)"],
                   [[m, fmt(x["css"]), fmt_ci(x.get("css_repair_low"), x.get("css_repair_high")),
                     fmt_ci(x.get("css_repair_min"), x.get("css_repair_max")),
                     f"{fmt(x.get('css_auc'))} {fmt_ci(x.get('css_auc_ci_low'), x.get('css_auc_ci_high'))}",
                     fmt_p(x.get("css_auc_pvalue")), fmt_p(x.get("css_auc_qvalue_bh5")), fmt(x.get("scr_auc")),
                     fmt_p(x.get("scr_auc_pvalue"))] for m, x in mit.items() if m in glms]))
    bad = rows[rows["match"] == False]  # noqa: E712
    explained = rows[(rows["match"] == True) & (rows["note"].str.count("; ") > 0)]  # noqa: E712  (more than the source)
    out.append("\n## Discrepancies\n\n" + ("".join(f"- **{r.quantity}, {r.model}**: paper {fmt(r.paper)}, mitbench "
                                                      f"{fmt(r.mitbench)}. {r.note}\n" for r in bad.itertuples())
                                            or "None beyond tolerance.\n")
               + "\nReproduced, but only by a definition worth stating:\n\n"
               + "".join(f"- {r.quantity}, {r.model}: {r.note}\n" for r in explained.itertuples()))
    classes = [c for c in "ABCDEFGH" if any(f"mean_{c}" in x for x in mit.values())]
    out.append("\n## Class means of the released scores (compare with the paper's Appendix E)\n\n" + markdown_table(
        ["model"] + classes, [[m] + [fmt(x.get(f"mean_{c}")) for c in classes] for m, x in mit.items()]))
    out.append(_design_section(design))
    if missing:
        out.append("\n## Not replayed\n\n" + "".join(f"- {m}\n" for m in missing))
    out.append("\n## All rows\n\n" + markdown_table(list(COLUMNS), [
        [r.quantity, r.model, fmt(r.paper), fmt(r.mitbench), fmt(r.abs_diff), str(r.match), r.note] for r in rows.itertuples()]))
    return "\n".join(out) + "\n"


def _design_section(design: Mapping[str, pd.DataFrame]) -> str:
    at, motifs, shared = design["at"], design["motifs"], design["shared"]
    regions = [c for c in at.columns if c not in ("class", "n", "set")]
    text = ("\n## Design statistics: released sequences vs fresh builds\n\nMean A/T fraction per class and region "
            "(standard layout), for the released sequences, a fresh build of the paper's design "
            "(`suite.design=paper`) and mitbench's matched design:\n\n")
    text += markdown_table(["set", "class", "n"] + regions,
                           [[r["set"], r["class"], int(r["n"])] + [fmt(r[c]) for c in regions] for _, r in at.iterrows()])
    cols = [c for c in motifs.columns if c not in ("class", "n", "set")]
    text += "\n\nMotifs in place (fraction of records):\n\n" + markdown_table(
        ["set", "class"] + cols, [[r["set"], r["class"]] + [fmt(r[c]) for c in cols] for _, r in motifs.iterrows()])
    pairs = [c for c in shared.columns if c != "set"]
    text += ("\n\nShared background (fraction of background positions where X_i and Y_i agree; 1 = one background, "
             "≈ 0.25 = independent draws):\n\n" + markdown_table(
                 ["set"] + pairs, [[r["set"]] + [fmt(r[c]) for c in pairs] for _, r in shared.iterrows()]))
    return text + "\n"
