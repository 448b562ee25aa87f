"""Placement controls of the MIT (suite v3): a Latin-square design in which no fixed function of
absolute position can tell the right placement of the compensating bases from the wrong ones.

One canvas per background ``g`` (:class:`PlacementDesign`, 200 bp by default) holds ``m`` promoter
*units*, one every ``frame_spacing`` bp; unit ``j`` has an UP *slot* ``a_j`` (9 bp) and a core *frame*
``c_j = a_j + 15`` (−35 hexamer at ``c_j``, spacer 17 bp with the extended −10 at ``c_j + 20``, −10
hexamer at ``c_j + 23``), the MIT's standard geometry (UP 15–23, −35 30–35, ext −10 50–52, −10 53–58).
In every sequence exactly one frame holds the core promoter (``TTGACA``, the broken ``TGTAAT``) and
exactly one slot holds the background's UP element (its class-E draw of ``AAAAAARNR``); the other
frames hold *decoys* and the other slots *placeholders*. Cell ``(j, k)`` = core in frame ``j``, UP in
slot ``k``; it is **correct** iff ``k == j`` (the UP 6 bp upstream of the −35, where it acts).

Two families per background, each ``m x m`` cells sharing the ``m`` correct cells (label
``placement_ref``):

* ``up_placement`` — the extended −10 ``TGT`` stays with the core (frame ``j``); only the UP moves;
* ``comp_placement`` — UP *and* ``TGT`` move together into unit ``k`` (the control for compensation:
  the same compensating bases, placed where they cannot act).

Why the wrong cells cannot act: the UP's proximal subsite (−46..−38, consensus ``AAAAAARNR``) and
distal subsite (−57..−47) each bind an αCTD just upstream of the −35 (Estrem et al. 1999 Genes Dev
13:2134; the whole element −59..−38, Estrem et al. 1998 PNAS 95:9761). Displacing the rrnB P1 UP
element upstream by one helical turn greatly decreases, and by half a turn or two turns abolishes,
UP-dependent transcription (Meng et al. 2001 NAR 29:4166). In unit ``j - 1`` the UP lies
``frame_spacing`` bp (60 bp, ~5.7 turns) further upstream; in unit ``j + 1`` it lies downstream of
the −10, in the transcribed region, where no αCTD–UP contact exists. The ``TGT`` acts only as the
TGn immediately upstream of the −10 (at −15/−14; Barne et al. 1997 EMBO J 16:4034), so a ``TGT``
beside a decoy −10 is inert.

Why no fixed positional preference can pass (the issue's "knows-nothing" scorers):

* **Latin-square balance.** Every slot is correct for exactly one frame. Within a row (frame ``j``
  fixed) a scorer whose preference among UP slots does not depend on which frame holds the core
  (any additive position-weight model, any monotone 5′ or 3′ preference, any function of where the
  UP is) ranks the slots in the same order in every row, so the correct cells' ranks over the
  ``m`` rows are a permutation of ``1..m``: its placement effect is exactly 0, not just on average.
* **Decoys keep the A/T–G/C pattern.** A decoy −35 / −10 is a permutation of ``TTGACA`` / ``TGTAAT``
  with the *same* W/S (A/T vs G/C) string and >= 3 mismatches to the consensus (and to ``TGTAAT``),
  so every function of A/T content (windows of any width, AT-rich k-mer counts) sees an active frame
  and a decoy identically; in ``comp_placement`` the ``TGT``'s W/S pattern moves with the UP, so
  that family is W/S-invariant exactly.
* **Random offset.** The whole arrangement is shifted by ``0..max_offset`` bp per background, so a
  fixed position-specific interaction does not line up the same way in every background.
* **Exact composition.** All cells of a background are permutations of each other (placeholders are
  permutations of one 9-mer multiset; decoys permutations of the elements), so composition and k-mer
  counts below the element scale are identical within a row.

What is left for a model to use is the relative geometry of UP, −35, ``TGT`` and −10 — the mechanism —
and fixed non-linear functions that happen to respond to it (untrained networks): those are measured
against the random-init null or, for models without one, a panel of untrained convolutional networks
(:mod:`mitbench.engine.calibration`). Ties count against the correct cell (one tie rule): a model indifferent
to placement gets effect −1, never a pass.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mitbench.data.core.grammar import BROKEN_10, CONSENSUS_10, CONSENSUS_35, EXT10, fill_exact, mismatches, shuffled

FAMILIES = ("up_placement", "comp_placement")
REFERENCE = "placement_ref"
UP_LEN, UP_TO_35, EXT_AT, M10_AT = 9, 15, 20, 23  # offsets from the −35 start (standard layout)
_DECOY_MIN_MISMATCHES = 3


@dataclass(frozen=True)
class PlacementDesign:
    """Geometry of the placement canvas.

    Parameters
    ----------
    n_frames : int
        Units per canvas (``m``; each is correct once): 3 gives every middle frame one wrong
        placement upstream and one downstream.
    frame_spacing : int
        bp between successive −35 starts (>= 44 so units do not overlap; 60 leaves 16 bp between a
        −10 and the next UP slot and 23 bp between a ``TGT`` and the next slot).
    flank : int
        Minimum bp of background before the first slot and after the last −10.
    max_offset : int
        The arrangement is shifted by ``0..max_offset`` bp per background.
    background_at : float
        A/T fraction of the background (exact count, :func:`~mitbench.data.core.grammar.fill_exact`).
    """

    n_frames: int = 3
    frame_spacing: int = 60
    flank: int = 10
    max_offset: int = 16
    background_at: float = 0.55

    def __post_init__(self) -> None:
        if self.n_frames < 2:
            raise ValueError(f"n_frames must be >= 2, got {self.n_frames}")
        if self.frame_spacing < UP_TO_35 + M10_AT + 6:
            raise ValueError(f"frame_spacing must be >= {UP_TO_35 + M10_AT + 6} bp (units must not overlap), "
                             f"got {self.frame_spacing}")

    @property
    def length(self) -> int:
        """Canvas length (bp)."""
        return 2 * self.flank + self.max_offset + UP_TO_35 + (self.n_frames - 1) * self.frame_spacing + M10_AT + 6

    def frames(self, offset: int) -> list[int]:
        """−35 starts of the frames for a background shifted by ``offset`` bp."""
        return [self.flank + offset + UP_TO_35 + j * self.frame_spacing for j in range(self.n_frames)]


def decoy(rng: np.random.Generator, motif: str, avoid: tuple[str, ...]) -> str:
    """A permutation of ``motif`` with the same A/T–G/C pattern and at least 3 mismatches to every
    string of ``avoid`` (an inert stand-in for an element: same composition, same W/S string)."""
    weak = [i for i, c in enumerate(motif) if c in "AT"]
    strong = [i for i, c in enumerate(motif) if c in "GC"]
    for _ in range(10_000):
        out = list(motif)
        for idx in (weak, strong):
            bases = [motif[i] for i in idx]
            for i, b in zip(idx, rng.permutation(bases).tolist()):
                out[i] = b
        text = "".join(out)
        if all(mismatches(text, a) >= _DECOY_MIN_MISMATCHES for a in avoid):
            return text
    raise ValueError(f"no W/S-preserving permutation of {motif!r} differs from {avoid} at >= 3 positions")


def _permutation_other_than(rng: np.random.Generator, bases: str, other: str) -> str:
    out = "".join(rng.permutation(list(bases)).tolist())
    # a homopolymer filler equal to the UP has no other permutation; one more draw breaks any other tie
    return out if out != other else (shuffled(rng, out) or out)


@dataclass(frozen=True)
class Canvas:
    """One background's canvas and its inert stand-ins (see the module docstring)."""

    background: str
    up: str
    frames: tuple[int, ...]
    placeholders: tuple[str, ...]
    decoy35: tuple[str, ...]
    decoy10: tuple[str, ...]
    decoy_ext: tuple[str, ...]

    def cell(self, frame: int, slot: int, ext: int) -> str:
        """The canvas with the core in ``frame``, the UP in ``slot`` and the ``TGT`` in unit ``ext``."""
        s = list(self.background)
        for u, c in enumerate(self.frames):
            a = c - UP_TO_35
            s[a:a + UP_LEN] = self.up if u == slot else self.placeholders[u]
            s[c:c + 6] = CONSENSUS_35 if u == frame else self.decoy35[u]
            s[c + EXT_AT:c + EXT_AT + 3] = EXT10 if u == ext else self.decoy_ext[u]
            s[c + M10_AT:c + M10_AT + 6] = BROKEN_10 if u == frame else self.decoy10[u]
        return "".join(s)


