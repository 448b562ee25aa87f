"""The Nullsettes suite: ``python evaluate.py suite=nullsettes suite.root=<dir> suite.dataset=<name> model=<any>``.

Data: :mod:`mitbench.data.nullsettes.build` (built from parts; frame check, repairs, linker policy);
metrics: :mod:`mitbench.metrics.nullsettes`; report: :mod:`mitbench.report.nullsettes`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.data.nullsettes.build import DATASETS, N_TYPES, NONMUTANT, BuildReport, build_nullsettes
from mitbench.data.core.records import SequenceRecord
from mitbench.suites.base import Suite
from mitbench.suites.spec import Contrast, Metric, MetricSpec


class NullsettesSuite(Suite):
    """Loss-of-function translocations of working expression cassettes.

    Parameters
    ----------
    version : str
        Suite definition version.
    name : str, optional
        Name in output paths (default ``nullsettes``).
    root : str
        Folder holding ``nullsettes/`` and ``kosuri2013/`` (see the README's data section).
    dataset : str
        ``kosuri``, ``lagator``, ``deboer_pTpA``, ``deboer_Abf1TATA`` or ``zahm``.
    n_cassettes : int, optional
        Seeded subset of the 1,500 cassettes (None = all).
    seed : int
        Subset and IUPAC-resolution seed.
    repair_frame : bool
        Apply the documented repair of source frame defects (False builds the reference's
        sequences; the defect is reported either way).
    trim_flanks : bool
        Remove the constant flanks that de Boer library promoters duplicate.
    n_perm : int
        Sign-flip resamples per type (``summarize`` costs ~ n_types * n_perm * n_cassettes
        multiply-adds; lower it for many random-init null runs).
    perm_seed : int
        Permutation seed.
    alpha : float
        Benjamini–Hochberg level of ``success_rate``.
    n_null : int
        Label permutations of the no-knowledge null of the quintile/Spearman relation.
    """

    name = "nullsettes"

    def __init__(self, version: str = "1.0", name: str | None = None, root: str = "", dataset: str = "kosuri",
                 n_cassettes: int | None = None, seed: int = 0, repair_frame: bool = True,
                 trim_flanks: bool = True, n_perm: int = 9999, perm_seed: int = 0, alpha: float = 0.05,
                 n_null: int = 199) -> None:
        super().__init__(version, name)
        if dataset not in DATASETS:
            raise ValueError(f"unknown nullsettes dataset {dataset!r}; choose one of {sorted(DATASETS)}")
        if not 0 < alpha < 1 or n_perm < 1 or n_null < 0:
            raise ValueError(f"need 0 < alpha < 1, n_perm >= 1, n_null >= 0; got {alpha}, {n_perm}, {n_null}")
        self.root, self.dataset = str(root), dataset
        self.n_cassettes = None if n_cassettes is None else int(n_cassettes)
        self.seed, self.repair_frame, self.trim_flanks = int(seed), bool(repair_frame), bool(trim_flanks)
        self.n_perm, self.perm_seed, self.alpha, self.n_null = int(n_perm), int(perm_seed), float(alpha), int(n_null)
        self.build_report: BuildReport | None = None
        self.type_orders: dict[str, str] = {}

    @property
    def types(self) -> list[str]:
        return [f"T{k:02d}" for k in range(1, N_TYPES[DATASETS[self.dataset]] + 1)]

    @property
    def spec(self) -> MetricSpec:
        headline = (
            Metric("success_rate", "success rate", True, chance=self.alpha,
                   description=f"share of translocation types whose mutants score significantly below their "
                               f"nonmutants (one-sided sign-flip test, BH q < {self.alpha}); at most alpha for "
                               "a model that knows nothing and independent pairs"),
            Metric("mean_accuracy", "mean accuracy", True, chance=0.5, pvalue="mean_accuracy_p",
                   description="mean over types of the share of cassettes whose mutant scores strictly below "
                               "its nonmutant (ties fail)"),
        )
        per_type = tuple(Metric(f"accuracy_{t}", f"accuracy {t}", True, chance=0.5, pvalue=f"p_{t}",
                                ci=(f"ci_low_{t}", f"ci_high_{t}"),
                                description=f"share of cassettes whose {t} mutant scores below the nonmutant")
                         for t in self.types)
        relation = Metric("spearman_rho", "Spearman rho", True, pvalue="spearman_rho_null_p",
                          description="nonmutant per-nt score vs cassette accuracy (the paper's relation; "
                                      "positive even for random scores: read it against its null)")
        return MetricSpec(
            headline=headline,
            contrasts=tuple(Contrast(f"accuracy_{t}", NONMUTANT, t, on="group", column="class") for t in self.types),
            tested=("mean_accuracy",), objective="mean_accuracy", calibrated=per_type + headline + (relation,),
            notes=("One translocation is applied to cassettes that share CDS and terminator, so pairs of a type "
                   "are not independent: read per-type p-values against the random-initialised null.",
                   "The verdict uses summed scores; per-nucleotide means give the same paired verdict "
                   "(a mutant has its nonmutant's length)."))

    def build(self) -> list[SequenceRecord]:
        if not self.root:
            raise ValueError("suite.root is required: a folder holding nullsettes/ and kosuri2013/ "
                             "(see the README, 'Nullsettes')")
        records, self.build_report = build_nullsettes(self.root, self.dataset, self.n_cassettes, self.seed,
                                                      self.repair_frame, self.trim_flanks)
        self.type_orders = dict(self.build_report.type_orders)
        return records

    def _built(self) -> BuildReport:
        self.records()
        assert self.build_report is not None
        return self.build_report

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        from mitbench.metrics.nullsettes import summarize_nullsettes

        rep = self._built()
        out = summarize_nullsettes(table, n_perm=self.n_perm, seed=self.perm_seed, alpha=self.alpha,
                                   n_null=self.n_null)
        out.update({"dataset": rep.dataset, "kingdom": rep.kingdom, "n_cassettes_available": rep.n_available,
                    "frame_defects": list(rep.frame_defects), "n_frame_defects": len(rep.frame_defects),
                    "repair_frame": rep.repair_frame, "frame_repairs": list(rep.frame_repairs),
                    "flank_trims": list(rep.flank_trims), "iupac": list(rep.iupac),
                    "linker_policy": rep.linker_policy})
        out.update({f"cds_encoded_{t}": v for t, v in rep.cds_encoded.items()})
        return out

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        from mitbench.report.nullsettes import nullsettes_figures

        return nullsettes_figures(metrics, Path(outdir), self.types)

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        from mitbench.report.nullsettes import nullsettes_report

        self._built()
        return nullsettes_report(metrics, self.type_orders, *_report_values(self.spec))


def _report_values(spec: MetricSpec) -> tuple[dict[str, Any], list[str]]:
    """The spec's no-knowledge values and reading notes (tie rule first), as the report takes them."""
    return {m.key: m.chance for m in spec.headline}, [spec.tie_rule, *spec.notes]
