"""Probe figures (matplotlib, Agg) and markdown sections.

Plots show the mean score per probe level with ±1 standard error of the mean (over groups);
every figure function takes ``(part, path, **options)``, writes one PNG and returns its path, so a
probe's YAML binds the options (``_partial_: true``) and the suite supplies the rows and the path.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from mitbench.metrics.probes import EFFECTS
from mitbench.report.common import markdown_table, pyplot, save_figure


def _stats(part: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    g = part.groupby(by, sort=False)["score"]
    out = g.agg(["mean", "std", "count"]).reset_index()
    out["sem"] = out["std"] / out["count"].pow(0.5)
    return out


def curve(part: pd.DataFrame, path: Path, *, x: str, hue: str | None, title: str, xlabel: str,
          mark: float | None = None, categorical: bool = False) -> Path:
    """Mean score ± SEM against ``x``, one line per value of ``hue``; ``mark`` draws a guide line."""
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
        ax.axvline(mark, color="grey", ls="--", lw=0.8)
    ax.set(title=title, xlabel=xlabel, ylabel="score (mean ± SEM)")
    if hue:
        ax.legend(fontsize=7)
    return save_figure(fig, path)


def sweep(part: pd.DataFrame, path: Path, *, correct: int) -> Path:
    """UP positional sweep: mean score per position; flagged overlaps hollow; no-UP as a band."""
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
    ax.axvline(correct, color="grey", ls="--", lw=0.8)
    ax.set(title="UP positional sweep", xlabel="UP start (bp)", ylabel="score (mean ± SEM)")
    ax.legend(fontsize=7)
    return save_figure(fig, path)


def bars(part: pd.DataFrame, path: Path, *, column: str, order: Sequence[str], title: str) -> Path:
    """Mean score ± SEM per condition, in ``order``."""
    plt = pyplot()
    s = _stats(part, [column]).set_index(column).reindex([o for o in order if o in set(part[column])])
    fig, ax = plt.subplots(figsize=(5, 3.4))
    ax.bar(range(len(s)), s["mean"], yerr=s["sem"].fillna(0), capsize=3, color="C0")
    ax.set_xticks(range(len(s)), s.index, rotation=20)
    lo, hi = (s["mean"] - s["sem"].fillna(0)).min(), (s["mean"] + s["sem"].fillna(0)).max()
    pad = (hi - lo) * 0.2 or 1.0
    ax.set_ylim(lo - pad, hi + pad)
    ax.set(title=title, ylabel="score (mean ± SEM)")
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
    """Bar chart of each effect ÷ the positional effect (undefined bars left empty)."""
    plt = pyplot()
    names = [n for n, _, _ in EFFECTS]
    vals = [metrics.get(f"hier_{n}_over_positional", math.nan) for n in names]
    vals = [v if v is not None and math.isfinite(v) else 0.0 for v in vals]
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    ax.bar(range(len(names)), vals, color="C2")
    ax.axhline(1.0, color="grey", ls="--", lw=0.8)
    ax.set_xticks(range(len(names)), names, rotation=20)
    pos = metrics.get("hier_effect_positional", math.nan)
    ax.set(title=f"Effect ÷ positional effect ({pos:.4g})" if isinstance(pos, float) else "Effect ÷ positional effect",
           ylabel="ratio")
    return save_figure(fig, path)


def hierarchy_section(metrics: dict[str, Any]) -> str:
    """Markdown table of the effects and their ratios to the positional effect."""
    rows = [["positional", metrics.get("hier_effect_positional"), 1.0]]
    rows += [[n, metrics.get(f"hier_effect_{n}"), metrics.get(f"hier_{n}_over_positional")] for n, _, _ in EFFECTS]
    return ("\n## Effect-size hierarchy\n\nEach effect is a paired mean in score units; the ratio "
            "divides it by the positional effect (UP at 15 − UP elsewhere, same bases). "
            "n/a: no positional effect.\n\n" + markdown_table(["effect", "size", "÷ positional"], rows))
