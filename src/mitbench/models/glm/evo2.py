"""Evo 2 causal log-likelihood (mode ``ll``) through the ``evo2`` package's own tokenizer and forward.

The package is imported lazily: mitbench installs and runs without it. Evo 2 needs CUDA (its
kernels are GPU-only). Token ids come from ``Evo2.tokenizer`` (a byte-level ``CharLevelTokenizer``:
ids are the UTF-8 byte values, e.g. ``A`` -> 65, not 0..3); at load the scorer checks that the
four bases map to four distinct single ids inside the model's output vocabulary, and uses
those ids both as inputs and as targets. There is no BOS token, so the first base is unscored
(paper, appendix A.2); the score is ``sum_{i>=1} log p(x_i | x_<i)`` over the full output vocabulary.
Sequences are batched by equal length (the forward takes no attention mask).

Cache identity: the weights, not their name. With ``local_path`` the file's SHA-256, taken before
loading (memoised by its stat signature under ``cache_dir``, so gigabytes are not re-read every
run) and checked unchanged after loading; without it, the SHA-256 of the loaded state dict (the
package resolves its own files). Weights replaced at the same path therefore get new keys.
"""
from __future__ import annotations

from typing import Any, Sequence

import torch
from torch import Tensor

from mitbench.data.core.records import SequenceRecord, reverse_complement
from mitbench.models.glm import digests
from mitbench.models.base import Scorer
from mitbench.models.cache import open_cache

INSTALL_HELP = ("model {name!r} needs the `evo2` package (https://github.com/ArcInstitute/evo2; "
                "`pip install evo2`, which builds GPU kernels) and a CUDA GPU. {why}")


def evo2_class(name: str):
    """The ``evo2.Evo2`` class, or an error saying what is missing (the package or a CUDA device)."""
    try:
        from evo2 import Evo2
    except ImportError as err:
        raise ImportError(INSTALL_HELP.format(name=name, why="It is not installed.")) from err
    if not torch.cuda.is_available():
        raise RuntimeError(INSTALL_HELP.format(name=name, why="No CUDA device is visible."))
    return Evo2


def load_evo2(name: str, checkpoint: str, local_path: str | None):
    """An ``evo2.Evo2`` model, or an error saying what is missing (the package or a CUDA device)."""
    evo2 = evo2_class(name)
    return evo2(checkpoint, local_path=local_path) if local_path else evo2(checkpoint)


def _load_pinned(name: str, checkpoint: str, local_path: str | None, memo_dir: str | None):
    """``(evo, weights)``: the model and the fingerprint of the weights it was loaded from.

    Raises
    ------
    FileNotFoundError
        If ``local_path`` does not exist.
    RuntimeError
        If the file changed while it was being loaded.
    """
    if not local_path:
        evo = load_evo2(name, checkpoint, None)
        return evo, "state_sha256:" + digests.module_sha256(evo.model)
    evo2_class(name)  # a missing package or GPU fails before gigabytes are hashed
    before = digests.signature(local_path)
    digest = digests.file_sha256(local_path, memo_dir)
    evo = load_evo2(name, checkpoint, local_path)
    if digests.signature(local_path) != before:
        raise RuntimeError(f"{local_path}: the weights changed while {name!r} was loading; the scores could "
                           "not be keyed on the weights used. Rerun once the file is complete.")
    return evo, "sha256:" + digest


