"""The ``urtecho2019`` suite: score measured promoters and compare score differences with biology.

``python evaluate.py suite=urtecho2019 suite.root=<download dir> model=<any>`` scores the
Urtecho 2019 variants (100-bp standard-layout windows, see :mod:`mitbench.data.urtecho`) and
reports :func:`mitbench.metrics.measured.summarize_measured`: Spearman of score vs measured
log2 expression, and over matched pairs that differ only by the UP element (or by the −10) the
fraction where the model's score rises, the measured fraction, the sign concordance and the
Spearman of model Δ vs measured Δ (with bootstrap CIs and the replicate ceiling).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.data.records import Element, SequenceRecord
from mitbench.suites.base import Suite
from mitbench.data.urtecho import read_urtecho
from mitbench.metrics.measured import matched_pairs, summarize_measured

META = ("log2_expression", "log2_rep1", "log2_rep2", "log2_rep3", "up", "minus35", "spacer", "minus10",
        "background", "control")
ELEMENTS = (Element("up", 6, 30), Element("minus35", 30, 36), Element("spacer", 36, 53),
            Element("minus10", 53, 59))


class Urtecho2019Suite(Suite):
    """Urtecho et al. 2019 MPRA variants with measured expression in ``meta``.

    Parameters
    ----------
    version : str
        Suite definition version.
    root : str
        Folder with the Urtecho files (``suite.root=``).
    name : str
        Suite name in outputs.
    include_controls : bool
        Also score the negative/positive controls (labels ``neg_control``/``pos_control``; they
        enter no pair metric).
    backgrounds : list of str, optional
        Keep only designed variants on these backgrounds (e.g. a fit's held-out test
        backgrounds, so a fitted model is judged on sequences it was not trained on).
    n_boot : int
        Bootstrap resamples for the CIs.
    boot_seed : int
        Seed of the bootstrap generator.
    """

    def __init__(self, version: str, root: str, name: str = "urtecho2019", include_controls: bool = False,
                 backgrounds: list[str] | None = None, n_boot: int = 1000, boot_seed: int = 0) -> None:
        super().__init__(version)
        self.backgrounds = None if backgrounds is None else [str(b) for b in backgrounds]
        self.root, self.name, self.include_controls = root, name, include_controls
        self.n_boot, self.boot_seed = int(n_boot), int(boot_seed)

    def build(self) -> list[SequenceRecord]:
        table, _ = read_urtecho(self.root)
        if not self.include_controls:
            table = table[table["control"] == ""]
        if self.backgrounds is not None:
            unknown = sorted(set(self.backgrounds) - set(table["background"]))
            if unknown:
                raise ValueError(f"urtecho2019: unknown backgrounds {unknown}")
            table = table[table["background"].isin(self.backgrounds) | (table["control"] != "")]
        records = []
        for row in table.to_dict("records"):
            label = f"{row['control']}_control" if row["control"] else "designed"
            meta = {k: row[k] for k in META}
            records.append(SequenceRecord(row["id"], label, row["sequence"],
                                          () if row["control"] else ELEMENTS, meta))
        return records

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        return summarize_measured(table, self.n_boot, self.boot_seed)

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        from mitbench.report.common import pyplot, save_figure

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
            ax.set_ylabel("model Δ score")
            ax.set_title(f"Δ Spearman {metrics.get(key + '_delta_spearman', float('nan')):.3f}", fontsize=9)
        return [save_figure(fig, outdir / "urtecho_deltas.png", dpi=110)]

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        from mitbench.report.common import fmt, fmt_ci, markdown_table

        rows = []
        for key, label in (("up136", "UP 136-fold vs noUP"), ("up326", "UP 326-fold vs noUP"),
                           ("up", "UP, pooled"), ("m10", "consensus vs weak -10, pooled")):
            rows.append([label, metrics.get(f"{key}_n"), metrics.get(f"{key}_model_rise"),
                         metrics.get(f"{key}_measured_rise"), metrics.get(f"{key}_sign_concordance"),
                         metrics.get(f"{key}_delta_spearman"),
                         fmt_ci(metrics.get(f"{key}_delta_spearman_ci_low"), metrics.get(f"{key}_delta_spearman_ci_high")),
                         metrics.get(f"{key}_delta_spearman_replicates", "")])
        head = (f"## Measured compensation (Urtecho et al. 2019)\n\nSpearman(score, measured log2 expression) "
                f"= {fmt(metrics.get('spearman'))} over {metrics.get('n_designed')} designed variants.\n\n")
        return head + markdown_table(["pairs", "n", "model rise", "measured rise", "sign concordance",
                                      "Δ Spearman", "95% CI", "replicate ceiling"], rows) + "\n"
