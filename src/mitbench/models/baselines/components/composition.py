"""Mononucleotide log-likelihood of the E. coli genome: composition and nothing else.

``log P(x) = sum_i log p(x_i)`` with ``p`` the base frequencies of both strands of E. coli 536
(so ``p(A) = p(T)`` and ``p(C) = p(G)``), taken as the marginal of the shipped 6-mer counts
(:func:`mitbench.models.baselines.components.kmer.load_counts`). The score depends on a sequence only through
its base counts: any two sequences with the same composition tie exactly. It is the reference
point "knows composition, nothing else" beside every model.
"""
from __future__ import annotations

from torch import Tensor

from mitbench.models.baselines.components.base import Component

from mitbench.models.baselines.components.kmer import K, load_counts


class Composition(Component):
    """Mononucleotide log-likelihood in nats (higher = more genome-like composition).

    Parameters
    ----------
    counts_path : str, optional
        6-mer count table (see :func:`~mitbench.models.baselines.components.kmer.load_counts`); None = the
        shipped E. coli 536 table.

    Notes
    -----
    No learnable parameters; buffer ``log_p`` (4,) float64 in ACGT order. Input ``(B, L, 4)``
    float64 one-hot, output ``(B,)`` float64 (linear in the one-hot, so differentiable).
    """

    def __init__(self, counts_path: str | None = None) -> None:
        super().__init__()
        self.counts_path = counts_path
        # the 6-mer table counts every position of each k-mer; the first base's marginal is the
        # genome's base frequency (both strands, so complementary bases are equal)
        first = load_counts(counts_path).view(4, 4 ** (K - 1)).sum(1)
        # the table's windows miss each strand's last 5 bases: symmetrise so p(A) = p(T), p(C) = p(G)
        # exactly (ACGT reversed is the complement order)
        freq = first / first.sum()
        self.register_buffer("log_p", ((freq + freq.flip(0)) / 2).log())

    def forward(self, x: Tensor) -> Tensor:
        """``(B, L, 4)`` float64 one-hot -> ``(B,)`` float64 log-likelihood in nats."""
        # base counts first, then one dot product: sequences with the same composition get
        # bit-identical scores (a position-wise sum would differ in its last bits by order)
        return x.sum(dim=1) @ self.log_p

    def extra_repr(self) -> str:
        return f"counts_path={self.counts_path!r}"
