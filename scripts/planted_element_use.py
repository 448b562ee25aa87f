#!/usr/bin/env python3
"""Does a causal model trained on a planted corpus use the UP to predict the −35, and the TGn to predict the −10?

Takes the first ``--n`` contigs of the *test block* of a planted corpus (the held-out part
``train_glm`` never trains on: :func:`mitbench.data.glm.genome_split.split_genome` with the run's fractions
0.1/0.1 and ``split_seed`` 0) and scores each twice with ``--model``: as planted, and as its composition twin
(same bases, UP and extended −10 moved away; the core stays). Prints the mean log-likelihood gain (nats) of
the −35 hexamer and of the −10 hexamer when the elements are in place (planted − twin), and the fraction of
contigs with a gain > 0. A model that ignores the UP / TGn gets ~0 for both.

    python scripts/planted_element_use.py --planted outputs/train_glm/planted \\
        --twin outputs/train_glm/planted_twin --model outputs/train_glm/planted/hf
"""
from __future__ import annotations

import argparse

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from mitbench.data.glm.genome_split import split_genome


def _read(path: str) -> dict[str, str]:
    lines = open(path).read().split("\n")
    return dict(zip((x[1:] for x in lines[0::2]), lines[1::2]))


def _per_base(model, tok, seqs: list[str]) -> np.ndarray:
    """``(B, L)`` log p(base i | [BOS], earlier bases), nats."""
    ids = tok(seqs, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        lp = torch.log_softmax(model(input_ids=ids).logits.float(), -1)
    return lp[:, :-1].gather(-1, ids[:, 1:, None])[..., 0].numpy()


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--planted", required=True, help="train_glm run folder with corpus=planted")
    ap.add_argument("--twin", required=True, help="train_glm run folder with corpus=planted_twin (same seed)")
    ap.add_argument("--model", required=True, help="hf/ folder of a causal model")
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    planted, twin = _read(f"{args.planted}/corpus.fa"), _read(f"{args.twin}/corpus.fa")
    names = list(planted)
    length = len(planted[names[0]])
    a, b = split_genome([len(planted[n]) for n in names], 0.1, 0.1, 0).blocks["test"]
    test = names[-(-a // length): b // length][: args.n]  # contigs wholly inside the test block
    rows = [r.split("\t") for r in open(f"{args.planted}/corpus.sites.tsv").read().strip().split("\n")[1:]]
    site = {r[0]: (int(r[1]), int(r[5])) for r in rows}
    tok, model = AutoTokenizer.from_pretrained(args.model), AutoModelForCausalLM.from_pretrained(args.model).eval()
    gain = []
    for i in range(0, len(test), 50):
        chunk = test[i:i + 50]
        lp, lt = _per_base(model, tok, [planted[n] for n in chunk]), _per_base(model, tok, [twin[n] for n in chunk])
        for k, n in enumerate(chunk):
            m35, m10 = site[n]
            gain.append([(lp[k, s:s + 6] - lt[k, s:s + 6]).sum() for s in (m35, m10)])
    g = np.array(gain)
    out = {"n": len(g), "m35_gain_nats": float(g[:, 0].mean()), "m35_frac_pos": float((g[:, 0] > 0).mean()),
           "m10_gain_nats": float(g[:, 1].mean()), "m10_frac_pos": float((g[:, 1] > 0).mean())}
    print(f"{args.model}: {out['n']} test-block contigs; -35 LL gain with the UP in place {out['m35_gain_nats']:.3f} "
          f"nats (> 0 in {out['m35_frac_pos']:.2f}); -10 gain with the TGn in place {out['m10_gain_nats']:.3f} nats "
          f"(> 0 in {out['m10_frac_pos']:.2f})")
    return out


if __name__ == "__main__":
    main()
