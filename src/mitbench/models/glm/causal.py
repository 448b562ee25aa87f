"""Causal log-likelihood (mode ``ll``) for ``AutoModelForCausalLM`` checkpoints (HyenaDNA, any GPT/Llama).

``score(x) = sum_i log p(x_i | x_<i)`` over the sequence's tokens, log-softmax in float32, summed
in float64. The first sequence token is scored only when the tokenizer puts a BOS token before it;
without one it has no context and is left out (paper, appendix A.2). Special tokens are fed but
never scored; trailing ones (e.g. HyenaDNA's SEP) cannot affect earlier positions and are dropped.

Batching: sequences are packed longest-first into passes of at most ``max_tokens`` tokens, padded
on the right (no attention mask is needed: causal attention never looks right) or on the left
with an attention mask and matching position ids (``padding_side="left"``). Because the model is causal, a sequence's logits never see its padding,
so scores do not depend on batch size, padding side or batch-mates (tested to 1e-4). Models whose
forward takes no attention mask (HyenaDNA) get passes of equal-length sequences only.

Conventions (``model.scoring=``): ``ll`` (the sum, default) or ``ll_mean`` (the sum over the number
of scored tokens). Longer than the context: with ``model.window_stride=S`` a sequence of more than
``W`` tokens (``model.window_length``, default the context) is scored by sliding windows
(:func:`mitbench.models.glm.conventions.windows`): every token once, with at least ``W - S`` tokens
of context; windows are fed as they are (a BOS token only opens the first). Without it such a
sequence is refused naming the option.
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import Tensor

from mitbench.models.glm import conventions, hf
from mitbench.models.glm.common import HFScorer, log_softmax32
from mitbench.models.glm.tokenization import Encoded


class CausalLMScorer(HFScorer):
    """Causal log-likelihood, in nats (higher = more likely): the sum (``ll``) or its mean per
    scored token (``ll_mean``).

    Parameters
    ----------
    padding_side : {"right", "left"}
        Where padding goes inside a pass. ``"left"`` passes ``position_ids`` so every sequence
        keeps positions 0..L-1; both sides give the same scores.
    **kwargs
        See :class:`mitbench.models.glm.common.HFScorer`.
    """

    mode = "ll"
    category = "gLM"
    kind = "causal"

    def __init__(self, name: str, path: str, padding_side: str = "right", **kwargs) -> None:
        super().__init__(name, path, **kwargs)
        if padding_side not in ("right", "left"):
            raise ValueError(f"padding_side must be 'right' or 'left', got {padding_side!r}")
        if padding_side == "left" and not (self.takes_mask and hf.accepts(self.model, "position_ids")):
            raise ValueError(f"{name}: padding_side='left' needs a model that takes attention_mask and "
                             "position_ids; use 'right'")
        self.padding_side = padding_side
        self._extra_kwargs = {"padding_side": padding_side}

    @staticmethod
    def _targets(enc: Encoded) -> tuple[Tensor, Tensor]:
        """Input ids cut after the last sequence token, and bool targets (scored and i >= 1)."""
        last = int(enc.scored.nonzero().max())
        ids, scored = enc.ids[: last + 1], enc.scored[: last + 1].clone()
        scored[0] = False  # nothing predicts the first token
        return ids, scored

    def _score(self, sequences: Sequence[str]) -> Tensor:
        whole = [self._targets(enc) for enc in self.tok.many(sequences)]
        items = [(i, ids, t) for i, (ids, t) in enumerate(whole) for ids, t in self._windows(ids, t)]
        order = sorted(range(len(items)), key=lambda j: -items[j][1].numel())
        out = torch.zeros(len(whole), dtype=torch.float64)
        for batch in self._plan([items[j][1].numel() for j in order], [1] * len(order)):
            idx = [order[item] for item, _, _ in batch]
            owner = torch.tensor([items[j][0] for j in idx], dtype=torch.long)
            out.index_add_(0, owner, self.forward_ll([items[j][1] for j in idx], [items[j][2] for j in idx]))
        if self.scoring == "ll_mean":
            out /= torch.tensor([float(t.sum()) for _, t in whole], dtype=torch.float64)
        return out

    def _windows(self, ids: Tensor, targets: Tensor) -> list[tuple[Tensor, Tensor]]:
        """``(ids, targets)`` of each sliding window (the whole sequence when it fits one): the
        targets of a window are the tokens it scores and no earlier window did."""
        if self.window is None or ids.numel() <= self.window[0]:
            return [(ids, targets)]
        out = []
        for start, end, first in conventions.windows(int(ids.numel()), *self.window):
            t = targets[start:end].clone()
            t[: max(0, first - start)] = False
            out.append((ids[start:end], t))
        return out

    def forward_ll(self, rows: list[Tensor], targets: list[Tensor]) -> Tensor:
        """One padded forward pass.

        Parameters
        ----------
        rows : list of Tensor
            int64 ``(L_b,)`` token ids per sequence.
        targets : list of Tensor
            bool ``(L_b,)``: positions whose token log-probability enters the sum.

        Returns
        -------
        Tensor
            float64 ``(B,)`` summed log-probabilities, on CPU.
        """
        lmax = max(int(r.numel()) for r in rows)
        n = len(rows)
        ids = torch.full((n, lmax), int(self.pad_id), dtype=torch.long)
        mask = torch.zeros((n, lmax), dtype=torch.long)
        want = torch.zeros((n, lmax), dtype=torch.bool)
        for b, (r, t) in enumerate(zip(rows, targets)):
            sl = slice(lmax - r.numel(), lmax) if self.padding_side == "left" else slice(0, r.numel())
            ids[b, sl], mask[b, sl], want[b, sl] = r, 1, t
        if self.padding_side == "left":
            kwargs = self._forward_kwargs(ids, mask)
            kwargs["position_ids"] = (mask.cumsum(-1) - 1).clamp(min=0).to(self.device)
        else:
            # Right padding: a causal model's real positions never attend to the (later) padding, so a
            # mask changes nothing they compute; without one, SDPA takes its causal kernel instead of
            # the masked math path (1.3-1.5x per pass on CPU, benchmarks/nullsettes_speed.py).
            kwargs = {"input_ids": ids.to(self.device)}
        logits = self.model(**kwargs).logits  # (B, L, V); V may exceed the tokenizer (padded vocab)
        logp = log_softmax32(logits[:, :-1])
        tok = ids[:, 1:].to(self.device)
        picked = logp.gather(-1, tok.unsqueeze(-1)).squeeze(-1)  # (B, L-1): log p(x_i | x_<i)
        picked = torch.where(want[:, 1:].to(self.device), picked, torch.zeros_like(picked))
        return picked.to(torch.float64).sum(-1).cpu()
