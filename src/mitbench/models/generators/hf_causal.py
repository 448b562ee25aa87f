"""``hf_causal``: any Hugging Face causal LM continuing the seeds through ``model.generate``.

The checkpoint loads the one way the project loads causal LMs
(:func:`mitbench.models.glm.hf.load`, hub id or local folder, remote code only when allowed). Tokens
whose text is not pure A/C/G/T (special tokens, EOS) are suppressed, so every step emits bases
and generation never stops early. Long continuations are generated in chunks of
``chunk_tokens`` new tokens, each prompted with the most recent context that fits the model's
position limit. Batches are left-padded; ``torch.manual_seed(seed + batch index)`` before each
batch makes a run repeatable for a given ``batch_size``.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import torch

from mitbench.data.audit.windows import AuditWindow
from mitbench.models.generators.base import Generator
from mitbench.models.glm.hf import load_with_source

_ACGT = re.compile(r"[ACGT]+")


class HFCausalGenerator(Generator):
    """Sampled continuations from a causal LM.

    Parameters
    ----------
    path : str
        Hub id or local ``save_pretrained`` folder.
    name : str
        Name in outputs.
    revision : str, optional
        Hub commit/tag/branch (ignored for local folders, which are content-hashed).
    trust_remote_code : bool
        Allow the checkpoint's own code.
    dtype : str
        ``float32``, ``float64``, ``bfloat16`` or ``float16``.
    temperature, top_k, top_p : float, int, float
        Sampling settings (``top_k=0`` and ``top_p=1.0`` switch those filters off).
    batch_size : int
        Windows per ``generate`` call.
    chunk_tokens : int
        New tokens per ``generate`` call.
    max_context : int, optional
        Longest prompt + chunk in tokens; default the model's position limit (or 2048).
    device : str
        ``auto`` (CUDA when visible), ``cpu`` or ``cuda``.
    allow_missing_weights : bool
        Accept a checkpoint that lacks some weights (drawn at random); refused by default.
    """

    def __init__(self, path: str, name: str = "hf_causal", revision: str | None = None,
                 trust_remote_code: bool = False, dtype: str = "float32", temperature: float = 1.0,
                 top_k: int = 0, top_p: float = 1.0, batch_size: int = 8, chunk_tokens: int = 512,
                 max_context: int | None = None, device: str = "auto", allow_missing_weights: bool = False) -> None:
        super().__init__(name)
        if temperature <= 0 or not 0 < top_p <= 1 or top_k < 0 or batch_size < 1 or chunk_tokens < 1:
            raise ValueError("need temperature > 0, 0 < top_p <= 1, top_k >= 0, batch_size >= 1, chunk_tokens >= 1")
        self.path, self.revision, self.dtype = path, revision, dtype
        self.temperature, self.top_k, self.top_p = float(temperature), int(top_k), float(top_p)
        self.batch_size, self.chunk_tokens = int(batch_size), int(chunk_tokens)
        self.model, self.tok, self.fingerprint = load_with_source(
            path, revision, "causal", trust_remote_code=trust_remote_code, dtype=dtype,
            allow_missing_weights=allow_missing_weights)
        cfg = self.model.config
        limit = max_context or getattr(cfg, "max_position_embeddings", None) or getattr(cfg, "n_positions", None)
        self.max_context = int(limit or 2048)
        if self.chunk_tokens >= self.max_context:
            raise ValueError(f"chunk_tokens ({self.chunk_tokens}) must be below the context limit {self.max_context}")
        self.device = torch.device("cuda" if device == "auto" and torch.cuda.is_available()
                                   else ("cpu" if device == "auto" else device))
        self.model.to(self.device)
        vocab = self.tok.convert_ids_to_tokens(list(range(len(self.tok))))
        self.base_ids = {i for i, t in enumerate(vocab) if isinstance(t, str) and _ACGT.fullmatch(t)}
        if not self.base_ids:
            raise ValueError(f"{path}: no token of the vocabulary is a DNA string (A/C/G/T)")
        self.vocab = vocab
        n_out = self.model.get_output_embeddings().weight.shape[0]
        self.suppress = sorted(set(range(n_out)) - self.base_ids)

    def _prompt_ids(self, text: str) -> list[int]:
        ids = list(self.tok(text, add_special_tokens=True)["input_ids"])
        lead = 0
        while lead < len(ids) and ids[lead] not in self.base_ids:
            lead += 1  # special tokens the tokenizer puts in front (BOS/CLS) are kept
        trail = [i for i in ids[lead:] if i in self.base_ids]  # trailing SEP/EOS would end the text
        budget = self.max_context - self.chunk_tokens - lead
        return ids[:lead] + trail[-budget:]

    @torch.inference_mode()
    def generate(self, windows: Sequence[AuditWindow], length: int, seed: int) -> list[str]:
        out: list[str] = []
        pad = self.tok.pad_token_id if self.tok.pad_token_id is not None else min(self.suppress or [0])
        for b in range(0, len(windows), self.batch_size):
            part = windows[b:b + self.batch_size]
            torch.manual_seed(seed + b // self.batch_size)
            gen = ["" for _ in part]
            while min(len(g) for g in gen) < length:
                prompts = [self._prompt_ids(w.seed + g) for w, g in zip(part, gen)]
                width = max(len(p) for p in prompts)
                ids = torch.full((len(part), width), pad, dtype=torch.long)
                mask = torch.zeros((len(part), width), dtype=torch.long)
                for i, p in enumerate(prompts):  # left padding: every row ends where generation starts
                    ids[i, width - len(p):] = torch.tensor(p)
                    mask[i, width - len(p):] = 1
                new = self.model.generate(
                    input_ids=ids.to(self.device), attention_mask=mask.to(self.device), do_sample=True,
                    temperature=self.temperature, top_k=self.top_k or None, top_p=self.top_p,
                    max_new_tokens=self.chunk_tokens, min_new_tokens=self.chunk_tokens,
                    suppress_tokens=self.suppress, pad_token_id=pad)[:, width:]
                for i, row in enumerate(new.tolist()):
                    gen[i] += "".join(self.vocab[t] for t in row if t in self.base_ids)
            out.extend(g[:length] for g in gen)
        return out

    def provenance(self) -> dict[str, Any]:
        return {**super().provenance(), "path": self.path, "revision": self.revision,
                "fingerprint": self.fingerprint, "dtype": self.dtype, "temperature": self.temperature,
                "top_k": self.top_k, "top_p": self.top_p, "batch_size": self.batch_size,
                "chunk_tokens": self.chunk_tokens, "max_context": self.max_context, "device": str(self.device)}
