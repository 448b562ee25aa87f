"""Probe figures (matplotlib, Agg) and markdown sections.

Plots show the mean score per probe level with ±1 standard error of the mean (over groups);
every figure function takes ``(part, path, **options)``, writes one PNG and returns its path, so a
probe's YAML binds the options (``_partial_: true``) and the suite supplies the rows and the path.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from mitbench.metrics.mit.hierarchy import EFFECTS
from mitbench.report.common import fmt, fmt_ci, markdown_table, pyplot, save_figure


def _stats(part: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    g = part.groupby(by, sort=False)["score"]
    out = g.agg(["mean", "std", "count"]).reset_index()
    out["sem"] = out["std"] / out["count"].pow(0.5)
    return out


def _title(title: str, model: str | None) -> str:
    return f"{model}: {title}" if model else title


def curve(part: pd.DataFrame, path: Path, *, x: str, hue: str | None, title: str, xlabel: str,
          mark: float | None = None, mark_label: str = "optimum", categorical: bool = False,
          ylabel: str = "score", model: str | None = None) -> Path:
    """Mean score ± SEM against ``x``, one line per value of ``hue``; ``mark`` draws a labelled guide
    line. ``ylabel`` names the score in its unit; ``model`` (the checkpoint) prefixes the title."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    groups = part.groupby(hue, sort=False) if hue else [("score", part)]
    for label, rows in groups:
        s = _stats(rows, [x])
        if not categorical:
            s = s.sort_values(x)
        xs = list(range(len(s))) if categorical else s[x]
        ax.errorbar(xs, s["mean"], yerr=s["sem"].fillna(0), marker="o", ms=3, capsize=2, label=str(label))
    if categorical:
        ax.set_xticks(range(part[x].nunique()), list(dict.fromkeys(part[x])), rotation=30)
    if mark is not None:
        ax.axvline(mark, color="grey", ls="--", lw=0.8, label=f"{mark_label} ({mark:g})")
    ax.set(title=_title(title, model), xlabel=xlabel, ylabel=f"{ylabel}, mean ± SEM")
    if hue or mark is not None:
        ax.legend(fontsize=7)
    return save_figure(fig, path)


