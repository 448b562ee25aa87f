"""Reading a finished run back: ``load_run(dir)`` returns its scores table (every record's metadata
and score, as ``evaluate`` wrote it), its metrics and its metric spec, so the metric functions can be
re-run on it (``summarize_mit(load_run(d).table)`` gives the values of ``metrics.json``)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mitbench.engine.outputs import SCORES_COLUMNS_FILE, SPEC_FILE

# runs written before scores.columns.json existed: the identifier columns their suites wrote
LEGACY_TEXT_COLUMNS = ("id", "class", "group", "placement", "probe", "condition", "variant", "level", "family", "design",
                  "elements", "sequence")


@dataclass(frozen=True)
class Run:
    """A finished run: ``table`` (scores table), ``metrics`` (metrics.json), ``spec`` (spec.json, a dict)."""

    path: Path
    table: pd.DataFrame
    metrics: dict[str, Any]
    spec: dict[str, Any]


def load_run(run_dir: str | Path) -> Run:
    """Load ``scores.parquet`` (or ``scores.csv``), ``metrics.json`` and ``spec.json`` of a run.

    Raises
    ------
    FileNotFoundError
        Naming the run directory and the missing file.
    """
    d = Path(run_dir)
    for name in ("metrics.json", "scores.csv"):
        if not (d / name).is_file():
            raise FileNotFoundError(f"run {d}: no {name} (not a finished mitbench run directory)")
    if (d / "scores.parquet").is_file():
        table = pd.read_parquet(d / "scores.parquet")
    else:
        header = pd.read_csv(d / "scores.csv", nrows=0).columns
        # write_scores writes a missing value as an empty cell and nothing else: "NA", "null", "None"
        # in the file are values (an id, a group, a gene name), not missing ones
        listed = d / SCORES_COLUMNS_FILE  # written with the scores: which columns hold text
        text = json.loads(listed.read_text())["text"] if listed.is_file() else LEGACY_TEXT_COLUMNS
        table = pd.read_csv(d / "scores.csv", dtype={c: str for c in text if c in header},
                            keep_default_na=False, na_values=[""])
    spec = json.loads((d / SPEC_FILE).read_text()) if (d / SPEC_FILE).is_file() else {}
    return Run(d, table, json.loads((d / "metrics.json").read_text()), spec)
