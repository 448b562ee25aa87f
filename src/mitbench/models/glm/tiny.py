"""Small random-initialised Hugging Face DNA models, saved with ``save_pretrained`` (no download).

Used by the tests, the benchmarks and the calibration checks: GPT-2 / Llama causal LMs and BERT /
ESM masked LMs with the tokenizers of :mod:`mitbench.models.glm.dna_tokenizers`.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import torch

from mitbench.models.glm.dna_tokenizers import bpe_tokenizer, char_tokenizer, kmer_tokenizer

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


def architectures() -> dict[str, dict]:
    """The real-size architectures of ``resources/architectures.json`` (name -> entry)."""
    text = resources.files("mitbench.resources").joinpath("architectures.json").read_text()
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def architecture(name: str, out: Path, layers: int | None = None) -> Path:
    """A folder holding only ``config.json`` + a stand-in tokenizer of architecture ``name`` at real size
    (or with ``layers`` layers): score it with ``init="random"`` (weights drawn, nothing downloaded)."""
    from transformers import AutoConfig

    entry = architectures()[name]
    tok = {"kmer": kmer_tokenizer, "bpe": lambda: bpe_tokenizer(vocab_size=entry["config"]["vocab_size"]),
           "char": lambda: char_tokenizer("[BOS] $A")}[entry["tokenizer"]]()
    keys = dict(entry["config"])
    keys["vocab_size"] = len(tok)
    if layers is not None:
        keys["num_hidden_layers"] = int(layers)
    specials = {"pad_token_id": tok.pad_token_id}
    if entry["kind"] == "masked":
        specials["mask_token_id"] = tok.mask_token_id
    else:
        specials.update(bos_token_id=tok.cls_token_id, eos_token_id=tok.sep_token_id)
    config = AutoConfig.for_model(keys.pop("model_type"), **keys, **specials)
    out.mkdir(parents=True, exist_ok=True)
    config.save_pretrained(out)
    tok.save_pretrained(out)
    return out