def sweep(part: pd.DataFrame, path: Path, *, correct: int, minus35: Sequence[int] = (30, 36),
          minus10: Sequence[int] = (53, 59), ylabel: str = "score", model: str | None = None) -> Path:
    """UP positional sweep: mean score per UP start; flagged overlaps hollow; no-UP as a line; the
    −35 and −10 boxes shaded and the correct UP position marked."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    placed = part[part["condition"] != "none"]
    s = _stats(placed, ["up_position", "overlaps"]).sort_values("up_position")
    ax.plot(s["up_position"], s["mean"], color="C0", lw=0.8)
    for clear, rows in s.groupby(s["overlaps"] == "none"):
        ax.errorbar(rows["up_position"], rows["mean"], yerr=rows["sem"].fillna(0), ls="none", marker="o",
                    mfc="C0" if clear else "white", color="C0", capsize=2,
                    label="clear" if clear else "overlaps a core motif")
    none = part[part["condition"] == "none"]["score"]
    if len(none):
        ax.axhline(none.mean(), color="C3", ls=":", label="no UP")
    ax.axvspan(*minus35, color="C1", alpha=0.15, label="−35 box")
    ax.axvspan(*minus10, color="C2", alpha=0.15, label="−10 box")
    ax.axvline(correct, color="grey", ls="--", lw=0.8, label=f"UP in place ({correct})")
    ax.set(title=_title("UP positional sweep", model), xlabel="UP start (bp, 0-based)", ylabel=f"{ylabel}, mean ± SEM")
    ax.legend(fontsize=7)
    return save_figure(fig, path)


def bars(part: pd.DataFrame, path: Path, *, column: str, order: Sequence[str], title: str, ylabel: str = "score",
         model: str | None = None) -> Path:
    """Mean score ± SEM per condition, in ``order``."""
    plt = pyplot()
    s = _stats(part, [column]).set_index(column).reindex([o for o in order if o in set(part[column])])
    fig, ax = plt.subplots(figsize=(5, 3.4))
    ax.bar(range(len(s)), s["mean"], yerr=s["sem"].fillna(0), capsize=3, color="C0")
    ax.set_xticks(range(len(s)), s.index, rotation=20)
    lo, hi = (s["mean"] - s["sem"].fillna(0)).min(), (s["mean"] + s["sem"].fillna(0)).max()
    pad = (hi - lo) * 0.2 or 1.0
    ax.set_ylim(lo - pad, hi + pad)
    ax.set(title=_title(title, model), ylabel=f"{ylabel}, mean ± SEM")
    return save_figure(fig, path)


def section(part: pd.DataFrame, metrics: dict[str, Any], *, title: str, x: str, hue: str | None,
            prefix: str, note: str) -> str:
    """Markdown: title, note, mean/SD/n per level (and ``hue``), and the probe's summary metrics
    (keys starting with ``prefix``, per-level means left out)."""
    by = [x] + ([hue] if hue else [])
    s = _stats(part, by)
    levels = s[by].astype(str).agg(" / ".join, axis=1)
    means = markdown_table([" / ".join(by), "mean score", "SD", "n"],
                           [[lv, m, sd, int(n)] for lv, m, sd, n in zip(levels, s["mean"], s["std"], s["count"])])
    keys = [k for k in metrics if k.startswith(prefix) and "_mean_" not in k]
    summ = markdown_table(["metric", "value"], [[f"`{k}`", metrics[k]] for k in keys])
    return f"\n## {title}\n\n{note}\n\n{means}\n{summ}"


def hierarchy_plot(metrics: dict[str, Any], path: Path) -> Path:
    """Left: every effect with its bootstrap CI (score units, positive = expected direction). Right:
    each effect ÷ the positional effect on a log scale, only where that ratio is defined."""
    plt = pyplot()
    names = ["positional", *EFFECTS]
    vals = np.array([metrics.get(f"hier_effect_{n}", np.nan) for n in names], float)
    lo = np.array([metrics.get(f"hier_effect_{n}_ci_low", np.nan) for n in names], float)
    hi = np.array([metrics.get(f"hier_effect_{n}_ci_high", np.nan) for n in names], float)
    ratios = np.array([metrics.get(f"hier_{n}_over_positional", np.nan) for n in EFFECTS], float)
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(9.5, 3.6))
    y = np.arange(len(names))
    err = np.vstack([np.nan_to_num(vals - lo), np.nan_to_num(hi - vals)])
    ax.barh(y, np.nan_to_num(vals), xerr=err, color=["C3"] + ["C2"] * len(EFFECTS), capsize=2)
    for i, v in enumerate(vals):
        ax.annotate(f"{v:.3g}" if np.isfinite(v) else "n/a", (np.nan_to_num(v), i), fontsize=7, va="center",
                    xytext=(3, 0), textcoords="offset points")
    ax.set_yticks(y, names)
    ax.axvline(0, color="k", lw=0.6)
    ax.set(title="Effects (mean ± 95% CI)", xlabel="score difference (model units)")
    ok = np.isfinite(ratios) & (ratios > 0)
    if ok.any():
        yr = np.arange(len(EFFECTS))
        bx.barh(yr[ok], ratios[ok], color="C2")
        bx.set_xscale("log")
        for i in np.flatnonzero(ok):
            bx.annotate(f"{ratios[i]:.3g}×", (ratios[i], i), fontsize=7, va="center", xytext=(3, 0),
                        textcoords="offset points")
        bx.set_yticks(yr, list(EFFECTS))
        bx.axvline(1.0, color="grey", ls="--", lw=0.8)
        bx.set(title="Effect ÷ positional effect", xlabel="ratio (log scale)")
    else:
        bx.axis("off")
        bx.text(0.5, 0.5, "ratios undefined:\n" + (metrics.get("hier_notes") or "no positional effect"),
                ha="center", va="center", fontsize=7, wrap=True, transform=bx.transAxes)
    return save_figure(fig, path)


def hierarchy_section(metrics: dict[str, Any]) -> str:
    """Markdown table of the effects with CIs and their ratios to the positional effect."""
    rows = [[n, metrics.get(f"hier_effect_{n}"),
             fmt_ci(metrics.get(f"hier_effect_{n}_ci_low"), metrics.get(f"hier_effect_{n}_ci_high")),
             "1" if n == "positional" else fmt(metrics.get(f"hier_{n}_over_positional")),
             "" if n == "positional" else fmt_ci(metrics.get(f"hier_{n}_over_positional_ci_low"),
                                                  metrics.get(f"hier_{n}_over_positional_ci_high"))]
            for n in ["positional", *EFFECTS]]
    notes = f"\n{metrics['hier_notes']}.\n" if metrics.get("hier_notes") else ""
    return ("\n## Effect-size hierarchy\n\nEach effect is a paired mean in score units (positive = the "
            "mechanistically expected direction) with a bootstrap 95% CI over groups; a ratio to the positional "
            "effect (UP at 15 − UP elsewhere, same bases) is given only when the positional effect's CI lies above "
            "0.\n\n" + markdown_table(["effect", "size", "95% CI", "÷ positional", "95% CI"], rows) + notes)
