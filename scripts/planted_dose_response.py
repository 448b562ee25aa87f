#!/usr/bin/env python3
"""Figure: the MIT placement effects of causal models trained on planted corpora, against the share of planted
promoters (``--x share``, docs/figures/planted_dose_response.png) or against training tokens (``--x tokens``: the
``snapshot_steps`` of one run, docs/figures/planted_exposure.png); docs/train_glm.md, "A positive control".

Each ``--run X=EVALUATE_FOLDER`` (X = the share, or the training tokens) is one ``python evaluate.py model=hf_causal model.path=<train run>/hf``
output folder (its ``metrics.json``); the plot shows both families' effects with their bootstrap 95 % CIs and the
largest effect among the model's 19 random-init twins (the bar a family must clear), with the verdict per point.

    python scripts/planted_dose_response.py --out docs/figures/planted_dose_response.png \\
        --run 1.0=outputs/evaluate/planted_c256_l2 --run 0.3=outputs/evaluate/planted_c256_l2_share0.3 ...
    python scripts/planted_dose_response.py --x tokens --out docs/figures/planted_exposure.png \\
        --run 1024000=<evaluate of snapshots/step_000125/hf> ... --run 8192000=<evaluate of hf/>
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FAMILIES = {"up_placement": "UP moved (up_placement)", "comp_placement": "UP + TGT moved (comp_placement)"}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", action="append", required=True, help="X=evaluate output folder")
    ap.add_argument("--x", choices=("share", "tokens"), default="share", help="what X is")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    points = sorted((float(s), json.loads((Path(f) / "metrics.json").read_text()))
                    for s, f in (r.split("=", 1) for r in args.run))
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for (family, label), colour, dx in zip(FAMILIES.items(), ("tab:blue", "tab:orange"), (0.97, 1.03)):
        x = [s * dx for s, _ in points]
        y = [m[f"{family}_effect"] for _, m in points]
        lo = [m[f"{family}_effect"] - m[f"{family}_effect_ci_low"] for _, m in points]
        hi = [m[f"{family}_effect_ci_high"] - m[f"{family}_effect"] for _, m in points]
        ax.errorbar(x, y, yerr=[lo, hi], marker="o", capsize=3, color=colour, label=label)
        ax.plot(x, [max(m[f"{family}_effect_null_values"]) for _, m in points], ls=":", color=colour,
                label=f"{family}: best of 19 random-init twins")
    for s, m in points:
        ax.annotate(m["verdict"], (s, -0.16), ha="center", fontsize=7, rotation=0)
    ax.axhline(0, color="grey", lw=0.6)
    ax.set_xscale("log")
    ax.set_ylabel("placement effect (1 = correct best in every frame)")
    ax.set_ylim(-0.2, 1.0)
    if args.x == "share":
        ax.set_xlabel("share of 256-bp contigs with a planted promoter")
        ax.set_title("Causal gLM, 2 layers, 1,000 steps (8.2 M tokens) on planted corpora:\nMIT placement effects", fontsize=9)
    else:
        ax.set_xlabel("training tokens (snapshots of one run: python train_glm.py corpus=planted)")
        ax.set_title("Causal gLM, 2 layers, share 1.0: MIT placement effects by exposure", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(args.out, dpi=150)
    print(args.out)


if __name__ == "__main__":
    main()
