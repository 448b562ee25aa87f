"""Audit windows of a reference genome: seeded, non-overlapping, N-free (seed + continuation).

The reference is streamed contig by contig (:func:`mitbench.data.core.genome.iter_contigs`) in two
passes: the first lists candidate tiles, the second cuts out the chosen ones, so a
chromosome-scale FASTA is never held whole. Tiles are consecutive, non-overlapping
``seed_len + gen_len``-bp slots laid from the start of each N-free stretch; ``n`` of them are drawn
without replacement with ``numpy.random.default_rng(seed)``, so the same reference, lengths and
seed give the same windows on any machine. The audit draws at most one window per
:data:`WINDOW_ROOM` slots (:func:`audit_windows`): a short reference gives fewer windows, not an error.

:class:`Reference` is the genome a generator may be fitted on: the same file with every held-out
interval (audit windows and natural-control windows) replaced by ``N``, so nothing fitted on it
ever sees a held-out base (``audit.holdout``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from mitbench.data.core.genome import Contig, acgt_stretches, iter_contigs, random_dna


#: Tile slots of the reference the audit keeps per audit window: the window itself and one more, so the
#: natural control always finds its own N-free stretch per window outside the audit windows (every
#: untouched slot holds one continuation), and at least half of the reference is left for what a
#: generator is fitted on and for the genome background the metrics compare against. The same for every
#: generator, so every generator of a reference, lengths and seed audits the same windows.
WINDOW_ROOM = 2


@dataclass(frozen=True)
class AuditWindow:
    """One audit window: the prompt (``seed``) and the genome's true continuation.

    Attributes
    ----------
    id : str
        ``"<contig>:<start>-<end>"``, 0-based half-open over seed + continuation.
    contig : str
        Record name in the reference.
    start : int
        0-based position of the first seed base.
    seed : str
        The prompt, upper-case ACGT, ``seed_len`` bp.
    continuation : str
        The true next ``gen_len`` bp (upper-case ACGT).
    """

    id: str
    contig: str
    start: int
    seed: str
    continuation: str

    @property
    def end(self) -> int:
        return self.start + len(self.seed) + len(self.continuation)


def window_id(contig: str, start: int, end: int) -> str:
    return f"{contig}:{start}-{end}"


@dataclass
class Reference:
    """A genome FASTA with held-out intervals masked to ``N`` (what a generator may be fitted on).

    Parameters
    ----------
    path : str or Path
        FASTA (plain or compressed; see :func:`mitbench.data.core.fasta.iter_fasta`).
    holdout : dict of str -> list of (int, int)
        Half-open intervals per contig name that read back as ``N``.
    """

    path: Path
    holdout: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def contigs(self) -> Iterator[Contig]:
        """Contigs one at a time, held-out intervals replaced by ``N``."""
        for contig in iter_contigs(self.path):
            spans = self.holdout.get(contig.name)
            if not spans:
                yield contig
                continue
            seq = bytearray(contig.sequence.encode())
            for start, end in spans:
                seq[start:end] = b"N" * (end - start)
            yield Contig(contig.name, seq.decode(), contig.n_masked)

    def holdout_bp(self) -> int:
        return sum(e - s for spans in self.holdout.values() for s, e in spans)


def _tile_slots(contigs: Iterable[Contig], tile_len: int) -> list[tuple[int, int]]:
    """``(contig ordinal, start)`` of every tile slot: consecutive ``tile_len``-bp slots from the start of
    each N-free stretch."""
    slots: list[tuple[int, int]] = []
    for ordinal, contig in enumerate(contigs):
        for s, e in acgt_stretches(contig.sequence, tile_len):
            slots.extend((ordinal, start) for start in range(s, e - tile_len + 1, tile_len))
    return slots


def _cut(contigs: Iterable[Contig], chosen: list[tuple[int, int]], tile_len: int) -> list[tuple[str, int, str]]:
    """The chosen slots' ``(contig, start, sequence)``, in the order given (second pass over the contigs)."""
    wanted: dict[int, list[int]] = {}
    for ordinal, start in chosen:
        wanted.setdefault(ordinal, []).append(start)
    cut: dict[tuple[int, int], tuple[str, str]] = {}
    for ordinal, contig in enumerate(contigs):
        for start in wanted.get(ordinal, []):
            cut[(ordinal, start)] = (contig.name, contig.sequence[start:start + tile_len])
    return [(cut[c][0], c[1], cut[c][1]) for c in chosen]


