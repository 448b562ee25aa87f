"""Nullsettes speed: kosuri end to end with ``kmer`` and with a ~1M-parameter causal LM, and exact PLL
throughput of a ~1M-parameter masked LM on ~900-bp cassettes.

    python benchmarks/nullsettes_speed.py [--root ../shared/data] [--llm-cassettes 1500] [--pll-seqs 4] [--quick]

``--quick`` (CI): 3 cassettes for ``kmer`` and the causal LM (no null copies), models of hidden 32 and 2
layers, the first 120 bp of 1 PLL sequence scored in process: the same calls, numbers not meaningful.

* ``kmer``: ``evaluate.run`` on all kosuri cassettes (1,500 x 20 sequences): build, scoring,
  metrics (``suite.n_perm`` sign-flips per type), report, figures.
* ``causal``: ``evaluate.run`` (``--llm-dtype``: float32 default, bfloat16 on request) with a GPT-2
  (``--llm-arch gpt2``: hidden 128, 4 layers, single-nucleotide tokens, ~0.94M parameters) or a Llama
  (``--llm-arch llama``, ~0.66M), random init, built here, or with a trained folder (``--llm-path``,
  e.g. ``train_glm.py``'s 0.79M ``causal_small``), on ``--llm-cassettes`` kosuri cassettes (all 1,500
  by default); with fewer, the full-kosuri wall time is extrapolated per sequence (``*_extrapolated``).
* ``pll``: exact PLL (one masked copy per position) of ``--pll-seqs`` kosuri nonmutants with a
  BERT masked LM (hidden 128, 4 layers, intermediate 512, ~0.95M parameters) under
  ``max_tokens``, in a child process so its peak RSS (VmHWM) is its own.

Prints one JSON object: wall and CPU seconds (user + system; on a shared machine CPU seconds / 2
is the wall time two free cores would need), sequences/s, parameter counts, peak RSS.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _paths import SHARED  # $MITBENCH_SHARED or ../shared/data

N_KOSURI = 1500 * 20


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def evaluate(overrides: list[str], out: Path) -> tuple[dict, float, float]:
    """``evaluate.run`` on composed overrides: (metrics, wall s, CPU s)."""
    from hydra import compose, initialize_config_dir

    import mitbench
    from mitbench.runs.evaluate import run

    conf = Path(mitbench.__file__).parent / "conf"
    with initialize_config_dir(config_dir=str(conf), version_base="1.3"):
        cfg = compose(config_name="evaluate", overrides=[*overrides, "logger=none", f"paths.output_dir={out}"])
    t0, c0 = time.perf_counter(), cpu_seconds()
    metrics = run(cfg)
    return metrics, time.perf_counter() - t0, cpu_seconds() - c0


def pll_child(model_dir: str, root: str, n: int, max_tokens: int, max_bp: int | None = None) -> None:
    from mitbench.data.nullsettes.build import build_nullsettes
    from mitbench.models.glm.masked import MaskedLMScorer

    records, _ = build_nullsettes(root, "kosuri", n_cassettes=n, seed=0)
    seqs = [r.sequence[:max_bp] for r in records if r.label == "nonmutant"]
    scorer = MaskedLMScorer("bert", model_dir, cache_dir=None, max_tokens=max_tokens)
    import torch

    t0 = time.perf_counter()
    with torch.inference_mode():  # outside Trainer.predict, score_batch would record autograd graphs
        scorer.score_batch(seqs)
    wall = time.perf_counter() - t0
    print(json.dumps({"pll_seqs": len(seqs), "pll_mean_bp": sum(map(len, seqs)) / len(seqs), "pll_wall_s": wall,
                      "pll_seq_per_s": len(seqs) / wall, "pll_peak_rss_mib": peak_rss_mib(),
                      "pll_max_tokens": max_tokens,
                      "pll_params": sum(p.numel() for p in scorer.model.parameters())}))


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=str(SHARED), help="folder holding nullsettes/ and kosuri2013/ "
                    "(default: $MITBENCH_SHARED or ../shared/data)")
    ap.add_argument("--quick", action="store_true", help="CI: 3 cassettes per part, no null copies, 1 PLL sequence "
                    "scored in this process")
    ap.add_argument("--llm-cassettes", type=int, default=1500)
    ap.add_argument("--pll-seqs", type=int, default=4)
    ap.add_argument("--max-tokens", type=int, default=16384)
    ap.add_argument("--llm-calibration", default="random_init", choices=["random_init", "none"],
                    help="random_init (the default verdict: the model plus n_null random-init copies) or none")
    ap.add_argument("--llm-dtype", default="float32", help="causal LM weights: float32 (exact) or bfloat16")
    ap.add_argument("--llm-arch", default="gpt2", choices=["gpt2", "llama"],
                    help="architecture of the random-init ~1M causal LM built here (hidden 128, 4 layers)")
    ap.add_argument("--llm-path", default=None,
                    help="score this Hugging Face causal LM folder instead (e.g. a train_glm run's hf/)")
    ap.add_argument("--skip", nargs="*", default=[], choices=["kmer", "causal", "pll"])
    ap.add_argument("--pll-child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.pll_child:
        pll_child(args.pll_child[0], args.pll_child[1], int(args.pll_child[2]), int(args.pll_child[3]))
        return {}
    from mitbench.models.glm import tiny

    if args.quick:
        args.llm_cassettes, args.pll_seqs, args.llm_calibration = 3, 1, "none"
    size = dict(hidden=32, layers=2) if args.quick else dict(hidden=128, layers=4)
    out: dict = {"note": "wall times on a shared 2-core machine; cpu_s / 2 = wall on two free cores"}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        suite = ["suite=nullsettes", f"suite.root={args.root}"]
        if "kmer" not in args.skip:
            m, wall, cpu = evaluate([*suite, "model=kmer", *(["suite.n_cassettes=3"] if args.quick else [])],
                                    tmp / "kmer")
            out.update(kmer_sequences=m["n_sequences"], kmer_wall_s=wall, kmer_cpu_s=cpu,
                       kmer_mean_accuracy=m["mean_accuracy"], kmer_success_rate=m["success_rate"])
        if "causal" not in args.skip:
            path = args.llm_path or tiny.causal(tmp / args.llm_arch, arch=args.llm_arch, **size)
            m, wall, cpu = evaluate([*suite, f"suite.n_cassettes={args.llm_cassettes}", "model=hf_causal",
                                     f"model.path={path}", "model.cache_dir=null", f"model.dtype={args.llm_dtype}",
                                     f"calibration={args.llm_calibration}"],
                                    tmp / "causal")
            n = m["n_sequences"]
            out.update(causal_model=str(args.llm_path or args.llm_arch), causal_dtype=args.llm_dtype,
                       causal_calibration=args.llm_calibration, causal_sequences=n, causal_wall_s=wall, causal_cpu_s=cpu, causal_seq_per_s=n / wall,
                       causal_full_kosuri_wall_s_extrapolated=wall * N_KOSURI / n,
                       causal_full_kosuri_cpu_s_extrapolated=cpu * N_KOSURI / n,
                       causal_mean_accuracy=m["mean_accuracy"])
            from transformers import AutoModelForCausalLM
            out["causal_params"] = sum(p.numel() for p in AutoModelForCausalLM.from_pretrained(path).parameters())
        if "pll" not in args.skip:
            path = tiny.masked(tmp / "bert", intermediate=4 * size["hidden"], **size)
            if args.quick:  # the same scoring call in this process (a child pays the imports again)
                text = io.StringIO()
                with contextlib.redirect_stdout(text):
                    pll_child(str(path), args.root, args.pll_seqs, args.max_tokens, max_bp=120)
                out.update(json.loads(text.getvalue().strip().splitlines()[-1]))
                print(json.dumps(out, indent=1))
                return out
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            child = subprocess.run([sys.executable, __file__, "--root", args.root, "--pll-child", str(path),
                                    args.root, str(args.pll_seqs), str(args.max_tokens)],
                                   check=True, capture_output=True, text=True)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            out.update(json.loads(child.stdout.strip().splitlines()[-1]))
            out["pll_child_cpu_s"] = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    print(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
