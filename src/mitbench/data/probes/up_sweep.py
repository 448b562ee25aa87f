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

from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from mitbench.data.grammar import BROKEN_10, CONSENSUS_35, EXT10, STANDARD, UP_CONSENSUS, background, place, resolve_iupac
from mitbench.data.probes.common import ProbeSuite, check_levels, layout_elements, move_window, overlaps, probe_seed
from mitbench.data.records import SequenceRecord


class UPSweep(ProbeSuite):
    """UP positional-sweep probe.

    Parameters
    ----------
    name, version, seed
        See :class:`~mitbench.data.probes.common.ProbeSuite`.
    positions : sequence of int
        UP start positions (0-based; 15 is the correct one and is always included).
    include_none : bool
        Also emit the no-UP construct (condition ``none``).
    n_per_position : int
        Groups (shared backgrounds); each gives one sequence per condition.
    background_at : float
        A/T fraction of the background before motifs are placed.

    Records: id ``up<pos>_<###>`` / ``upnone_<###>``, label = condition, meta ``probe``,
    ``group`` (``<###>``), ``condition``, ``up_position`` (None for none), ``overlaps``.
    """

    probe = "up_sweep"
    correct = STANDARD.up_start

    def __init__(self, name: str, version: str, seed: int, positions: Sequence[int],
                 include_none: bool, n_per_position: int, background_at: float) -> None:
        super().__init__(name, version, seed)
        pos = [int(p) for p in check_levels(positions, "positions")]
        if self.correct not in pos:
            pos.append(self.correct)
        bad = [p for p in pos if not 0 <= p <= STANDARD.length - STANDARD.up_len]
        if bad:
            raise ValueError(f"UP positions {bad} do not fit a {STANDARD.length}-bp sequence")
        self.positions = sorted(pos)
        self.include_none = bool(include_none)
        self.n_per_position = int(n_per_position)
        self.background_at = float(background_at)

    def build(self) -> list[SequenceRecord]:
        lay = STANDARD
        records = []
        for g in range(self.n_per_position):
            rng = probe_seed(self.seed, g)
            base = background(rng, lay.length, self.background_at)
            base = place(place(place(base, lay.minus35_start, CONSENSUS_35), lay.ext10[0], EXT10),
                         lay.minus10_start, BROKEN_10)
            correct = place(base, lay.up_start, resolve_iupac(rng, UP_CONSENSUS))
            for p in self.positions:
                seq = move_window(correct, lay.up_start, p, lay.up_len)
                records.append(self.record(
                    f"up{p}_{g:03d}", f"p{p}", seq, layout_elements(lay, up=True, ext10=True, up_start=p),
                    group=f"{g:03d}", condition=f"p{p}", up_position=p,
                    overlaps=overlaps(p, p + lay.up_len, lay)))
            if self.include_none:
                records.append(self.record(
                    f"upnone_{g:03d}", "none", base, layout_elements(lay, ext10=True),
                    group=f"{g:03d}", condition="none", up_position=None, overlaps="none"))
        return records

    def summary(self, part: pd.DataFrame) -> dict[str, Any]:
        from mitbench.metrics import probes as mp

        return mp.up_sweep(part, correct=self.correct)

    def plot(self, part: pd.DataFrame, outdir: Path) -> list[Path]:
        from mitbench.report import probes as rp

        return [rp.sweep(part, outdir / "up_sweep.png", correct=self.correct)]

    def section(self, part: pd.DataFrame, metrics: dict[str, Any]) -> str:
        from mitbench.report import probes as rp

        return rp.section("UP positional sweep", part, "condition", "overlaps", metrics, "up_",
                          "UP moved by window exchange (same bases); flagged positions hit a core motif.")
