"""Figures and the Markdown section for MIT metrics (see :mod:`mitbench.metrics.mit.summary`).

The section leads with the verdict (:mod:`mitbench.metrics.mit.verdict`) and its evidence, then the
calibration table (each calibrated metric beside the random-initialised null and the composition
references), then the classic metrics and per-class means.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from mitbench.metrics.calibration import null_prefix

from mitbench.report.common import (class_distribution_figure, css_vs_mes_figure, fmt, fmt_ci, fmt_p,
                                    markdown_table, pyplot, save_figure, score_label)

CLASS_NAMES = {"A": "natural intact", "B": "natural broken", "C": "synthetic intact",
               "D": "synthetic broken", "E": "compensated", "F": "over-compensated",
               "G": "natural compensated", "H": "scrambled control"}
REFERENCES = ("composition", "kmer")


def _ok(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def calibration_figure(metrics: dict[str, Any], calibrated: Sequence[Any], path: Path) -> Path | None:
    """One panel per calibrated metric: the null copies (grey points), the model (red bar) and the
    composition references (markers). None when there is neither a null nor a reference."""
    panels = [m for m in calibrated if m.higher_is_better is not None and _ok(metrics.get(m.key))
              and (null_prefix(metrics, m.key) or any(_ok(metrics.get(f"ref_{r}_{m.key}")) for r in REFERENCES))]
    if not panels:
        return None
    plt = pyplot()
    fig, axes = plt.subplots(1, len(panels), figsize=(2.2 * len(panels), 3.6), squeeze=False)
    rng = np.random.default_rng(0)  # jitter only
    for ax, m in zip(axes[0], panels):
        prefix = null_prefix(metrics, m.key) or "null"
        null = np.asarray([v for v in metrics.get(f"{m.key}_{prefix}_values") or [] if v is not None], float)
        ax.scatter(rng.uniform(-0.15, 0.15, null.size), null, s=10, color="0.6",
                   label="random-init null" if prefix == "null" else "untrained-CNN panel")
        ax.scatter([0], [metrics[m.key]], marker="_", s=600, color="tab:red", linewidths=2.5, label="model")
        for r, marker in zip(REFERENCES, ("s", "^")):
            v = metrics.get(f"ref_{r}_{m.key}")
            if _ok(v):
                ax.scatter([0.3], [v], marker=marker, color="tab:blue", s=25, label=r)
        p = metrics.get(f"{m.key}_{prefix}_p")
        ax.set_title(f"{m.label}\n" + (f"{prefix} p = {p:.2g}" if _ok(p) else ""), fontsize=8)
        ax.set_xticks([])
        ax.set_xlim(-0.5, 0.6)
        ax.tick_params(labelsize=7)
        if m.higher_is_better is False:
            ax.invert_yaxis()  # better is up in every panel
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=7, frameon=False)
    fig.subplots_adjust(bottom=0.2)
    fig.suptitle(f"{metrics.get('checkpoint', metrics.get('model', 'model'))}: verdict {metrics.get('verdict', 'n/a')} (better is up)", fontsize=9)
    return save_figure(fig, path)


def mit_figures(table: pd.DataFrame, metrics: dict[str, Any], outdir: Path,
                calibrated: Sequence[Any] = ()) -> list[Path]:
    """Write ``mit_calibration.png`` (when there is a null or a reference), ``mit_class_scores.png``
    and ``mit_css_vs_mes.png``."""
    outdir = Path(outdir)
    name = metrics.get("checkpoint", metrics.get("model", "model"))
    cal = calibration_figure(metrics, calibrated, outdir / "mit_calibration.png")
    paths = [cal] if cal else []
    paths.append(class_distribution_figure(table, outdir / "mit_class_scores.png",
                                           title=f"{name}: scores by MIT class", order=list(CLASS_NAMES),
                                           ylabel=score_label(metrics.get("mode"))))
    point = pd.DataFrame([{"label": name, **{k: metrics.get(k, float("nan")) for k in (
        "css", "css_ci_low", "css_ci_high", "mes_synthetic", "mes_synthetic_ci_low", "mes_synthetic_ci_high")}}])
    paths.append(css_vs_mes_figure(point.fillna(float("nan")), outdir / "mit_css_vs_mes.png", title=f"{name}: CSS vs MES"))
    return paths


def verdict_section(m: dict[str, Any]) -> str:
    """``## Verdict`` with the basis, the evidence sentences and the design false-positive bound."""
    if "verdict" not in m:
        return ""
    lines = [f"## Verdict: **{m['verdict']}**\n\n", f"Basis: {m.get('verdict_basis', '')}; alpha {m.get('verdict_alpha')}.\n\n"]
    lines += [f"- {e}\n" for e in m.get("verdict_evidence", [])]
    lines.append("\nRule: a placement family passes when its sign-flip p <= alpha AND its effect beats the null "
                 "(random-init twins for gLMs, the untrained-CNN panel for models without an architecture); "
                 "`mechanism` = compensation rewarded and BOTH families pass; `untrained-like` = the model does not "
                 "beat its random-init twins as a whole; `composition` = compensation rewarded, no family passes; "
                 f"else `inconclusive`. Effect (worst family): {fmt(m.get('verdict_effect'))}. Measured false-positive "
                 f"rate of `mechanism` over knows-nothing scorers: {fmt(m.get('verdict_false_positive_rate'))} (worst "
                 f"class; exact upper 95% bound {fmt(m.get('verdict_false_positive_bound'))}; "
                 f"{m.get('verdict_false_positive_source', 'not measured')}).\n")
    return "".join(lines)


