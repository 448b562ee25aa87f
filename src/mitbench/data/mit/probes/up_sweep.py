"""UP positional sweep: is the UP element rewarded at its place (15–23) or anywhere?

Each ``group`` has one 100-bp background carrying −35 TTGACA at 30, ext −10 TGT at 50 and broken
−10 TGTAAT at 53 (the compensation context of paper B.3), and one resolved UP (AAAAAARNR).
Conditions: ``p15`` (UP at the correct position), ``p<pos>`` (the UP moved to ``pos`` by exchanging
the 9-bp windows at 15 and ``pos``, rotated when they overlap), and ``none`` (the background as
is). All ``p<pos>`` sequences of a group are permutations of one another, so they have identical
base composition: any score difference between them is positional. Windows that hit −35, ext −10
or −10 damage a motif; they are flagged in ``overlaps`` (as the paper flags them) and left out of
the positional summaries.
"""
from __future__ import annotations

from typing import Sequence

from mitbench.data.core.grammar import (BROKEN_10, CONSENSUS_35, EXT10, STANDARD, UP_CONSENSUS, background, move_window,
                                   place, resolve_iupac)
from mitbench.data.mit.probes.common import check_levels, layout_elements, overlaps, probe_record, probe_seed
from mitbench.data.core.records import SequenceRecord

PROBE = "up_sweep"


def up_sweep_records(seed: int, positions: Sequence[int], include_none: bool, n_per_position: int,
                     background_at: float) -> list[SequenceRecord]:
    """UP positional-sweep probe.

    Parameters
    ----------
    seed, background_at
        Generation seed and background A/T fraction (see :mod:`mitbench.data.mit.probes.common`).
    positions : sequence of int
        UP start positions (0-based); the correct one (``STANDARD.up_start``, 15) is always added.
    include_none : bool
        Also emit the no-UP construct (condition ``none``).
    n_per_position : int
        Groups (shared backgrounds); each gives one sequence per condition.

    Returns
    -------
    list of SequenceRecord
        id ``up<pos>_<###>`` / ``upnone_<###>``, label = condition, meta ``probe``, ``group``
        (``<###>``), ``condition``, ``up_position`` (None for none), ``overlaps``.
    """
    lay = STANDARD
    pos = [int(p) for p in check_levels(positions, "positions")]
    if lay.up_start not in pos:
        pos.append(lay.up_start)
    bad = [p for p in pos if not 0 <= p <= lay.length - lay.up_len]
    if bad:
        raise ValueError(f"UP positions {bad} do not fit a {lay.length}-bp sequence")
    records = []
    for g in range(int(n_per_position)):
        rng = probe_seed(seed, g)
        base = background(rng, lay.length, background_at)
        base = place(place(place(base, lay.minus35_start, CONSENSUS_35), lay.ext10[0], EXT10),
                     lay.minus10_start, BROKEN_10)
        correct = place(base, lay.up_start, resolve_iupac(rng, UP_CONSENSUS))
        for p in sorted(pos):
            seq = move_window(correct, lay.up_start, p, lay.up_len)
            records.append(probe_record(
                PROBE, f"up{p}_{g:03d}", f"p{p}", seq, layout_elements(lay, up=True, ext10=True, up_start=p),
                group=f"{g:03d}", condition=f"p{p}", up_position=p, overlaps=overlaps(p, p + lay.up_len, lay)))
        if include_none:
            records.append(probe_record(PROBE, f"upnone_{g:03d}", "none", base, layout_elements(lay, ext10=True),
                                        group=f"{g:03d}", condition="none", up_position=None, overlaps="none"))
    return records
