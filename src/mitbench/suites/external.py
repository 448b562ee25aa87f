"""``suite=external``: score sequence sets read from files (readers: :mod:`mitbench.data.mit.external`).

Metrics: the MIT metrics (:func:`mitbench.metrics.mit.summary.summarize_mit`) when classes D and E are
present (SCR needs H too), else per-class statistics. An external set's classes are drawn
independently unless its file says otherwise, so beside the index pairing every run gets the
unpaired statistics of :mod:`mitbench.metrics.unpaired` (all-pairs win rate / Mann–Whitney with
CIs, and the spread of CSS/SCR over random re-pairings).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.data.mit.external import read_external
from mitbench.data.core.records import SequenceRecord
from mitbench.metrics.mit.summary import class_stats, summarize_mit, summarize_peak_bytes
from mitbench.metrics.mit.verdict import mit_verdict
from mitbench.report.common import class_distribution_figure, class_table
from mitbench.report.mit import mit_figures, mit_report
from mitbench.suites.base import Suite
from mitbench.suites.mit import MIT_SPEC, PLACEMENT_LABELS
from mitbench.suites.spec import MetricSpec


class ExternalSuite(Suite):
    """Sequences from files (class JSON layout or FASTA); see :mod:`mitbench.data.mit.external`.

    Parameters
    ----------
    path : str
        Directory of ``class_*.json``, a ``.json`` list, or a FASTA file.
    version : str
        Recorded in metrics.json; name the data release you score (e.g. the reference commit).
    name : str
        Suite name used in output paths and comparison tables.
    n_boot : int
        Bootstrap resamples for metric CIs.
    boot_seed : int
        Bootstrap seed.
    stats : ExactWinTest or PaperWinTest, optional
        p-values and intervals of CSS/SCR (the ``stats`` config group; default exact).
    n_repair : int
        Random re-pairings behind ``css_repair_*``/``scr_repair_*`` (0 skips them).
    """

    name = "external"

    def __init__(self, path: str, version: str = "1.2", name: str = "external", n_boot: int = 1000,
                 boot_seed: int = 0, stats=None, n_repair: int = 10000) -> None:
        super().__init__(version, name)
        self.path = Path(path)
        self.n_boot, self.boot_seed = int(n_boot), int(boot_seed)
        self.stats, self.n_repair = stats, int(n_repair)

    @property
    def spec(self) -> MetricSpec:
        return MIT_SPEC

    def build(self) -> list[SequenceRecord]:
        return read_external(self.path)

    def peak_bytes(self, records: list[SequenceRecord]) -> int:
        counts = Counter(r.label for r in records)
        if not {"D", "E"} <= set(counts):
            return 0  # per-class statistics only: O(n)
        return summarize_peak_bytes(counts, self.n_boot, self.n_repair, unpaired=True)

    def is_mit(self, table: pd.DataFrame) -> bool:
        """True when the table has classes D and E (CSS is defined)."""
        return {"D", "E"} <= set(table["class"])

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        if self.is_mit(table):
            return summarize_mit(table, n_boot=self.n_boot, seed=self.boot_seed, stats=self.stats, unpaired=True,
                                 n_repair=self.n_repair)
        return class_stats(table)

    def panel_records(self, records: list[SequenceRecord]) -> list[SequenceRecord]:
        """The placement-control canvases (the panel calibrates the placement effects only)."""
        return [r for r in records if r.label in PLACEMENT_LABELS]

    def summarize_null(self, table: pd.DataFrame) -> dict[str, Any]:
        if not self.is_mit(table):
            return class_stats(table)
        return summarize_mit(table, n_boot=0, seed=self.boot_seed, stats=self.stats, n_repair=0)

    def verdict(self, metrics: dict[str, Any], alpha: float, has_null: bool) -> dict[str, Any]:
        if metrics.get("css_n") is None:
            return {}
        return mit_verdict(metrics, alpha, has_null, pairing="the file's group keys (index within class unless given); "
                                                             "backgrounds not necessarily matched")

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        if self.is_mit(table):
            return mit_figures(table, metrics, outdir, MIT_SPEC.calibrated_metrics())
        return [class_distribution_figure(table, Path(outdir) / "class_scores.png")]

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        if self.is_mit(table):
            return mit_report(table, metrics, MIT_SPEC.calibrated_metrics())
        return f"## Scores by class ({self.path.name})\n\n{class_table(table)}\n"
