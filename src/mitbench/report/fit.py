"""Figures of a baseline fit (``train_baselines``): sequence logos and predicted vs measured."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from torch import nn

from mitbench.data.core.grammar import STANDARD
from mitbench.metrics.stats import correlation
from mitbench.report.common import pyplot, save_figure

BASES = list("ACGT")
TSS = STANDARD.minus35_start + 35  # layout position of the +1 (the −35 box spans −35..−30)
_ANCHOR = {"minus35": "minus35", "e35": "minus35", "minus10": "minus10", "e10": "minus10", "ext10": "ext10",
           "ext": "ext10", "up": "up"}


def fitted_matrices(component: nn.Module) -> dict[str, pd.DataFrame]:
    """Every ``(W, 4)`` parameter of ``component`` (PWMs/energy matrices) as a row-centred table,
    indexed by promoter coordinate (+1 = TSS) where the matrix has a known place in the layout.

    Row-centring (subtracting each position's mean) removes the per-position offset that a
    logo cannot show and that does not change score differences between sequences.
    """
    out = {}
    for name, p in component.named_parameters():
        if p.ndim == 2 and p.shape[1] == 4 and p.shape[0] >= 2:
            w = p.detach().cpu().double().numpy()
            table = pd.DataFrame(w - w.mean(axis=1, keepdims=True), columns=BASES)
            start = _layout_start(component, name, len(w))
            if start is not None:
                table.index = [start + i - TSS for i in range(len(w))]
            out[name] = table
    return out


def _layout_start(component: nn.Module, name: str, width: int) -> int | None:
    """0-based layout position of a matrix's first base, from the component's own anchors."""
    anchor = _ANCHOR.get(name)
    m35 = getattr(component, "minus35_start", STANDARD.minus35_start)
    m10 = getattr(component, "minus10_start", m35 + 6 + STANDARD.spacer)
    if anchor == "minus35":
        return m35
    if anchor == "minus10":
        return m10
    if anchor == "ext10":
        return m10 - 3
    if anchor == "up":  # windows that end at the UP's end (15–23) or just upstream of the −35
        start = getattr(component, "up_window_start", getattr(component, "up_start", STANDARD.up_start))
        return int(start)
    return None


def plot_logos(component: nn.Module, path: Path, title: str = "") -> Path:
    """One logomaker panel per fitted matrix on promoter coordinates; letters above 0 favour
    activity (every matrix here is log-odds or −ΔG: positive = favourable)."""
    import logomaker
    plt = pyplot()

    mats = fitted_matrices(component)
    fig, axes = plt.subplots(len(mats) or 1, 1, figsize=(8, 1.9 * max(len(mats), 1)), squeeze=False)
    for ax, (name, df) in zip(axes[:, 0], mats.items()):
        logomaker.Logo(df, ax=ax, color_scheme="classic")
        ax.set_ylabel(f"{name}\n(row-centred)", fontsize=8)
        ax.axhline(0, color="k", lw=0.5)
        ax.set_xlabel("position relative to the TSS (+1)", fontsize=7)
    axes[0, 0].set_title(f"{title}\nletters above 0 favour activity (log-odds / −ΔG, kT)", fontsize=9)
    return save_figure(fig, path)


def plot_scatter(table: pd.DataFrame, path: Path, ylabel: str = "measured", title: str = "") -> Path:
    """Predicted vs measured for the ``val`` and ``test`` rows of ``table`` (columns split,
    prediction, target), each split's Pearson r in the legend; PNG at ``path``."""
    plt = pyplot()

    fig, ax = plt.subplots(figsize=(5, 5))
    for split, color in (("val", "tab:blue"), ("test", "tab:orange")):
        sub = table[table["split"] == split]
        r = correlation(sub["prediction"], sub["target"])[0]
        ax.scatter(sub["prediction"], sub["target"], s=4, alpha=0.4, color=color,
                   label=f"{split} (n={len(sub)}, Pearson r = {r:.3f})" if np.isfinite(r) else f"{split} (n={len(sub)})")
    lo = min(table["prediction"].min(), table["target"].min())
    hi = max(table["prediction"].max(), table["target"].max())
    ax.plot([lo, hi], [lo, hi], color="k", lw=0.5)
    ax.set_xlabel("predicted (log2 expression)")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    return save_figure(fig, path)
