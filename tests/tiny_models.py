"""Tiny gLM checkpoints for the tests (builders live in :mod:`mitbench.models.glm.tiny`) and the
independent reference computations the scorers are checked against.
"""
from __future__ import annotations

from pathlib import Path

import torch

from mitbench.models.glm.dna_tokenizers import (SPECIALS, bpe_tokenizer, char_tokenizer, kmer_tokenizer,  # noqa: F401
                                            random_dna)
from mitbench.models.glm.tiny import causal, masked  # noqa: F401


# --- independent reference computations (one sequence, one masked position per forward) ---------
def load(path: Path, kind: str):
    from transformers import AutoModelForCausalLM, AutoModelForMaskedLM, AutoTokenizer

    auto = AutoModelForCausalLM if kind == "causal" else AutoModelForMaskedLM
    return auto.from_pretrained(path).eval(), AutoTokenizer.from_pretrained(path)


@torch.no_grad()
def naive_pll(model, tok, seq: str) -> float:
    """The paper's algorithm: mask each non-special token alone, full forward, read its log-prob."""
    ids = tok(seq, return_tensors="pt")["input_ids"]
    specials = set(tok.all_special_ids)
    total = 0.0
    for p in range(ids.shape[1]):
        if int(ids[0, p]) in specials:
            continue
        masked = ids.clone()
        masked[0, p] = tok.mask_token_id
        logits = model(masked).logits[0, p].double()
        total += float(torch.log_softmax(logits, -1)[ids[0, p]])
    return total


@torch.no_grad()
def naive_ll(model, tok, seq: str) -> float:
    """sum_{i>=1, x_i not special} log p(x_i | x_<i), one unpadded sequence per forward."""
    ids = tok(seq, return_tensors="pt")["input_ids"]
    logp = torch.log_softmax(model(ids).logits[0].double(), -1)
    specials = set(tok.all_special_ids)
    return float(sum(logp[i - 1, ids[0, i]] for i in range(1, ids.shape[1]) if int(ids[0, i]) not in specials))
