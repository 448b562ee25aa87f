"""How long ``mitbench board`` takes for a lab's worth of runs (issue 27 acceptance: 30 runs <= 10 s on 2 cores).

Makes a few real, small runs (``mitbench.evaluate``: the 6-mer baseline and PA-PWM on the MIT with
``limit=40``, the 6-mer baseline on the spacing probe with ``limit=40``, calibration off) plus the full
pre-move PA-PWM MIT run of ``tests/fixtures/run_premove`` (1,400 records; read as data, never imported),
copies them round-robin into ``--runs`` run folders with distinct model names (``model_00`` ...), then
times :func:`mitbench.runs.board.site.build_board` over all of them (median of ``--repeats``), and with
``--verify`` also the build that verifies every run. Making the source runs is not timed.

    python benchmarks/board_build.py [--runs 30] [--repeats 3] [--verify] [--quick]

Prints one JSON object (seconds, runs, pages, bytes written) and exits 1 when a full-size build
takes longer than ``--budget`` seconds (default 10). ``--quick`` (CI): 6 runs, one repeat, no budget.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _paths import ROOT

from mitbench.api import evaluate
from mitbench.runs.board.site import build_board

PREMOVE = ROOT / "tests" / "fixtures" / "run_premove"


def source_runs(tmp: Path) -> list[Path]:
    """The real runs the board's inputs are copies of."""
    made = []
    for model, suite in (("kmer", "mit"), ("pa_pwm", "mit"), ("kmer", "spacing")):
        out = tmp / "src" / f"{suite}_{model}"
        evaluate(model=model, suite=suite, output_dir=out, limit=40, logger="none", calibration="none",
                 trainer__enable_progress_bar=False)
        made.append(out)
    return made + [PREMOVE]


def copies(sources: list[Path], n: int, into: Path) -> list[Path]:
    """``n`` run folders, copies of ``sources`` in turn, each with its own model name in metrics.json."""
    runs = []
    for k in range(n):
        d = into / f"run_{k:02d}"
        shutil.copytree(sources[k % len(sources)], d, symlinks=False,
                        ignore=shutil.ignore_patterns(".versions", ".lock", "current", "previous"))
        metrics = json.loads((d / "metrics.json").read_text())
        metrics["model"] = f"model_{k % 10:02d}"
        (d / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True))
        runs.append(d)
    return runs


def timed(runs: list[Path], out: Path, verify: bool) -> float:
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    build_board(runs, out, verify=verify)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--verify", action="store_true", help="also time the build that verifies every run")
    ap.add_argument("--budget", type=float, default=10.0, help="seconds a full-size build may take")
    ap.add_argument("--quick", action="store_true", help="CI: 6 runs, one repeat, no budget check")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.repeats = 6, 1
    with tempfile.TemporaryDirectory(prefix="mitbench-board-") as tmp:
        runs = copies(source_runs(Path(tmp)), args.runs, Path(tmp) / "runs")
        site = Path(tmp) / "site"
        seconds = statistics.median(timed(runs, site, False) for _ in range(args.repeats))
        pages = len(list(site.rglob("*.html")))
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        result = {"runs": len(runs), "build_s": round(seconds, 2), "repeats": args.repeats, "pages": pages,
                  "site_bytes": size, "budget_s": None if args.quick else args.budget}
        if args.verify:
            result["build_with_verify_s"] = round(timed(runs, site, True), 2)
    print(json.dumps(result))
    if not args.quick and seconds > args.budget:
        print(f"board build took {seconds:.2f} s for {len(runs)} runs, over the {args.budget:g} s budget", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