def calibration_table(m: dict[str, Any], calibrated: Sequence[Any]) -> str:
    """Each calibrated metric: value, interval, random-init null mean ± sd and p, composition references."""
    rows = []
    for metric in calibrated:
        if metric.higher_is_better is None or metric.key not in m:
            continue
        ci = fmt_ci(m.get(metric.ci[0]), m.get(metric.ci[1])) if metric.ci else ""
        prefix = null_prefix(m, metric.key)
        null = (f"{fmt(m.get(f'{metric.key}_{prefix}_mean'))} ± {fmt(m.get(f'{metric.key}_{prefix}_sd'), 2)}"
                + (" (panel)" if prefix == "panel" else "") if prefix else "—")
        rows.append([metric.label, "higher" if metric.higher_is_better else "lower", fmt(m.get(metric.key)), ci, null,
                     fmt_p(m.get(f"{metric.key}_{prefix}_p")) if prefix else "—",
                     *[fmt(m.get(f"ref_{r}_{metric.key}")) for r in REFERENCES]])
    if not rows:
        return ""
    return ("\n### Against the null (random-init twins or the untrained-CNN panel) and the composition references\n\n"
            + markdown_table(["metric", "better", "model", "95% CI", "null mean ± sd", "null p", *REFERENCES], rows)
            + f"\nCalibration: {m.get('calibration', 'n/a')}. Null p = (1 + #null copies (or panel networks) at least "
              "as good) / (n + 1). References: mononucleotide composition and 6-mer Markov log-likelihood of E. coli.\n")


