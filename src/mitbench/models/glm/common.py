"""Shared base of the Hugging Face gLM scorers (:mod:`.causal`, :mod:`.masked`).

Handles loading, tokenization, the model's context limit, reverse-complement averaging, the
token-budget micro-batching plan, and the cache identity. Subclasses implement :meth:`_score`.
"""
from __future__ import annotations

import abc
from pathlib import Path
from typing import Any, Iterator, Sequence

import torch
from torch import Tensor

from mitbench.data.core.records import SequenceRecord, reverse_complement
from mitbench.models.glm import conventions, hf
from mitbench.models.base import Scorer
from mitbench.models.cache import open_cache
from mitbench.models.glm.tokenization import HFTokenization

_HUGE = 10**7  # tokenizers report "no limit" as ~1e30


class HFScorer(Scorer, abc.ABC):
    """Base class: a Hugging Face checkpoint scored sequence by sequence.

    Parameters
    ----------
    name : str
        Model name in outputs and run-dir paths.
    path : str
        Hub id (``org/name``) or local checkpoint folder.
    revision : str, optional
        Hub commit hash, tag or branch (pin a commit for reproducibility).
    trust_remote_code : bool
        Run the checkpoint's own code (HyenaDNA, Caduceus, DNABERT-2, NT-v2 need it).
    dtype : {"float32", "float64", "bfloat16", "float16"}
        Weight dtype. Log-softmax is always computed in at least float32.
    attn_implementation : str, optional
        ``"sdpa"``, ``"eager"``, ...; None keeps the transformers default.
    add_special_tokens : bool
        Let the tokenizer add its special tokens as in pre-training (they are never scored).
    score_rc : bool
        Score = mean of the sequence's and its reverse complement's scores.
    max_tokens : int
        Token budget of one forward pass: rows x padded length <= max_tokens (a single row
        longer than the budget is still run alone).
    cache_dir : str, optional
        Score-cache folder (:mod:`mitbench.models.cache`); None disables caching.
    init : {"pretrained", "random"}
        ``"random"`` scores a random-initialised copy of the architecture (config only, no
        weights; see :func:`mitbench.models.glm.hf.load`): the calibration null.
    init_seed : int
        Seed of the random initialisation.
    allow_missing_weights : bool
        Score a checkpoint that lacks some of the model's weights (transformers draws them at
        random); by default such a checkpoint is refused, naming the missing tensors.
    scoring : str, optional
        The scoring convention (:mod:`mitbench.models.glm.conventions`); None: the kind's exact
        default (``pll_exact`` / ``ll``).
    mask_k : int, optional
        Tokens masked per forward pass under ``scoring="pll_masked_k"`` (required there, refused
        elsewhere).
    window_stride : int, optional
        Tokens between sliding-window starts for sequences longer than ``window_length``
        (1 <= stride < window_length; half the window is a good choice). None: no windows, and a
        sequence longer than the context is refused. How a kind windows: its scorer's module.
    window_length : int, optional
        Tokens per window, special tokens included (at most the model's context); None: the context.
    """

    has_architecture_null = True

    def __init__(self, name: str, path: str, revision: str | None = None, trust_remote_code: bool = False,
                 dtype: str = "float32", attn_implementation: str | None = None,
                 add_special_tokens: bool = True, score_rc: bool = False, max_tokens: int = 16384,
                 cache_dir: str | None = None, init: str = "pretrained", init_seed: int = 0,
                 allow_missing_weights: bool = False, scoring: str | None = None,
                 mask_k: int | None = None, window_stride: int | None = None,
                 window_length: int | None = None) -> None:
        super().__init__(name)
        self.scoring, self.mask_k = conventions.check(self.kind, scoring, mask_k)
        if max_tokens < 1:
            raise ValueError(f"max_tokens must be >= 1, got {max_tokens}")
        self._base_kwargs = dict(path=path, revision=revision, trust_remote_code=trust_remote_code, dtype=dtype,
                                 attn_implementation=attn_implementation, add_special_tokens=add_special_tokens,
                                 score_rc=score_rc, max_tokens=max_tokens, cache_dir=cache_dir,
                                 allow_missing_weights=allow_missing_weights, scoring=self.scoring,
                                 mask_k=self.mask_k, window_stride=window_stride, window_length=window_length)
        self._extra_kwargs: dict[str, Any] = {}  # subclass-specific constructor arguments
        self.path, self.revision = str(path), revision
        self.dtype_name, self.attn_implementation = dtype, attn_implementation
        self.score_rc, self.max_tokens = bool(score_rc), int(max_tokens)
        self.init, self.init_seed = init, int(init_seed)
        # the source is taken before loading and checked after: it names the weights scored
        self.model, tokenizer, pinned = hf.load_with_source(
            self.path, revision, self.kind, trust_remote_code=trust_remote_code, dtype=dtype,
            attn_implementation=attn_implementation, init=init, init_seed=self.init_seed,
            allow_missing_weights=allow_missing_weights)
        self.tok = HFTokenization(tokenizer, add_special_tokens)
        self.source = hf.random_fingerprint(self.path, revision, self.init_seed) if init == "random" else pinned
        self.cache = open_cache(cache_dir)
        self.takes_mask = hf.accepts(self.model, "attention_mask")
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        limits = [getattr(tokenizer, "model_max_length", None),
                  getattr(self.model.config, "max_position_embeddings", None)]
        limits = [int(v) for v in limits if isinstance(v, int) and 0 < v < _HUGE]
        self.max_length = min(limits) if limits else None
        self.window = self._window(window_length, window_stride)

    def _window(self, length: int | None, stride: int | None) -> tuple[int, int] | None:
        """``(length, stride)`` of the sliding windows, validated, or None when windowing is off."""
        if stride is None:
            if length is not None:
                raise ValueError(f"{self.name}: model.window_length is read only with model.window_stride; set both")
            return None
        width = int(length) if length is not None else self.max_length
        if width is None:
            raise ValueError(f"{self.name}: model.window_stride needs model.window_length (the model states no context)")
        if self.max_length is not None and width > self.max_length:
            raise ValueError(f"{self.name}: model.window_length={width} exceeds the model's context of "
                             f"{self.max_length} tokens")
        conventions.windows(width + 1, width, int(stride))  # 1 <= stride < width, or ValueError
        return width, int(stride)

    kind: str = "causal"

    # --- contract -------------------------------------------------------------------------
    @abc.abstractmethod
    def _score(self, sequences: Sequence[str]) -> Tensor:
        """float64 ``(B,)`` scores of upper-case ACGT strings (one strand)."""

    @torch.inference_mode()
    def score_batch(self, sequences: Sequence[str]) -> Tensor:
        """float64 ``(B,)``; with ``score_rc`` the mean over both strands (both in one pass). No
        autograd graph, even when called outside ``Trainer.predict`` (an exact PLL graph is huge)."""
        seqs = list(sequences)
        if not self.score_rc:
            return self._score(seqs)
        both = self._score(seqs + [reverse_complement(s) for s in seqs])
        return (both[: len(seqs)] + both[len(seqs):]) / 2

    def check_records(self, records: Sequence[SequenceRecord]) -> None:
        """Tokenize every record; raise ``ValueError`` naming one that the model cannot read."""
        for rec in records:
            for seq in ([rec.sequence, reverse_complement(rec.sequence)] if self.score_rc else [rec.sequence]):
                enc = self.tok(seq, rec.id)
                if self.window is None and self.max_length is not None and len(enc) > self.max_length:
                    raise ValueError(f"record {rec.id!r}: {len(enc)} tokens exceed {self.name}'s "
                                     f"context of {self.max_length} tokens{self._too_long_hint()}")
                if int(enc.scored.sum()) < 1:
                    raise ValueError(f"record {rec.id!r}: no scoreable token")

    def _too_long_hint(self) -> str:
        half = max(1, (self.max_length or 2) // 2)
        return f"; set model.window_stride={half} (tokens) to score it by sliding windows"

    def scoring_label(self) -> str:
        return conventions.label(self.scoring, self.mask_k, self.score_rc, self.window)

    def approximation(self) -> str | None:
        return conventions.approximation(self.scoring, self.mask_k, self.window)

    def checkpoint_label(self) -> str:
        where = Path(self.path).name if Path(self.path).expanduser().is_dir() else self.path
        rev = f"@{self.revision[:10]}" if self.revision else ""
        init = f", random init seed {self.init_seed}" if self.init == "random" else ""
        return f"{self.name} ({where}{rev}{init})"

    def identity(self) -> dict[str, Any]:
        trainer = self._trainer
        out = {**super().identity(), "path": self.path, "revision": self.revision, "source": self.source,
               "tokenizer": self.tok.fingerprint(), "dtype": self.dtype_name,
               "attn_implementation": self.attn_implementation, "score_rc": self.score_rc,
               "precision": str(trainer.precision) if trainer is not None else None}
        convention = conventions.label(self.scoring, self.mask_k, False, self.window)
        if convention != conventions.DEFAULT[self.kind]:
            # only a non-default convention enters: the exact default keeps the keys of caches
            # written before conventions had names (its scores are the same numbers)
            out["scoring"] = convention
        if self.init == "random":
            # a twin is its architecture, seed, tokenizer and scoring settings (all in ``source`` and
            # the keys kept): the parent's name, path and revision would make every checkpoint of one
            # architecture pay for its own null
            for key in ("name", "path", "revision"):
                out.pop(key)
        return out

    def random_init_copy(self, seed: int) -> "HFScorer":
        """The same architecture, tokenizer and scoring settings with random weights (seed ``seed``).

        The copy shares this scorer's tokenization memo, so sequences are tokenized once for all copies.
        """
        copy = type(self)(name=f"{self.name}@random{int(seed)}", **self._base_kwargs, **self._extra_kwargs,
                          init="random", init_seed=int(seed))
        copy.tok = self.tok
        return copy

    # --- helpers --------------------------------------------------------------------------
    def _forward_kwargs(self, ids: Tensor, mask: Tensor) -> dict[str, Tensor]:
        kwargs = {"input_ids": ids.to(self.device)}
        if self.takes_mask:
            kwargs["attention_mask"] = mask.to(self.device)
        return kwargs

    def _plan(self, lengths: Sequence[int], rows: Sequence[int]) -> Iterator[list[tuple[int, int, int]]]:
        """Pack work items into forward passes under the token budget.

        Parameters
        ----------
        lengths : sequence of int
            Token length of each item (already ordered, longest first, so padding stays small).
        rows : sequence of int
            Rows each item needs (1 for LL; one per masked position for PLL).

        Yields
        ------
        list of (item, first_row, n_rows)
            One forward pass; an item's rows may be split across passes. Without
            attention-mask support only equal lengths share a pass (no padding at all).
        """
        batch: list[tuple[int, int, int]] = []
        n_rows, width = 0, 0
        for item, (length, need) in enumerate(zip(lengths, rows)):
            start = 0
            while start < need:
                new_width = max(width, length)
                if batch and (not self.takes_mask and length != width):
                    yield batch
                    batch, n_rows, width = [], 0, 0
                    continue
                fit = self.max_tokens // max(length, new_width) - n_rows
                if fit < 1 and batch:
                    yield batch
                    batch, n_rows, width = [], 0, 0
                    continue
                take = max(1, min(need - start, fit))
                batch.append((item, start, take))
                n_rows, width, start = n_rows + take, new_width, start + take
        if batch:
            yield batch


def log_softmax32(logits: Tensor) -> Tensor:
    """Log-softmax over the last axis in float32 (float64 kept where the model runs in float64).

    Autocast (``trainer.precision=bf16-mixed``) is switched off here so it cannot downcast.
    """
    with torch.autocast(logits.device.type, enabled=False):
        return logits.to(torch.float64 if logits.dtype == torch.float64 else torch.float32).log_softmax(-1)
