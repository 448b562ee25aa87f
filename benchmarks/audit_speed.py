#!/usr/bin/env python3
"""Speed of the realism audit at the issue's scale: 80 windows of 1 kb seed + 20 kb continuation
of E. coli 536 (../shared/data/genomes), Markov-5 generator.

Prints, side by side from one run: seconds for windows + generator fit + generation, for all
metrics but the CNN (background k-mer counts, every feature family on 160 continuations whole
and in 2-kb bins, paired tests, bootstrap CIs), and for the CNN (Trainer.fit + held-out scoring),
each as a fraction of its budget (2 min and 10 min), plus the process's peak resident memory.

    python benchmarks/audit_speed.py [--windows 80] [--gen-len 20000] [--out /tmp/audit_speed] [--quick]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

from _paths import SHARED  # $MITBENCH_SHARED or ../shared/data

# --quick (CI): the shipped 1-Mb excerpt, 4 windows of 1 kb + 2 kb, 1 CNN epoch, 99 permutations, 50 resamples
QUICK = ["audit.n_windows=4", "audit.gen_len=2000", "audit.bin_bp=1000", "audit.n_perm=99", "audit.n_boot=50",
         "trainer.max_epochs=1"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=80)
    parser.add_argument("--gen-len", type=int, default=20000)
    parser.add_argument("--generator", default="markov")
    parser.add_argument("--out", default="/tmp/audit_speed")
    parser.add_argument("--genome", default=str(SHARED / "genomes/ecoli_536_NC_008253.fna.gz"),
                        help="E. coli 536 FASTA (default: ../shared/data, or $MITBENCH_SHARED)")
    parser.add_argument("--quick", action="store_true", help="CI: seconds-scale sizes (see QUICK)")
    parser.add_argument("extra", nargs="*", help="further Hydra overrides")
    args = parser.parse_args(argv)
    if not args.quick and not Path(args.genome).exists():
        sys.exit(f"needs {args.genome} (../shared/data)")
    reference = [] if args.quick else [f"reference={args.genome}"]
    from mitbench.api import compose
    from mitbench.runs.audit import run

    cfg = compose("audit", [*reference, f"generator={args.generator}", f"audit.n_windows={args.windows}",
                   "audit.seed_len=1000", f"audit.gen_len={args.gen_len}", "audit.bin_bp=2000", "logger=csv",
                   f"paths.output_dir={args.out}", *(QUICK if args.quick else []), *args.extra])
    t0 = time.perf_counter()
    m = run(cfg)
    wall = time.perf_counter() - t0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    other = wall - m["time_metrics_s"] - m["time_cnn_s"]
    print(f"\ncores: {os.cpu_count()}  load average (1 min): {os.getloadavg()[0]:.1f}")
    print(f"{'stage':<40} {'seconds':>8} {'budget':>7} {'fraction':>8}")
    print(f"{'windows + fit + generate + outputs':<40} {other:8.1f} {'':>7} {'':>8}")
    print(f"{'all metrics but the CNN':<40} {m['time_metrics_s']:8.1f} {120:7d} {m['time_metrics_s'] / 120:8.2f}")
    print(f"{'CNN detector (fit + score)':<40} {m['time_cnn_s']:8.1f} {600:7d} {m['time_cnn_s'] / 600:8.2f}")
    print(f"peak resident memory: {peak_mib:.0f} MiB; cnn_auroc {m.get('cnn_auroc')}; flagged {m['n_flagged']}")


if __name__ == "__main__":
    main()
