"""A suite: a versioned set of sequence records, the metrics that turn their scores into numbers,
the report of those numbers, and the :class:`~mitbench.suites.spec.MetricSpec` that says how to
read them.

A suite combines a generator or reader from :mod:`mitbench.data`, pure metric functions from
:mod:`mitbench.metrics` and report functions from :mod:`mitbench.report`; ``evaluate`` scores
``suite.records()`` with a model, builds the scores table (``records_to_frame(records)`` plus a
float64 ``score`` column) and hands it to :meth:`Suite.summarize`, :meth:`Suite.figures` and
:meth:`Suite.report`.
"""
from __future__ import annotations

import abc
from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.data.core.records import SequenceRecord, validate_records
from mitbench.suites.memory import check_fits
from mitbench.suites.spec import MetricSpec


class Suite(abc.ABC):
    """Base class of every suite.

    Parameters
    ----------
    version : str
        Version of the suite definition, ``MAJOR.MINOR`` (recorded in every metrics.json; a change
        of generated sequences or metric definitions bumps it).
    name : str
        Suite name in output paths and comparison tables.
    """

    name: str = "suite"

    def __init__(self, version: str, name: str | None = None) -> None:
        self.version = str(version)
        if name is not None:
            self.name = str(name)
        self._records: list[SequenceRecord] | None = None

    @property
    def spec(self) -> MetricSpec:
        """The suite's metric spec (see :mod:`mitbench.suites.spec`)."""
        return MetricSpec()

    @property
    def score_only(self) -> bool:
        """True when the records carry no sequences (scores replayed from a file): only a
        precomputed model can score them, and references and null copies are skipped."""
        return False

    def panel_records(self, records: list[SequenceRecord]) -> list[SequenceRecord]:
        """The records the untrained-CNN panel scores for a model without an architecture null (what
        the spec's ``panel`` metrics are computed from); default: all of them when the spec has
        panel metrics, else none."""
        return list(records) if self.spec.panel and not self.score_only else []

    @abc.abstractmethod
    def build(self) -> list[SequenceRecord]:
        """Generate or read the records (called once; results are validated and cached)."""

    def records(self) -> list[SequenceRecord]:
        """Validated records (ids unique, sequences upper-case ACGT).

        Raises
        ------
        MemoryError
            Before anything is scored, when :meth:`peak_bytes` exceeds the memory available
            (:func:`mitbench.suites.memory.check_fits`).
        """
        if self._records is None:
            records = validate_records(self.build(), score_only=self.score_only)
            check_fits(self.peak_bytes(records), f"suite {self.name!r} ({len(records)} records)",
                       "Lower the suite's resamples (e.g. suite.n_boot, suite.n_repair) or score a subset.")
            self._records = records
        return self._records

    def peak_bytes(self, records: list[SequenceRecord]) -> int:
        """Estimated peak memory (bytes) of :meth:`summarize` on these records; 0 = not estimated
        (suites of a fixed, small size)."""
        return 0

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        """Flat metrics from the scores table (columns: id, class, sequence, score, meta...)."""
        return {}

    def summarize_null(self, table: pd.DataFrame) -> dict[str, Any]:
        """Metrics of a null or reference model's scores: at least every calibrated and headline key;
        suites may skip what only the report needs (bootstrap intervals), since it runs ~20 times."""
        return self.summarize(table)

    def verdict(self, metrics: dict[str, Any], alpha: float, has_null: bool) -> dict[str, Any]:
        """Verdict keys (``verdict``, ``verdict_evidence``, ...) from the final metrics; ``{}`` when the
        suite defines no verdict."""
        return {}

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        """Write figures into ``outdir``; return their paths."""
        return []

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        """Markdown section for report.md."""
        return ""
