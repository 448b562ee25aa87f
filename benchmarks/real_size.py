"""Seconds per MIT sequence and peak memory of real-size gLM architectures on this machine, and the
implied cost of a calibrated run (the model + 19 random-init twins).

    python benchmarks/real_size.py [--only nt_500m,grover,generator_1b] [--n 4] [--quick]

Each architecture of ``resources/architectures.json`` (NT v1 500M = ESM, GROVER = BERT-base,
GENERator 1.2B = Llama) is built from its config with random weights (``init="random"``: nothing
downloaded, :func:`mitbench.models.glm.tiny.architecture`) in a fresh child process, so its peak RSS
(VmHWM) is that job's alone. It scores ``--n`` designed MIT promoters (100 bp, classes A-H) with the
model's default convention (exact PLL for masked models: one forward row per token; LL for causal)
through the same scorer classes ``evaluate.py`` uses, after one warm-up sequence; wall and CPU seconds
(all threads) per sequence are both printed: on a shared machine the CPU seconds are the steadier figure. Cost of a calibrated
MIT run = 20 models x 2,928 distinct sequences x seconds per sequence (the twins' scores equal in cost,
paid once per architecture and seed). ``--quick`` (CI): two layers of each, one sequence; the same code
path, numbers not the benchmark's figure.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from long_sequence import peak_rss_mb  # this process's peak resident set, MB

N_DISTINCT_MIT = 2928  # distinct sequences of the MIT v3 suite with controls (docs/models.md)
N_MODELS = 20          # the model + 19 random-init twins


def child(name: str, n: int, layers: int | None) -> None:
    import torch

    from mitbench.models.glm import tiny
    from mitbench.models.glm.causal import CausalLMScorer
    from mitbench.models.glm.masked import MaskedLMScorer
    from mitbench.suites.mit import MITSuite

    entry = tiny.architectures()[name]
    seqs = [r.sequence for r in MITSuite().records() if r.label in "ABCDEFGH"][: n + 1]
    with tempfile.TemporaryDirectory() as tmp:
        folder = tiny.architecture(name, Path(tmp) / name, layers=layers)
        cls = MaskedLMScorer if entry["kind"] == "masked" else CausalLMScorer
        t0 = time.perf_counter()
        scorer = cls(name, str(folder), init="random", init_seed=0)  # builds the network, random weights
        t_load = time.perf_counter() - t0
        with torch.inference_mode():
            scorer.score_batch(seqs[:1])  # warm-up
            n_params = sum(p.numel() for p in scorer.model.parameters())
            t1, c1 = time.perf_counter(), time.process_time()
            scores = scorer.score_batch(seqs[1:])
            per_seq = (time.perf_counter() - t1) / len(seqs[1:])
            cpu_per_seq = (time.process_time() - c1) / len(seqs[1:])
    print(json.dumps({"model": name, "hub": entry["hub"], "kind": entry["kind"], "n_parameters": n_params,
                      "layers": layers or entry["config"]["num_hidden_layers"], "n_sequences": len(seqs) - 1,
                      "s_per_sequence": round(per_seq, 3), "cpu_s_per_sequence": round(cpu_per_seq, 3), "build_s": round(t_load, 1),
                      "peak_rss_mb": round(peak_rss_mb()), "all_finite": bool(torch.isfinite(scores).all()),
                      "calibrated_run_h": round(N_MODELS * N_DISTINCT_MIT * per_seq / 3600, 2),
                      "calibrated_run_core_h": round(N_MODELS * N_DISTINCT_MIT * cpu_per_seq / 3600, 2),
                      "torch_threads": torch.get_num_threads()}))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="nt_500m,grover,generator_1b", help="architectures (resources/architectures.json)")
    ap.add_argument("--n", type=int, default=4, help="timed sequences per model (after one warm-up)")
    ap.add_argument("--quick", action="store_true", help="CI: 2 layers of each, one timed sequence")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--layers", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.n, args.layers)
        return
    n, layers = (1, 2) if args.quick else (args.n, None)
    rows = []
    for name in args.only.split(","):
        cmd = [sys.executable, __file__, "--child", name, "--n", str(n)] + (["--layers", str(layers)] if layers else [])
        out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        if out.returncode != 0:
            raise RuntimeError(f"{name}: child failed\n{out.stderr[-2000:]}")
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    print("| model | parameters | s / MIT sequence (wall) | CPU-s / sequence | peak RSS | calibrated MIT run "
          "(20 models x 2,928): wall h / core-h |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} ({r['kind']}) | {r['n_parameters'] / 1e6:,.0f} M | {r['s_per_sequence']:.2f} | "
              f"{r['cpu_s_per_sequence']:.2f} | {r['peak_rss_mb'] / 1024:.1f} GB | {r['calibrated_run_h']:,.1f} / "
              f"{r['calibrated_run_core_h']:,.1f} |")
    print(json.dumps({"cpu_count": os.cpu_count(), "load_avg_1min_at_end": os.getloadavg()[0]}))


if __name__ == "__main__":
    main()
