"""Markov-chain generators: ``markov`` (order-k chain of the genome) and ``copy_drift`` (the
positive control: copies the true continuation, then drifts into the chain).

The chain is fitted on both strands of the reference with held-out windows masked
(:class:`~mitbench.data.audit.windows.Reference`): ``P(b | c) = (n(c b) + a) / (sum_b' n(c b') + 4 a)``
over the (order+1)-mers ``c b`` of the genome, ``a`` the pseudocount. Sampling is vectorised over
windows (one numpy step per position) and seeded with ``numpy.random.default_rng(seed)``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from mitbench.data.core.kmers import base_codes, kmer_counts
from mitbench.data.audit.windows import AuditWindow, Reference
from mitbench.models.generators.base import Generator

_LETTERS = np.frombuffer(b"ACGT", dtype=np.uint8)


def fit_chain(reference: Reference, order: int, pseudocount: float = 1.0) -> np.ndarray:
    """Cumulative transition table ``(4**order, 4)`` float64 of the reference (both strands).

    Rows are contexts in k-mer index order; ``table[c, b] = P(next <= b | c)``, last column 1.
    """
    if order < 0 or order > 12:
        raise ValueError(f"Markov order must be in 0..12, got {order}")
    if pseudocount <= 0:
        raise ValueError(f"pseudocount must be > 0, got {pseudocount}")
    counts = np.zeros(4 ** (order + 1), dtype=np.float64)
    for contig in reference.contigs():
        counts += kmer_counts(contig.sequence, order + 1, both_strands=True)
    if counts.sum() == 0:
        raise ValueError(f"{reference.path}: no {order + 1}-mer outside the held-out windows to fit a chain on")
    probs = counts.reshape(4 ** order, 4) + pseudocount
    probs /= probs.sum(1, keepdims=True)
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0  # no rounding gap above the last base
    return cum


def run_chain(cum: np.ndarray, contexts: Sequence[str], length: int, rng: np.random.Generator,
              forced: np.ndarray | None = None) -> list[str]:
    """Sample ``length`` bases after each context.

    Parameters
    ----------
    cum : ndarray (4**order, 4)
        From :func:`fit_chain`.
    contexts : sequence of str
        Preceding bases (ACGT, at least ``order`` each; only the last ``order`` are read).
    length : int
        Bases to emit.
    rng : numpy.random.Generator
        Source of randomness (one uniform per window and position).
    forced : ndarray of int8 (B, length), optional
        Base codes to emit instead of sampling where ``>= 0`` (-1 = sample); the chain's
        context follows whatever was emitted.
    """
    order = int(round(np.log(cum.shape[0]) / np.log(4)))
    n = len(contexts)
    state = np.zeros(n, dtype=np.int64)
    for i, ctx in enumerate(contexts):
        codes = base_codes(ctx[len(ctx) - order:] if order else "")
        if codes.size != order or (codes < 0).any():
            raise ValueError(f"context #{i} needs {order} A/C/G/T bases at its end")
        for c in codes:
            state[i] = state[i] * 4 + int(c)
    out = np.empty((n, length), dtype=np.int64)
    mod = 4 ** order
    for d in range(length):
        u = rng.random(n)
        nxt = (u[:, None] >= cum[state]).sum(1)
        nxt = np.minimum(nxt, 3)
        if forced is not None:
            f = forced[:, d]
            nxt = np.where(f >= 0, f, nxt)
        out[:, d] = nxt
        state = (state * 4 + nxt) % mod if order else state
    return [_LETTERS[row].tobytes().decode() for row in out]


class MarkovGenerator(Generator):
    """Order-``order`` Markov chain of the genome, continuing each seed's last ``order`` bases.

    Parameters
    ----------
    name : str
        Name in outputs.
    order : int
        Context length in bp (0..12); order 5 = the 6-mer chain.
    pseudocount : float
        Added to every (order+1)-mer count (> 0).
    """

    def __init__(self, name: str = "markov", order: int = 5, pseudocount: float = 1.0) -> None:
        super().__init__(name)
        self.order, self.pseudocount = int(order), float(pseudocount)
        self.cum: np.ndarray | None = None
        self.fitted_on: dict[str, Any] = {}

    def fit(self, reference: Reference) -> None:
        self.cum = fit_chain(reference, self.order, self.pseudocount)
        self.fitted_on = {"reference": str(reference.path), "holdout_bp_masked": reference.holdout_bp()}

    def _chain(self) -> np.ndarray:
        if self.cum is None:
            raise RuntimeError(f"generator {self.name!r} must be fit on a reference before generating")
        return self.cum

    def generate(self, windows: Sequence[AuditWindow], length: int, seed: int) -> list[str]:
        return run_chain(self._chain(), [w.seed for w in windows], length, np.random.default_rng(seed))

    def provenance(self) -> dict[str, Any]:
        return {**super().provenance(), "order": self.order, "pseudocount": self.pseudocount,
                "strands": "both", **self.fitted_on}


class CopyDriftGenerator(MarkovGenerator):
    """Positive control: the true continuation, copied up to a random switch point, then the chain.

    Each window switches once, at ``T ~ Exponential(decay_bp)`` bp from the seed; bases before
    ``T`` are the true continuation, bases after are sampled from the Markov chain (its context
    running on from the copied bases). So ``P(base d is copied) = exp(-d / decay_bp)``: realism
    that decays with distance from the seed, at a known rate.

    With ``stratified`` (the default) the ``n`` windows' switch points are drawn by stratified
    sampling: window ``i`` gets ``T_i = -λ log(1 - (π_i + U_i) / n)`` with ``π`` a seeded random
    permutation of ``0..n-1`` and ``U_i ~ Uniform(0, 1)``. Each ``T_i`` is still exactly
    ``Exponential(λ)``, but the *realised* share of windows still copying at distance ``d`` is
    within ``1/n`` of ``exp(-d/λ)``, so the control decays at its stated rate in every audit, not
    only on average (independent draws put 3 of 40 held-out windows past 5λ in one 80-window
    E. coli audit, where 0.7 were expected; no detector can flag a copy).

    Parameters
    ----------
    decay_bp : float
        ``λ`` in bp (> 0).
    stratified : bool
        Stratified switch points (True) or independent draws (False).
    order, pseudocount : see :class:`MarkovGenerator`.
    """

    control = "positive"

    def __init__(self, name: str = "copy_drift", decay_bp: float = 2000.0, order: int = 5,
                 pseudocount: float = 1.0, stratified: bool = True) -> None:
        super().__init__(name, order, pseudocount)
        if decay_bp <= 0:
            raise ValueError(f"decay_bp must be > 0, got {decay_bp}")
        self.decay_bp, self.stratified = float(decay_bp), bool(stratified)

    def switch_points(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``(n,)`` float64 switch points in bp (see the class docstring)."""
        if not self.stratified:
            return rng.exponential(self.decay_bp, size=n)
        u = (rng.permutation(n) + rng.random(n)) / n
        return -self.decay_bp * np.log1p(-u)

    def generate(self, windows: Sequence[AuditWindow], length: int, seed: int) -> list[str]:
        rng = np.random.default_rng(seed)
        switch = self.switch_points(len(windows), rng)
        forced = np.full((len(windows), length), -1, dtype=np.int64)
        for i, w in enumerate(windows):
            if len(w.continuation) < length:
                raise ValueError(f"window {w.id!r}: {len(w.continuation)} true bp to copy, {length} needed")
            t = min(length, int(np.ceil(switch[i])))
            forced[i, :t] = base_codes(w.continuation[:t])
        return run_chain(self._chain(), [w.seed for w in windows], length, rng, forced)

    def provenance(self) -> dict[str, Any]:
        return {**super().provenance(), "decay_bp": self.decay_bp, "stratified": self.stratified}
