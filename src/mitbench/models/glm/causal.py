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
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import Tensor

from mitbench.models.glm import hf
from mitbench.models.glm.common import HFScorer, log_softmax32
from mitbench.models.glm.tokenization import Encoded


class CausalLMScorer(HFScorer):
    """Exact causal log-likelihood, in nats (higher = more likely).

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
        items = [self._targets(enc) for enc in self.tok.many(sequences)]
        order = sorted(range(len(items)), key=lambda i: -items[i][0].numel())
        out = torch.zeros(len(items), dtype=torch.float64)
        for batch in self._plan([items[i][0].numel() for i in order], [1] * len(order)):
            idx = [order[item] for item, _, _ in batch]
            out[idx] = self.forward_ll([items[i][0] for i in idx], [items[i][1] for i in idx])
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
