"""Positional-contrastive fine-tuning of a causal DNA LM (paper §5.2, Appendix N.2).

Loss per step, on a batch of positional pairs (positive + ``K`` composition-matched negatives,
see :mod:`mitbench.data.glm.positional_pairs`) and a batch of genome crops::

    loss = pair_weight * mean_{i,k} max(0, margin - (LL(pos_i) - LL(neg_ik)))  +  lm_weight * LM loss

``LL`` is the sequence log-likelihood in nats exactly as ``model=hf_causal`` scores it (sum of
``ln p(x_j | [BOS] x_<j)`` over all bases), so what the margin trains is what the MIT measures.
The LM term keeps the network a genome model (its held-out bits/nt are reported before/after).

Validation (pairs of held-out backgrounds): win rate of the positive over each negative type
(a win is strictly greater LL; ties are failures, see :data:`mitbench.suites.spec.TIE_RULE`).
"""
from __future__ import annotations

import torch
from torch import Tensor

from mitbench.data.glm.positional_pairs import NEGATIVES
from mitbench.models.trainable.genome_lm import LN2, GenomeLM


class ContrastiveGenomeLM(GenomeLM):
    """A :class:`GenomeLM` (causal only) fine-tuned with the margin loss above.

    Parameters
    ----------
    margin : float
        Required LL advantage of the positive over each negative, nats.
    pair_weight, lm_weight : float
        Weights of the margin loss and the genome LM loss (nats per nucleotide).
    **kwargs
        :class:`GenomeLM` arguments (``init`` is the pretrained folder).
    """

    def __init__(self, margin: float = 1.0, pair_weight: float = 1.0, lm_weight: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.kind != "causal":
            raise ValueError(f"{self.name}: positional-contrastive fine-tuning needs a causal LM (sequence LL); "
                             f"got kind={self.kind!r}")
        if margin < 0 or pair_weight < 0 or lm_weight < 0:
            raise ValueError(f"margin, pair_weight and lm_weight must be >= 0, got {margin}, {pair_weight}, {lm_weight}")
        self.hparams.update({"margin": margin, "pair_weight": pair_weight, "lm_weight": lm_weight})
        self.margin, self.pair_weight, self.lm_weight = float(margin), float(pair_weight), float(lm_weight)
        self._pairs: list[Tensor] = []

    def training_step(self, batch: dict, batch_idx: int) -> Tensor:
        pairs, genome = batch["pairs"], batch["genome"]
        diff = self.pair_margins(pairs["positive"], pairs["negatives"])
        pair_loss = torch.relu(self.margin - diff).mean()
        lm = self.lm_loss(genome)
        self.tokens_seen += genome.numel()
        b = diff.shape[0]
        self.log("train_pair_loss", pair_loss.detach(), on_step=True, prog_bar=True, batch_size=b)
        self.log("train_pair_win_rate", (diff > 0).float().mean(), on_step=True, batch_size=b)
        self.log("train_bits_per_nt", lm.detach() / LN2, on_step=True, prog_bar=True, batch_size=genome.shape[0])
        return self.pair_weight * pair_loss + self.lm_weight * lm

    def validation_step(self, batch, batch_idx: int, dataloader_idx: int = 0) -> None:
        if dataloader_idx == 1:
            return super().validation_step(batch, batch_idx)
        self._pairs.append(self.pair_margins(batch["positive"], batch["negatives"]).detach().cpu())

    def on_validation_epoch_end(self) -> None:
        if self._pairs:
            diff = torch.cat(self._pairs)
            self._pairs = []
            for k, name in enumerate(NEGATIVES):
                self.log(f"val_win_rate_{name}", (diff[:, k] > 0).float().mean())
            self.log("val_win_rate", (diff > 0).float().mean(), prog_bar=True)
            self.log("val_mean_margin", diff.mean())
            extra = {f"val_win_rate_{name}": float((diff[:, k] > 0).float().mean()) for k, name in enumerate(NEGATIVES)}
        else:
            extra = {}
        super().on_validation_epoch_end()
        if self.curve and extra and not self.trainer.sanity_checking:
            self.curve[-1].update(extra)
