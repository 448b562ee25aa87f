"""Scoring conventions against the exact score: agreement on the MIT and speed, side by side in one run.

    python benchmarks/scoring_modes.py [--limit 160] [--n900 4] [--repeats 2] [--quick]

Two tiny random-initialised models built here (:mod:`mitbench.models.glm.tiny` defaults: BERT masked
LM and GPT-2 causal LM, hidden 32, 2 layers, single-nucleotide tokenizer) score a stratified subset of
the MIT's classes A-H (``--limit`` records, :func:`mitbench.runs.evaluate.stratified_subset`, so D/E
pairs stay matched; 100 bp each) under every convention of :mod:`mitbench.models.glm.conventions`. Per convention: Spearman
rho of its scores against the exact ones (``pll_exact`` / ``ll``), the share of CSS pair calls
(E_i > D_i, pairs on ``group``) that differ from the exact call, and wall time (best of ``--repeats``,
conventions interleaved; tokenization memo cleared before each; ``max_tokens`` 16384) as a speed-up over exact. Then
``--n900`` random 900-bp sequences (cassette length) timed under ``pll_exact`` and ``pll_unmasked``
(and ``pll_masked_k``, k=16) with the same masked model. Prints a markdown table and one JSON line.
``--quick`` (CI): 24 records cut to 30 bp, two 120-bp sequences; numbers not meaningful.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from scipy.stats import spearmanr

from mitbench.data.core.records import records_to_frame
from mitbench.metrics.mit.summary import paired_scores
from mitbench.models.glm import tiny as tm
from mitbench.models.glm.causal import CausalLMScorer
from mitbench.models.glm.dna_tokenizers import random_dna
from mitbench.models.glm.masked import MaskedLMScorer

MASKED = [("pll_exact", {}), ("pll_unmasked", {"scoring": "pll_unmasked"}),
          ("pll_masked_k", {"scoring": "pll_masked_k", "mask_k": 4}),
          ("pll_masked_k", {"scoring": "pll_masked_k", "mask_k": 16}), ("pll_exact", {"score_rc": True})]
CAUSAL = [("ll", {}), ("ll_mean", {"scoring": "ll_mean"}), ("ll", {"score_rc": True}),
          ("ll", {"window_length": 64, "window_stride": 32}), ("ll", {"window_length": 32, "window_stride": 16})]


def score(scorer, seqs: list[str], batch: int = 128) -> np.ndarray:
    scorer.tok._memo.clear()
    with torch.inference_mode():
        return np.concatenate([scorer.score_batch(seqs[i:i + batch]).numpy() for i in range(0, len(seqs), batch)])


def timed(scorers: list, seqs: list[str], repeats: int) -> tuple[list[np.ndarray], list[float]]:
    """Scores and best wall time of each scorer, the scorers interleaved within every repeat."""
    best, out = [float("inf")] * len(scorers), [None] * len(scorers)
    for _ in range(repeats):
        for j, s in enumerate(scorers):
            t0 = time.perf_counter()
            out[j] = score(s, seqs)
            best[j] = min(best[j], time.perf_counter() - t0)
    return out, best


def css_calls(table, scores: np.ndarray) -> np.ndarray:
    d, e = paired_scores(table.assign(score=scores), "D", "E")
    return e > d


def agreement(kind: str, path: Path, variants: list, table, repeats: int) -> list[dict]:
    cls = MaskedLMScorer if kind == "masked" else CausalLMScorer
    scorers = [cls("bench", str(path), **kw) for _, kw in variants]
    seqs = table["sequence"].tolist()
    score(scorers[0], seqs[:4])  # warm-up
    scores, seconds = timed(scorers, seqs, repeats)
    ref_calls = css_calls(table, scores[0])
    rows = []
    for s, x, t in zip(scorers, scores, seconds):
        calls = css_calls(table, x)
        rows.append({"model": kind, "scoring": s.scoring_label(), "spearman_vs_exact": float(spearmanr(x, scores[0])[0]),
                     "css_pairs": int(calls.size), "css_flips": int((calls != ref_calls).sum()),
                     "css_flip_share": float((calls != ref_calls).mean()), "css": float(calls.mean()),
                     "seconds": t, "speedup_vs_exact": seconds[0] / t})
    return rows


def cassette(path: Path, n: int, length: int, repeats: int) -> dict:
    seqs = [random_dna(np.random.default_rng(k), length) for k in range(n)]
    scorers = [MaskedLMScorer("bench", str(path)), MaskedLMScorer("bench", str(path), scoring="pll_unmasked"),
               MaskedLMScorer("bench", str(path), scoring="pll_masked_k", mask_k=16)]
    score(scorers[1], seqs[:1])  # warm-up
    scores, seconds = timed(scorers, seqs, repeats)
    return {"masked_model_params": sum(p.numel() for p in scorers[0].model.parameters()), "cassette_n": n, "cassette_bp": length, "cassette_exact_s": seconds[0], "cassette_unmasked_s": seconds[1],
            "cassette_masked_k16_s": seconds[2], "cassette_unmasked_speedup": seconds[0] / seconds[1],
            "cassette_masked_k16_speedup": seconds[0] / seconds[2],
            "cassette_unmasked_spearman": float(spearmanr(scores[0], scores[1])[0]) if n > 2 else None}


def markdown(rows: list[dict]) -> str:
    lines = ["| model | scoring | Spearman ρ vs exact | CSS calls flipped | CSS | s | speed-up vs exact |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['model']} | `{r['scoring']}` | {r['spearman_vs_exact']:.4f} | {r['css_flips']}/{r['css_pairs']}"
                     f" ({100 * r['css_flip_share']:.1f} %) | {r['css']:.3f} | {r['seconds']:.2f} | {r['speedup_vs_exact']:.1f}× |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=240, help="MIT records of classes A-H (stratified; 0: all 650)")
    ap.add_argument("--n900", type=int, default=3, help="random 900-bp sequences for the cassette-length timing")
    ap.add_argument("--repeats", type=int, default=1, help="timed repeats per convention (best is reported)")
    ap.add_argument("--quick", action="store_true", help="CI: 24 records cut to 30 bp, 2 x 120 bp, one repeat")
    args = ap.parse_args(argv)
    from mitbench.runs.evaluate import stratified_subset
    from mitbench.suites.mit import MITSuite

    limit, n900, length = args.limit, args.n900, 900
    if args.quick:
        limit, n900, length, args.repeats = 24, 2, 120, 1
    records = [r for r in MITSuite().records() if r.label in "ABCDEFGH"]
    table = records_to_frame(stratified_subset(records, limit) if limit else records)
    if args.quick:  # 30-bp pieces (pairs kept): the same calls in seconds
        table = table.assign(sequence=table["sequence"].str[:30])
    with tempfile.TemporaryDirectory() as tmp:
        masked = tm.masked(Path(tmp) / "bert", "bert", "char")
        causal = tm.causal(Path(tmp) / "gpt2", "gpt2")
        rows = agreement("masked", masked, MASKED, table, args.repeats)
        rows += agreement("causal", causal, CAUSAL, table, args.repeats)
        long = cassette(masked, n900, length, args.repeats)
    print(markdown(rows))
    print(json.dumps({"n_records": len(table), "repeats": args.repeats, "torch_threads": torch.get_num_threads(),
                      "cpu_count": os.cpu_count(), "load_avg_1min_at_end": os.getloadavg()[0],
                      **{k: round(v, 4) if isinstance(v, float) else v for k, v in long.items()},
                      "rows": [{k: round(v, 4) if isinstance(v, float) else v for k, v in r.items()} for r in rows]}))


if __name__ == "__main__":
    main()
