#!/usr/bin/env python3
"""The audit's acceptance figures on E. coli 536 (../shared/data/genomes): the negative control
(natural), Markov-5 and the copy-drift positive control, each at the audit's defaults (100 windows of
1 kb seed + 20 kb continuation; a second natural run at another seed checks the null twice, a third
at 80 windows the equivalence share there), and the positive control again at seed 1 and on 160
windows requested (117 drawn: all that E. coli 536 holds with room for the natural control).

For each run: the verdict, ``flagged``, equivalent / not-enough-data counts and the median MDE, ``cnn_auroc`` (CI), direct repeats per 20 kb (natural vs generated)
and AUROC by distance from the seed. Results land in ``--out/<generator>/``.

    python benchmarks/audit_acceptance.py [--out /tmp/audit_acceptance] [--runs natural markov copy_drift copy_drift_w160]
    python benchmarks/audit_acceptance.py --quick   # CI: the natural run on the shipped excerpt, tiny sizes
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from _paths import SHARED  # $MITBENCH_SHARED or ../shared/data
from audit_speed import QUICK

RUNS = {"natural": ["generator=natural"], "natural_seed1": ["generator=natural", "seed=1"],
        "natural_w80": ["generator=natural", "audit.n_windows=80"],
        "markov": ["generator=markov", "generator.order=5"], "copy_drift": ["generator=copy_drift"],
        "copy_drift_seed1": ["generator=copy_drift", "seed=1"],
        # the positive control on more windows: one 1-kb position = 80 + 80 chunks at 160. E. coli 536 holds
        # 117 windows of 21 kb with room for the natural control (WINDOW_ROOM), so this run now audits 117
        "copy_drift_w160": ["generator=copy_drift", "audit.n_windows=160"]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/audit_acceptance")
    parser.add_argument("--runs", nargs="*", default=["natural", "natural_w80", "markov", "copy_drift", "copy_drift_seed1"], choices=sorted(RUNS))
    parser.add_argument("--genome", default=str(SHARED / "genomes/ecoli_536_NC_008253.fna.gz"),
                        help="E. coli 536 FASTA (default: ../shared/data, or $MITBENCH_SHARED)")
    parser.add_argument("--quick", action="store_true", help="CI: the natural run only, at seconds-scale sizes")
    parser.add_argument("extra", nargs="*", help="further Hydra overrides for every run")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.extra = ["natural"], [*QUICK, *args.extra]
    reference = [] if args.quick else [f"reference={args.genome}"]
    from mitbench.api import compose
    from mitbench.runs.audit import run

    for name in args.runs:
        cfg = compose("audit", [*reference, "logger=csv",
                       f"paths.output_dir={Path(args.out) / name}", *RUNS[name], *args.extra])
        t0 = time.perf_counter()
        m = run(cfg)
        dr = m["tests"]["direct_repeat_count"]
        print(f"\n=== {name} ({time.perf_counter() - t0:.0f} s; {m['n_windows']} windows, "
              f"{m['n_windows_requested']} requested)")
        print(f"verdict: {m['verdict']}; flagged ({m['n_flagged']}): {m['flagged']}")
        print(f"equivalent {m['n_equivalent']} of {m['n_metrics_tested']}, not enough data ({m['n_not_enough_data']}): "
              f"{m['not_enough_data']}; median MDE {m['mde_median_sd']:.3g} natural SD (x{m['mde_median_fold']:.3g})")
        print(f"cnn_auroc {m['cnn_auroc']:.3f} CI {m['cnn_auroc_ci']}; per window {m['cnn_auroc_window']:.3f}")
        print(f"direct repeats per 20 kb: natural {dr['mean_natural']:.2f}, generated {dr['mean_generated']:.2f}, "
              f"q {dr['q']:.3g}")
        print("AUROC by distance:", [(d, round(a, 3)) for d, a in m["cnn_auroc_by_distance"]])
        print(f"seconds: metrics but CNN {m['time_metrics_s']:.0f}, CNN {m['time_cnn_s']:.0f}; peak resident "
              f"memory so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
