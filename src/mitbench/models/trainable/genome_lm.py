"""A DNA language model trained by mitbench: a Hugging Face causal or masked LM in a LightningModule.

The network is a stock ``transformers`` model (Llama/GPT-2 for ``kind="causal"``, ESM/BERT for
``kind="masked"``) with the single-nucleotide tokenizer of :mod:`mitbench.models.glm.dna_tokenizers`,
so :meth:`GenomeLM.save_hf` writes a folder that ``model=hf_causal|hf_masked model.path=<folder>``
scores exactly like a hub checkpoint (and ``transformers`` ``generate`` can sample from).

Batches are int64 codes ``(B, L)`` (A, C, G, T = 0..3); the module maps them to token ids and adds
the tokens its tokenizer adds around a sequence (``[BOS]`` for causal, ``[CLS] … [SEP]`` for
masked models), as in scoring.

* causal: loss = mean over nucleotides of ``-ln p(x_i | [BOS] x_<i)`` (every nucleotide of a
  crop is predicted, the first from ``[BOS]`` alone); bits/nt = loss / ln 2.
* masked: BERT masking (a ``mask_fraction`` of nucleotides chosen, of which 80 % become
  ``[MASK]``, 10 % a random base, 10 % unchanged); loss = mean ``-ln p`` of the chosen bases.
  Validation masks deterministically (``[MASK]`` only); its bits per masked nucleotide condition
  on both sides and are not comparable with a causal or Markov bits/nt.
"""
from __future__ import annotations

import math
from typing import Any

import lightning as L
import numpy as np
from lightning.pytorch.callbacks import Timer
import torch
from torch import Tensor

from mitbench.models.glm import hf
from mitbench.models.glm.dna_tokenizers import char_tokenizer
from mitbench.models.glm.common import log_softmax32

TEMPLATES = {"causal": "[BOS] $A", "masked": "[CLS] $A [SEP]"}
LN2 = math.log(2.0)


