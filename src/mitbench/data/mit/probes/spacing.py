"""Spacer length: is the 17-bp −35/−10 spacing preferred?

Each ``group`` has one 100-bp background with −35 TTGACA at 30 and −10 TATAAT at 53 (spacer 17).
The construct with spacer ``s`` moves the −10 hexamer to ``36 + s`` by exchanging (or, when they
overlap, rotating) the 6-bp windows, so all spacings of a group have identical base composition.
"""
from __future__ import annotations

from typing import Sequence

from mitbench.data.core.grammar import CONSENSUS_10, CONSENSUS_35, STANDARD, background, move_window, place
from mitbench.data.mit.probes.common import check_levels, layout_elements, probe_record, probe_seed
from mitbench.data.core.records import SequenceRecord

PROBE = "spacing"


def spacing_records(seed: int, spacings: Sequence[int], n_per_spacing: int,
                    background_at: float) -> list[SequenceRecord]:
    """Spacer-length probe.

    Parameters
    ----------
    seed, background_at
        Generation seed and background A/T fraction (see :mod:`mitbench.data.mit.probes.common`).
    spacings : sequence of int
        Spacer lengths in bp (bases strictly between the hexamers), e.g. 12 … 25.
    n_per_spacing : int
        Groups (shared backgrounds); each gives one sequence per spacing.

    Returns
    -------
    list of SequenceRecord
        id ``sp<s>_<###>``, label ``s<s>``, meta ``probe``, ``group``, ``spacing``.
    """
    lay = STANDARD
    sp = [int(s) for s in check_levels(spacings, "spacings")]
    top = lay.length - lay.minus35[1] - 6
    bad = [s for s in sp if not 0 <= s <= top]
    if bad:
        raise ValueError(f"spacings {bad} outside 0..{top} bp for a {lay.length}-bp sequence")
    records = []
    for g in range(int(n_per_spacing)):
        rng = probe_seed(seed, g)
        base = background(rng, lay.length, background_at)
        base = place(place(base, lay.minus35_start, CONSENSUS_35), lay.minus10_start, CONSENSUS_10)
        for s in sorted(sp):
            m10 = lay.minus35[1] + s
            seq = move_window(base, lay.minus10_start, m10, 6)
            records.append(probe_record(PROBE, f"sp{s}_{g:03d}", f"s{s}", seq, layout_elements(lay, minus10_start=m10),
                                        group=f"{g:03d}", spacing=s))
    return records
