"""Report helpers shared by suites and the sweep comparison: number formatting, Markdown
tables, and matplotlib (Agg, file output only) figures."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Sequence

import pandas as pd


def fmt(value: Any, digits: int = 3) -> str:
    """A number with ``digits`` significant places; ``n/a`` for None/NaN; other values as str."""
    if value is None:
        return "n/a"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "n/a"
    return f"{value:.{digits}g}" if isinstance(value, float) else str(value)


def fmt_p(p: Any) -> str:
    """A p-value: ``n/a``, ``<1e-4`` or 3 significant places."""
    if p is None or (isinstance(p, float) and not math.isfinite(p)):
        return "n/a"
    return "<1e-4" if p < 1e-4 else f"{p:.3g}"


def fmt_ci(low: Any, high: Any, digits: int = 3) -> str:
    """``[low, high]`` or ``n/a`` when either bound is missing."""
    if fmt(low) == "n/a" or fmt(high) == "n/a":
        return "n/a"
    return f"[{fmt(low, digits)}, {fmt(high, digits)}]"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """GitHub Markdown table; cells are formatted with :func:`fmt` unless already strings."""
    cells = [[c if isinstance(c, str) else fmt(c) for c in row] for row in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
    return "\n".join(lines) + "\n"


def class_table(table: pd.DataFrame) -> str:
    """Markdown table of n, mean, SD (ddof=1), min, max of ``score`` per class."""
    rows = []
    for label, sub in table.groupby("class", sort=True):
        s = sub["score"].astype(float)
        rows.append([str(label), int(s.size), float(s.mean()), float(s.std(ddof=1)) if s.size > 1 else None,
                     float(s.min()), float(s.max())])
    return markdown_table(["class", "n", "mean", "sd", "min", "max"], rows)


def pyplot():
    """``matplotlib.pyplot`` on the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


SCORE_UNITS = {"ll": "LL (nats)", "pll": "PLL (nats)", "score": "score (a.u.)", "energy": "−ΔG (kT)",
               "precomputed": "score (from file)"}


def score_label(mode: str | None) -> str:
    """Axis label of a score in its unit, from the scoring mode (``ll`` -> ``LL (nats)``, ...)."""
    return SCORE_UNITS.get(str(mode), f"score ({mode})" if mode else "score")


def save_figure(fig, path: Path, dpi: int = 200) -> Path:
    """Lay out and write ``fig`` as PNG at ``path`` (``dpi``, >= 200 for print) and as SVG beside it
    (same stem), then close it; returns the PNG path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout(rect=(0, 0.06, 1, 1) if fig.legends else None)
    fig.savefig(path, dpi=dpi)
    fig.savefig(path.with_suffix(".svg"))
    pyplot().close(fig)
    return path


def class_distribution_figure(table: pd.DataFrame, path: Path, title: str = "Scores by class",
                              order: Sequence[str] | None = None, ylabel: str = "score") -> Path:
    """Box plot with jittered points of ``score`` per class; writes PNG ``path``."""
    import numpy as np

    plt = pyplot()
    labels = list(order) if order else sorted(table["class"].unique())
    labels = [c for c in labels if (table["class"] == c).any()]
    data = [table.loc[table["class"] == c, "score"].to_numpy(float) for c in labels]
    fig, ax = plt.subplots(figsize=(1.0 + 0.8 * len(labels), 4.0))
    ax.boxplot(data, showfliers=False)
    ax.set_xticks(range(1, len(labels) + 1), labels)
    rng = np.random.default_rng(0)  # jitter only; fixed so the PNG is reproducible
    for i, v in enumerate(data, 1):
        ax.scatter(i + rng.uniform(-0.15, 0.15, v.size), v, s=6, alpha=0.5, color="tab:blue")
    ax.set_xlabel("class")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return save_figure(fig, path)


def css_vs_mes_figure(points: pd.DataFrame, path: Path, title: str = "CSS vs MES") -> Path:
    """Scatter of CSS (y, with CI bars) against MES synthetic (x, with CI bars), one point per row.

    ``points`` needs columns ``label, css, css_ci_low, css_ci_high, mes_synthetic,
    mes_synthetic_ci_low, mes_synthetic_ci_high``; NaN coordinates are skipped.
    """
    import numpy as np

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.0, 4.0))
    for _, r in points.iterrows():
        x, y = float(r["mes_synthetic"] if r["mes_synthetic"] is not None else np.nan), float(r["css"])
        if not (np.isfinite(x) and np.isfinite(y)):
            continue
        xerr = [[x - r["mes_synthetic_ci_low"]], [r["mes_synthetic_ci_high"] - x]]
        yerr = [[y - r["css_ci_low"]], [r["css_ci_high"] - y]]
        xerr = None if not np.all(np.isfinite(np.asarray(xerr, float))) else xerr
        yerr = None if not np.all(np.isfinite(np.asarray(yerr, float))) else yerr
        ax.errorbar(x, y, xerr=xerr, yerr=yerr, fmt="o", capsize=3)
        ax.annotate(str(r["label"]), (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.axhline(0.5, color="grey", lw=0.8, ls="--")
    ax.axvline(0.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("MES synthetic (Cohen's d, C vs D)")
    ax.set_ylabel("CSS (fraction E > D)")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(title)
    return save_figure(fig, path)
