"""Power and false-equivalence rate of the audit's equivalence rule, by simulation (issue 25).

    python benchmarks/audit_equivalence_power.py [--windows 40,60,80,100,120] [--reps 200] [--metrics 33]
        [--n-perm 1999] [--seed 0] [--quick]

Each replicate builds ``--metrics`` independent standard-normal metrics over ``n`` windows, natural
``R`` and generated ``G``, and runs the audit's own ``mitbench.metrics.audit.paired.compare`` (margin
0.5 natural SD, sign-flip TOST, BH across metrics) on them:

* **power** (a perfect generator, ``G`` and ``R`` from one distribution, as the ``natural`` control):
  the mean share of metrics ``equivalent`` and P(share ≥ 80 %), the verdict's metric leg;
* **false equivalence** (every metric shifted by exactly the margin, 0.5 SD, the boundary of
  non-equivalence): the mean share ``equivalent``, which BH keeps near or below 5 %.

Idealised (independent, normal, continuous metrics); the real metrics are correlated and some are
sparse counts. Prints one row per ``n`` with exact (Clopper–Pearson) 95 % CIs of P(share ≥ 80 %).
``--quick`` is the CI smoke mode (a few replicates at 20 windows).
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from mitbench.metrics.audit.equivalence import DELTA, EQUIVALENT
from mitbench.metrics.audit.paired import compare
from mitbench.metrics.audit.verdict import EQUIVALENT_SHARE


def share_equivalent(n: int, n_metrics: int, shift: float, n_perm: int, rng: np.random.Generator, seed: int) -> float:
    """Share of metrics ``equivalent`` in one simulated audit (``shift`` in natural SDs)."""
    names = [f"m{j}" for j in range(n_metrics)]
    real = pd.DataFrame(rng.normal(size=(n, n_metrics)), columns=names)
    gen = pd.DataFrame(rng.normal(shift, 1.0, size=(n, n_metrics)), columns=names)
    tests = compare(gen, real, n_perm=n_perm, n_boot=2, seed=seed)
    return float((tests["status"] == EQUIVALENT).mean())


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", default="40,60,80,100,120")
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--metrics", type=int, default=33)
    parser.add_argument("--n-perm", type=int, default=1999)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="CI smoke mode: 3 replicates at 20 windows")
    args = parser.parse_args(argv)
    windows = [20] if args.quick else [int(w) for w in args.windows.split(",")]
    reps = 3 if args.quick else args.reps
    rng = np.random.default_rng(args.seed)
    rows = []
    for n in windows:
        t0 = time.perf_counter()
        power = np.array([share_equivalent(n, args.metrics, 0.0, args.n_perm, rng, i) for i in range(reps)])
        false_eq = np.array([share_equivalent(n, args.metrics, DELTA, args.n_perm, rng, i) for i in range(reps)])
        hits = int((power >= EQUIVALENT_SHARE - 1e-9).sum())
        ci = binomtest(hits, reps).proportion_ci(method="exact")
        rows.append({"windows": n, "reps": reps, "share_equivalent_perfect": power.mean(),
                     "p_share_ge_80": hits / reps, "p_lo": ci.low, "p_hi": ci.high,
                     "share_equivalent_at_margin": false_eq.mean(), "seconds": time.perf_counter() - t0})
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return table


if __name__ == "__main__":
    main()
