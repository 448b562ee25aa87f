"""Hugging Face tokenizers for DNA built locally with the ``tokenizers`` library (no download):
single-nucleotide, non-overlapping k-mer (Nucleotide-Transformer style, leftover bases as single
tokens) and BPE trained on random DNA (GROVER/DNABERT-2 style).

Each returns a ``PreTrainedTokenizerFast`` that ``save_pretrained`` writes next to a model, so
the folder loads through the same code path as a hub checkpoint.
"""
from __future__ import annotations

import itertools

import numpy as np

from mitbench.data.core.genome import random_dna

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[BOS]"]


def _fast(tok, **special) -> "PreTrainedTokenizerFast":
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", **special)


def _word_level(vocab_tokens: list[str], pattern: str):
    from tokenizers import Regex, Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Split

    vocab = {t: i for i, t in enumerate(SPECIALS + vocab_tokens)}
    tok = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = Split(Regex(pattern), behavior="isolated")
    return tok


def _template(tok, single: str) -> None:
    from tokenizers.processors import TemplateProcessing

    names = [s for s in ("[CLS]", "[SEP]", "[BOS]") if s in single]
    tok.post_processor = TemplateProcessing(single=single, special_tokens=[(s, tok.token_to_id(s)) for s in names])


def char_tokenizer(template: str | None):
    """Single-nucleotide tokenizer; ``template`` e.g. ``"[CLS] $A [SEP]"``, ``"[BOS] $A"`` or None."""
    tok = _word_level(list("ACGT"), ".")
    if template:
        _template(tok, template)
    return _fast(tok, cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]", bos_token="[BOS]")


def kmer_tokenizer(k: int = 6):
    """NT-style: non-overlapping k-mers, leftover bases as single-nucleotide tokens; CLS in front."""
    kmers = ["".join(p) for p in itertools.product("ACGT", repeat=k)]
    tok = _word_level(kmers + list("ACGT"), f"[ACGT]{{{k}}}|[ACGT]")
    _template(tok, "[CLS] $A")
    return _fast(tok, cls_token="[CLS]", mask_token="[MASK]")


def bpe_tokenizer(seed: int = 0, vocab_size: int = 48):
    """BPE trained on random DNA (GROVER/DNABERT-2 style), with CLS/SEP."""
    from tokenizers import Tokenizer
    from tokenizers.models import BPE
    from tokenizers.trainers import BpeTrainer

    rng = np.random.default_rng(seed)
    corpus = [random_dna(rng, 200) for _ in range(200)]
    tok = Tokenizer(BPE(unk_token="[UNK]"))
    tok.train_from_iterator(corpus, BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS,
                                               initial_alphabet=list("ACGT"), show_progress=False))
    _template(tok, "[CLS] $A [SEP]")
    return _fast(tok, cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