class GenomeLM(L.LightningModule):
    """Train (or fine-tune) a DNA LM on code batches.

    Parameters
    ----------
    name : str
        Model name in outputs.
    kind : {"causal", "masked"}
        Language-model type.
    config : dict, optional
        ``transformers`` config arguments for a model trained from scratch, with ``model_type``
        (e.g. ``llama``, ``gpt2``, ``esm``, ``bert``); vocabulary size and special-token ids come
        from the tokenizer. Exactly one of ``config`` and ``init`` is given.
    init : str, optional
        A Hugging Face folder (e.g. ``<pretrain run>/hf``) to start from instead.
    lr : float
        Peak AdamW learning rate (after ``warmup_steps`` linear warm-up; cosine decay to
        ``lr × min_lr_ratio`` at the trainer's last step).
    min_lr_ratio, weight_decay : float
        Schedule floor; AdamW decay of matrices (biases and norms are not decayed).
    warmup_steps : int
        Linear warm-up steps.
    betas : sequence of float
        AdamW betas.
    mask_fraction : float
        Masked LMs: fraction of nucleotides chosen per sequence (at least one).
    anneal_to_max_time : bool
        Cosine progress = the larger of the step fraction (of ``trainer.max_steps``) and the time
        fraction (of ``trainer.max_time``), so a run stopped by its time budget ends annealed.
        When time binds, the schedule (and so the weights) depend on machine speed; the run's
        ``stopped_by`` records which budget ended it. False: steps only (bit-reproducible).
    """

    def __init__(self, name: str, kind: str = "causal", config: dict | None = None, init: str | None = None,
                 lr: float = 3e-3, min_lr_ratio: float = 0.1, weight_decay: float = 0.1, warmup_steps: int = 200,
                 betas: tuple[float, float] = (0.9, 0.95), mask_fraction: float = 0.15,
                 anneal_to_max_time: bool = True) -> None:
        super().__init__()
        if kind not in TEMPLATES:
            raise ValueError(f"kind must be 'causal' or 'masked', got {kind!r}")
        if (config is None) == (init is None):
            raise ValueError(f"{name}: give exactly one of `config` (train from scratch) or `init` (an HF folder)")
        if not 0 < mask_fraction < 1:
            raise ValueError(f"mask_fraction must be in (0, 1), got {mask_fraction}")
        config = dict(config) if config is not None else None
        self.save_hyperparameters({"name": name, "kind": kind, "config": config, "init": init, "lr": lr,
                                   "min_lr_ratio": min_lr_ratio, "weight_decay": weight_decay,
                                   "warmup_steps": warmup_steps, "betas": list(betas),
                                   "mask_fraction": mask_fraction, "anneal_to_max_time": anneal_to_max_time})
        self.name, self.kind = name, kind
        self.lr, self.min_lr_ratio, self.weight_decay = float(lr), float(min_lr_ratio), float(weight_decay)
        self.warmup_steps, self.betas, self.mask_fraction = int(warmup_steps), tuple(betas), float(mask_fraction)
        self.anneal_to_max_time = bool(anneal_to_max_time)
        if init is not None:
            self.model, self.tokenizer = hf.load(str(init), None, kind)
            self.model.train()  # hf.load returns eval mode; Lightning keeps a submodule's mode
        else:
            self.tokenizer = char_tokenizer(TEMPLATES[kind])
            self.model = _build(kind, config, self.tokenizer)
        tok = self.tokenizer
        ids = tok.convert_tokens_to_ids(list("ACGT"))
        if tok.unk_token_id in ids:
            raise ValueError(f"{name}: the tokenizer has no single-nucleotide tokens A, C, G, T")
        wrapped = tok("A", add_special_tokens=True)["input_ids"]
        at = wrapped.index(ids[0])
        self.register_buffer("code_to_id", torch.tensor(ids, dtype=torch.long), persistent=False)
        self.register_buffer("prefix", torch.tensor(wrapped[:at], dtype=torch.long), persistent=False)
        self.register_buffer("suffix", torch.tensor(wrapped[at + 1:], dtype=torch.long), persistent=False)
        if kind == "masked" and tok.mask_token_id is None:
            raise ValueError(f"{name}: a masked LM needs a tokenizer with a [MASK] token")
        self.register_buffer("tokens_seen", torch.zeros((), dtype=torch.long))
        self.curve: list[dict[str, float]] = []  # learning curve: one row per validation
        self._val: list[Tensor] = []

    # --- encoding and likelihoods ---------------------------------------------------------
    def encode(self, codes: Tensor) -> Tensor:
        """int64 ``(B, L)`` codes -> ``(B, P + L + S)`` token ids with the tokenizer's specials."""
        b = codes.shape[0]
        return torch.cat([self.prefix.expand(b, -1), self.code_to_id[codes], self.suffix.expand(b, -1)], dim=1)

    def nt_log_probs(self, codes: Tensor) -> Tensor:
        """Causal: float32 ``(B, L)`` ``ln p(x_i | specials, x_<i)``; without a prefix token the first
        base has no context and is left out (``(B, L - 1)``), as in :mod:`mitbench.models.glm.causal`."""
        ids = self.encode(codes)
        p, n = self.prefix.numel(), codes.shape[1]
        logits = self.model(input_ids=ids).logits
        first = p if p else 1
        logp = log_softmax32(logits[:, first - 1:p + n - 1])
        return logp.gather(-1, ids[:, first:p + n].unsqueeze(-1)).squeeze(-1)

    def sequence_ll(self, codes: Tensor) -> Tensor:
        """float32 ``(B,)`` sequence log-likelihood (nats) of ``(B, L)`` codes."""
        return self.nt_log_probs(codes).sum(-1)

    def pair_margins(self, positive: Tensor, negatives: Tensor) -> Tensor:
        """``LL(pos) - LL(neg)`` ``(B, K)`` from ``(B, L)`` and ``(B, K, L)`` codes (one forward pass)."""
        b, k, n = negatives.shape
        ll = self.sequence_ll(torch.cat([positive, negatives.reshape(b * k, n)]))
        return ll[:b, None] - ll[b:].reshape(b, k)

    def masked_log_probs(self, codes: Tensor, generator: torch.Generator | None = None,
                         corrupt: bool = False) -> Tensor:
        """Masked: float32 ``(M,)`` ``ln p(x_i | x with the chosen bases masked)`` at the chosen bases.

        ``corrupt`` applies the 80/10/10 training corruption; otherwise every chosen base is
        ``[MASK]``. ``generator`` (CPU) makes the choice reproducible.
        """
        ids = self.encode(codes)
        b, n, p = codes.shape[0], codes.shape[1], self.prefix.numel()
        u = torch.rand(b, n, generator=generator).to(codes.device)
        chosen = u < self.mask_fraction
        chosen[torch.arange(b), u.argmin(1)] = True  # at least one base per sequence
        target = ids[:, p:p + n][chosen]
        inputs = ids.clone()
        body = inputs[:, p:p + n]
        if corrupt:
            r = torch.rand(b, n, generator=generator).to(codes.device)
            rand = self.code_to_id[torch.randint(0, 4, (b, n), generator=generator).to(codes.device)]
            body[chosen & (r < 0.8)] = int(self.tokenizer.mask_token_id)
            swap = chosen & (r >= 0.8) & (r < 0.9)
            body[swap] = rand[swap]
        else:
            body[chosen] = int(self.tokenizer.mask_token_id)
        logits = self.model(input_ids=inputs).logits[:, p:p + n][chosen]
        return log_softmax32(logits).gather(-1, target.unsqueeze(-1)).squeeze(-1)

    def lm_loss(self, codes: Tensor) -> Tensor:
        """Mean ``-ln p`` per predicted nucleotide (nats) of a training batch."""
        if self.kind == "causal":
            return -self.nt_log_probs(codes).mean()
        return -self.masked_log_probs(codes, corrupt=True).mean()

    @torch.no_grad()
    def heldout_bits(self, windows: np.ndarray, batch_size: int = 64, seed: int = 0) -> float:
        """Bits per predicted nucleotide over int ``(N, L)`` code windows, float32, eval mode.

        Causal: ``-Σ log2 p(x_i | context in the window) / Σ 1``. Masked: the same over the
        deterministically masked bases (``seed``).
        """
        was_training = self.training
        self.eval()
        gen = torch.Generator().manual_seed(seed)
        total, count = 0.0, 0
        for i in range(0, len(windows), batch_size):
            codes = torch.as_tensor(np.asarray(windows[i:i + batch_size]), dtype=torch.long, device=self.device)
            lp = self.nt_log_probs(codes) if self.kind == "causal" else self.masked_log_probs(codes, gen)
            total -= float(lp.double().sum())
            count += lp.numel()
        self.train(was_training)
        return total / count / LN2

    # --- Lightning hooks ------------------------------------------------------------------
    def training_step(self, batch: Tensor, batch_idx: int) -> Tensor:
        loss = self.lm_loss(batch)
        self.tokens_seen += batch.numel()
        self.log("train_bits_per_nt", loss.detach() / LN2, on_step=True, prog_bar=True, batch_size=batch.shape[0])
        return loss

    def validation_step(self, batch: Tensor, batch_idx: int) -> None:
        gen = torch.Generator().manual_seed(batch_idx)
        lp = self.nt_log_probs(batch) if self.kind == "causal" else self.masked_log_probs(batch, gen)
        self._val.append(torch.stack([-lp.double().sum(), torch.tensor(lp.numel(), dtype=torch.float64)]))

    def on_validation_epoch_end(self) -> None:
        total, count = torch.stack(self._val).sum(0).tolist() if self._val else (float("nan"), 1.0)
        self._val = []
        bits = total / count / LN2
        self.log("val_bits_per_nt", bits, prog_bar=True)
        self.log("tokens_seen", float(self.tokens_seen))
        if not self.trainer.sanity_checking:
            self.curve.append({"step": int(self.global_step), "tokens_seen": int(self.tokens_seen),
                               "val_bits_per_nt": bits})

    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        checkpoint["learning_curve"] = list(self.curve)

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        self.curve = list(checkpoint.get("learning_curve", []))

    def configure_optimizers(self):
        decay = [p for p in self.model.parameters() if p.ndim >= 2]
        rest = [p for p in self.model.parameters() if p.ndim < 2]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": self.weight_decay},
                                 {"params": rest, "weight_decay": 0.0}], lr=self.lr, betas=self.betas)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: lr_factor(s, self.warmup_steps, self._progress(s),
                                                                            self.min_lr_ratio))
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}

    def _progress(self, step: int) -> float:
        """Fraction of the training budget spent after warm-up (see ``anneal_to_max_time``)."""
        total = max(int(self.trainer.estimated_stepping_batches), 1)
        progress = (step - self.warmup_steps) / max(total - self.warmup_steps, 1)
        timer = next((cb for cb in self.trainer.callbacks if isinstance(cb, Timer)), None)
        if self.anneal_to_max_time and timer is not None:
            elapsed = timer.time_elapsed("train")
            remaining = timer.time_remaining("train")
            if remaining is not None and elapsed + remaining > 0:
                progress = max(progress, elapsed / (elapsed + remaining))
        return min(max(progress, 0.0), 1.0)

    def save_hf(self, folder) -> None:
        """``save_pretrained`` of the network (float32) and its tokenizer into ``folder``."""
        self.model.save_pretrained(folder)
        self.tokenizer.save_pretrained(folder)

    def n_parameters(self) -> int:
        return int(sum(p.numel() for p in self.model.parameters()))


def lr_factor(step: int, warmup: int, progress: float, floor: float) -> float:
    """Learning-rate multiplier: linear warm-up to 1 over ``warmup`` steps, then a cosine from 1 to
    ``floor`` as ``progress`` goes from 0 to 1."""
    if step < warmup:
        return (step + 1) / warmup
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(max(progress, 0.0), 1.0)))


def _build(kind: str, config: dict, tokenizer):
    """A randomly initialised ``transformers`` model of ``kind`` from config arguments."""
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForMaskedLM

    args = dict(config)
    model_type = args.pop("model_type", None)
    if not model_type:
        raise ValueError("model config needs `model_type` (e.g. llama, gpt2, esm, bert)")
    specials = {"pad_token_id": tokenizer.pad_token_id, "bos_token_id": tokenizer.bos_token_id,
                "eos_token_id": tokenizer.sep_token_id}
    if kind == "masked":
        specials["mask_token_id"] = tokenizer.mask_token_id
    cfg = AutoConfig.for_model(model_type, vocab_size=len(tokenizer), **specials, **args)
    auto = AutoModelForCausalLM if kind == "causal" else AutoModelForMaskedLM
    return auto.from_config(cfg)