def mit_report(table: pd.DataFrame, metrics: dict[str, Any], calibrated: Sequence[Any] = ()) -> str:
    """Markdown: verdict and evidence, calibration table, metrics with intervals and p-values, class means."""
    m = metrics
    rows = [
        ["CSS", fmt(m.get("css")), fmt_ci(m.get("css_ci_low"), m.get("css_ci_high")), fmt_p(m.get("css_pvalue")),
         f"fraction of {m.get('css_n', 0)} pairs with E > D (ties: {m.get('css_ties', 0)}; "
         f"edit consistency {fmt(m.get('css_consistency'), 2)})"],
        ["SCR", fmt(m.get("scr")), fmt_ci(m.get("scr_ci_low"), m.get("scr_ci_high")), fmt_p(m.get("scr_pvalue")),
         f"fraction of {m.get('scr_n', 0)} pairs with E > H (ties: {m.get('scr_ties', 0)}; "
         f"edit consistency {fmt(m.get('scr_consistency'), 2)})"],
        ["MES natural", fmt(m.get("mes_natural")), fmt_ci(m.get("mes_natural_ci_low"), m.get("mes_natural_ci_high")),
         "", "Cohen's d, A (intact) vs B (broken)"],
        ["MES synthetic", fmt(m.get("mes_synthetic")),
         fmt_ci(m.get("mes_synthetic_ci_low"), m.get("mes_synthetic_ci_high")), "", "Cohen's d, C vs D"],
        ["CIR", fmt(m.get("cir")), fmt_ci(m.get("cir_ci_low"), m.get("cir_ci_high")), "", "MES synthetic / MES natural"],
        ["CM", fmt(m.get("cm")), fmt_ci(m.get("cm_ci_low"), m.get("cm_ci_high")), "",
         "(mean E − mean D) / (mean C − mean D); 1 = full recovery"],
    ]
    for f, what in (("up_placement", "UP in another unit"), ("comp_placement", "UP + TGT in another unit")):
        if m.get(f"{f}_n"):
            rows.append([f"{f} effect", fmt(m.get(f"{f}_effect")),
                         fmt_ci(m.get(f"{f}_effect_ci_low"), m.get(f"{f}_effect_ci_high")),
                         fmt_p(m.get(f"{f}_p_signflip")),
                         f"1 - 2 x mean normalised rank of the correct cell among the {m.get(f'{f}_m', 0)} cells of its "
                         f"core frame ({what}, same bases; 0 = chance); correct best in every frame in "
                         f"{fmt(m.get(f'{f}_win_all'))} {fmt_ci(m.get(f'{f}_win_all_ci_low'), m.get(f'{f}_win_all_ci_high'))}"
                         f" of {m.get(f'{f}_n')} backgrounds; p: exact sign-flip over backgrounds"])
    for prefix, worse in (("css", "D"), ("scr", "H")):
        if f"{prefix}_auc" in m:  # classes drawn independently: the unpaired view beside the index pairing
            rows.append([f"{prefix.upper()} unpaired", fmt(m.get(f"{prefix}_auc")),
                         fmt_ci(m.get(f"{prefix}_auc_ci_low"), m.get(f"{prefix}_auc_ci_high")),
                         fmt_p(m.get(f"{prefix}_auc_pvalue")),
                         f"all-pairs P(E > {worse}) (ties fail: {m.get(f'{prefix}_auc_ties', 0)}), Mann–Whitney p; "
                         f"index-paired value over random re-pairings "
                         f"{fmt_ci(m.get(f'{prefix}_repair_low'), m.get(f'{prefix}_repair_high'))} (2.5–97.5%)"])
    paper = m.get("css_stats") == "paper"
    first = ("CIs: percentile bootstrap of the 0/1 wins for CSS/SCR (stats=paper), exact Clopper–Pearson for win "
             "fractions" if paper else "CIs: exact Clopper–Pearson for CSS/SCR and win fractions")
    test = ("CSS/SCR p: the paper's one-sided one-sample t-test on the 0/1 wins (stats=paper), only approximately "
            "valid and assuming independent pairs" if paper else "CSS/SCR p: exact binomial over pairs, which assumes "
            "independent pairs")
    out = [verdict_section(m), calibration_table(m, calibrated), "\n## Mechanistic Invariance Test\n\n",
           markdown_table(["metric", "value", "95% CI", "p (one-sided)", "meaning"], rows),
           f"\n{first}; percentile bootstrap over classes or "
           f"backgrounds ({m.get('n_boot', '?')} resamples, seed {m.get('bootstrap_seed', '?')}) for the rest. {test}: "
           "when edit consistency is near 1 the pairs "
           "are one edit on many backgrounds and the verdict relies on the null and the placement controls instead.\n"]
    if m.get("notes"):
        out.append(f"\nUndefined values: {m['notes']}.\n")
    means = [[c, CLASS_NAMES[c], m.get(f"n_{c}", 0), fmt(m.get(f"mean_{c}"), 5)] for c in CLASS_NAMES if m.get(f"n_{c}")]
    out += ["\n### Mean score per class\n\n", markdown_table(["class", "design", "n", "mean score"], means)]
    return "".join(out)
