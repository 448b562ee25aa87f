"""The ``urtecho2019`` suite: score measured promoters and compare score differences with biology.

``python evaluate.py suite=urtecho2019 suite.root=<download dir> model=<any>`` scores the
Urtecho 2019 variants (100-bp standard-layout windows, see :mod:`mitbench.data.fit.urtecho`) and
reports :func:`mitbench.metrics.measured.summarize_measured`: Spearman of score vs measured
log2 expression, and over matched pairs that differ only by the UP element (or by the −10) the
fraction where the model's score rises, the measured fraction, the sign concordance and the
Spearman of model Δ vs measured Δ (with bootstrap CIs and the replicate ceiling).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.data.core.grammar import STANDARD
from mitbench.data.core.records import Element, SequenceRecord
from mitbench.data.fit.urtecho import read_urtecho
from mitbench.metrics.measured import summarize_measured
from mitbench.report.measured import measured_deltas_figure, measured_section
from mitbench.suites.base import Suite
from mitbench.suites.spec import Metric, MetricSpec

META = ("log2_expression", "log2_rep1", "log2_rep2", "log2_rep3", "up", "minus35", "spacer", "minus10",
        "background", "control")
_L = STANDARD
# Urtecho's UP window is the 24 bp upstream of the −35 (the Gourse UP elements are longer than 9 bp)
ELEMENTS = (Element("up", _L.minus35_start - 24, _L.minus35_start), Element("minus35", *_L.minus35),
            Element("spacer", _L.minus35[1], _L.minus10_start), Element("minus10", *_L.minus10))
SPEC = MetricSpec(
    headline=(
        Metric("spearman", "Spearman(score, expression)", ci=("spearman_ci_low", "spearman_ci_high"),
               pvalue="spearman_pvalue", chance=0.0,
               description="Spearman of score vs measured log2 expression, all designed variants"),
        Metric("up136_delta_spearman", "UP Δ Spearman", ci=("up136_delta_spearman_ci_low", "up136_delta_spearman_ci_high"),
               pvalue="up136_delta_spearman_pvalue", chance=0.0,
               description="Spearman of model Δ vs measured Δ over pairs differing only by the 136-fold UP"),
        Metric("up136_sign_concordance", "UP sign concordance",
               ci=("up136_sign_concordance_ci_low", "up136_sign_concordance_ci_high"),
               description="fraction of UP pairs where model and measurement move the same way"),
        Metric("m10_delta_spearman", "−10 Δ Spearman", ci=("m10_delta_spearman_ci_low", "m10_delta_spearman_ci_high"),
               pvalue="m10_delta_spearman_pvalue", chance=0.0,
               description="Spearman of model Δ vs measured Δ over consensus vs weak −10 pairs"),
    ),
    tested=("spearman", "up136_delta_spearman", "m10_delta_spearman"),
    objective="up136_delta_spearman",
)


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

    name = "urtecho2019"

    def __init__(self, version: str, root: str, name: str = "urtecho2019", include_controls: bool = False,
                 backgrounds: list[str] | None = None, n_boot: int = 1000, boot_seed: int = 0) -> None:
        super().__init__(version, name)
        self.backgrounds = None if backgrounds is None else [str(b) for b in backgrounds]
        self.root, self.include_controls = root, include_controls
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

    @property
    def spec(self) -> MetricSpec:
        return SPEC

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        return summarize_measured(table, self.n_boot, self.boot_seed)

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        return [measured_deltas_figure(table, metrics, Path(outdir) / "urtecho_deltas.png")]

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        return measured_section(metrics)
