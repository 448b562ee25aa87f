"""Real-vs-generated detector: a dilated 1-D residual CNN (a LightningModule trained with
``Trainer.fit`` on :class:`mitbench.data.audit.chunks.ChunkDataModule`).

Input one-hot ``(B, L, 4)`` float32 chunks; output a logit ``(B,)`` float32, higher = more likely
generated. Architecture: a width-9 stem convolution at base resolution (codons, stop codons,
short words), then a width-3 stride-3 convolution to codon resolution (its three taps see the
three phases separately, so reading-frame information survives as channels), ``n_blocks``
residual blocks at codon resolution (ReLU, width-3 convolution with dilation ``2**b``,
twice; the second zero-initialised so each block starts as the identity, which trains stably
without BatchNorm, whose running statistics are poor after the few hundred steps a CPU run
affords and would make held-out scores differ from training behaviour), then a read-out of
global pooled features: the mean and the max over positions, and for each span in ``spans``
(codons) the *minimum over positions of the max over the span*, i.e. "is there a stretch of
this length where a feature never fires": a channel that detects stop codons in one phase then
measures the longest open reading frame, which is how natural coding DNA differs most from a
Markov chain that matches its 6-mer statistics. Receptive field with
the defaults (5 blocks): 9 + 3 * (2 + 2 * 2 * (2**5 - 1)) ~ 390 bp, enough to see whether a
reading frame stays open along an ORF and to catch repeats; the global pooling aggregates over
the chunk. Working at codon resolution makes it ~3x cheaper than running the blocks per base,
which is what lets it train on 2 CPU cores.
"""
from __future__ import annotations

import lightning as L
import torch
from torch import Tensor, nn


class _Block(nn.Module):
    def __init__(self, channels: int, dilation: int, dropout: float) -> None:
        super().__init__()
        last = nn.Conv1d(channels, channels, 3, padding=dilation, dilation=dilation)
        nn.init.zeros_(last.weight)  # each block starts as the identity: stable without normalisation
        nn.init.zeros_(last.bias)
        self.body = nn.Sequential(
            nn.ReLU(), nn.Conv1d(channels, channels, 3, padding=dilation, dilation=dilation),
            nn.ReLU(), nn.Dropout(dropout), last)

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)


class RealismCNN(L.LightningModule):
    """Dilated residual CNN classifying chunks as natural (0) or generated (1).

    Parameters
    ----------
    channels : int
        Convolution channels.
    stride : int
        Down-sampling of the second stem convolution (3 = codon resolution).
    spans : tuple of int
        Span lengths (in down-sampled positions) of the min-of-max read-out.
    n_blocks : int
        Residual blocks; block ``b`` has dilation ``2**b``.
    dropout : float
        Dropout inside each block.
    lr, weight_decay : float
        AdamW settings.
    """

    def __init__(self, channels: int = 32, stride: int = 3, n_blocks: int = 5, spans: tuple = (100, 200),
                 dropout: float = 0.1, lr: float = 3e-3, weight_decay: float = 1e-4) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.stem = nn.Sequential(nn.Conv1d(4, channels, 9, padding=4), nn.ReLU(),
                                  nn.Conv1d(channels, channels, stride, stride=stride))
        self.blocks = nn.Sequential(*[_Block(channels, 2 ** b, dropout) for b in range(n_blocks)])
        self.spans = tuple(int(x) for x in spans)
        self.head = nn.Linear((2 + len(self.spans)) * channels, 1)
        self.loss = nn.BCEWithLogitsLoss()

    def forward(self, x: Tensor) -> Tensor:
        h = torch.relu(self.blocks(self.stem(x.transpose(1, 2))))
        feats = [h.mean(-1), h.amax(-1)]
        for span in self.spans:
            span = min(span, h.shape[-1])  # chunks shorter than a span: the span is the chunk
            feats.append(nn.functional.max_pool1d(h, span, stride=1).amin(-1))
        pooled = torch.cat(feats, dim=1)
        return self.head(pooled).squeeze(-1)

    def training_step(self, batch, batch_idx: int) -> Tensor:
        x, y = batch
        loss = self.loss(self(x), y)
        self.log("train_loss", loss, prog_bar=False, on_epoch=True, on_step=False)
        return loss

    def predict_step(self, batch, batch_idx: int) -> Tensor:
        return self(batch[0]).float()

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=self.hparams.weight_decay)
        steps = self.trainer.estimated_stepping_batches
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.hparams.lr, total_steps=max(1, int(steps)))
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}
