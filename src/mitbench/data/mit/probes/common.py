"""Shared construction helpers of the probe generators.

Probes build sequences on the standard layout (:data:`mitbench.data.core.grammar.STANDARD`) from a
seeded ``numpy.random.Generator``. Conditions that a probe compares are built on one shared
background per ``group`` so that comparisons are paired. Two helpers keep paired constructs at
*identical base composition*: :func:`mitbench.data.core.grammar.fill_exact` (a background whose A/T
count makes a whole sequence hit a target) and :func:`move_window` (move a motif by exchanging two
windows, a pure permutation of the bases).

Parameters shared by every generator: ``seed`` (int) seeds ``numpy.random.default_rng`` through
:func:`probe_seed` (one independent stream per group and level; the same seed gives identical
records on any machine); ``background_at`` (float, 0–1) is the A/T fraction of a background
before motifs are written over it; ``n_per_<level>`` (int >= 1) is the number of groups (shared
backgrounds) per level, each giving one sequence per condition.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from mitbench.data.core.grammar import STANDARD, Layout
from mitbench.data.core.records import Element, SequenceRecord

def compose(length: int, fixed: dict[int, str], free: str) -> str:
    """Sequence of ``length`` bp with motifs ``fixed`` ({start: motif}) and ``free`` elsewhere.

    ``free`` supplies the uncovered positions left to right; its length must equal their number.
    """
    seq: list[str | None] = [None] * length
    for start, motif in fixed.items():
        for i, base in enumerate(motif):
            if not 0 <= start + i < length:
                raise ValueError(f"motif {motif!r} at {start} does not fit {length} bp")
            seq[start + i] = base
    holes = [i for i, b in enumerate(seq) if b is None]
    if len(holes) != len(free):
        raise ValueError(f"{len(holes)} free positions but {len(free)} free bases")
    for i, base in zip(holes, free):
        seq[i] = base
    return "".join(seq)  # type: ignore[arg-type]


def layout_elements(layout: Layout = STANDARD, *, up: bool = False, ext10: bool = False,
                    minus10_start: int | None = None, up_start: int | None = None) -> tuple[Element, ...]:
    """Element annotations for a construct on ``layout`` (half-open coordinates, + strand)."""
    m10 = layout.minus10_start if minus10_start is None else minus10_start
    els = [Element("minus35", *layout.minus35), Element("minus10", m10, m10 + 6)]
    if ext10:
        els.append(Element("ext10", m10 - 3, m10))
    if up:
        u = layout.up_start if up_start is None else up_start
        els.append(Element("up", u, u + layout.up_len))
    return tuple(sorted(els, key=lambda e: e.start))


def overlaps(start: int, end: int, layout: Layout = STANDARD) -> str:
    """Names of core elements (``minus35``, ``ext10``, ``minus10``) hit by ``[start, end)``.

    Joined with ``+``; ``"none"`` when the window is clear.
    """
    hits = [name for name, (a, b) in (("minus35", layout.minus35), ("ext10", layout.ext10),
                                      ("minus10", layout.minus10)) if start < b and a < end]
    return "+".join(hits) or "none"


def probe_seed(seed: int, *keys: int) -> np.random.Generator:
    """Independent generator for one (probe, group, ...) cell: same keys, same stream."""
    return np.random.default_rng([int(seed), *map(int, keys)])


def probe_record(probe: str, rid: str, label: str, seq: str, elements: Iterable[Element],
                 **meta: Any) -> SequenceRecord:
    """A record tagged with ``meta["probe"] = probe`` (so a battery can split its table by probe)."""
    return SequenceRecord(rid, label, seq, tuple(elements), {"probe": probe, **meta})


def check_levels(values: Sequence[Any], what: str) -> list:
    """Non-empty, duplicate-free list of probe levels."""
    vals = list(values)
    if not vals or len(set(map(str, vals))) != len(vals):
        raise ValueError(f"{what}: need a non-empty list without duplicates, got {vals}")
    return vals
