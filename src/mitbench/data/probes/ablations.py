"""Appendix J ablations: do the MIT comparisons survive changes of length, background, motif
strength and UP composition?

Every ablation builds, per setting (``level``) and replicate ``group``, several ``variant``
constructs on one shared background (motifs written over it, as in the paper) and compares each
variant with a reference variant (see :func:`mitbench.metrics.probes.ablation`).

- :class:`LengthAblation` — lengths 50/100/150/200 bp; the layout keeps its shape with the −35
  at ``round(0.3 * length)``; variants intact/broken/compensated, reference broken. Not 100 bp,
  so it is not part of the combined ``probes`` suite.
- :class:`BackgroundAblation` — background A/T 40–70 %; same variants.
- :class:`MotifStrengthAblation` — −35 consensus/weak × −10 consensus/weak; variants plain /
  compensated (UP + ext −10 added), reference plain.
- :class:`UPCompositionAblation` — the UP window of the compensation context holds the resolved
  consensus, a shuffle of it, its reverse complement, 9 random A/T bases, or background
  (reference ``none``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from mitbench.data.grammar import (BROKEN_10, CONSENSUS_10, CONSENSUS_35, EXT10, STANDARD,
                                   UP_CONSENSUS, Layout, background, place, resolve_iupac)
from mitbench.data.probes.common import ProbeSuite, check_levels, layout_elements, probe_seed
from mitbench.data.probes.strand import shuffle_motif
from mitbench.data.records import SequenceRecord, reverse_complement

MIT_VARIANTS = {"intact": (CONSENSUS_10, False), "broken": (BROKEN_10, False), "compensated": (BROKEN_10, True)}


def construct(bg: str, lay: Layout, m35: str, m10: str, up: str | None, ext: bool) -> str:
    """Write −35, −10 and optionally ext −10 (TGT) and an UP sequence over ``bg``."""
    seq = place(place(bg, lay.minus35_start, m35), lay.minus10_start, m10)
    if ext:
        seq = place(seq, lay.ext10[0], EXT10)
    return place(seq, lay.up_start, up) if up else seq


class _Ablation(ProbeSuite):
    """Shared plumbing; subclasses set ``probe``, ``prefix``, ``reference`` and ``build``."""

    prefix = "abl"
    reference = "broken"
    xlabel = "level"

    def __init__(self, name: str, version: str, seed: int, n_per_level: int,
                 background_at: float = 0.55) -> None:
        super().__init__(name, version, seed)
        if n_per_level < 1:
            raise ValueError(f"n_per_level must be >= 1, got {n_per_level}")
        self.n_per_level = int(n_per_level)
        self.background_at = float(background_at)

    def _rec(self, level: str, variant: str, g: int, seq: str, lay: Layout, up: bool, ext: bool, **meta):
        return self.record(f"{self.prefix}_{level}_{variant}_{g:03d}", variant, seq,
                           layout_elements(lay, up=up, ext10=ext),
                           group=f"{g:03d}", level=level, variant=variant, **meta)

    def _mit(self, level: str, g: int, bg: str, lay: Layout, rng, **meta) -> list[SequenceRecord]:
        up = resolve_iupac(rng, UP_CONSENSUS)
        return [self._rec(level, v, g, construct(bg, lay, CONSENSUS_35, m10, up if comp else None, comp),
                          lay, comp, comp, **meta) for v, (m10, comp) in MIT_VARIANTS.items()]

    def summary(self, part: pd.DataFrame) -> dict[str, Any]:
        from mitbench.metrics import probes as mp

        return mp.ablation(part, self.prefix, self.reference)

    def plot(self, part: pd.DataFrame, outdir: Path) -> list[Path]:
        from mitbench.report import probes as rp

        return [rp.curve(part, "level", "variant", outdir / f"{self.probe}.png",
                         title=self.probe.replace("_", " "), xlabel=self.xlabel, categorical=True)]

    def section(self, part: pd.DataFrame, metrics: dict[str, Any]) -> str:
        from mitbench.report import probes as rp

        return rp.section(self.probe.replace("_", " ").capitalize(), part, "level", "variant", metrics,
                          f"{self.prefix}_", f"Paired against `{self.reference}` within each level.")


class LengthAblation(_Ablation):
    """Sequence-length ablation. Extra parameter ``lengths`` (bp, each >= 50)."""

    probe, prefix, xlabel = "abl_length", "abl_length", "length (bp)"

    def __init__(self, name: str, version: str, seed: int, lengths: Sequence[int], n_per_level: int,
                 background_at: float) -> None:
        super().__init__(name, version, seed, n_per_level, background_at)
        self.lengths = [int(x) for x in check_levels(lengths, "lengths")]
        if min(self.lengths) < 50:
            raise ValueError(f"lengths must be >= 50 bp (UP..−10 span plus flanks), got {self.lengths}")

    def build(self) -> list[SequenceRecord]:
        out = []
        for li, n in enumerate(self.lengths):
            m35 = round(0.3 * n)
            lay = Layout(length=n, up_start=m35 - 15, minus35_start=m35)
            for g in range(self.n_per_level):
                rng = probe_seed(self.seed, li, g)
                out += self._mit(f"len{n}", g, background(rng, n, self.background_at), lay, rng, length_bp=n)
        return out


class BackgroundAblation(_Ablation):
    """Background-A/T ablation. Extra parameter ``at_levels`` (fractions, e.g. 0.4 … 0.7)."""

    probe, prefix, xlabel = "abl_background", "abl_background", "background A/T"

    def __init__(self, name: str, version: str, seed: int, at_levels: Sequence[float],
                 n_per_level: int) -> None:
        super().__init__(name, version, seed, n_per_level)
        self.at_levels = [float(a) for a in check_levels(at_levels, "at_levels")]

    def build(self) -> list[SequenceRecord]:
        out = []
        for li, at in enumerate(self.at_levels):
            for g in range(self.n_per_level):
                rng = probe_seed(self.seed, li, g)
                bg = background(rng, STANDARD.length, at)
                out += self._mit(f"at{round(at * 100)}", g, bg, STANDARD, rng, background_at=at)
        return out


class MotifStrengthAblation(_Ablation):
    """−35 × −10 strength ablation. Extra parameters ``weak_minus35`` and ``weak_minus10``
    (hexamers, defaults in the config: lac TTTACA and TATGTT)."""

    probe, prefix, reference, xlabel = "abl_motif", "abl_motif", "plain", "−35 / −10 strength"

    def __init__(self, name: str, version: str, seed: int, n_per_level: int, background_at: float,
                 weak_minus35: str, weak_minus10: str) -> None:
        super().__init__(name, version, seed, n_per_level, background_at)
        if len(weak_minus35) != 6 or len(weak_minus10) != 6:
            raise ValueError("weak_minus35 and weak_minus10 must be hexamers")
        self.weak_minus35, self.weak_minus10 = weak_minus35.upper(), weak_minus10.upper()

    def build(self) -> list[SequenceRecord]:
        lay, out = STANDARD, []
        for g in range(self.n_per_level):
            rng = probe_seed(self.seed, g)
            bg, up = background(rng, lay.length, self.background_at), resolve_iupac(rng, UP_CONSENSUS)
            for s35, m35 in (("c35", CONSENSUS_35), ("w35", self.weak_minus35)):
                for s10, m10 in (("c10", CONSENSUS_10), ("w10", self.weak_minus10)):
                    for v, comp in (("plain", False), ("compensated", True)):
                        seq = construct(bg, lay, m35, m10, up if comp else None, comp)
                        out.append(self._rec(f"{s35}_{s10}", v, g, seq, lay, comp, comp))
        return out


class UPCompositionAblation(_Ablation):
    """UP-composition ablation on the compensation context (broken −10 + ext −10)."""

    probe, prefix, reference, xlabel = "abl_upcomp", "abl_upcomp", "none", "UP variant"
    variants = ("consensus", "scrambled", "reverse_complement", "at_random", "none")

    def build(self) -> list[SequenceRecord]:
        lay, out = STANDARD, []
        for g in range(self.n_per_level):
            rng = probe_seed(self.seed, g)
            bg, up = background(rng, lay.length, self.background_at), resolve_iupac(rng, UP_CONSENSUS)
            ups = {"consensus": up, "scrambled": shuffle_motif(rng, up),
                   "reverse_complement": reverse_complement(up),
                   "at_random": "".join(rng.choice(list("AT"), size=lay.up_len).tolist()), "none": None}
            for v in self.variants:
                seq = construct(bg, lay, CONSENSUS_35, BROKEN_10, ups[v], True)
                out.append(self._rec("up15", v, g, seq, lay, ups[v] is not None, True))
        return out
