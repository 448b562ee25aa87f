"""Finished runs for the board, bundle and verify tests: built once per session, small and offline."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mitbench.api import evaluate
from nullsettes_toy import make_root

PREMOVE = Path(__file__).resolve().parents[1] / "fixtures" / "run_premove"


@pytest.fixture(scope="session")
def three_runs(tmp_path_factory) -> dict[str, Path]:
    """``kmer``: the MIT smoke run (limit=40) of the 6-mer baseline; ``premove``: a copy of the full
    PA-PWM MIT run written before the layout move; ``nullsettes``: the 6-mer baseline on the toy
    Nullsettes data (tests/nullsettes_toy.py). Two systems, three runs."""
    base = tmp_path_factory.mktemp("runs")
    evaluate(model="kmer", suite="mit", output_dir=base / "kmer", limit=40, logger="none", calibration="none")
    root = make_root(base / "ns_data")
    evaluate(model="kmer", suite="nullsettes", output_dir=base / "nullsettes", logger="none",
             suite__root=str(root), suite__n_perm=999, calibration="none")
    shutil.copytree(PREMOVE, base / "premove")
    return {"kmer": base / "kmer", "premove": base / "premove", "nullsettes": base / "nullsettes"}
