"""σ70 promoter grammar: the standard 100-bp layout, motifs, and seeded sampling primitives.

Every generator (benchmark, probes, synthetic training data) builds sequences from these
functions with a ``numpy.random.Generator`` (PCG64), so one seed gives the same bytes on any
machine. Coordinates are 0-based half-open (see :mod:`mitbench.data.core.records`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONSENSUS_35 = "TTGACA"
STRONG_35 = ("TTGACA", "TTGACT", "TTGATA")  # consensus + 3'-position variants (MIT reference implementation)
CONSENSUS_10 = "TATAAT"
BROKEN_10 = "TGTAAT"  # A->G at the critical second position of the −10 hexamer
EXT10 = "TGT"  # extended −10 (TGn) immediately upstream of the −10 box
UP_CONSENSUS = "AAAAAARNR"  # proximal UP element, IUPAC

IUPAC: dict[str, str] = {
    "A": "A", "C": "C", "G": "G", "T": "T",
    "R": "AG", "Y": "CT", "S": "CG", "W": "AT", "K": "GT", "M": "AC",
    "B": "CGT", "D": "AGT", "H": "ACT", "V": "ACG", "N": "ACGT",
}


@dataclass(frozen=True)
class Layout:
    """Positions of the σ70 elements in a designed sequence (paper Appendix A.1 defaults).

    Parameters
    ----------
    length : int
        Sequence length in bp.
    up_start : int
        First base of the 9-bp UP element (15–23 inclusive by default).
    minus35_start : int
        First base of the −35 hexamer (30–35).
    spacer : int
        Bases between the −35 and −10 hexamers (17: 36–52).
    """

    length: int = 100
    up_start: int = 15
    minus35_start: int = 30
    spacer: int = 17

    up_len: int = 9

    @property
    def up(self) -> tuple[int, int]:
        return self.up_start, self.up_start + self.up_len

    @property
    def minus35(self) -> tuple[int, int]:
        return self.minus35_start, self.minus35_start + 6

    @property
    def minus10_start(self) -> int:
        return self.minus35_start + 6 + self.spacer

    @property
    def minus10(self) -> tuple[int, int]:
        return self.minus10_start, self.minus10_start + 6

    @property
    def ext10_start(self) -> int:
        return self.minus10_start - 3

    @property
    def ext10(self) -> tuple[int, int]:
        return self.ext10_start, self.minus10_start

    def resized(self, length: int) -> "Layout":
        """The layout of a ``length``-bp sequence: the −35 moved in proportion to the length
        (``round(minus35_start * length / self.length)``; 30 -> ``round(0.3 * length)`` for the
        standard layout), the UP element and the spacer kept at their distances from it.

        The one rule shared by the length ablation (:func:`mitbench.data.mit.probes.length_records`)
        and the position-aware models that follow the length (PA-PWM ``follow_length``).

        Raises
        ------
        ValueError
            If the UP element or the −10 hexamer does not fit ``length`` bp.
        """
        m35 = int(round(self.minus35_start * int(length) / self.length))
        out = Layout(length=int(length), up_start=m35 - (self.minus35_start - self.up_start), minus35_start=m35,
                     spacer=self.spacer, up_len=self.up_len)
        if out.up_start < 0 or out.minus10[1] > out.length:
            raise ValueError(f"the {self.length}-bp layout does not fit {length} bp once resized "
                             f"(UP at {out.up_start}, −10 ends at {out.minus10[1]})")
        return out


STANDARD = Layout()


def background(rng: np.random.Generator, n: int, at: float = 0.55) -> str:
    """Random background of ``n`` bp with exactly ``round(at * n)`` A/T bases (see :func:`fill_exact`)."""
    if not 0.0 <= at <= 1.0:
        raise ValueError(f"AT fraction must be in [0, 1], got {at}")
    return fill_exact(rng, n, int(round(at * n)))


def fill_exact(rng: np.random.Generator, n: int, n_at: int) -> str:
    """Random ``n``-bp string with exactly ``n_at`` A/T bases.

    A vs T and G vs C are chosen with equal probability, then positions are permuted; the one
    background sampler of every generator (same seed, same bytes on any machine).

    Raises
    ------
    ValueError
        If ``n_at`` is outside ``[0, n]``.
    """
    if not 0 <= n_at <= n:
        raise ValueError(f"cannot put {n_at} A/T bases into {n} free positions")
    bases = np.concatenate([rng.choice(np.array(list("AT")), size=n_at),
                            rng.choice(np.array(list("GC")), size=n - n_at)])
    rng.shuffle(bases)
    return "".join(bases.tolist())


def iid_background(rng: np.random.Generator, n: int, at: float = 0.56) -> str:
    """Random ``n``-bp string of independent bases, P(A) = P(T) = at/2, P(C) = P(G) = (1 - at)/2.

    The paper's own background (its released sequences: weights A .28, C .22, G .22, T .28, i.e.
    ``at = 0.56``), used only by its design (:mod:`mitbench.data.mit.paper`); mitbench's designs
    use :func:`fill_exact`, whose A/T count is exact.
    """
    if not 0.0 <= at <= 1.0:
        raise ValueError(f"AT fraction must be in [0, 1], got {at}")
    p = np.array([at / 2, (1 - at) / 2, (1 - at) / 2, at / 2])
    return "".join(np.array(list("ACGT"))[rng.choice(4, size=int(n), p=p)].tolist())


def resolve_iupac(rng: np.random.Generator, pattern: str) -> str:
    """Draw one concrete sequence from an IUPAC pattern, uniformly per position."""
    out = []
    for i, code in enumerate(pattern.upper()):
        choices = IUPAC.get(code)
        if choices is None:
            raise ValueError(f"IUPAC pattern {pattern!r}: unknown code {code!r} at position {i}")
        out.append(choices[rng.integers(len(choices))] if len(choices) > 1 else choices)
    return "".join(out)


def place(seq: str, start: int, motif: str) -> str:
    """Overwrite ``seq[start:start+len(motif)]`` with ``motif``; the length is unchanged."""
    end = start + len(motif)
    if start < 0 or end > len(seq):
        raise ValueError(f"motif {motif!r} at {start}..{end} does not fit a {len(seq)}-bp sequence")
    return seq[:start] + motif + seq[end:]


def move_window(seq: str, src: int, dst: int, width: int) -> str:
    """Move ``seq[src:src+width]`` to start at ``dst`` by a permutation of the bases.

    Disjoint windows are exchanged; overlapping ones are rotated within their union so the
    moved block lands at ``dst`` and the displaced bases keep their order. Base composition is
    unchanged exactly, so a composition-only scorer cannot tell the two sequences apart.
    """
    if min(src, dst) < 0 or max(src, dst) + width > len(seq):
        raise ValueError(f"windows {src}, {dst} of {width} bp do not fit {len(seq)} bp")
    if src == dst:
        return seq
    block = seq[src:src + width]
    if abs(src - dst) >= width:
        other = seq[dst:dst + width]
        out = list(seq)
        out[dst:dst + width], out[src:src + width] = block, other
        return "".join(out)
    a, b = min(src, dst), max(src, dst) + width
    rest = seq[a:src] + seq[src + width:b]
    seg = block + rest if dst < src else rest + block
    return seq[:a] + seg + seq[b:]


def mismatches(seq: str, pattern: str) -> int:
    """Number of positions where ``seq`` does not match the IUPAC ``pattern`` (same length)."""
    if len(seq) != len(pattern):
        raise ValueError(f"length mismatch: {seq!r} vs pattern {pattern!r}")
    return sum(c not in IUPAC[p] for c, p in zip(seq, pattern.upper()))


def at_count(seq: str) -> int:
    """Number of A/T bases in ``seq``."""
    return seq.count("A") + seq.count("T")


def at_fraction(seq: str) -> float:
    """Fraction of A/T bases."""
    return at_count(seq) / len(seq) if seq else 0.0


def shuffled(rng: np.random.Generator, motif: str) -> str | None:
    """A permutation of ``motif`` different from it; None when none exists (a homopolymer)."""
    if len(set(motif)) < 2:
        return None
    while True:
        out = "".join(rng.permutation(list(motif)).tolist())
        if out != motif:
            return out


def scramble_windows(seq: str, windows: list[tuple[int, int]], rng: np.random.Generator) -> str:
    """``seq`` with each half-open window shuffled in place, in order, into a permutation that
    differs from it (a homopolymer window, which has none, stays as it is)."""
    for a, b in windows:
        seq = seq[:a] + (shuffled(rng, seq[a:b]) or seq[a:b]) + seq[b:]
    return seq
