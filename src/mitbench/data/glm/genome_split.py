"""Held-out blocks of a genome for language-model training: the split every crop and window obeys.

A genome (its contigs laid end to end, in file order) gets two contiguous held-out blocks,
``val`` and ``test``, of ``round(fraction × total length)`` bp each, placed by a seeded draw so
that they never overlap; everything else is ``train``. A block may straddle a contig boundary (it
is then stored as one segment per contig). Training crops come only from N-free stretches of the
training part and held-out windows only from N-free stretches of a block, so no crop overlaps a
held-out block (tested). Coordinates are 0-based half-open, per contig.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from mitbench.data.core.encoding import codes
from mitbench.data.core.genome import Contig, acgt_stretches

PARTS = ("train", "val", "test")


@dataclass(frozen=True)
class Segment:
    """Part of one contig: ``contigs[contig].sequence[start:end]``."""

    contig: int
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class GenomeSplit:
    """Where the held-out blocks lie.

    Attributes
    ----------
    lengths : tuple of int
        Contig lengths in bp (file order).
    blocks : dict
        ``{"val": (start, end), "test": (start, end)}`` in concatenated-genome coordinates.
    segments : dict
        ``{"train" | "val" | "test": tuple of Segment}``, the parts mapped onto contigs (sorted).
    """

    lengths: tuple[int, ...]
    blocks: dict[str, tuple[int, int]]
    segments: dict[str, tuple[Segment, ...]]

    def stretches(self, contigs: Sequence[Contig], part: str, min_length: int) -> list[np.ndarray]:
        """int64 code arrays (A, C, G, T = 0..3) of the N-free stretches of ``part`` of at least
        ``min_length`` bp, forward strand, in genome order."""
        if part not in PARTS:
            raise ValueError(f"part must be one of {PARTS}, got {part!r}")
        out = []
        for seg in self.segments[part]:
            piece = contigs[seg.contig].sequence[seg.start:seg.end]
            for s, e in acgt_stretches(piece, min_length):
                out.append(codes(piece[s:e], f"{contigs[seg.contig].name}:{seg.start + s}"))
        return out


def split_genome(lengths: Sequence[int], val_fraction: float, test_fraction: float, seed: int) -> GenomeSplit:
    """Place the ``val`` and ``test`` blocks (seeded) and map all parts onto the contigs.

    Parameters
    ----------
    lengths : sequence of int
        Contig lengths in bp, file order.
    val_fraction, test_fraction : float
        Block lengths as fractions of the total length; each in (0, 1), sum < 1.
    seed : int
        Seed of the placement: which block comes first and the three gaps around them
        (uniform over the placements with the blocks disjoint).

    Raises
    ------
    ValueError
        On fractions out of range, or a genome too short to give each part at least 1 bp.
    """
    lengths = tuple(int(n) for n in lengths)
    total = sum(lengths)
    if not (0 < val_fraction < 1 and 0 < test_fraction < 1 and val_fraction + test_fraction < 1):
        raise ValueError(f"need 0 < val_fraction, test_fraction and their sum < 1, got {val_fraction}, {test_fraction}")
    size = {"val": round(val_fraction * total), "test": round(test_fraction * total)}
    free = total - size["val"] - size["test"]
    if min(size.values()) < 1 or free < 1:
        raise ValueError(f"a genome of {total} bp is too short for held-out fractions {val_fraction}, {test_fraction}")
    rng = np.random.default_rng(seed)
    first, second = ("val", "test") if rng.integers(2) == 0 else ("test", "val")
    cut = np.sort(rng.integers(0, free + 1, size=2))  # gaps: before, between, after the blocks
    start1 = int(cut[0])
    start2 = start1 + size[first] + int(cut[1] - cut[0])
    blocks = {first: (start1, start1 + size[first]), second: (start2, start2 + size[second])}
    segments: dict[str, list[Segment]] = {p: [] for p in PARTS}
    offset = 0
    for index, n in enumerate(lengths):
        cuts = sorted({offset, offset + n, *(min(max(x, offset), offset + n) for b in blocks.values() for x in b)})
        for s, e in zip(cuts[:-1], cuts[1:]):
            part = next((p for p, (bs, be) in blocks.items() if bs <= s and e <= be), "train")
            segments[part].append(Segment(index, s - offset, e - offset))
        offset += n
    return GenomeSplit(lengths, blocks, {p: tuple(v) for p, v in segments.items()})


def reverse_complement_codes(track: np.ndarray) -> np.ndarray:
    """Codes of the reverse strand: A<->T, C<->G (3 - code), read backwards."""
    return (3 - track)[::-1].copy()


def tile_windows(tracks: Sequence[np.ndarray], length: int, both_strands: bool = True) -> np.ndarray:
    """Non-overlapping windows of ``length`` bp tiling each track from its start.

    Returns
    -------
    ndarray
        int64 ``(N, length)`` codes; the forward windows, then (``both_strands``) the reverse
        complement of each, so every held-out base is scored once per strand. The last
        ``len(track) % length`` bases of a track are not covered.
    """
    if length < 1:
        raise ValueError(f"window length must be >= 1, got {length}")
    rows = [t[: len(t) // length * length].reshape(-1, length) for t in tracks if len(t) >= length]
    fwd = np.concatenate(rows) if rows else np.zeros((0, length), dtype=np.int64)
    return np.concatenate([fwd, (3 - fwd)[:, ::-1]]) if both_strands else fwd
