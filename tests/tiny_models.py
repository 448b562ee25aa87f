"""Tiny gLM checkpoints built in the test (no downloads), saved with ``save_pretrained``.

Tokenizers are built with the ``tokenizers`` library: single-nucleotide, non-overlapping 6-mer
(NT-style, leftovers as single bases) and a BPE trained here on random DNA.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import torch

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[BOS]"]


def random_dna(rng: np.random.Generator, n: int) -> str:
    return "".join(rng.choice(list("ACGT"), size=n))


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


def _save(model, tokenizer, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def causal(out: Path, arch: str = "gpt2", hidden: int = 32, layers: int = 2, seed: int = 0,
           init: float = 0.2) -> Path:
    """GPT-2 with a BOS-less char tokenizer (``gpt2``) or Llama whose tokenizer adds BOS (``llama``)."""
    from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    if arch == "gpt2":
        tok = char_tokenizer(None)
        cfg = GPT2Config(vocab_size=len(tok), n_embd=hidden, n_layer=layers, n_head=4, n_positions=1100,
                         bos_token_id=tok.bos_token_id, eos_token_id=tok.sep_token_id,
                         pad_token_id=tok.pad_token_id, initializer_range=init)
        model = GPT2LMHeadModel(cfg)
    else:
        tok = char_tokenizer("[BOS] $A")
        cfg = LlamaConfig(vocab_size=len(tok), hidden_size=hidden, intermediate_size=2 * hidden,
                          num_hidden_layers=layers, num_attention_heads=4, num_key_value_heads=4,
                          max_position_embeddings=1100, bos_token_id=tok.bos_token_id,
                          eos_token_id=tok.sep_token_id, pad_token_id=tok.pad_token_id,
                          initializer_range=init)
        model = LlamaForCausalLM(cfg)
    return _save(model, tok, out)


def masked(out: Path, arch: str = "bert", tokenizer: str = "char", hidden: int = 32, layers: int = 2,
           intermediate: int | None = None, heads: int = 4, seed: int = 0, init: float = 0.2) -> Path:
    """BERT or ESM masked LM with a ``char``, ``kmer`` (6-mer) or ``bpe`` tokenizer."""
    from transformers import BertConfig, BertForMaskedLM, EsmConfig, EsmForMaskedLM

    torch.manual_seed(seed)
    tok = {"char": lambda: char_tokenizer("[CLS] $A [SEP]"), "kmer": kmer_tokenizer, "bpe": bpe_tokenizer}[tokenizer]()
    inter = intermediate or 2 * hidden
    if arch == "bert":
        cfg = BertConfig(vocab_size=len(tok), hidden_size=hidden, num_hidden_layers=layers,
                         num_attention_heads=heads, intermediate_size=inter, max_position_embeddings=1100,
                         pad_token_id=tok.pad_token_id, initializer_range=init)
        model = BertForMaskedLM(cfg)
    else:
        cfg = EsmConfig(vocab_size=len(tok), hidden_size=hidden, num_hidden_layers=layers,
                        num_attention_heads=heads, intermediate_size=inter, max_position_embeddings=1100,
                        pad_token_id=tok.pad_token_id, mask_token_id=tok.mask_token_id,
                        position_embedding_type="absolute", token_dropout=False,
                        initializer_range=init)
        model = EsmForMaskedLM(cfg)
    return _save(model, tok, out)


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
