"""Genome references: contigs of a (compressed) FASTA, their N-free stretches, strand helpers.

A reference is read as it comes from NCBI/Ensembl: several records, soft-masked (lower-case)
repeats, runs of ``N`` and occasional IUPAC ambiguity codes. Lower case is upper-cased; every
character other than A/C/G/T becomes ``N`` (counted per contig), so downstream code sees only
``ACGTN`` and samples windows from N-free stretches (:func:`acgt_stretches`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from mitbench.data.core.fasta import iter_fasta
from mitbench.data.core.textio import InputError

_NOT_ACGT = re.compile(r"[^ACGT]")
_ACGT_RUN = re.compile(r"[ACGT]+")
_BASES = np.frombuffer(b"ACGT", dtype=np.uint8)


@dataclass(frozen=True)
class Contig:
    """One record of a reference.

    Attributes
    ----------
    name : str
        First word of the FASTA header (unique within the file).
    sequence : str
        Upper-case, alphabet ``ACGTN`` (non-ACGT characters of the file are ``N``).
    n_masked : int
        Characters of the file that were not A/C/G/T (after upper-casing) and became ``N``.
    """

    name: str
    sequence: str
    n_masked: int = 0

    def __len__(self) -> int:
        return len(self.sequence)


def iter_contigs(path: str | Path) -> Iterator[Contig]:
    """Contigs of a FASTA reference one at a time (a chromosome-scale file is never held whole).

    Raises
    ------
    InputError
        Naming the file and record: an empty record, a record without a name, a duplicate name,
        or a file that is not FASTA (see :func:`mitbench.data.core.fasta.iter_fasta`).
    """
    seen: set[str] = set()
    for index, header, raw in iter_fasta(path):
        fields = header.split()
        if not fields:
            raise InputError(f"{path}: record #{index} has an empty header")
        name = fields[0]
        if name in seen:
            raise InputError(f"{path}: record {name!r} (#{index}) occurs twice")
        seen.add(name)
        if not raw:
            raise InputError(f"{path}: record {name!r} (#{index}) has no sequence")
        seq, n_masked = _NOT_ACGT.subn("N", raw.upper())
        yield Contig(name, seq, n_masked)


def read_genome(path: str | Path) -> list[Contig]:
    """All contigs of a reference (see :func:`iter_contigs`).

    Raises
    ------
    InputError
        As :func:`iter_contigs`, and when the file holds no A/C/G/T base at all.
    """
    contigs = list(iter_contigs(path))
    if not contigs or not any(_ACGT_RUN.search(c.sequence) for c in contigs):
        raise InputError(f"{path}: no A/C/G/T sequence in the reference")
    return contigs


def random_dna(rng: np.random.Generator, n: int) -> str:
    """Uniform i.i.d. A/C/G/T string of ``n`` bases (the draws of ``rng.choice(list("ACGT"), n)``)."""
    return _BASES[rng.integers(0, 4, n)].tobytes().decode()


def acgt_stretches(sequence: str, min_length: int = 1) -> list[tuple[int, int]]:
    """Half-open ``(start, end)`` of the maximal N-free stretches of at least ``min_length`` bp."""
    return [(m.start(), m.end()) for m in _ACGT_RUN.finditer(sequence) if m.end() - m.start() >= min_length]