def sample_tiles(contigs: Callable[[], Iterable[Contig]], n: int, tile_len: int, seed: int,
                 what: str = "reference", room: int | None = None) -> list[tuple[str, int, str]]:
    """Draw ``n`` non-overlapping N-free tiles of ``tile_len`` bp, streaming the contigs twice.

    Parameters
    ----------
    contigs : callable
        Returns a fresh iterable of contigs each call (e.g. ``Reference(path).contigs``).
    n, tile_len : int
        Number of tiles (>= 1) and their length in bp (>= 1).
    seed : int
        Seed of the draw.
    what : str
        Names the reference in errors.
    room : int, optional
        Draw at most one tile per ``room`` slots: ``min(n, S // room)`` tiles of the ``S`` the reference
        holds (the audit's windows), instead of failing when ``S < n``; the draw for a count is the same.

    Returns
    -------
    list of (contig, start, sequence)
        In draw order (a random order); sequences are upper-case ACGT.

    Raises
    ------
    ValueError
        When the reference holds fewer than ``n`` N-free tiles of ``tile_len`` bp (with ``room``: fewer
        than ``room``).
    """
    if n < 1 or tile_len < 1:
        raise ValueError(f"need n >= 1 and tile_len >= 1, got n={n}, tile_len={tile_len}")
    slots = _tile_slots(contigs(), tile_len)
    if room is not None:  # as many as the reference holds, one per `room` slots
        n = min(n, len(slots) // room)
        if n < 1:
            raise ValueError(f"{what}: only {len(slots)} non-overlapping N-free stretches of {tile_len} bp, "
                             f"{room} needed for one audit window; use a larger reference or shorter windows")
    if len(slots) < n:
        raise ValueError(f"{what}: only {len(slots)} non-overlapping N-free stretches of {tile_len} bp, "
                         f"{n} needed; use a larger reference or fewer/shorter windows")
    pick = np.random.default_rng(seed).choice(len(slots), size=n, replace=False)
    return _cut(contigs(), [slots[i] for i in pick], tile_len)


def audit_windows(path: str | Path, n_windows: int, seed_len: int, gen_len: int, seed: int,
                  room: int = 1) -> list[AuditWindow]:
    """Seeded, mutually disjoint, N-free audit windows of a reference: ``n_windows`` of them, or as many
    as the reference holds.

    The reference is cut into ``S`` consecutive ``seed_len + gen_len``-bp tile slots
    (:func:`sample_tiles`); ``min(n_windows, S // room)`` of them are drawn. The draw for a given count is
    the one :func:`sample_tiles` makes, so the same reference, lengths, count and seed give the same
    windows whatever ``n_windows`` asked for. The audit passes ``room`` = :data:`WINDOW_ROOM`.

    Parameters
    ----------
    path : str or Path
        Reference FASTA.
    n_windows : int
        Windows wanted (their seeds prompt the generator; their continuations are the truth), >= 1.
    seed_len, gen_len : int
        Prompt and continuation lengths in bp (both >= 1).
    seed : int
        Seed of the draw.
    room : int
        Tile slots of the reference per window (>= 1): 1 draws up to every slot.

    Returns
    -------
    list of AuditWindow
        Sorted by (contig name, start); fewer than ``n_windows`` when ``S // room < n_windows``.

    Raises
    ------
    ValueError
        Naming the reference, when not one window fits (``S < room``).
    """
    if seed_len < 1 or gen_len < 1:
        raise ValueError(f"seed_len and gen_len must be >= 1, got {seed_len} and {gen_len}")
    if n_windows < 1 or room < 1:
        raise ValueError(f"need n_windows >= 1 and room >= 1, got n_windows={n_windows}, room={room}")
    tiles = sample_tiles(Reference(Path(path)).contigs, n_windows, seed_len + gen_len, seed, str(path), room)
    wins = [AuditWindow(window_id(c, s, s + len(q)), c, s, q[:seed_len], q[seed_len:]) for c, s, q in tiles]
    return sorted(wins, key=lambda w: (w.contig, w.start))


def window_shortfall(n: int, requested: int, seed_len: int, gen_len: int) -> str | None:
    """``"underpowered: the reference holds only N windows of ..."`` when a reference gave fewer windows
    than requested (``n < requested``), else None: the report's first line and the run's notes."""
    if n >= requested:
        return None
    return f"underpowered: the reference holds only {n} windows of {seed_len:,} + {gen_len:,} bp, {requested} requested"


def holdout_of(windows: Sequence[AuditWindow]) -> dict[str, list[tuple[int, int]]]:
    """Held-out intervals ``{contig: [(start, end), ...]}`` covering seed + continuation."""
    out: dict[str, list[tuple[int, int]]] = {}
    for w in windows:
        out.setdefault(w.contig, []).append((w.start, w.end))
    return {k: sorted(v) for k, v in out.items()}


def random_prompts(windows: Sequence[AuditWindow], seed: int) -> list[AuditWindow]:
    """The windows with each ``seed`` replaced by uniform i.i.d. A/C/G/T of the same length, drawn with
    ``numpy.random.default_rng(seed)`` in window order (the audit's unprompted mode: the prompt carries
    no information about the natural continuation, which stays as the natural sample)."""
    rng = np.random.default_rng(seed)
    return [replace(w, seed=random_dna(rng, len(w.seed))) for w in windows]
