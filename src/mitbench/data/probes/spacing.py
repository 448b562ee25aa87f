"""Spacer length: is the 17-bp −35/−10 spacing preferred?

Each ``group`` has one 100-bp background with −35 TTGACA at 30 and −10 TATAAT at 53 (spacer 17).
The construct with spacer ``s`` moves the −10 hexamer to ``36 + s`` by exchanging (or, when they
overlap, rotating) the 6-bp windows, so all spacings of a group have identical base composition.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from mitbench.data.grammar import CONSENSUS_10, CONSENSUS_35, STANDARD, background, place
from mitbench.data.probes.common import ProbeSuite, check_levels, layout_elements, move_window, probe_seed
from mitbench.data.records import SequenceRecord


class SpacingProbe(ProbeSuite):
    """Spacer-length probe.

    Parameters
    ----------
    name, version, seed
        See :class:`~mitbench.data.probes.common.ProbeSuite`.
    spacings : sequence of int
        Spacer lengths in bp (bases strictly between the hexamers), e.g. 12 … 25.
    n_per_spacing : int
        Groups (shared backgrounds); each gives one sequence per spacing.
    background_at : float
        A/T fraction of the background before motifs are placed.

    Records: id ``sp<s>_<###>``, label ``s<s>``, meta ``probe``, ``group``, ``spacing``.
    """

    probe = "spacing"
    optimal = STANDARD.spacer

    def __init__(self, name: str, version: str, seed: int, spacings: Sequence[int],
                 n_per_spacing: int, background_at: float) -> None:
        super().__init__(name, version, seed)
        sp = [int(s) for s in check_levels(spacings, "spacings")]
        top = STANDARD.length - STANDARD.minus35[1] - 6
        bad = [s for s in sp if not 0 <= s <= top]
        if bad:
            raise ValueError(f"spacings {bad} outside 0..{top} bp for a {STANDARD.length}-bp sequence")
        self.spacings = sorted(sp)
        self.n_per_spacing = int(n_per_spacing)
        self.background_at = float(background_at)

    def build(self) -> list[SequenceRecord]:
        lay = STANDARD
        records = []
        for g in range(self.n_per_spacing):
            rng = probe_seed(self.seed, g)
            base = background(rng, lay.length, self.background_at)
            base = place(place(base, lay.minus35_start, CONSENSUS_35), lay.minus10_start, CONSENSUS_10)
            for s in self.spacings:
                m10 = lay.minus35[1] + s
                seq = move_window(base, lay.minus10_start, m10, 6)
                records.append(self.record(f"sp{s}_{g:03d}", f"s{s}", seq,
                                           layout_elements(lay, minus10_start=m10),
                                           group=f"{g:03d}", spacing=s))
        return records

    def summary(self, part: pd.DataFrame) -> dict[str, Any]:
        from mitbench.metrics import probes as mp

        return mp.spacing(part, optimal=self.optimal)

    def plot(self, part: pd.DataFrame, outdir: Path) -> list[Path]:
        from mitbench.report import probes as rp

        return [rp.curve(part, "spacing", None, outdir / "spacing.png", title="Spacer length",
                         xlabel="spacer (bp)", mark=self.optimal)]

    def section(self, part: pd.DataFrame, metrics: dict[str, Any]) -> str:
        from mitbench.report import probes as rp

        return rp.section("Spacer length", part, "spacing", None, metrics, "spacing_",
                          "−10 moved by window exchange (same bases); 17 bp is optimal.")
