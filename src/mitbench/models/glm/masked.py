"""Exact pseudo-log-likelihood (mode ``pll``) for ``AutoModelForMaskedLM`` checkpoints.

``PLL(x) = sum_i log p(x_i | x_-i)``: every scoreable token (never a special token) is masked
once, and the original token's log-probability is read at the masked position (log-softmax in
float32, sum in float64). For 6-mer models (Nucleotide Transformer) a term is a whole masked
6-mer token; for BPE models (GROVER, DNABERT-2) a whole BPE token.

Speed without approximation: all masked copies of a sequence, and of several short sequences,
go through the model together in passes bounded by ``max_tokens`` (rows x padded length), right-
padded with an attention mask; the copies are built by tensor ops (no per-position Python work);
and where the model splits into body + LM head (checked numerically at load), the head runs only
at the one masked position per row instead of at all L positions. Equals the one-position-per-
forward loop to 1e-4 (tested).

Named approximations (``model.scoring=``, :mod:`mitbench.models.glm.conventions`): ``pll_unmasked``
reads every scoreable token's log-probability from one unmasked pass; ``pll_masked_k`` masks
``model.mask_k`` tokens per pass on the schedule of :func:`~mitbench.models.glm.conventions.masked_k_rows`.
Both go through :meth:`MaskedLMScorer.forward_rows` (rows of a pass may read several positions).
Longer than the context: with ``model.window_stride`` each token is scored in the sliding window
whose centre is nearest it (the convention applied inside each window), context on both sides.
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import Tensor

from mitbench.models.glm import conventions, hf
from mitbench.models.glm.common import HFScorer, log_softmax32


class MaskedLMScorer(HFScorer):
    """PLL in nats (higher = more likely): exact by default, or a named approximation (``scoring``).

    Parameters
    ----------
    head_at_masked_only : bool
        Apply the LM head only at masked positions when the model allows it (same numbers,
        less compute). False always runs the full model.
    **kwargs
        See :class:`mitbench.models.glm.common.HFScorer`.
    """

    mode = "pll"
    category = "gLM"
    kind = "masked"

    def __init__(self, name: str, path: str, head_at_masked_only: bool = True, **kwargs) -> None:
        super().__init__(name, path, **kwargs)
        self.mask_id = self.tok.tokenizer.mask_token_id
        if self.mask_id is None:
            raise ValueError(f"{name}: tokenizer of {path!r} has no mask token; PLL needs one")
        self.head_at_masked_only = bool(head_at_masked_only)
        self._extra_kwargs = {"head_at_masked_only": self.head_at_masked_only}
        parts = None
        if self.head_at_masked_only:
            probe = self.tok("ACGTTGCAACGGTACCATGA").ids.unsqueeze(0)
            parts = hf.split_head(self.model, probe)
        self._parts = parts  # plain tuple: not registered twice as submodules
        self.body_takes_mask = parts is not None and hf.accepts(parts[0], "attention_mask")

    def _score(self, sequences: Sequence[str]) -> Tensor:
        if self.scoring != "pll_exact":
            return self._score_rows(sequences)
        items = self._items(sequences)
        order = sorted(range(len(items)), key=lambda j: -items[j][1].numel())
        out = torch.zeros(len(sequences), dtype=torch.float64)
        for batch in self._plan([items[j][1].numel() for j in order], [items[j][2].numel() for j in order]):
            segs = [(items[order[item]][1], items[order[item]][2][start:start + n]) for item, start, n in batch]
            lp = self.forward_pll(segs)
            owner = torch.cat([torch.full((n,), items[order[item]][0], dtype=torch.long) for item, _, n in batch])
            out.index_add_(0, owner, lp)
        return out

    def _items(self, sequences: Sequence[str]) -> list[tuple[int, Tensor, Tensor]]:
        """``(sequence index, ids, positions)`` per unit of work: a sequence and its scoreable token
        positions, or, beyond ``window_length`` tokens with windows on, each centred window
        (the sequence's leading and trailing special tokens around a stretch of it) and the
        positions it scores (:func:`~mitbench.models.glm.conventions.centred_windows`)."""
        out = []
        for i, enc in enumerate(self.tok.many(sequences)):
            pos = enc.scored.nonzero().squeeze(-1)  # int64 (P,)
            if self.window is None or len(enc) <= self.window[0]:
                out.append((i, enc.ids, pos))
                continue
            first, last = int(pos[0]), int(pos[-1]) + 1
            head, body, tail = enc.ids[:first], enc.ids[first:last], enc.ids[last:]
            width = self.window[0] - head.numel() - tail.numel()
            if width <= self.window[1]:
                raise ValueError(f"{self.name}: model.window_length={self.window[0]} leaves {width} tokens besides "
                                 f"the special ones, not more than model.window_stride={self.window[1]}")
            for start, end, lo, hi in conventions.centred_windows(body.numel(), width, self.window[1]):
                sel = (pos >= first + lo) & (pos < first + hi)
                out.append((i, torch.cat([head, body[start:end], tail]), pos[sel] - first - start + head.numel()))
        return out

    def forward_pll(self, segments: list[tuple[Tensor, Tensor]]) -> Tensor:
        """One pass over masked copies.

        Parameters
        ----------
        segments : list of (ids, positions)
            ids: int64 ``(L_s,)`` a tokenized sequence; positions: int64 ``(P_s,)`` token positions
            to mask, one copy (row) each.

        Returns
        -------
        Tensor
            float64 ``(sum P_s,)``: ``log p(ids[pos] | ids with pos masked)`` per row, on CPU.
        """
        # one row per masked position: forward_rows with row j of a segment reading its j-th position
        return self.forward_rows([(ids, pos, torch.arange(int(pos.numel())), int(pos.numel()))
                                  for ids, pos in segments], masked=True)

    def _score_rows(self, sequences: Sequence[str]) -> Tensor:
        """``pll_unmasked`` (one row per sequence, nothing masked) or ``pll_masked_k`` (rows of the
        schedule, each masking its positions): float64 ``(B,)``."""
        items = self._items(sequences)
        order = sorted(range(len(items)), key=lambda j: -items[j][1].numel())
        if self.scoring == "pll_unmasked":
            plans = [(1, torch.zeros(items[j][2].numel(), dtype=torch.long)) for j in order]
        else:  # the schedule runs over the positions of each item (a window's own, when windowed)
            plans = [conventions.masked_k_rows(items[j][2].numel(), self.mask_k) for j in order]
        out = torch.zeros(len(sequences), dtype=torch.float64)
        for batch in self._plan([items[j][1].numel() for j in order], [m for m, _ in plans]):
            segs, owner = [], []
            for item, start, n in batch:
                row = plans[item][1]
                sel = (row >= start) & (row < start + n)
                who, ids, pos = items[order[item]]
                segs.append((ids, pos[sel], row[sel] - start, n))
                owner.append(torch.full((int(sel.sum()),), who, dtype=torch.long))
            out.index_add_(0, torch.cat(owner), self.forward_rows(segs, masked=self.scoring != "pll_unmasked"))
        return out

    def forward_rows(self, segments: list[tuple[Tensor, Tensor, Tensor, int]], masked: bool) -> Tensor:
        """One pass of rows that each read (and, if ``masked``, mask) several positions.

        Parameters
        ----------
        segments : list of (ids, positions, rows, n_rows)
            ids: int64 ``(L_s,)`` a tokenized sequence, copied into ``n_rows`` rows; positions:
            int64 ``(T_s,)`` token positions read; rows: int64 ``(T_s,)`` in ``[0, n_rows)``, the
            row that reads each position.
        masked : bool
            Replace every read position by the mask token in its row first.

        Returns
        -------
        Tensor
            float64 ``(sum T_s,)``: ``log p(ids[pos] | its row)`` at each read position, on CPU.
            Padding is never read (positions lie inside their sequence).
        """
        lmax = max(int(ids.numel()) for ids, _, _, _ in segments)
        n = sum(k for _, _, _, k in segments)
        batch = torch.full((n, lmax), int(self.pad_id), dtype=torch.long)
        mask = torch.zeros((n, lmax), dtype=torch.long)
        rows, where, r = [], [], 0
        for ids, pos, row, k in segments:
            batch[r:r + k, :ids.numel()] = ids
            mask[r:r + k, :ids.numel()] = 1
            rows.append(row + r)
            where.append(pos)
            r += k
        rows_t, where_t = torch.cat(rows), torch.cat(where)
        target = batch[rows_t, where_t].clone()
        if masked:
            batch[rows_t, where_t] = int(self.mask_id)
        dev_rows, dev_where = rows_t.to(self.device), where_t.to(self.device)
        if self._parts is not None:
            body, head = self._parts
            kwargs = {"input_ids": batch.to(self.device)}
            if self.body_takes_mask:
                kwargs["attention_mask"] = mask.to(self.device)
            logits = head(body(**kwargs)[0][dev_rows, dev_where])  # (T, V): head at read positions only
        else:
            logits = self.model(**self._forward_kwargs(batch, mask)).logits[dev_rows, dev_where]
        logp = log_softmax32(logits)
        return logp.gather(-1, target.to(self.device).unsqueeze(-1)).squeeze(-1).to(torch.float64).cpu()
