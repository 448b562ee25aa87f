"""Peak memory of scoring one sequence far longer than the model's context (sliding windows).

    python benchmarks/long_sequence.py [--length 100000] [--stride N] [--quick]

Builds a tiny GPT-2 causal LM and a tiny BERT masked LM here (hidden 32, 2 layers, context 1,100
tokens, single-nucleotide tokenizer; ``mitbench.models.glm.tiny``), then, each in a fresh child
process (so the peak is that job's alone), scores one random sequence of ``--length`` bp with
``window_stride`` (default: half the context): causal ``ll`` and masked ``pll_unmasked`` (exact PLL
of 100 kb is 100,000 forward rows: hours on a CPU). Prints one JSON line per model: peak RSS (VmHWM)
after scoring and just before it (imports and model loaded), windows, wall time, and whether a
window-free scorer refuses the sequence naming the option. ``--quick`` (CI): 5,000 bp; the same code
path, numbers not the benchmark's figure.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(path: str, length: int, stride: int | None, kind: str) -> None:
    import torch

    from mitbench.data.core.records import SequenceRecord
    from mitbench.models.glm import conventions
    from mitbench.models.glm.causal import CausalLMScorer
    from mitbench.models.glm.dna_tokenizers import random_dna
    from mitbench.models.glm.masked import MaskedLMScorer

    cls, kw = (CausalLMScorer, {}) if kind == "causal" else (MaskedLMScorer, {"scoring": "pll_unmasked"})

    seq = random_dna(np.random.default_rng(0), length)
    refused = ""
    try:
        cls("long", path, **kw).check_records([SequenceRecord("long", "A", seq)])
    except ValueError as err:
        refused = str(err)
    scorer = cls("long", path, window_stride=stride or cls("w", path, **kw).max_length // 2, **kw)
    scorer.check_records([SequenceRecord("long", "A", seq)])
    before = peak_rss_mb()
    t0 = time.perf_counter()
    with torch.inference_mode():
        score = float(scorer.score_batch([seq])[0])
    width, step = scorer.window
    print(json.dumps({"model": kind, "length_bp": length, "window_length": width, "window_stride": step,
                      "n_windows": len((conventions.windows if kind == "causal" else conventions.centred_windows)(
                          len(seq), width - (0 if kind == "causal" else 2), step)),  # BERT char: CLS + SEP
                      "peak_rss_mb": round(peak_rss_mb(), 1), "rss_before_scoring_mb": round(before, 1),
                      "seconds": round(time.perf_counter() - t0, 2), "score_nats": score,
                      "nats_per_bp": score / length, "scoring": scorer.scoring_label(),
                      "refused_without_windows": "model.window_stride" in refused,
                      "torch_threads": torch.get_num_threads()}))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--length", type=int, default=100_000, help="bp of the one sequence scored")
    ap.add_argument("--stride", type=int, default=None, help="window stride in tokens (default: context / 2)")
    ap.add_argument("--quick", action="store_true", help="CI: 5,000 bp (seconds)")
    ap.add_argument("--child", nargs=2, metavar=("PATH", "KIND"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args.child[0], args.length, args.stride, args.child[1])
    length = 5000 if args.quick else args.length
    from mitbench.models.glm import tiny

    with tempfile.TemporaryDirectory() as tmp:
        paths = {"causal": tiny.causal(Path(tmp) / "gpt2", "gpt2"), "masked": tiny.masked(Path(tmp) / "bert", "bert")}
        for kind, path in paths.items():
            cmd = [sys.executable, __file__, "--child", str(path), kind, "--length", str(length)]
            cmd += ["--stride", str(args.stride)] if args.stride else []
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode != 0:
                raise RuntimeError(f"long_sequence child ({kind}) failed:\n{out.stderr[-3000:]}")
            print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
