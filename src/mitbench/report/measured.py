"""Figure and markdown section of the measured-compensation suite (``suite=urtecho2019``)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.metrics.measured import matched_pairs
from mitbench.report.common import fmt, fmt_ci, fmt_p, markdown_table, pyplot, save_figure, score_label

PAIR_SETS = (("up136", "UP 136-fold vs noUP"), ("up326", "UP 326-fold vs noUP"), ("up", "UP, pooled"),
             ("m10", "consensus vs weak -10, pooled"))


def measured_deltas_figure(table: pd.DataFrame, metrics: dict[str, Any], path: Path) -> Path:
    """Model Δ score against measured Δ log2 expression for the UP-136 and the −10 pairs."""
    plt = pyplot()
    designed = table[table["up"].astype(str) != ""]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    for ax, (label, base, other) in zip(axes, (("UP (136-fold) - noUP", "noUP", "gourse_136fold_up"),
                                               ("consensus - weak -10", None, "consensus10"))):
        if base is None:
            pairs = pd.concat([matched_pairs(designed, "minus10", v, other)
                               for v in designed["minus10"].unique() if v != other], ignore_index=True)
            key = "m10"
        else:
            pairs, key = matched_pairs(designed, "up", base, other), "up136"
        ax.scatter(pairs["measured_delta"], pairs["model_delta"], s=3, alpha=0.3)
        ax.axhline(0, color="k", lw=0.5), ax.axvline(0, color="k", lw=0.5)
        ax.set_xlabel(f"measured Δ log2 expression ({label})")
        ax.set_ylabel(f"model Δ {score_label(metrics.get('mode'))}")
        ax.set_title(f"Δ Spearman {fmt(metrics.get(key + '_delta_spearman'))}", fontsize=9)
    fig.suptitle(f"{metrics.get('checkpoint', metrics.get('model', ''))} on Urtecho et al. 2019", fontsize=9)
    return save_figure(fig, path)


def measured_section(metrics: dict[str, Any]) -> str:
    """Markdown: overall Spearman and one row per matched-pair set."""
    rows = [[label, metrics.get(f"{key}_n"), metrics.get(f"{key}_model_rise"), metrics.get(f"{key}_measured_rise"),
             metrics.get(f"{key}_sign_concordance"), metrics.get(f"{key}_delta_spearman"),
             fmt_ci(metrics.get(f"{key}_delta_spearman_ci_low"), metrics.get(f"{key}_delta_spearman_ci_high")),
             fmt_p(metrics.get(f"{key}_delta_spearman_pvalue")), metrics.get(f"{key}_delta_spearman_replicates", "")]
            for key, label in PAIR_SETS]
    head = (f"## Measured compensation (Urtecho et al. 2019)\n\nSpearman(score, measured log2 expression) "
            f"= {fmt(metrics.get('spearman'))} "
            f"{fmt_ci(metrics.get('spearman_ci_low'), metrics.get('spearman_ci_high'))} over "
            f"{metrics.get('n_designed')} designed variants.\n\n")
    note = ("\nCIs: percentile cluster bootstrap (pairs sharing a base record resampled together); p: one-sided "
            "bootstrap p-value of Δ Spearman > 0, (1 + #resamples ≤ 0) / (B + 1).\n")
    return head + markdown_table(["pairs", "n", "model rise", "measured rise", "sign concordance", "Δ Spearman",
                                  "95% CI", "p", "replicate ceiling"], rows) + note
