"""Figures of a baseline fit (``train_baselines``): sequence logos and predicted vs measured."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from torch import nn

from mitbench.report.common import pyplot, save_figure

BASES = list("ACGT")


def fitted_matrices(component: nn.Module) -> dict[str, pd.DataFrame]:
    """Every ``(W, 4)`` parameter of ``component`` (PWMs/energy matrices) as a row-centred table.

    Row-centring (subtracting each position's mean) removes the per-position offset that a
    logo cannot show and that does not change score differences between sequences.
    """
    out = {}
    for name, p in component.named_parameters():
        if p.ndim == 2 and p.shape[1] == 4 and p.shape[0] >= 2:
            w = p.detach().cpu().double().numpy()
            out[name] = pd.DataFrame(w - w.mean(axis=1, keepdims=True), columns=BASES)
    return out


def plot_logos(component: nn.Module, path: Path, title: str = "") -> Path:
    """One logomaker panel per fitted matrix (letters above 0 are favoured); PNG at ``path``."""
    import logomaker
    plt = pyplot()

    mats = fitted_matrices(component)
    fig, axes = plt.subplots(len(mats) or 1, 1, figsize=(8, 1.8 * max(len(mats), 1)), squeeze=False)
    for ax, (name, df) in zip(axes[:, 0], mats.items()):
        logomaker.Logo(df, ax=ax, color_scheme="classic")
        ax.set_ylabel(name)
        ax.axhline(0, color="k", lw=0.5)
    axes[0, 0].set_title(title)
    return save_figure(fig, path, dpi=110)


def plot_scatter(table: pd.DataFrame, path: Path, ylabel: str = "measured", title: str = "") -> Path:
    """Predicted vs measured for the ``val`` and ``test`` rows of ``table`` (columns split,
    prediction, target); PNG at ``path``."""
    plt = pyplot()

    fig, ax = plt.subplots(figsize=(5, 5))
    for split, color in (("val", "tab:blue"), ("test", "tab:orange")):
        sub = table[table["split"] == split]
        ax.scatter(sub["prediction"], sub["target"], s=4, alpha=0.4, color=color, label=f"{split} (n={len(sub)})")
    lo = min(table["prediction"].min(), table["target"].min())
    hi = max(table["prediction"].max(), table["target"].max())
    ax.plot([lo, hi], [lo, hi], color="k", lw=0.5)
    ax.set_xlabel("predicted")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    return save_figure(fig, path, dpi=110)
