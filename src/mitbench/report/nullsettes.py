"""Nullsettes report: Markdown section and figures from the suite's metrics (no scores needed)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

from mitbench.report.common import fmt, fmt_ci, fmt_p, markdown_table, pyplot, save_figure

N_QUINTILES = 5


def _types(metrics: dict[str, Any]) -> list[str]:
    """Translocation ids with a per-type accuracy (``accuracy_T01``; not its ``_null_*`` companions)."""
    return sorted(k[len("accuracy_"):] for k in metrics if re.fullmatch(r"accuracy_T\d+", k))


def _lines(items: Sequence[str], empty: str) -> str:
    return "".join(f"- {s}\n" for s in items) if items else f"- {empty}\n"


def nullsettes_report(metrics: dict[str, Any], type_orders: dict[str, str], chance: dict[str, Any],
                      reading: list[str]) -> str:
    """Markdown: headline, build checks, per-type table, quintiles, how to read them.

    ``chance`` maps a headline key to its no-knowledge value and ``reading`` lists the notes on how to
    read the numbers (the tie rule first): both from the suite's metric spec, passed as plain values so
    a report never imports the task layer."""
    m = metrics
    types = _types(m)
    out = [f"## Nullsettes: {m.get('dataset')} ({m.get('kingdom')}), {m['n_cassettes']} cassettes x "
           f"{m['n_types']} translocation types\n\n"]
    out.append(markdown_table(
        ["metric", "value", "chance", "p"],
        [["success rate (types with BH q < %s)" % fmt(m["alpha"]), f"{fmt(m['success_rate'])} "
          f"({m['n_significant']}/{m['n_types']})", fmt(chance.get("success_rate")), ""],
         ["mean accuracy", fmt(m["mean_accuracy"]), fmt(chance.get("mean_accuracy")),
          fmt_p(m["mean_accuracy_p"])],
         ["pooled accuracy (all pairs)", fmt(m["pooled_accuracy"]), "0.5", ""],
         ["ties (failures)", f"{m['n_ties']} of {m['n_pairs']}", "", ""],
         ["Spearman rho, per-nt score of nonmutant vs cassette accuracy", fmt(m["spearman_rho"]),
          f"{fmt(m.get('spearman_rho_null_mean'))} (null)", fmt_p(m.get("spearman_rho_null_p"))]]))
    out.append("\nThe Spearman row's chance is its no-knowledge null (the nonmutant label moved at random within "
               "each cassette; its p is P(null >= observed)): a cassette's accuracy depends on its nonmutant's own "
               "score, so random scores alone give a strong positive rho.\n")
    out.append(f"\nVerdict on {m['verdict_uses']}. Mean per-nucleotide score: nonmutants "
               f"{fmt(m['nonmutant_per_nt_mean'], 5)}, mutants {fmt(m['mutant_per_nt_mean'], 5)}.\n")
    out.append("\n### Build checks\n\n**Reading frame of every nonmutant** (ATG ... in-frame stop, Kozak +4 base "
               "included):\n")
    out.append(_lines(m.get("frame_defects", []), "no defect: every nonmutant reads in frame"))
    out.append(f"\n**Repairs** (`repair_frame={str(m.get('repair_frame')).lower()}`):\n")
    out.append(_lines(m.get("frame_repairs", []), "none applied"))
    out.append("\n**Other source checks:**\n")
    out.append(_lines(list(m.get("flank_trims", [])) + list(m.get("iupac", [])), "nothing to report"))
    out.append(f"\n**Linker policy:** {m.get('linker_policy')}.\n")
    rows = []
    for t in types:
        rows.append([t, type_orders.get(t, ""), fmt(m[f"accuracy_{t}"]), fmt_ci(m[f"ci_low_{t}"], m[f"ci_high_{t}"]),
                     str(m[f"ties_{t}"]), fmt(m[f"mean_diff_{t}"]), fmt(m[f"mean_diff_per_nt_{t}"]),
                     fmt_p(m[f"p_{t}"]), fmt_p(m[f"q_{t}"]), fmt(m.get(f"cds_encoded_{t}"))])
    header = ["type", "part order", "accuracy", "95% CI (exact)", "ties", "mean diff (sum)", "mean diff per nt",
              "p", "q (BH)", "CDS still encoded"]
    if any(f"accuracy_{t}_null_mean" in m for t in types):
        header += ["accuracy, random-init null mean", "null p"]
        for t, row in zip(types, rows):
            row += [fmt(m.get(f"accuracy_{t}_null_mean")), fmt_p(m.get(f"accuracy_{t}_null_p"))]
    out.append("\n### Per translocation type\n\n")
    out.append(markdown_table(header, rows))
    out.append("\naccuracy: share of cassettes whose mutant scores strictly below its nonmutant; diff = nonmutant "
               "- mutant; p: one-sided sign-flip permutation test of mean diff > 0, +1-corrected; q: "
               "Benjamini-Hochberg across types. *CDS still encoded*: share of mutants in which an in-frame "
               "upstream ATG still reads the whole CDS (loss of function then rests on the moved promoter, "
               "RBS or terminator; a builder diagnostic that no model sees).\n")
    qrows = [[f"q{k}", fmt(m.get(f"accuracy_q{k}")), fmt(m.get(f"accuracy_q{k}_null")),
              fmt(m.get(f"per_nt_q{k}_max"), 5)] for k in range(1, N_QUINTILES + 1)]
    out.append("\n### Accuracy by quintile of the nonmutant's per-nucleotide score\n\n")
    out.append(markdown_table(["quintile (q1 lowest)", "accuracy (all types)", "no-knowledge null",
                               "per-nt score up to"], qrows))
    out.append("\n### Reading these numbers\n\n")
    out.extend(f"- {note}\n" for note in reading)
    out.extend(f"- note: {n}\n" for n in m.get("notes", []))
    return "".join(out)


def nullsettes_figures(metrics: dict[str, Any], outdir: Path, types: Sequence[str]) -> list[Path]:
    """``nullsettes_accuracy.png`` (per-type accuracy, exact CIs) and ``nullsettes_quintiles.png``."""
    plt = pyplot()
    m, paths = metrics, []
    shown = [t for t in types if f"accuracy_{t}" in m]
    acc = [m[f"accuracy_{t}"] for t in shown]
    lo = [a - m[f"ci_low_{t}"] for a, t in zip(acc, shown)]
    hi = [m[f"ci_high_{t}"] - a for a, t in zip(acc, shown)]
    sig = [m[f"q_{t}"] is not None and m[f"q_{t}"] < m["alpha"] for t in shown]
    fig, ax = plt.subplots(figsize=(1.0 + 0.42 * len(shown), 3.6))
    ax.bar(range(len(shown)), acc, yerr=[lo, hi], capsize=2,
           color=["tab:blue" if s else "tab:gray" for s in sig])
    ax.axhline(0.5, color="black", lw=0.8, ls="--")
    ax.set_xticks(range(len(shown)), shown, rotation=90)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("accuracy (mutant < nonmutant)")
    ax.set_title(f"{m.get('dataset')}: per type (blue: BH q < {m['alpha']}; dashed: 0.5)", fontsize=9)
    paths.append(save_figure(fig, Path(outdir) / "nullsettes_accuracy.png"))
    fig, ax = plt.subplots(figsize=(4.2, 3.4))
    ks = list(range(1, N_QUINTILES + 1))
    ax.plot(ks, [m.get(f"accuracy_q{k}") for k in ks], "o-", label="model")
    ax.plot(ks, [m.get(f"accuracy_q{k}_null") for k in ks], "s--", color="gray", label="no-knowledge null")
    ax.legend(fontsize=8)
    ax.set_xticks(ks, [f"q{k}" for k in ks])
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("quintile of nonmutant per-nt score (q1 lowest)")
    ax.set_ylabel("accuracy")
    ax.set_title(f"Spearman rho = {fmt(m.get('spearman_rho'))} (null {fmt(m.get('spearman_rho_null_mean'))})",
                 fontsize=9)
    paths.append(save_figure(fig, Path(outdir) / "nullsettes_quintiles.png"))
    return paths