class Evo2Scorer(Scorer):
    """Evo 2 log-likelihood in nats (higher = more likely).

    Parameters
    ----------
    name : str
        Model name in outputs.
    checkpoint : str
        Evo 2 model name as the package knows it, e.g. ``"evo2_1b_base"``.
    local_path : str, optional
        Local checkpoint file (passed to ``Evo2(..., local_path=...)``); None lets the package
        fetch/resolve its own weights (Hugging Face cache, ``HF_HUB_OFFLINE`` honoured).
    max_tokens : int
        Token budget of one forward pass (rows x length).
    score_rc : bool
        Mean over both strands.
    max_length : int
        Longest sequence accepted, in nucleotides.
    cache_dir : str, optional
        Score-cache folder (also holds the weight-digest memo); None disables caching.
    """

    mode = "ll"
    category = "gLM"
    needs = "pip install evo2 + CUDA"  # shown by `mitbench list models`

    def __init__(self, name: str, checkpoint: str = "evo2_1b_base", local_path: str | None = None,
                 max_tokens: int = 16384, score_rc: bool = False, max_length: int = 8192,
                 cache_dir: str | None = None) -> None:
        super().__init__(name)
        self.checkpoint, self.local_path = checkpoint, local_path
        self.max_tokens, self.score_rc, self.max_length = int(max_tokens), bool(score_rc), int(max_length)
        self.evo, self.weights = _load_pinned(name, checkpoint, local_path, cache_dir)
        self.net = self.evo.model  # registered so Lightning sees its device and parameters
        self.tokenizer = self.evo.tokenizer
        self.base_ids = self._check_tokenizer()
        self.cache = open_cache(cache_dir)

    def _check_tokenizer(self) -> dict[str, int]:
        ids = {b: list(self.tokenizer.tokenize(b)) for b in "ACGT"}
        if any(len(v) != 1 for v in ids.values()) or len({v[0] for v in ids.values()}) != 4:
            raise RuntimeError(f"{self.name}: unexpected Evo 2 tokenization of A/C/G/T: {ids}")
        return {b: int(v[0]) for b, v in ids.items()}

    def encode(self, sequence: str) -> Tensor:
        """int64 ``(L,)`` token ids from the package's tokenizer (checked against the per-base ids)."""
        ids = torch.as_tensor([int(t) for t in self.tokenizer.tokenize(sequence)], dtype=torch.long)
        if ids.numel() != len(sequence):
            raise ValueError(f"{self.name}: tokenizer gave {ids.numel()} ids for {len(sequence)} bases")
        return ids

    def check_records(self, records: Sequence[SequenceRecord]) -> None:
        for rec in records:
            if len(rec.sequence) > self.max_length:
                raise ValueError(f"record {rec.id!r}: {len(rec.sequence)} bp exceed {self.name}'s "
                                 f"max_length of {self.max_length}")
            if len(rec.sequence) < 2:
                raise ValueError(f"record {rec.id!r}: a 1-bp sequence has no scored token")

    def checkpoint_label(self) -> str:
        return f"{self.name} ({self.local_path or self.checkpoint})"

    def identity(self) -> dict[str, Any]:
        trainer = self._trainer
        return {**super().identity(), "checkpoint": self.checkpoint, "local_path": self.local_path,
                "weights": self.weights, "base_ids": self.base_ids, "score_rc": self.score_rc,
                "precision": str(trainer.precision) if trainer is not None else None}

    def score_batch(self, sequences: Sequence[str]) -> Tensor:
        seqs = list(sequences)
        if self.score_rc:
            both = self._score(seqs + [reverse_complement(s) for s in seqs])
            return (both[: len(seqs)] + both[len(seqs):]) / 2
        return self._score(seqs)

    def _score(self, seqs: list[str]) -> Tensor:
        out = torch.zeros(len(seqs), dtype=torch.float64)
        by_len: dict[int, list[int]] = {}
        for i, s in enumerate(seqs):
            by_len.setdefault(len(s), []).append(i)
        for length, idx in by_len.items():
            step = max(1, self.max_tokens // length)
            for k in range(0, len(idx), step):
                part = idx[k:k + step]
                ids = torch.stack([self.encode(seqs[i]) for i in part]).to(self.device)
                logits = self.evo(ids)[0][0]  # (B, L, V)
                logp = logits[:, :-1].float().log_softmax(-1)
                picked = logp.gather(-1, ids[:, 1:].unsqueeze(-1)).squeeze(-1)
                out[part] = picked.double().sum(-1).cpu()
        return out
