"""Sequence-only grammar of an expression cassette: the position-aware baseline of the Nullsettes suite.

A cassette expresses when its parts come in the right order at the right distances. The score
is the best, over every ATG ``a`` in the sequence, of the evidence that ``a`` starts an
expressed gene (log-odds-like units, higher = more likely to express)::

    prokaryotic:  w_orf * ORF(a) + w_promoter * P(a) + w_sd * SD(a) + w_terminator * T(a)
    eukaryotic:   w_orf * ORF(a) + w_tata * TATA(a) + w_kozak * K(a) + w_pas * PAS(a) - w_uatg * U(a)

* ``ORF(a) = min(n, orf_codons) / orf_codons``, ``n`` = codons from ``a`` to the first in-frame
  stop (to the sequence end if none): an open reading frame of reporter length;
* ``P(a)``: best σ70 promoter (−35 PWM + −10 PWM, spacer 15–19 bp, penalty per bp from 17;
  Appendix C.1 matrices of :mod:`~mitbench.models.baselines.components.pwm`) whose −10 ends
  ``promoter_window`` bp upstream of ``a``;
* ``SD(a)``: best Shine–Dalgarno PWM (``AGGAGG``, the complement of the 16S rRNA 3' end
  ``CCUCCU``; +1 match, −1 mismatch) ending ``sd_spacing`` bp before ``a``;
* ``T(a)``: best intrinsic terminator (``stem``-bp hairpin scored with base-pair weights G·C 3,
  A·T 2, G·T 1, mismatch −3, i.e. ~ stacking free energies in kcal/mol, loop 3–9, plus
  ``u_weight`` per T in the 8 bases after it) within ``terminator_window`` bp after the stop;
* ``TATA(a)``: best TATA-box PWM (``TATAWAWR``) ``tata_window`` bp upstream of ``a``;
* ``K(a)``: Kozak PWM over −6..+4 around ``a`` (``GCCRCCATGG``, −3 purine and +4 G weighted most);
* ``PAS(a)``: best polyadenylation signal (``AATAAA``) within ``pas_window`` bp after the stop;
* ``U(a)`` = 1 when another ATG lies within ``uatg_window`` bp upstream (scanning ribosomes
  start at the first ATG).

A feature whose window leaves the sequence takes its motif's worst possible score under the
initial weights (a fixed floor, so the score stays a smooth function of the weights). Every weight
and PWM is a learnable float64 parameter (initialised to the values above); the score is
differentiable in them almost everywhere (maxima pass the gradient to their arg-max). ORF
lengths and ATG positions are discrete functions of the input. The module reads nothing but
the sequence: no part coordinates.
"""
from __future__ import annotations

import torch
from torch import Tensor

from mitbench.models.baselines.components.base import Component
from mitbench.models.baselines.components.pwm import PAPER_MINUS10, PAPER_MINUS35, matrix, scalar
from mitbench.models.baselines.components.tracks import (FLOOR, codon_track, gather_at, hairpin_track, motif_track,
                                               next_in_frame, shift_right, window_max)

STOPS = ("TAA", "TAG", "TGA")


def consensus(seq: str, match: float = 1.0, mismatch: float = -1.0,
              weights: dict[int, dict[str, float]] | None = None) -> list[list[float]]:
    """``(W, 4)`` ACGT log-odds: ``match`` for the IUPAC-allowed bases of each position, else ``mismatch``.

    ``weights`` overrides whole rows (position -> {base: value}).
    """
    from mitbench.data.core.grammar import IUPAC

    rows = [[match if b in IUPAC[c] else mismatch for b in "ACGT"] for c in seq]
    for pos, row in (weights or {}).items():
        rows[pos] = [row.get(b, mismatch) for b in "ACGT"]
    return rows


# Kozak 1987 (vertebrate): gccRccATGG; −3 purine and +4 G matter most; ATG columns are zero
KOZAK = consensus("GCCRCCNNNG", 0.5, -0.5, {3: {"A": 1.5, "G": 1.0, "C": -1.0, "T": -1.5},
                                            6: {b: 0.0 for b in "ACGT"}, 7: {b: 0.0 for b in "ACGT"},
                                            8: {b: 0.0 for b in "ACGT"}, 9: {"G": 1.0, "A": 0.0, "C": -0.5, "T": -1.0}})
