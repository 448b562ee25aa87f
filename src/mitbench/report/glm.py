"""Report of a ``train_glm`` run: the learning curve figure and ``report.md``."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.report.common import fmt, markdown_table, pyplot, save_figure


def plot_learning_curve(curve: pd.DataFrame, metrics: dict[str, Any], path: Path) -> Path:
    """Validation bits/nt (the fixed validation windows) against training tokens seen, with the
    Markov chain chosen on the validation block, scored on the same windows, as a reference line."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    if len(curve):
        ax.plot(curve["tokens_seen"], curve["val_bits_per_nt"], marker="o", ms=3, label=metrics["model"])
        ax.set_xscale("log")
    ref = metrics.get("markov_val_subset_bits_per_nt")
    if ref is not None and metrics.get("kind") == "causal":
        ax.axhline(ref, color="grey", ls="--", label=f"Markov order {metrics['markov_order']}")
    kind = "masked-base bits" if metrics.get("kind") == "masked" else "bits/nt"
    ax.set_xlabel("training tokens seen (nt)")
    ax.set_ylabel(f"validation {kind}")
    ax.set_title(f"{metrics['model']} ({metrics['task']}): {metrics['n_parameters'] / 1e6:.2f} M parameters")
    ax.legend()
    return save_figure(fig, path)


def glm_report(metrics: dict[str, Any], curve: pd.DataFrame, figure: str) -> str:
    """Markdown: run summary, held-out bits/nt of the model and the Markov chains, the curve."""
    m = metrics
    out = [f"# train_glm: {m['model']} ({m['kind']}), task {m['task']}\n",
           f"{m['n_parameters']:,} parameters; {m['steps']} steps, {m['tokens_seen']:,} training tokens "
           f"(context {m['context']} nt); stopped by {m['stopped_by']}; training {_secs(m.get('train_time_s'))}, "
           f"whole run {_secs(m['wall_time_s'])} wall time, {_secs(m.get('cpu_time_s'))} CPU time.\n",
           f"Genome `{m['genome']}`: {m['genome_bp']:,} bp; train {m['train_bp']:,} bp, validation block "
           f"{m['val_bp']:,} bp, test block {m['test_bp']:,} bp (held out; no training crop overlaps them). "
           f"Figures below are on every {m['context']}-nt test window, both strands "
           f"({m['heldout_windows']} windows); each base is predicted from the bases before it in its window.\n"]
    rows = []
    if m.get("heldout_bits_per_nt") is not None:
        rows.append([m["model"], m["heldout_bits_per_nt"]])
    for order, by in m["markov_by_order"].items():
        mark = " (chosen on validation)" if int(order) == m["markov_order"] else ""
        rows.append([f"Markov order {order}{mark}", by["test"]])
    out.append("## Held-out bits per nucleotide (test block)\n")
    out.append(markdown_table(["model", "bits/nt"], [[r[0], fmt(r[1], 5)] for r in rows]))
    if m.get("notes"):
        out.append(f"\n{m['notes']} Test block: {fmt(m.get('heldout_masked_bits_per_nt'), 5)}.\n")
    if "beats_markov" in m:
        verdict = "below" if m["beats_markov"] else "NOT below"
        out.append(f"\nThe model's {fmt(m['heldout_bits_per_nt'], 5)} bits/nt is {verdict} the best Markov "
                   f"order's {fmt(m['markov_best_test_bits_per_nt'], 5)} on the same windows.\n")
    if m["task"] == "contrastive":
        out.append(_contrastive_section(m))
    out.append(f"\n## Learning curve\n\n![learning curve]({figure})\n")
    if len(curve):
        out.append(f"\n{len(curve)} validation points; last: {fmt(curve['val_bits_per_nt'].iloc[-1], 5)} at "
                   f"{int(curve['tokens_seen'].iloc[-1]):,} tokens (fixed validation windows).\n")
    return "\n".join(out)


def _secs(value: Any) -> str:
    return "n/a" if value is None else f"{float(value):.0f} s"


def _contrastive_section(m: dict[str, Any]) -> str:
    from mitbench.data.glm.positional_pairs import NEGATIVES

    rows = [[f"positive vs {name}", fmt(m[f"val_win_rate_{name}_before"]), fmt(m[f"val_win_rate_{name}_after"])]
            for name in NEGATIVES]
    rows.append(["mean LL margin (nats)", fmt(m["val_mean_margin_before"]), fmt(m["val_mean_margin_after"])])
    rows.append(["test bits/nt", fmt(m["init_heldout_bits_per_nt"], 5), fmt(m.get("heldout_bits_per_nt"), 5)])
    return ("\n## Positional-contrastive fine-tuning\n\n"
            f"Initial model `{m['init']}`; {m['train_pairs']} training pairs, {m['val_pairs']} validation pairs "
            "(held-out Urtecho backgrounds). Win = positive LL strictly above the negative's (ties fail).\n\n"
            + markdown_table(["validation", "before", "after"], rows)
            + f"\nHeld-out bits/nt change: {fmt(m['heldout_bits_rise_pct'])} %.\n")
