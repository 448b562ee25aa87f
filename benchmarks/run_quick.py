"""Run every benchmark's CI mode (``--quick``; ``faults.py --ci``) and fail if any fails.

    python benchmarks/run_quick.py [--only score_throughput faults ...]

The benchmarks run one after another in this one process (torch, Lightning and transformers are
imported once, which on a loaded 2-core machine saves ~15 s per script); each still goes through
its own ``main`` and prints its own table or JSON. The quick modes exercise the real code paths at
tiny sizes, so a benchmark that no longer runs (an import that moved, a renamed config key) fails
here instead of rotting; their numbers are not the benchmarks' figures. A benchmark that needs
shared data which is absent (``$MITBENCH_SHARED``, default ``../shared/data``) is reported as
skipped. Exit status: 1 if any benchmark failed, else 0.
"""
from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
import traceback
from pathlib import Path

from _paths import SHARED  # $MITBENCH_SHARED or ../shared/data

# name -> (arguments, shared data it needs or None); {tmp} is a scratch folder
QUICK = {
    "score_throughput": (["--quick"], None),
    "long_sequence": (["--quick"], None),
    "scoring_modes": (["--quick"], None),
    "real_size": (["--quick"], None),
    "null_cost": (["--quick"], None),
    "untrained_verdicts": (["--quick"], None),
    "nullsettes_speed": (["--quick"], "nullsettes"),
    "audit_speed": (["--quick", "--out", "{tmp}/audit_speed"], None),
    "audit_acceptance": (["--quick", "--out", "{tmp}/audit_acceptance"], None),
    "audit_equivalence_power": (["--quick"], None),
    "verdict_false_positives": (["--quick"], None),
    "board_build": (["--quick"], None),
    "faults": (["--ci"], None),
}
# modules of benchmarks/ that are parts of another script, not benchmarks of their own
PARTS = ("_paths", "run_quick", "knows_nothing", "faults_inputs", "faults_readers", "faults_models", "faults_folders")


def run_one(name: str, argv: list[str]) -> str:
    """``"ok"`` or ``"FAILED: <error>"`` of ``<name>.main(argv)``."""
    try:
        importlib.import_module(name).main(argv)
    except SystemExit as stop:  # argparse errors and faults.py's verdict exit through sys.exit
        if stop.code not in (0, None):
            return f"FAILED: exit status {stop.code}"
    except Exception as err:  # noqa: BLE001  (any error is a failed benchmark, reported by name)
        traceback.print_exc()
        return f"FAILED: {type(err).__name__}: {str(err).splitlines()[0][:100] if str(err) else ''}"
    return "ok"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(QUICK), default=sorted(QUICK, key=list(QUICK).index))
    args = parser.parse_args(argv)
    results, t_all = [], time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mitbench-quick-") as tmp:
        for name in args.only:
            bench_args, needs = QUICK[name]
            print(f"\n===== {name} {' '.join(bench_args)}".replace("{tmp}", tmp), flush=True)
            t0 = time.perf_counter()
            if needs and not (SHARED / needs).is_dir():
                status = f"skipped: {SHARED / needs} absent"
            else:
                status = run_one(name, [a.replace("{tmp}", tmp) for a in bench_args])
            results.append((name, status, time.perf_counter() - t0))
    total = time.perf_counter() - t_all
    print("\n| benchmark | status | seconds |\n|---|---|---|")
    for name, status, seconds in results:
        print(f"| {name} | {status} | {seconds:.0f} |")
    failed = [r for r in results if r[1].startswith("FAILED")]
    print(f"\n{len(results)} benchmarks, {len(failed)} failed, {total:.0f} s in all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
