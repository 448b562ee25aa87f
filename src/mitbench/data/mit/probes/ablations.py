"""Appendix J ablations: do the MIT comparisons survive changes of length, background, motif
strength and UP composition?

Every ablation builds, per setting (``level``) and replicate ``group``, several ``variant``
constructs on one shared background (motifs written over it, as in the paper) and compares each
variant with a reference variant, and gives the MIT's two numbers per level: CSS (compensated
beats the reference) and SCR (compensated beats its own scrambled control) — the ablation metric
of the probe metrics module (``metrics.probes``).

Each level's ``scrambled`` variant is the paper's class H built on that level's compensated
construct: the UP window and the extended −10 each shuffled in place (a permutation different
from the original, so it is a control; a homopolymer UP such as AAAAAAAAA stays), same
background, same composition.

- :func:`length_records` — lengths 50/100/150/200 bp; the layout is
  :meth:`~mitbench.data.core.grammar.Layout.resized` (−35 at ``round(0.3 * length)``, UP and spacer
  at their distances from it), the rule PA-PWM's ``follow_length`` reads; variants
  intact/broken/compensated/scrambled, reference broken. Not 100 bp, so it is not part of the
  combined ``probes`` suite.
- :func:`background_records` — background A/T 40–70 %; same variants.
- :func:`motif_records` — −35 consensus/weak × −10 consensus/weak; variants plain / compensated
  (UP + ext −10 added) / scrambled, reference plain.
- :func:`upcomp_records` — the UP window of the compensation context holds the resolved
  consensus, a shuffle of it (``scrambled``, the level's scrambled control), its reverse
  complement, 9 random A/T bases, or background (reference ``none``).
"""
from __future__ import annotations

from typing import Sequence

from mitbench.data.core.grammar import scramble_windows
from mitbench.data.core.grammar import (BROKEN_10, CONSENSUS_10, CONSENSUS_35, EXT10, STANDARD, UP_CONSENSUS, Layout,
                                   background, place, resolve_iupac)
from mitbench.data.mit.probes.common import check_levels, layout_elements, probe_record, probe_seed
from mitbench.data.mit.probes.strand import shuffle_motif
from mitbench.data.core.records import SequenceRecord, reverse_complement

MIT_VARIANTS = {"intact": (CONSENSUS_10, False), "broken": (BROKEN_10, False), "compensated": (BROKEN_10, True)}
UPCOMP_VARIANTS = ("consensus", "scrambled", "reverse_complement", "at_random", "none")


def construct(bg: str, lay: Layout, m35: str, m10: str, up: str | None, ext: bool) -> str:
    """Write −35, −10 and optionally ext −10 (TGT) and an UP sequence over ``bg``."""
    seq = place(place(bg, lay.minus35_start, m35), lay.minus10_start, m10)
    if ext:
        seq = place(seq, lay.ext10[0], EXT10)
    return place(seq, lay.up_start, up) if up else seq


def scrambled(seq: str, lay: Layout, rng) -> str:
    """The paper's class H of a compensated construct: UP and extended −10 windows shuffled in place."""
    return scramble_windows(seq, [lay.up, lay.ext10], rng)


def _record(probe: str, level: str, variant: str, g: int, seq: str, lay: Layout, up: bool, ext: bool, **meta):
    return probe_record(probe, f"{probe}_{level}_{variant}_{g:03d}", variant, seq,
                        layout_elements(lay, up=up, ext10=ext), group=f"{g:03d}", level=level, variant=variant,
                        **meta)


def _mit_variants(probe: str, level: str, g: int, bg: str, lay: Layout, rng, **meta) -> list[SequenceRecord]:
    up = resolve_iupac(rng, UP_CONSENSUS)
    seqs = {v: construct(bg, lay, CONSENSUS_35, m10, up if comp else None, comp) for v, (m10, comp) in MIT_VARIANTS.items()}
    out = [_record(probe, level, v, g, seqs[v], lay, comp, comp, **meta) for v, (_, comp) in MIT_VARIANTS.items()]
    return out + [_record(probe, level, "scrambled", g, scrambled(seqs["compensated"], lay, rng), lay, False, False, **meta)]


