"""Where the benchmarks find the shared datasets: ``$MITBENCH_SHARED``, else ``../shared/data`` beside
the checkout (the rule ``tests/helpers.py`` uses)."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MITBENCH_SHARED", ROOT.parent / "shared" / "data"))
