"""``suite=external``: score sequence sets read from files instead of generated.

Accepted inputs (``path``)
--------------------------
* a directory of class JSON files ``class_<label>.json`` (the MIT reference layout): each a
  list of objects with ``id``, ``sequence``, ``class_label`` and optional scalar fields and a
  ``metadata`` object. The reference pairs sequences **by index within class**, so each record
  gets ``group = f"{index:03d}"``. Scalar fields and ``metadata`` entries become meta.
* a single ``.json`` file holding such a list (any classes), grouped the same way;
* a FASTA file (``.fa``, ``.fasta``, ``.fna``) with headers ``>id class=<label> [key=value ...]``;
  ``group`` comes from the header when given, else the index within class.

Metrics: :func:`mitbench.metrics.mit.summarize_mit` when classes D and E are present (SCR
needs H too), else per-class statistics.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.data.io import read_fasta
from mitbench.data.records import SequenceRecord
from mitbench.suites.base import Suite

FASTA_SUFFIXES = (".fa", ".fasta", ".fna")
RESERVED = frozenset({"id", "class", "sequence", "length", "elements", "score"})


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def record_from_reference(item: dict, where: str) -> SequenceRecord:
    """One record from an item of the reference class-JSON layout (no ``group`` yet)."""
    for key in ("id", "sequence", "class_label"):
        if key not in item:
            raise ValueError(f"{where}: item {item.get('id', '?')!r} has no {key!r} field")
    rid = str(item["id"])
    meta: dict[str, Any] = {}
    extras = {k: v for k, v in item.items() if k not in ("id", "sequence", "class_label", "metadata")}
    nested = item.get("metadata") or {}
    if not isinstance(nested, dict):
        raise ValueError(f"record {rid!r} in {where}: 'metadata' must be an object")
    for key, value in {**extras, **nested}.items():
        if not _scalar(value):
            raise ValueError(f"record {rid!r} in {where}: field {key!r} is not a scalar")
        meta[f"meta_{key}" if key in RESERVED else key] = value
    # the sequence is validated (upper-cased, ACGT, non-empty) by Suite.records()
    return SequenceRecord(rid, str(item["class_label"]), str(item["sequence"]), (), meta)


def _with_index_groups(records: list[SequenceRecord], keep_existing: bool) -> list[SequenceRecord]:
    counts: dict[str, int] = {}
    out = []
    for r in records:
        i = counts.get(r.label, 0)
        counts[r.label] = i + 1
        if keep_existing and "group" in r.meta:
            out.append(r)
        else:
            out.append(SequenceRecord(r.id, r.label, r.sequence, r.elements, {**r.meta, "group": f"{i:03d}"}))
    return out


def read_reference_json(path: str | Path) -> list[SequenceRecord]:
    """Records from a class-JSON directory (``class_*.json``, sorted) or a single JSON list file."""
    path = Path(path)
    files = sorted(path.glob("class_*.json")) if path.is_dir() else [path]
    if not files:
        raise ValueError(f"{path}: no class_*.json files")
    records = []
    for f in files:
        items = json.loads(f.read_text())
        if not isinstance(items, list):
            raise ValueError(f"{f}: expected a JSON list of sequence objects")
        records.extend(record_from_reference(item, str(f)) for item in items)
    return _with_index_groups(records, keep_existing=False)


class ExternalSuite(Suite):
    """Sequences from files (class JSON layout or FASTA); see the module docstring.

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
    seed : int
        Bootstrap seed.
    """

    name = "external"

    def __init__(self, path: str, version: str = "1", name: str = "external", n_boot: int = 1000,
                 seed: int = 0) -> None:
        super().__init__(version)
        self.path = Path(path)
        self.name = name
        self.n_boot = int(n_boot)
        self.seed = int(seed)

    def build(self) -> list[SequenceRecord]:
        if not self.path.exists():
            raise FileNotFoundError(f"suite=external: {self.path} does not exist")
        if self.path.is_dir() or self.path.suffix.lower() == ".json":
            return read_reference_json(self.path)
        if self.path.suffix.lower() in FASTA_SUFFIXES:
            return _with_index_groups(read_fasta(self.path), keep_existing=True)
        raise ValueError(f"{self.path}: expected a directory of class_*.json, a .json file or FASTA "
                         f"({', '.join(FASTA_SUFFIXES)})")

    def is_mit(self, table: pd.DataFrame) -> bool:
        """True when the table has classes D and E (CSS is defined)."""
        return {"D", "E"} <= set(table["class"])

    def summarize(self, table: pd.DataFrame) -> dict[str, Any]:
        from mitbench.metrics.mit import class_stats, summarize_mit

        if self.is_mit(table):
            return summarize_mit(table, n_boot=self.n_boot, seed=self.seed)
        return class_stats(table)

    def figures(self, table: pd.DataFrame, metrics: dict[str, Any], outdir: Path) -> list[Path]:
        from mitbench.report.common import class_distribution_figure
        from mitbench.report.mit import mit_figures

        if self.is_mit(table):
            return mit_figures(table, metrics, outdir)
        return [class_distribution_figure(table, Path(outdir) / "class_scores.png")]

    def report(self, table: pd.DataFrame, metrics: dict[str, Any]) -> str:
        from mitbench.report.common import class_table
        from mitbench.report.mit import mit_report

        if self.is_mit(table):
            return mit_report(table, metrics)
        return f"## Scores by class ({self.path.name})\n\n{class_table(table)}\n"