def canvas(rng: np.random.Generator, design: PlacementDesign, up: str) -> Canvas:
    """Draw one background's canvas: offset, background, placeholders (permutations of one 9-mer
    multiset, never equal to ``up``) and decoys, in that order from ``rng``."""
    offset = int(rng.integers(0, design.max_offset + 1))
    background = fill_exact(rng, design.length, int(round(design.background_at * design.length)))
    filler = fill_exact(rng, UP_LEN, int(round(design.background_at * UP_LEN)))
    n = design.n_frames
    placeholders = tuple(_permutation_other_than(rng, filler, up) for _ in range(n))
    decoy35 = tuple(decoy(rng, CONSENSUS_35, (CONSENSUS_35,)) for _ in range(n))
    decoy10 = tuple(decoy(rng, BROKEN_10, (CONSENSUS_10, BROKEN_10)) for _ in range(n))
    # TGT has no other W/S-preserving permutation: TTG or GTT (no TG at -15/-14)
    decoy_ext = tuple(("TTG", "GTT")[int(rng.integers(2))] for _ in range(n))
    return Canvas(background, up, tuple(design.frames(offset)), placeholders, decoy35, decoy10, decoy_ext)


def cells(family: str, n_frames: int) -> list[tuple[int, int, int]]:
    """``(frame, slot, ext unit)`` of a family's wrong cells, row by row (the correct cells, shared
    by both families, are ``(j, j, j)``)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown placement family {family!r} {FAMILIES}")
    return [(j, k, j if family == "up_placement" else k) for j in range(n_frames) for k in range(n_frames) if k != j]
