"""Write a run's outputs all-or-nothing: files are staged, then moved into place together.

A run that fails (bad input, a model error, Ctrl-C) leaves an existing output directory exactly
as it was; the staging folder is removed.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

SPEC_FILE = "spec.json"  # a run's metric spec (mitbench.suites.spec.MetricSpec.to_dict()), beside metrics.json


class StagedOutput:
    """Context manager: ``with StagedOutput(out_dir) as stage: write into stage.path``.

    On normal exit every file under ``stage.path`` replaces its namesake in ``out_dir``
    (``os.replace``, atomic per file); on an exception nothing in ``out_dir`` changes.
    """

    def __init__(self, out_dir: str | Path) -> None:
        self.out_dir = Path(out_dir)
        self.path: Path | None = None

    def __enter__(self) -> "StagedOutput":
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.out_dir))
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.path is not None
        try:
            if exc_type is None:
                for src in sorted(p for p in self.path.rglob("*") if p.is_file()):
                    dst = self.out_dir / src.relative_to(self.path)
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(src, dst)
        finally:
            shutil.rmtree(self.path, ignore_errors=True)


def to_jsonable(value: Any) -> Any:
    """Plain-JSON form of metrics: numpy scalars to Python, NaN/inf to None."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(path: str | Path, obj: Any) -> None:
    Path(path).write_text(json.dumps(to_jsonable(obj), indent=2, sort_keys=True) + "\n")


SCORES_FIRST = ("id", "class", "score")  # then the records' metadata, then length, sequence, elements
SCORES_LAST = ("length", "sequence", "elements")


def write_scores(table, outdir: str | Path) -> list[Path]:
    """``scores.csv`` (every record's metadata beside its score; floats written with 17 significant
    digits, so float64 round-trips exactly) and ``scores.parquet`` when pyarrow is installed."""
    meta = [c for c in table.columns if c not in SCORES_FIRST + SCORES_LAST]
    ordered = table[[*SCORES_FIRST, *meta, *[c for c in SCORES_LAST if c in table.columns]]]
    paths = [Path(outdir) / "scores.csv"]
    ordered.to_csv(paths[0], index=False, float_format="%.17g", lineterminator="\n")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return paths
    paths.append(Path(outdir) / "scores.parquet")
    ordered.to_parquet(paths[1], index=False)
    return paths
