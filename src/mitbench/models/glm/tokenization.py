"""Per-model tokenization of ACGT strings and the rule for which tokens are scored.

Token units differ by model and are never converted into one another:

- single nucleotide (HyenaDNA, Caduceus, Evo 2, character tokenizers): one token per base;
- non-overlapping 6-mers (Nucleotide Transformer): ``ACGTAC|GTTTGA|...``, with leftover bases
  at the end as single-nucleotide tokens. Under PLL the unit is a whole token: a masked 6-mer's
  log-probability ``log p(6-mer | rest)`` is one term of the sum;
- BPE (GROVER, DNABERT-2): variable-length tokens learned by byte-pair encoding.

Special tokens (CLS, SEP, BOS, EOS, PAD, MASK) are fed to the model as its tokenizer adds them but
are never scored. An unknown token inside a sequence is an error, never a silently scored UNK.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Sequence

import torch
from torch import Tensor

_MARKERS = ("##", "\u0120", "\u2581")  # WordPiece continuation, byte-level BPE space, sentencepiece space


@dataclass(frozen=True)
class Encoded:
    """One tokenized sequence.

    Attributes
    ----------
    ids : Tensor
        int64 ``(L,)`` token ids including the tokenizer's special tokens.
    scored : Tensor
        bool ``(L,)``; True at tokens that carry sequence (nucleotide/k-mer/BPE tokens).
    """

    ids: Tensor
    scored: Tensor

    def __len__(self) -> int:
        return int(self.ids.numel())


def special_ids(tokenizer) -> set[int]:
    """All special token ids of a Hugging Face tokenizer (CLS, SEP, PAD, MASK, BOS, EOS, UNK, ...)."""
    ids = set(getattr(tokenizer, "all_special_ids", []) or [])
    for attr in ("cls_token_id", "sep_token_id", "pad_token_id", "mask_token_id", "bos_token_id",
                 "eos_token_id", "unk_token_id"):
        value = getattr(tokenizer, attr, None)
        if isinstance(value, int):
            ids.add(value)
    return ids


def _token_length(token: str) -> int:
    for marker in _MARKERS:
        token = token.replace(marker, "")
    return len(token)


class HFTokenization:
    """Tokenize with a Hugging Face tokenizer, memoised per sequence (no repeated tokenization).

    Parameters
    ----------
    tokenizer : transformers tokenizer
        The model's own tokenizer, as loaded from its checkpoint.
    add_special_tokens : bool
        Let the tokenizer add its special tokens (CLS/SEP, BOS, ...) as in pre-training.
    """

    def __init__(self, tokenizer, add_special_tokens: bool = True) -> None:
        self.tokenizer = tokenizer
        self.add_special_tokens = bool(add_special_tokens)
        self.specials = special_ids(tokenizer)
        self.unk_id = getattr(tokenizer, "unk_token_id", None)
        self._special_tensor = torch.tensor(sorted(self.specials), dtype=torch.long)
        self._memo: dict[str, Encoded] = {}
        self._len: Tensor | None = None

    def __call__(self, sequence: str, record_id: str | None = None) -> Encoded:
        """Encode one upper-case ACGT string (memoised); see :meth:`many`."""
        hit = self._memo.get(sequence)
        return hit if hit is not None else self.many([sequence], [record_id])[0]

    def many(self, sequences: Sequence[str], record_ids: Sequence[str | None] | None = None) -> list[Encoded]:
        """Encode several strings; the ones not memoised go through the tokenizer in one call.

        Raises
        ------
        ValueError
            If the tokenizer maps part of a sequence to UNK or its tokens do not cover the sequence.
        """
        record_ids = list(record_ids) if record_ids is not None else [None] * len(sequences)
        todo = list(dict.fromkeys(s for s in sequences if s not in self._memo))
        if todo:
            rid = dict(zip(sequences, record_ids))
            batch = self.tokenizer(todo, add_special_tokens=self.add_special_tokens)["input_ids"]
            for seq, ids in zip(todo, batch):
                self._memo[seq] = self._check(seq, torch.as_tensor(list(ids), dtype=torch.long), rid.get(seq))
        return [self._memo[s] for s in sequences]

    def _check(self, sequence: str, ids: Tensor, record_id: str | None) -> Encoded:
        who = f"record {record_id!r}" if record_id else f"sequence {sequence[:20]!r}..."
        if self.unk_id is not None and bool((ids == int(self.unk_id)).any()):
            pos = int((ids == int(self.unk_id)).nonzero()[0])
            raise ValueError(f"{who}: tokenizer produced the unknown token at token position {pos}")
        scored = ~torch.isin(ids, self._special_tensor)
        covered = int(self._lengths()[ids[scored]].sum())
        if covered != len(sequence):
            tokens = self.tokenizer.convert_ids_to_tokens(ids[scored][:6].tolist())
            raise ValueError(f"{who}: tokens cover {covered} characters of a {len(sequence)}-bp sequence "
                             f"(tokens {tokens}...); this tokenizer does not read plain ACGT text")
        return Encoded(ids, scored)

    def _lengths(self) -> Tensor:
        """int64 ``(V,)``: characters of sequence each token id stands for (built once)."""
        if self._len is None:
            vocab = self.tokenizer.get_vocab()
            size = max(max(vocab.values()) + 1, len(self.tokenizer))
            table = torch.zeros(size, dtype=torch.long)
            for token, i in vocab.items():
                table[i] = _token_length(token)
            self._len = table
        return self._len

    def fingerprint(self) -> str:
        """sha256 of everything that fixes the token ids: class, vocabulary, specials, settings."""
        tok = self.tokenizer
        blob: dict[str, Any] = {"class": type(tok).__name__, "add_special_tokens": self.add_special_tokens,
                                "vocab": sorted(tok.get_vocab().items()), "specials": sorted(self.specials),
                                "mask": getattr(tok, "mask_token_id", None)}
        backend = getattr(tok, "backend_tokenizer", None)
        if backend is not None:
            blob["backend"] = backend.to_str()
        return hashlib.sha256(json.dumps(blob, sort_keys=True, default=str).encode()).hexdigest()