def _check_n(n_per_level: int) -> int:
    if n_per_level < 1:
        raise ValueError(f"n_per_level must be >= 1, got {n_per_level}")
    return int(n_per_level)


def length_records(seed: int, lengths: Sequence[int], n_per_level: int, background_at: float) -> list[SequenceRecord]:
    """Sequence-length ablation (levels ``len<n>``; ``lengths`` in bp, each >= 50)."""
    sizes = [int(x) for x in check_levels(lengths, "lengths")]
    if min(sizes) < 50:
        raise ValueError(f"lengths must be >= 50 bp (UP..−10 span plus flanks), got {sizes}")
    out = []
    for li, n in enumerate(sizes):
        lay = STANDARD.resized(n)
        for g in range(_check_n(n_per_level)):
            rng = probe_seed(seed, li, g)
            out += _mit_variants("abl_length", f"len{n}", g, background(rng, n, background_at), lay, rng, length_bp=n)
    return out


def background_records(seed: int, at_levels: Sequence[float], n_per_level: int) -> list[SequenceRecord]:
    """Background-A/T ablation (levels ``at<pct>``; ``at_levels`` are fractions, e.g. 0.4 … 0.7)."""
    out = []
    for li, at in enumerate(float(a) for a in check_levels(at_levels, "at_levels")):
        for g in range(_check_n(n_per_level)):
            rng = probe_seed(seed, li, g)
            bg = background(rng, STANDARD.length, at)
            out += _mit_variants("abl_background", f"at{round(at * 100)}", g, bg, STANDARD, rng, background_at=at)
    return out


def motif_records(seed: int, n_per_level: int, background_at: float, weak_minus35: str,
                  weak_minus10: str) -> list[SequenceRecord]:
    """−35 × −10 strength ablation (levels ``c35_c10`` … ``w35_w10``; weak hexamers e.g. lac TTTACA, TATGTT)."""
    if len(weak_minus35) != 6 or len(weak_minus10) != 6:
        raise ValueError("weak_minus35 and weak_minus10 must be hexamers")
    lay, out = STANDARD, []
    for g in range(_check_n(n_per_level)):
        rng = probe_seed(seed, g)
        bg, up = background(rng, lay.length, background_at), resolve_iupac(rng, UP_CONSENSUS)
        for s35, m35 in (("c35", CONSENSUS_35), ("w35", weak_minus35.upper())):
            for s10, m10 in (("c10", CONSENSUS_10), ("w10", weak_minus10.upper())):
                for v, comp in (("plain", False), ("compensated", True)):
                    seq = construct(bg, lay, m35, m10, up if comp else None, comp)
                    out.append(_record("abl_motif", f"{s35}_{s10}", v, g, seq, lay, comp, comp))
                out.append(_record("abl_motif", f"{s35}_{s10}", "scrambled", g, scrambled(seq, lay, rng), lay, False, False))
    return out


def upcomp_records(seed: int, n_per_level: int, background_at: float) -> list[SequenceRecord]:
    """UP-composition ablation on the compensation context (broken −10 + ext −10), level ``up15``."""
    lay, out = STANDARD, []
    for g in range(_check_n(n_per_level)):
        rng = probe_seed(seed, g)
        bg, up = background(rng, lay.length, background_at), resolve_iupac(rng, UP_CONSENSUS)
        ups = {"consensus": up, "scrambled": shuffle_motif(rng, up), "reverse_complement": reverse_complement(up),
               "at_random": "".join(rng.choice(list("AT"), size=lay.up_len).tolist()), "none": None}
        for v in UPCOMP_VARIANTS:
            seq = construct(bg, lay, CONSENSUS_35, BROKEN_10, ups[v], True)
            out.append(_record("abl_upcomp", "up15", v, g, seq, lay, ups[v] is not None, True))
    return out
