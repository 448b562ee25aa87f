"""Order-5 (6-mer) Markov chain of the E. coli genome: the composition-only baseline.

Log-likelihood of ``x = x_0 .. x_{L-1}`` in nats (higher = more genome-like)::

    log P(x) = log P(x_0..x_4) + sum_{i=5}^{L-1} log P(x_i | x_{i-5}..x_{i-1})

    P(b | c)    = (n(c b) + a) / (sum_b' n(c b') + 4 a)
    P(x_0..x_4) = (sum_b n(x_0..x_4 b) + 4 a) / (N + 4^6 a)

``n`` are the shipped 6-mer counts (``resources/ecoli_6mer_counts.tsv``, both strands of
E. coli 536, NC_008253, derived by ``scripts/derive_kmer_table.py``), ``N`` their total and ``a``
the additive pseudocount (default 1: every 6-mer occurs in the genome, so it only matters for
custom tables). The first 5-mer uses the 5-mer marginal of the same counts, so the model is a
proper distribution over sequences of a given length and the score is an ``ll``.
"""
from __future__ import annotations

import itertools
from importlib import resources
from pathlib import Path

import torch
from torch import Tensor

from mitbench.models.baselines.components.base import Component

K = 6


def load_counts(path: str | Path | None = None) -> Tensor:
    """6-mer counts ``(4096,)`` float64 in lexicographic ACGT order (index = base-4 number).

    Parameters
    ----------
    path : str or Path, optional
        A TSV with header ``kmer<TAB>count``; default the shipped E. coli table.

    Raises
    ------
    ValueError
        If the table does not hold exactly the 4096 6-mers in order.
    """
    if path is None:
        text = resources.files("mitbench").joinpath("resources/ecoli_6mer_counts.tsv").read_text()
    else:
        text = Path(path).read_text()
    rows = [line.split("\t") for line in text.splitlines()[1:] if line]
    if len(rows) != 4 ** K:
        raise ValueError(f"k-mer table {path or 'ecoli_6mer_counts.tsv'}: {len(rows)} rows, expected {4 ** K}")
    for i, (row, want) in enumerate(zip(rows, itertools.product("ACGT", repeat=K))):
        if row[0] != "".join(want):
            raise ValueError(f"k-mer table row {i + 1}: {row[0]!r}, expected {''.join(want)!r}")
    return torch.tensor([float(r[1]) for r in rows], dtype=torch.float64)


class KmerMarkov(Component):
    """6-mer Markov log-likelihood (nats) from a count table.

    Parameters
    ----------
    counts_path : str, optional
        Count table (see :func:`load_counts`); None = the shipped E. coli 536 table.
    pseudocount : float
        Additive pseudocount ``a`` per 6-mer (> 0).

    Notes
    -----
    No learnable parameters; buffers ``log_cond`` (4096,) = log P(last base | first five) and
    ``log_init`` (1024,) = log P(5-mer). Input ``(B, L, 4)`` float64 one-hot with ``L >= 6``;
    output ``(B,)`` float64. Table look-ups (not differentiable; a fixed baseline).
    """

    def __init__(self, counts_path: str | None = None, pseudocount: float = 1.0) -> None:
        super().__init__()
        if pseudocount <= 0:
            raise ValueError(f"pseudocount must be > 0, got {pseudocount}")
        self.counts_path, self.pseudocount = counts_path, float(pseudocount)
        self.min_length = K
        n = load_counts(counts_path) + self.pseudocount  # (4096,)
        by_context = n.view(4 ** (K - 1), 4)  # rows: 5-mer context, columns: next base
        self.register_buffer("log_cond", (by_context / by_context.sum(1, keepdim=True)).log().reshape(-1))
        ctx = by_context.sum(1)
        self.register_buffer("log_init", (ctx / ctx.sum()).log())
        self.register_buffer("_place", 4 ** torch.arange(K - 1, -1, -1, dtype=torch.float64))

    def forward(self, x: Tensor) -> Tensor:
        """``(B, L, 4)`` float64 one-hot -> ``(B,)`` float64 log-likelihood in nats."""
        codes = x.argmax(dim=-1).to(torch.float64)  # (B, L)
        windows = codes.unfold(1, K, 1)  # (B, L-5, 6)
        index = (windows * self._place).sum(-1).long()  # 6-mer index of each window
        first = (windows[:, 0, : K - 1] * self._place[1:]).sum(-1).long()  # first 5-mer
        return self.log_init[first] + self.log_cond[index].sum(dim=1)

    def extra_repr(self) -> str:
        return f"counts_path={self.counts_path!r}, pseudocount={self.pseudocount}"
