"""``suite=mit``: the Mechanistic Invariance Test (generator :mod:`mitbench.data.mit.designed`, metrics
:mod:`mitbench.metrics.mit.summary`, report :mod:`mitbench.report.mit`)."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.data.mit.designed import DESIGNS, NATURAL_SOURCES, build_mit
from mitbench.data.core.records import SequenceRecord
from mitbench.metrics.mit.placement import FAMILIES, REFERENCE
from mitbench.metrics.mit.summary import summarize_mit
from mitbench.metrics.mit.verdict import mit_verdict
from mitbench.report.mit import mit_figures, mit_report
from mitbench.suites.base import Suite
from mitbench.suites.spec import Contrast, Metric, MetricSpec

def _placement(family: str, what: str) -> tuple[Metric, Metric]:
    return (Metric(f"{family}_effect", f"{family} effect", chance=0.0, pvalue=f"{family}_p_signflip",
                   ci=(f"{family}_effect_ci_low", f"{family}_effect_ci_high"),
                   description=f"1 - 2 x mean normalised rank of the correct cell among {what} cells of its "
                               "core frame (1 = always best, 0 = chance); p: exact sign-flip over backgrounds"),
            Metric(f"{family}_win_all", f"{family} best", ci=(f"{family}_win_all_ci_low", f"{family}_win_all_ci_high"),
                   description=f"fraction of backgrounds where the correct cell beats every {what} cell in every frame"))


UP_EFFECT, UP_WIN = _placement("up_placement", "UP-elsewhere")
COMP_EFFECT, COMP_WIN = _placement("comp_placement", "UP+TGT-elsewhere")

MIT_SPEC = MetricSpec(
    headline=(
        Metric("css", "CSS", chance=0.5, pvalue="css_pvalue", ci=("css_ci_low", "css_ci_high"),
               description="fraction of matched pairs with score(E) > score(D): compensation rewarded"),
        Metric("scr", "SCR", chance=0.5, pvalue="scr_pvalue", ci=("scr_ci_low", "scr_ci_high"),
               description="fraction of pairs with score(E) > score(H): UP in place beats the same bases moved"),
        Metric("mes_natural", "MES natural", chance=0.0, ci=("mes_natural_ci_low", "mes_natural_ci_high"),
               description="Cohen's d, natural intact (A) vs broken (B)"),
        Metric("mes_synthetic", "MES synthetic", chance=0.0, ci=("mes_synthetic_ci_low", "mes_synthetic_ci_high"),
               description="Cohen's d, synthetic intact (C) vs broken (D)"),
        Metric("cir", "CIR", higher_is_better=None, ci=("cir_ci_low", "cir_ci_high"),
               description="MES synthetic / MES natural"),
        Metric("cm", "CM", ci=("cm_ci_low", "cm_ci_high"),
               description="(mean E - mean D) / (mean C - mean D): share of the broken-intact gap recovered"),
        UP_EFFECT, UP_WIN, COMP_EFFECT, COMP_WIN,
    ),
    contrasts=(Contrast("css", better="E", worse="D"), Contrast("scr", better="E", worse="H"),
               Contrast("up_placement", better="placement_ref", worse="up_placement"),
               Contrast("comp_placement", better="placement_ref", worse="comp_placement")),
    tested=("css", "scr", "up_placement_effect", "comp_placement_effect"),
    objective="css",
    calibrated=(Metric("css", "CSS"), Metric("scr", "SCR"), Metric("mes_synthetic", "MES synthetic"),
                Metric("cm", "CM"), UP_EFFECT, UP_WIN, COMP_EFFECT, COMP_WIN),
    panel=(UP_EFFECT, COMP_EFFECT),
)
MEASURED_FALSE_POSITIVES = "verdict_false_positives.json"


def measured_false_positives(version: str) -> dict[str, Any] | None:
    """The packaged false-positive measurement of MIT ``version`` (written by
    ``benchmarks/verdict_false_positives.py --write``): ``worst_rate``, ``worst_upper``, ``source``;
    None when the measurement is of another suite version (a verdict must not quote it)."""
    path = resources.files("mitbench") / "resources" / MEASURED_FALSE_POSITIVES
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    return data if str(data.get("suite_version")) == str(version) else None


PLACEMENT_LABELS = (REFERENCE, *FAMILIES)


class MITSuite(Suite):
    """The MIT as a suite (config: ``conf/suite/mit.yaml``; keys = these arguments).

    Parameters
    ----------
    version : str
        Benchmark definition version.
    name : str
        Suite name used in output paths.
    seed : int
        Generation seed.
    natural_source : {"curated", "regulondb"}
        Where classes A/B/G come from.
    regulondb_path : str, optional
        RegulonDB ``PromoterSet.txt`` (needed for ``natural_source="regulondb"``).
    background_at : float, optional
        A/T fraction of the background, in [0, 1]; None: the design's own (0.55 matched, 0.56
        paper).
    n_boot, boot_seed : int
        Bootstrap resamples and seed for the metrics' confidence intervals.
    controls : bool, optional
        Add the composition-exact placement controls (:mod:`mitbench.data.mit.controls`) that the
        verdict needs; False gives the 650 records only; None: on for the matched design, off for
        the paper's (which has none; True builds them on its E records).
    design : {"matched", "paper"}
        mitbench's matched construction (shared backgrounds, H = E with the UP moved) or the
        paper's own as released (independent backgrounds, H scrambled in place; its CSS/SCR pair by
        index only, so the unpaired statistics are added).
    stats : ExactWinTest or PaperWinTest, optional
        p-values and intervals of CSS/SCR (the ``stats`` config group; default exact).
    """

    name = "mit"

    def __init__(self, version: str = "3.0", name: str = "mit", seed: int = 42, natural_source: str = "curated",
                 regulondb_path: str | None = None, background_at: float | None = None, n_boot: int = 1000,
                 boot_seed: int = 0, controls: bool | None = None, design: str = "matched", stats=None) -> None:
        super().__init__(version, name)
        if natural_source not in NATURAL_SOURCES:
            raise ValueError(f"natural_source must be one of {NATURAL_SOURCES}, got {natural_source!r}")
        if design not in DESIGNS:
            raise ValueError(f"design must be one of {DESIGNS}, got {design!r}")
        if background_at is not None and not 0.0 <= float(background_at) <= 1.0:
            raise ValueError(f"background_at must be in [0, 1], got {background_at}")
        self.seed, self.natural_source, self.regulondb_path = int(seed), natural_source, regulondb_path
        self.background_at = None if background_at is None else float(background_at)
        self.n_boot, self.boot_seed = int(n_boot), int(boot_seed)
        self.controls = None if controls is None else bool(controls)
        self.design, self.stats = design, stats

    @property
    def spec(self) -> MetricSpec:
        return MIT_SPEC

    def build(self) -> list[SequenceRecord]:
        return build_mit(self.seed, self.natural_source, self.regulondb_path, self.background_at, self.controls,
                         self.design)

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        return {"design": self.design, **summarize_mit(table, n_boot=self.n_boot, seed=self.boot_seed,
                                                        stats=self.stats, unpaired=self.design == "paper")}

    def panel_records(self, records: list[SequenceRecord]) -> list[SequenceRecord]:
        """The placement-control canvases (the panel calibrates the placement effects only)."""
        return [r for r in records if r.label in PLACEMENT_LABELS]

    def summarize_null(self, table: pd.DataFrame) -> dict[str, Any]:
        return summarize_mit(table, n_boot=0, seed=self.boot_seed, stats=self.stats, n_repair=0)

    def verdict(self, metrics: dict[str, Any], alpha: float, has_null: bool) -> dict[str, Any]:
        pairing = ("matched backgrounds" if self.design == "matched" else
                   "index within class (the paper's design: independent backgrounds)")
        return mit_verdict(metrics, alpha, has_null, pairing=pairing, measured=measured_false_positives(self.version))

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        return mit_figures(table, metrics, outdir, MIT_SPEC.calibrated_metrics())

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        return mit_report(table, metrics, MIT_SPEC.calibrated_metrics())
