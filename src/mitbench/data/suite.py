"""A suite: a versioned set of sequence records plus the summary that turns scores into metrics.

Each suite config in ``conf/suite/`` instantiates one :class:`Suite` subclass. ``evaluate``
scores ``suite.records()`` with a model, builds the scores table (records + ``score``), and asks
the suite for its metrics, its figures and its report section.
"""
from __future__ import annotations

import abc
from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.data.records import SequenceRecord, validate_records


class Suite(abc.ABC):
    """Base class.

    Parameters
    ----------
    version : str
        Version of the suite definition; recorded in every metrics.json.
    """

    name: str = "suite"

    def __init__(self, version: str) -> None:
        self.version = str(version)
        self._records: list[SequenceRecord] | None = None

    @abc.abstractmethod
    def build(self) -> list[SequenceRecord]:
        """Generate or read the records (called once; results are validated and cached)."""

    def records(self) -> list[SequenceRecord]:
        """Validated records (ids unique, sequences upper-case ACGT)."""
        if self._records is None:
            self._records = validate_records(self.build())
        return self._records

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        """Flat metrics from the scores table (columns: id, class, sequence, score, meta...)."""
        return {}

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        """Write PNG figures into ``outdir``; return their paths."""
        return []

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        """Markdown section for report.md."""
        return ""
