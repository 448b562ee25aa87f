"""Untrained networks must never get ``verdict: mechanism`` (issue 8 acceptance).

Builds random-initialised (never trained) Hugging Face DNA models of several architectures, sizes,
tokenizers, initialisation scales and seeds, saves each with ``save_pretrained``, and runs the real
entry point on each with default settings::

    python evaluate.py model=hf_causal|hf_masked model.path=<dir>

(suite=mit with its placement controls, calibration=random_init with 19 null copies, the composition
references). Prints one line per network (verdict, CSS and its null p, placement effects with their
sign-flip and null p, the global null p) and, last, one JSON object with the verdict counts.

    python benchmarks/untrained_verdicts.py --out /tmp/untrained [--only 0,3]
    python benchmarks/untrained_verdicts.py --quick   # CI: network 0, 40 records, 2 null copies, in process
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

from mitbench.models.glm import tiny

ROOT = Path(__file__).resolve().parents[1]
# (kind, arch, tokenizer, hidden, layers, seed, init std)
NETWORKS = [
    ("causal", "gpt2", "char", 32, 2, 0, 0.2), ("causal", "gpt2", "char", 32, 2, 1, 0.2),
    ("causal", "gpt2", "char", 32, 2, 2, 0.02), ("causal", "gpt2", "char", 64, 4, 3, 0.2),
    ("causal", "gpt2", "char", 64, 4, 4, 0.02), ("causal", "llama", "char", 32, 2, 5, 0.2),
    ("causal", "llama", "char", 32, 2, 6, 0.02), ("causal", "llama", "char", 64, 4, 7, 0.2),
    ("causal", "llama", "char", 64, 4, 8, 0.02), ("causal", "gpt2", "char", 128, 4, 9, 0.02),
    ("masked", "bert", "char", 32, 2, 0, 0.2), ("masked", "bert", "char", 32, 2, 1, 0.02),
    ("masked", "bert", "char", 64, 4, 2, 0.2), ("masked", "bert", "kmer", 32, 2, 3, 0.2),
    ("masked", "bert", "kmer", 64, 4, 4, 0.02), ("masked", "esm", "kmer", 32, 2, 5, 0.2),
    ("masked", "esm", "kmer", 32, 2, 6, 0.02), ("masked", "esm", "kmer", 64, 4, 7, 0.2),
    ("masked", "esm", "char", 32, 2, 8, 0.2), ("masked", "esm", "char", 64, 2, 9, 0.02),
    ("masked", "bert", "kmer", 128, 4, 10, 0.02), ("causal", "gpt2", "char", 48, 3, 11, 0.1),
    ("causal", "llama", "char", 48, 3, 12, 0.1), ("masked", "esm", "kmer", 48, 3, 13, 0.1),
    ("masked", "bert", "kmer", 48, 3, 14, 0.1),
]
# Character-level masked models (10-12, 18, 19) need one forward pass per base for the exact PLL, times
# 20 (the model and its 19 null copies) over 2,944 records: about an hour each on one CPU core.


def build(spec, folder: Path) -> Path:
    kind, arch, tok, hidden, layers, seed, init = spec
    if kind == "causal":
        return tiny.causal(folder, arch, hidden=hidden, layers=layers, seed=seed, init=init)
    return tiny.masked(folder, arch, tok, hidden=hidden, layers=layers, seed=seed, init=init)


def evaluate(args: list[str], run_dir: Path, quick: bool) -> dict | None:
    """The metrics of ``evaluate.py <args>`` (a subprocess: the real entry point), or None if it failed.
    ``quick`` runs ``mitbench.runs.evaluate.run`` in this process instead (the same function the entry point calls)."""
    if quick:
        from mitbench.api import compose
        from mitbench.runs.evaluate import run

        return run(compose("evaluate", [*args, f"paths.output_dir={run_dir}"]))
    cmd = [sys.executable, str(ROOT / "evaluate.py"), *args, f"hydra.run.dir={run_dir}"]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    if res.returncode != 0:
        print(f"{run_dir.name}: FAILED\n{res.stderr[-2000:]}", flush=True)
        return None
    return json.loads((run_dir / "metrics.json").read_text())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="folder for checkpoints and run dirs (required unless --quick)")
    ap.add_argument("--only", default="", help="comma-separated network indices (default: all)")
    ap.add_argument("--quick", action="store_true", help="CI: network 0 on a 40-record smoke run, 2 null copies")
    args = ap.parse_args(argv)
    if args.out is None and not args.quick:
        ap.error("--out is required")
    with tempfile.TemporaryDirectory() as scratch:
        _run(args, args.out or Path(scratch))


def _run(args, out: Path) -> None:
    chosen = [0] if args.quick else [int(i) for i in args.only.split(",")] if args.only else range(len(NETWORKS))
    # --quick: alpha 0.4 lets 2 null copies pass the calibration's level check
    quick = ["limit=40", "suite.n_boot=20", "calibration.n_null=2", "alpha=0.4"] if args.quick else []
    counts: dict[str, int] = {}
    for i in chosen:
        spec = NETWORKS[i]
        name = f"{i:02d}_{spec[1]}_{spec[2]}_h{spec[3]}_l{spec[4]}_s{spec[5]}_i{spec[6]}"
        ckpt, run_dir = build(spec, out / "models" / name), out / "runs" / name
        t0 = time.perf_counter()
        m = evaluate([f"model=hf_{spec[0]}", f"model.path={ckpt}", "logger=none", f"paths.cache_dir={out / 'cache'}",
                      "trainer.enable_progress_bar=false", *quick], run_dir, args.quick)
        if m is None:
            counts["failed"] = counts.get("failed", 0) + 1
            continue
        counts[m["verdict"]] = counts.get(m["verdict"], 0) + 1
        g = lambda k: m.get(k) if isinstance(m.get(k), (int, float)) else float("nan")  # noqa: E731 (smoke runs lack keys)
        print(f"{name}: {m['verdict']:<14} CSS {g('css'):.2f} (null p {g('css_null_p'):.2f}) "
              + " ".join(f"{f} effect {g(f + '_effect'):.2f} sign-flip p {g(f + '_p_signflip'):.2g} "
                         f"(null p {g(f + '_effect_null_p'):.2f})" for f in ("up_placement", "comp_placement"))
              + f" global null p {g('null_global_p'):.2f} beats null: {m.get('verdict_beats_null')} "
              f"[{time.perf_counter() - t0:.0f} s]", flush=True)
    print(json.dumps({"networks": len(list(chosen)), "verdicts": counts}))


if __name__ == "__main__":
    main()
