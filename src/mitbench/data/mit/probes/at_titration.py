"""AT titration: does the score follow background A/T content, with motifs held fixed?

For each A/T level and replicate ``group``, three constructs share one background:

- ``compensated``: −35 TTGACA, ext −10 TGT, broken −10 TGTAAT, UP (AAAAAARNR, resolved) at 15;
- ``intact``: −35 TTGACA, −10 TATAAT; ``broken``: −35 TTGACA, −10 TGTAAT.

Every sequence has exactly ``round(level * 100)`` A/T bases, so its A/T fraction equals the level
within 1/100. The bases outside the union of element windows are shared by the three variants;
in intact/broken the UP and ext −10 windows hold random bases with the A/T count that hits the
level, so the three variants of a group differ in arrangement, not in A/T content.
"""
from __future__ import annotations

from typing import Sequence

from mitbench.data.core.grammar import (BROKEN_10, CONSENSUS_10, CONSENSUS_35, EXT10, STANDARD, UP_CONSENSUS,
                                   at_count, at_fraction, fill_exact, place, resolve_iupac)
from mitbench.data.mit.probes.common import check_levels, compose, layout_elements, probe_record, probe_seed
from mitbench.data.core.records import SequenceRecord

PROBE = "at_titration"
VARIANTS = ("intact", "broken", "compensated")


def at_titration_records(seed: int, at_levels: Sequence[float], n_per_level: int) -> list[SequenceRecord]:
    """A/T-titration probe (100 bp, standard layout).

    Parameters
    ----------
    seed : int
        Generation seed (see :mod:`mitbench.data.mit.probes.common`).
    at_levels : sequence of float
        Whole-sequence A/T fractions (0–1), e.g. 0.3 … 0.8.
    n_per_level : int
        Groups (shared backgrounds) per level; each gives one sequence per variant.

    Returns
    -------
    list of SequenceRecord
        id ``at<pct>_<variant>_<group#>``, label = variant, meta ``probe``, ``group``
        (``at<pct>_<###>``), ``variant``, ``at_target`` (level), ``at_fraction`` (measured).

    Raises
    ------
    ValueError
        On an empty/duplicated level list, ``n_per_level < 1`` or a level the fixed motifs make
        unreachable.
    """
    levels = [float(a) for a in check_levels(at_levels, "at_levels")]
    if n_per_level < 1:
        raise ValueError(f"n_per_level must be >= 1, got {n_per_level}")
    lay = STANDARD
    u0, e0 = lay.up_start, lay.ext10[0]
    records = []
    for li, level in enumerate(levels):
        pct = int(round(level * 100))
        target = int(round(level * lay.length))
        for g in range(int(n_per_level)):
            rng = probe_seed(seed, li, g)
            up = resolve_iupac(rng, UP_CONSENSUS)
            fixed = {u0: up, lay.minus35_start: CONSENSUS_35, e0: EXT10, lay.minus10_start: BROKEN_10}
            n_free = lay.length - sum(map(len, fixed.values()))
            flank_at = target - sum(at_count(m) for m in fixed.values())
            if not 0 <= flank_at <= n_free:
                raise ValueError(f"AT level {level}: unreachable with the motifs fixed "
                                 f"(needs {flank_at} A/T bases in {n_free} free positions)")
            comp = compose(lay.length, fixed, fill_exact(rng, n_free, flank_at))
            group = f"at{pct}_{g:03d}"
            seqs = {"compensated": comp}
            for variant, m10 in (("intact", CONSENSUS_10), ("broken", BROKEN_10)):
                n_at = target - flank_at - at_count(CONSENSUS_35) - at_count(m10)
                fill = fill_exact(rng, lay.up_len + 3, n_at)
                s = place(place(comp, u0, fill[:lay.up_len]), e0, fill[lay.up_len:])
                seqs[variant] = place(s, lay.minus10_start, m10)
            for variant in VARIANTS:
                s = seqs[variant]
                comp_els = variant == "compensated"
                records.append(probe_record(
                    PROBE, f"at{pct}_{variant}_{g:03d}", variant, s,
                    layout_elements(lay, up=comp_els, ext10=comp_els),
                    group=group, variant=variant, at_target=level, at_fraction=at_fraction(s)))
    return records
