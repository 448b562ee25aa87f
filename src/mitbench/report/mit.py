"""Figures and the Markdown section for MIT metrics (see :mod:`mitbench.metrics.mit`)."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.report.common import (class_distribution_figure, css_vs_mes_figure, fmt, fmt_ci, fmt_p,
                                    markdown_table)

CLASS_NAMES = {"A": "natural intact", "B": "natural broken", "C": "synthetic intact",
               "D": "synthetic broken", "E": "compensated", "F": "over-compensated",
               "G": "natural compensated", "H": "scrambled control"}
ALPHA = 0.05


def _ok(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def mit_figures(table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
    """Write ``mit_class_scores.png`` (per-class score distributions) and ``mit_css_vs_mes.png``.

    Parameters
    ----------
    table : DataFrame
        Scores table (``class``, ``score``).
    metrics : dict
        Output of :func:`mitbench.metrics.mit.summarize_mit` (plus ``model``, optional).
    outdir : Path
        Folder for the PNGs (created if needed).
    """
    outdir = Path(outdir)
    name = metrics.get("model", "model")
    paths = [class_distribution_figure(table, outdir / "mit_class_scores.png",
                                       title=f"{name}: scores by MIT class", order=list(CLASS_NAMES))]
    point = pd.DataFrame([{"label": name, **{k: metrics.get(k, float("nan")) for k in (
        "css", "css_ci_low", "css_ci_high", "mes_synthetic", "mes_synthetic_ci_low", "mes_synthetic_ci_high")}}])
    point = point.fillna(float("nan"))
    paths.append(css_vs_mes_figure(point, outdir / "mit_css_vs_mes.png", title=f"{name}: CSS vs MES"))
    return paths


def verdict(metrics: dict[str, Any], alpha: float = ALPHA) -> str:
    """Plain-language reading of CSS, SCR and MES (unadjusted one-sided p-values at ``alpha``)."""
    css_p, scr_p = metrics.get("css_pvalue"), metrics.get("scr_pvalue")
    lines = []
    if not _ok(css_p):
        return "CSS could not be computed (no matched D/E pairs), so compensation was not tested."
    css_sig = css_p < alpha
    if css_sig:
        lines.append(f"The model prefers compensated (E) over matched broken (D) sequences more often than "
                     f"chance (CSS {fmt(metrics['css'])}, p = {fmt_p(css_p)}).")
    else:
        lines.append(f"No evidence that the model recognises compensation: CSS {fmt(metrics['css'])} is "
                     f"not significantly above 0.5 (p = {fmt_p(css_p)}).")
    if _ok(scr_p):
        if scr_p < alpha:
            lines.append(f"It also ranks compensated sequences above their composition-matched scrambled "
                         f"controls (SCR {fmt(metrics['scr'])}, p = {fmt_p(scr_p)}), which points to motif "
                         "structure rather than base composition.")
        else:
            what = ("so the CSS preference is explained by composition (e.g. AT content) as well as by "
                    "motif arrangement" if css_sig else "consistent with a composition-only model")
            lines.append(f"It does not rank compensated sequences above scrambled controls with the same "
                         f"composition (SCR {fmt(metrics['scr'])}, p = {fmt_p(scr_p)}), {what}.")
    lo, hi = metrics.get("mes_synthetic_ci_low"), metrics.get("mes_synthetic_ci_high")
    if _ok(lo) and _ok(hi):
        if lo > 0:
            lines.append("Breaking the −10 box lowers its score in synthetic backgrounds (MES synthetic "
                         f"{fmt(metrics['mes_synthetic'])}, CI excludes 0).")
        elif hi < 0:
            lines.append("Breaking the −10 box *raises* its score in synthetic backgrounds (MES synthetic "
                         f"{fmt(metrics['mes_synthetic'])}, CI below 0): the opposite of the mechanism.")
        else:
            lines.append("The model does not reliably separate intact from broken −10 boxes in synthetic "
                         f"backgrounds (MES synthetic {fmt(metrics['mes_synthetic'])}, CI includes 0).")
    mechanistic = css_sig and _ok(scr_p) and scr_p < alpha
    head = "**Verdict: mechanism-consistent.**" if mechanistic else "**Verdict: no evidence of mechanism.**"
    return head + " " + " ".join(lines)


def mit_report(table: pd.DataFrame, metrics: dict[str, Any]) -> str:
    """Markdown section: metrics with 95 % CIs and p-values, per-class means, verdict."""
    m = metrics
    rows = [
        ["CSS", fmt(m.get("css")), fmt_ci(m.get("css_ci_low"), m.get("css_ci_high")), fmt_p(m.get("css_pvalue")),
         f"fraction of {m.get('css_n', 0)} matched pairs with E > D (ties: {m.get('css_ties', 0)}); chance 0.5"],
        ["SCR", fmt(m.get("scr")), fmt_ci(m.get("scr_ci_low"), m.get("scr_ci_high")), fmt_p(m.get("scr_pvalue")),
         f"fraction of {m.get('scr_n', 0)} pairs with E > scrambled H (ties: {m.get('scr_ties', 0)}); chance 0.5"],
        ["MES natural", fmt(m.get("mes_natural")), fmt_ci(m.get("mes_natural_ci_low"), m.get("mes_natural_ci_high")),
         "", "Cohen's d, A (intact) vs B (broken)"],
        ["MES synthetic", fmt(m.get("mes_synthetic")),
         fmt_ci(m.get("mes_synthetic_ci_low"), m.get("mes_synthetic_ci_high")), "", "Cohen's d, C vs D"],
        ["CIR", fmt(m.get("cir")), fmt_ci(m.get("cir_ci_low"), m.get("cir_ci_high")), "",
         "MES synthetic / MES natural"],
        ["CM", fmt(m.get("cm")), fmt_ci(m.get("cm_ci_low"), m.get("cm_ci_high")), "",
         "(mean E − mean D) / (mean C − mean D); 1 = full recovery"],
    ]
    out = ["## Mechanistic Invariance Test\n\n",
           markdown_table(["metric", "value", "95% CI", "p (one-sided)", "meaning"], rows),
           f"\nCIs: percentile bootstrap, {m.get('n_boot', '?')} resamples, seed {m.get('bootstrap_seed', '?')}. "
           "p: exact binomial test of P(E wins) > 0.5 over the pairs, ties counted as losses; "
           "not adjusted for multiple models (a sweep's comparison table adds BH-FDR).\n"]
    if m.get("notes"):
        out.append(f"\nUndefined values: {m['notes']}.\n")
    means = [[c, CLASS_NAMES[c], m.get(f"n_{c}", 0), fmt(m.get(f"mean_{c}"), 5)]
             for c in CLASS_NAMES if m.get(f"n_{c}")]
    out += ["\n### Mean score per class\n\n", markdown_table(["class", "design", "n", "mean score"], means),
            "\n### Verdict\n\n", verdict(m), "\n"]
    return "".join(out)
