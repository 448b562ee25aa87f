"""Composition-exact placement controls of the MIT: the compensating bases moved to where they
cannot act.

For a compensated sequence E_i (broken −10 rescued by the UP element at 15–23 and the extended −10
TGT at 50–52) every control is a permutation of E_i's bases, so it has *exactly* E_i's composition:
only placement differs. Two families, each a fixed list of placements shared by every background
(so placements can be compared across backgrounds by the placement metrics):

* ``up_placement`` — the 9-bp UP window moved by window exchange (:func:`~mitbench.data.grammar.move_window`)
  to a start in the spacer (36–39, 41: downstream of the −35, clear of the extended −10; 40 is class
  H) or downstream of the −10 (59, 61, …, 91), plus the UP scrambled in place (the paper's H): 23
  alternatives. None overlaps the −35, the extended −10 or the −10.
* ``comp_placement`` — the UP *and* the TGT moved (the control for CSS: the same compensating bases
  placed where they cannot act): the UP to each position above, the TGT to a downstream slot
  (60, 62, …) when the UP is in the spacer, or to a spacer slot (36–47, never adjacent to the −10)
  when the UP is downstream; plus both scrambled in place: 23 alternatives.

A homopolymer UP (AAAAAAAAA) has no other permutation, so that background has no scrambled
``up_placement`` (22 alternatives); rank statistics are normalised by each background's number of
alternatives.

An exchanged window may by chance carry background bases that resemble what it replaced (an A/T-rich
stretch landing at 15, a ``TG`` landing at 50): such controls are kept, because choosing placements by
their content would break the exchangeability of placements that the position-level test relies on.
"""
from __future__ import annotations

import numpy as np

from mitbench.data.grammar import STANDARD, move_window

UP_PLACEMENTS: tuple[int, ...] = (36, 37, 38, 39, 41) + tuple(range(59, 92, 2))
_TGT_DOWNSTREAM: tuple[int, ...] = tuple(range(60, 98, 2))
_TGT_SPACER: tuple[int, ...] = tuple(range(36, 48))
SCRAMBLED = "scrambled"


def comp_placements() -> tuple[tuple[int, int], ...]:
    """``(UP start, TGT start)`` of every moved ``comp_placement``: deterministic, never overlapping."""
    out = []
    for j, p in enumerate(UP_PLACEMENTS):
        slots = _TGT_DOWNSTREAM if p < STANDARD.minus10_start else _TGT_SPACER
        out.append((p, slots[j % len(slots)]))
    return tuple(out)


def shuffled(rng: np.random.Generator, motif: str) -> str | None:
    """A permutation of ``motif`` different from it; None when none exists (a homopolymer)."""
    if len(set(motif)) < 2:
        return None
    while True:
        out = "".join(rng.permutation(list(motif)).tolist())
        if out != motif:
            return out


def up_placement(e: str, placement: str, rng: np.random.Generator) -> tuple[str, int] | None:
    """E with its UP moved to ``placement`` (``"p<start>"`` or ``"scrambled"``); returns the sequence
    and the UP window's new start, or None when the UP cannot be scrambled (it is a homopolymer,
    e.g. AAAAAAAAA, a 1-in-16 draw of AAAAAARNR: its only permutation is itself)."""
    u0, width = STANDARD.up_start, STANDARD.up_len
    if placement == SCRAMBLED:
        up = shuffled(rng, e[u0:u0 + width])
        return None if up is None else (e[:u0] + up + e[u0 + width:], u0)
    p = int(placement[1:])
    return move_window(e, u0, p, width), p


def scramble_windows(seq: str, windows: list[tuple[int, int]], rng: np.random.Generator) -> str:
    """``seq`` with each half-open window shuffled in place, in order, into a permutation that
    differs from it (a homopolymer window, which has none, stays as it is)."""
    for a, b in windows:
        seq = seq[:a] + (shuffled(rng, seq[a:b]) or seq[a:b]) + seq[b:]
    return seq


def comp_placement(e: str, placement: str, rng: np.random.Generator) -> tuple[str, int, int]:
    """E with UP and TGT moved (``"p<up>t<tgt>"``) or both scrambled in place; returns the sequence
    and the new starts of the UP and the TGT."""
    u0, width, t0 = STANDARD.up_start, STANDARD.up_len, STANDARD.ext10_start
    if placement == SCRAMBLED:  # the TGT always has another permutation, so this differs from E
        return scramble_windows(e, [(u0, u0 + width), (t0, t0 + 3)], rng), u0, t0
    p, t = (int(x) for x in placement[1:].split("t"))
    return move_window(move_window(e, u0, p, width), t0, t, 3), p, t


def placement_names(family: str) -> tuple[str, ...]:
    """Placement names of a family, moved placements first, ``scrambled`` last."""
    if family == "up_placement":
        return tuple(f"p{p}" for p in UP_PLACEMENTS) + (SCRAMBLED,)
    if family == "comp_placement":
        return tuple(f"p{p}t{t}" for p, t in comp_placements()) + (SCRAMBLED,)
    raise ValueError(f"unknown placement family {family!r} (up_placement, comp_placement)")