PAIRS = [[-3.0, -3.0, -3.0, 2.0],  # rows: 5' arm base A C G T; columns: 3' arm partner A C G T
         [-3.0, -3.0, 3.0, -3.0],
         [-3.0, 3.0, -3.0, 1.0],
         [2.0, -3.0, 1.0, -3.0]]


class CassetteGrammar(Component):
    """Expression-cassette grammar score of one-hot sequences (see module docstring).

    Parameters
    ----------
    kingdom : {"prokaryotic", "eukaryotic"}
        Which grammar.
    orf_codons : int
        ORF length (codons) at which the ORF term saturates.
    promoter_window, sd_spacing, terminator_window : tuple of int
        Prokaryotic distances (bp, inclusive): −10 end to ATG; SD end to ATG; stop end to the
        base after the terminator hairpin.
    tata_window, pas_window : tuple of int
        Eukaryotic distances (bp): TATA start to ATG; stop end to the PAS start.
    uatg_window : int
        Upstream ATGs closer than this (bp) count against a start (eukaryotic).
    stem : int
        Hairpin stem length (bp); loops of 3–9 nt.
    w_orf, w_promoter, w_sd, w_terminator, w_tata, w_kozak, w_pas, w_uatg, u_weight, spacing_penalty : float
        Initial weights.

    Notes
    -----
    Input ``(B, L, 4)`` float64 one-hot, output ``(B,)`` float64. Learnable: prokaryotic
    ``minus35``, ``minus10``, ``sd`` (6, 4), ``pairs`` (4, 4) and 6 scalars; eukaryotic ``tata``
    (8, 4), ``kozak`` (10, 4), ``pas`` (6, 4) and 5 scalars.
    """

    min_length = 3

    def __init__(self, kingdom: str = "prokaryotic", orf_codons: int = 200,
                 promoter_window: tuple[int, int] = (10, 150), sd_spacing: tuple[int, int] = (3, 12),
                 terminator_window: tuple[int, int] = (0, 200), tata_window: tuple[int, int] = (20, 250),
                 pas_window: tuple[int, int] = (0, 400), uatg_window: int = 100, stem: int = 8,
                 w_orf: float = 10.0, w_promoter: float = 0.5, w_sd: float = 1.0, w_terminator: float = 0.3,
                 w_tata: float = 1.0, w_kozak: float = 1.0, w_pas: float = 1.0, w_uatg: float = 2.0,
                 u_weight: float = 0.5, spacing_penalty: float = 0.5) -> None:
        super().__init__()
        if kingdom not in ("prokaryotic", "eukaryotic"):
            raise ValueError(f"kingdom must be 'prokaryotic' or 'eukaryotic', got {kingdom!r}")
        if orf_codons < 1 or stem < 2:
            raise ValueError(f"need orf_codons >= 1 and stem >= 2, got {orf_codons}, {stem}")
        for name, (lo, hi) in {"promoter_window": promoter_window, "sd_spacing": sd_spacing,
                               "terminator_window": terminator_window, "tata_window": tata_window,
                               "pas_window": pas_window}.items():
            if not 0 <= lo <= hi:
                raise ValueError(f"{name} must satisfy 0 <= low <= high, got {(lo, hi)}")
        self.kingdom, self.orf_codons, self.stem = kingdom, int(orf_codons), int(stem)
        self.promoter_window, self.sd_spacing = tuple(promoter_window), tuple(sd_spacing)
        self.terminator_window, self.tata_window = tuple(terminator_window), tuple(tata_window)
        self.pas_window, self.uatg_window = tuple(pas_window), int(uatg_window)
        self.w_orf = scalar(w_orf)
        if kingdom == "prokaryotic":
            self.minus35, self.minus10 = matrix(PAPER_MINUS35), matrix(PAPER_MINUS10)
            self.sd, self.pairs = matrix(consensus("AGGAGG")), matrix(PAIRS)
            self.w_promoter, self.w_sd, self.w_terminator = scalar(w_promoter), scalar(w_sd), scalar(w_terminator)
            self.u_weight, self.spacing_penalty = scalar(u_weight), scalar(spacing_penalty)
        else:
            self.tata, self.kozak, self.pas = matrix(consensus("TATAWAWR")), matrix(KOZAK), matrix(consensus("AATAAA"))
            self.w_tata, self.w_kozak, self.w_pas, self.w_uatg = (scalar(w_tata), scalar(w_kozak), scalar(w_pas),
                                                                  scalar(w_uatg))
        # floors of features whose window leaves the sequence: worst motif scores at initialisation
        worst = {name: float(p.detach().min(dim=1).values.sum()) for name, p in self.named_parameters() if p.dim() == 2}
        if kingdom == "prokaryotic":
            self.floors = {"promoter": worst["minus10"] + worst["minus35"] - 2 * float(spacing_penalty),
                           "sd": worst["sd"], "terminator": worst["pairs"] * self.stem}
        else:
            self.floors = {"tata": worst["tata"], "kozak": worst["kozak"], "pas": worst["pas"]}

    def _upstream(self, track: Tensor, window: tuple[int, int], floor: str) -> Tensor:
        """Best ``track`` value ``window`` bp upstream of every position, at least its floor."""
        return window_max(track, -window[1], -window[0]).clamp(min=self.floors[floor])

    def _downstream(self, track: Tensor, window: tuple[int, int], stop_end: Tensor, floor: str) -> Tensor:
        """Best ``track`` value ``window`` bp after each ORF's stop codon, at least its floor."""
        return gather_at(window_max(track, window[0], window[1]), stop_end).clamp(min=self.floors[floor])

    def _promoter(self, x: Tensor) -> Tensor:
        """σ70 score by the position right after the −10 hexamer: ``(B, L)``."""
        s10, s35 = motif_track(x, self.minus10), motif_track(x, self.minus35)
        best = None
        for spacer in range(15, 20):
            shift = 6 + spacer  # −35 start = −10 start − 6 − spacer
            cand = shift_right(s35, shift) - self.spacing_penalty * abs(spacer - 17)
            best = cand if best is None else torch.maximum(best, cand)
        return shift_right(s10 + best, 6)

    def forward(self, x: Tensor) -> Tensor:
        """``(B, L, 4)`` float64 one-hot -> ``(B,)`` float64 grammar score (higher = expresses)."""
        batch, length, _ = x.shape
        pos = torch.arange(length, device=x.device).expand(batch, length)
        stop_at = next_in_frame(codon_track(x, STOPS) > 0.5, none=10 * length)
        complete = stop_at < 10 * length
        codons = torch.where(complete, stop_at - pos, length - pos) // 3
        orf = codons.clamp(max=self.orf_codons).to(x.dtype) / self.orf_codons
        stop_end = torch.where(complete, stop_at + 3, torch.full_like(stop_at, -1))
        score = self.w_orf * orf
        if self.kingdom == "prokaryotic":
            lo, hi = self.sd_spacing
            sd = window_max(motif_track(x, self.sd), -(hi + 6), -(lo + 6)).clamp(min=self.floors["sd"])
            term = hairpin_track(x, self.pairs, self.stem, range(3, 10), 8, self.u_weight)
            score = (score + self.w_promoter * self._upstream(self._promoter(x), self.promoter_window, "promoter")
                     + self.w_sd * sd
                     + self.w_terminator * self._downstream(term, self.terminator_window, stop_end, "terminator"))
        else:
            kozak = gather_at(motif_track(x, self.kozak), pos - 6).clamp(min=self.floors["kozak"])
            upstream_atg = window_max(codon_track(x, ("ATG",)), -self.uatg_window, -1).clamp(min=0.0)
            score = (score + self.w_tata * self._upstream(motif_track(x, self.tata), self.tata_window, "tata")
                     + self.w_kozak * kozak
                     + self.w_pas * self._downstream(motif_track(x, self.pas), self.pas_window, stop_end, "pas")
                     - self.w_uatg * upstream_atg)
        is_atg = codon_track(x, ("ATG",)) > 0.5
        return torch.where(is_atg, score, torch.full_like(score, FLOOR)).amax(dim=1)

    def extra_repr(self) -> str:
        return (f"kingdom={self.kingdom!r}, orf_codons={self.orf_codons}, stem={self.stem}, "
                f"promoter_window={self.promoter_window}, sd_spacing={self.sd_spacing}, "
                f"terminator_window={self.terminator_window}, tata_window={self.tata_window}, "
                f"pas_window={self.pas_window}, uatg_window={self.uatg_window}")
