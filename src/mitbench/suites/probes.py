"""Probe suites: one generator (``mitbench.data.mit.probes``) + one metric function
(``mitbench.metrics.mit.probes``) + report functions (``mitbench.report.probes``) + a headline spec,
bound together by one YAML in ``conf/suite/``.

Adding a probe is one generator, one metric function and one YAML: the YAML names them with
``_partial_: true`` nodes, and :class:`ProbeSuite` calls ``generator()``, ``metric(rows)``,
``figure(rows, path)`` and ``section(rows, metrics)``. :class:`ProbeBattery` scores several probes in
one run and adds the effect-size hierarchy.

``suite.source=<file>`` replays a probe score file instead of generating sequences: the YAML's
``reader`` (:mod:`mitbench.data.mit.probe_scores`) turns the file into score-only records of the probe's
form, scored by ``model=precomputed model.path=<same file>``. Draws of such files are independent
(pairs are formed by index); files holding only condition means give no win rates (NaN, with
``<probe>_notes`` saying why).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import pandas as pd

from mitbench.data.core.records import SequenceRecord
from mitbench.metrics.mit.hierarchy import effect_hierarchy
from mitbench.metrics.mit.probes import without_win_rates
from mitbench.report.common import score_label
from mitbench.suites.base import Suite
from mitbench.suites.spec import Metric, MetricSpec


class ProbeSuite(Suite):
    """One probe.

    Parameters
    ----------
    name : str
        Suite name (run directory paths, report headings).
    version : str
        Version of the probe definition (``MAJOR.MINOR``).
    probe : str
        The ``meta["probe"]`` value of its records (how a battery splits a table by probe).
    generator : callable
        ``() -> list[SequenceRecord]`` (a generator from :mod:`mitbench.data.mit.probes` with its
        arguments bound, e.g. seed and levels).
    metric : callable
        ``(rows: DataFrame) -> dict`` (a function of :mod:`mitbench.metrics.mit.probes`).
    figure : callable
        ``(rows, path) -> Path`` (a figure of :mod:`mitbench.report.probes`); written as
        ``<probe>.png``.
    section : callable
        ``(rows, metrics) -> str`` markdown section.
    headline : sequence of mapping
        The probe's headline metrics (fields of :class:`~mitbench.suites.spec.Metric`).
    tested : sequence of str
        Headline keys a sweep corrects with Benjamini–Hochberg.
    objective : str, optional
        Headline key a sweeper optimises.
    source : str, optional
        A probe score file to replay instead of generating (nested JSON or long CSV,
        :mod:`mitbench.data.mit.probe_scores`); its records are score-only.
    reader : callable, optional
        ``(source) -> list[SequenceRecord]``: the probe's score-file reader.
    """

    def __init__(self, name: str, version: str, probe: str, generator: Callable[[], list[SequenceRecord]],
                 metric: Callable[[pd.DataFrame], dict], figure: Callable[[pd.DataFrame, Path], Path],
                 section: Callable[[pd.DataFrame, dict], str], headline: Sequence[Mapping[str, Any]] = (),
                 tested: Sequence[str] = (), objective: str | None = None, source: str | None = None,
                 reader: Callable[[str], list[SequenceRecord]] | None = None) -> None:
        super().__init__(version, name)
        self.probe = str(probe)
        if Path(self.probe).name != self.probe or self.probe in ("", ".", ".."):  # it names <probe>.png
            raise ValueError(f"probe {self.probe!r} must be a plain name (it names the figure file), not a path")
        self.generator, self.metric, self.figure, self.section = generator, metric, figure, section
        if source is not None and reader is None:
            raise ValueError(f"probe {self.probe!r}: suite.source given but the probe has no score-file reader")
        self.source, self.reader = (None if source is None else str(source)), reader
        self._spec = MetricSpec(headline=tuple(Metric.from_config(m) for m in headline), tested=tuple(tested),
                                objective=objective)

    @property
    def spec(self) -> MetricSpec:
        return self._spec

    @property
    def score_only(self) -> bool:
        return self.source is not None

    def replay(self, source: str) -> "ProbeSuite":
        """This probe replaying the score file ``source`` (same metric, figure and report)."""
        return ProbeSuite(self.name, self.version, self.probe, self.generator, self.metric, self.figure, self.section,
                          headline=[vars(m) for m in self._spec.headline], tested=self._spec.tested,
                          objective=self._spec.objective, source=str(source), reader=self.reader)

    def build(self) -> list[SequenceRecord]:
        return self.reader(self.source) if self.source is not None else self.generator()

    def part(self, table: pd.DataFrame) -> pd.DataFrame:
        """Rows of ``table`` that belong to this probe."""
        return table[table["probe"] == self.probe] if "probe" in table else table

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        rows = self.part(table)
        metrics = self.metric(rows)
        if self.source is None:
            return metrics
        notes = [f"scores replayed from {self.source}; its draws are independent (no shared backgrounds), "
                 "so conditions are paired by draw index only"]
        if "aggregate" in rows and (rows["aggregate"] == "mean").all():
            metrics = without_win_rates(metrics)
            notes = [f"{self.source} holds condition means only: each condition is one record, so correlations "
                     "and differences are over condition means and per-draw win rates are undefined (NaN)"]
        return {**metrics, f"{self.probe}_source": self.source, f"{self.probe}_notes": "; ".join(notes)}

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        return [self.figure(self.part(table), Path(outdir) / f"{self.probe}.png", ylabel=score_label(metrics.get("mode")),
                            model=metrics.get("checkpoint", metrics.get("model")))]

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        return self.section(self.part(table), metrics)


class ProbeBattery(Suite):
    """Several probes scored in one run, plus the effect-size hierarchy.

    Parameters
    ----------
    name : str
        Suite name (run paths).
    version : str
        Version of the battery definition (each part also records its own).
    parts : mapping of str to ProbeSuite
        The probes, keyed by a short name (Hydra instantiates them from their own configs).
    n_boot, boot_seed : int
        Bootstrap resamples and seed of the effect-hierarchy intervals.
    """

    def __init__(self, name: str, version: str, parts: Mapping[str, ProbeSuite], n_boot: int = 1000,
                 boot_seed: int = 0) -> None:
        super().__init__(version, name)
        if not parts:
            raise ValueError("a probe battery needs at least one part")
        self.parts = dict(parts)
        self.n_boot, self.boot_seed = int(n_boot), int(boot_seed)
        probes = [p.probe for p in self.parts.values()]
        if len(set(probes)) != len(probes):
            raise ValueError(f"two parts of the battery are the same probe: {probes}")

    @property
    def spec(self) -> MetricSpec:
        specs = [p.spec for p in self.parts.values()]
        return MetricSpec(headline=tuple(m for s in specs for m in s.headline),
                          tested=tuple(k for s in specs for k in s.tested))

    def build(self) -> list[SequenceRecord]:
        return [r for part in self.parts.values() for r in part.build()]

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        metrics: dict[str, Any] = {f"{key}_version": p.version for key, p in self.parts.items()}
        for part in self.parts.values():
            metrics.update(part.summarize(table))
        metrics.update(effect_hierarchy(table, self.n_boot, self.boot_seed))
        return metrics

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        from mitbench.report.probes import hierarchy_plot

        paths = [p for part in self.parts.values() for p in part.figures(table, metrics, outdir)]
        return paths + [hierarchy_plot(metrics, Path(outdir) / "effect_hierarchy.png")]

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        from mitbench.report.probes import hierarchy_section

        return "".join(part.report(table, metrics) for part in self.parts.values()) + hierarchy_section(metrics)
