"""The combined ``probes`` suite: several probes scored in one run, plus the effect hierarchy.

The default battery (``conf/suite/probes.yaml``) holds the AT titration, the UP positional sweep,
the spacing and the strand probes — all 100 bp on the standard layout, so layout-bound scorers
can score it. Its summary is the union of the parts' summaries plus
:func:`mitbench.metrics.probes.effect_hierarchy` (each effect ÷ the positional effect).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from mitbench.data.probes.common import ProbeSuite
from mitbench.data.records import SequenceRecord
from mitbench.suites.base import Suite


class ProbeBattery(Suite):
    """Several probe suites as one.

    Parameters
    ----------
    name : str
        Suite name (run paths).
    version : str
        Version of the battery definition (each part also records its own).
    parts : mapping of str to ProbeSuite
        The probes, keyed by a short name (Hydra instantiates them from their own configs).
    """

    def __init__(self, name: str, version: str, parts: Mapping[str, ProbeSuite]) -> None:
        super().__init__(version)
        self.name = name
        if not parts:
            raise ValueError("a probe battery needs at least one part")
        self.parts = dict(parts)
        probes = [p.probe for p in self.parts.values()]
        if len(set(probes)) != len(probes):
            raise ValueError(f"two parts of the battery are the same probe: {probes}")

    def build(self) -> list[SequenceRecord]:
        return [r for part in self.parts.values() for r in part.build()]

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        from mitbench.metrics.probes import effect_hierarchy

        metrics: dict[str, Any] = {f"{key}_version": p.version for key, p in self.parts.items()}
        for part in self.parts.values():
            metrics.update(part.summarize(table))
        metrics.update(effect_hierarchy(metrics))
        return metrics

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        from mitbench.report import probes as rp

        paths = [p for part in self.parts.values() for p in part.figures(table, metrics, outdir)]
        return paths + [rp.hierarchy_plot(metrics, Path(outdir) / "effect_hierarchy.png")]

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        from mitbench.report import probes as rp

        body = "".join(part.report(table, metrics) for part in self.parts.values())
        return body + rp.hierarchy_section(metrics)
