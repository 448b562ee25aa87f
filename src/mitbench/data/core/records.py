"""Sequence records: the one in-memory form every suite produces and every scorer reads.

Coordinates are 0-based, half-open (``start`` inclusive, ``end`` exclusive), like BED.
The paper's inclusive ranges translate as e.g. −35 box "30–35" -> ``Element("minus35", 30, 36)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

ALPHABET = frozenset("ACGT")
_COMPLEMENT = str.maketrans("ACGTacgt", "TGCAtgca")


def reverse_complement(seq: str) -> str:
    """Reverse complement of an ACGT string (case preserved)."""
    return seq.translate(_COMPLEMENT)[::-1]


@dataclass(frozen=True)
class Element:
    """An annotated element of a designed sequence.

    Parameters
    ----------
    name : str
        Element name, e.g. ``"minus35"``, ``"minus10"``, ``"up"``, ``"ext10"``.
    start, end : int
        0-based half-open coordinates on the record's sequence.
    strand : str
        ``"+"`` or ``"-"``.
    """

    name: str
    start: int
    end: int
    strand: str = "+"

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"element {self.name!r}: need 0 <= start < end, got {self.start}, {self.end}")
        if self.strand not in ("+", "-"):
            raise ValueError(f"element {self.name!r}: strand must be '+' or '-', got {self.strand!r}")


@dataclass(frozen=True)
class SequenceRecord:
    """One sequence of a suite.

    Parameters
    ----------
    id : str
        Unique, non-empty identifier (no whitespace).
    label : str
        Class label (``"A"``..``"H"`` for the MIT; probe condition names for probes).
    sequence : str
        Upper-case ACGT string; ``""`` for a score-only record (its score is read from a file
        whose sequences were not released, see :mod:`mitbench.data.mit.probe_scores`).
    elements : tuple of Element
        Element annotations.
    meta : mapping
        Extra per-record fields (pairing ``group``, probe variables, ...). Values must be
        JSON-serialisable scalars; they become columns of the metadata and scores tables.
    """

    id: str
    label: str
    sequence: str
    elements: tuple[Element, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def element(self, name: str) -> Element | None:
        """The first element called ``name``, or None."""
        return next((e for e in self.elements if e.name == name), None)


def clean_sequence(record_id: str, sequence: str) -> str:
    """Upper-case ``sequence`` and check it is non-empty ACGT.

    Raises
    ------
    ValueError
        Naming ``record_id``, the offending character and its 0-based position.
    """
    seq = sequence.strip().upper()
    if not seq:
        raise ValueError(f"record {record_id!r}: empty sequence")
    bad = next((i for i, c in enumerate(seq) if c not in ALPHABET), None)
    if bad is not None:
        raise ValueError(
            f"record {record_id!r}: character {seq[bad]!r} at position {bad} is not A/C/G/T "
            "(N and IUPAC ambiguity codes are not scored; remove or resolve them)"
        )
    return seq


def validate_records(records: Iterable[SequenceRecord], score_only: bool = False) -> list[SequenceRecord]:
    """Check ids and sequences of a whole set; return records with upper-cased sequences.

    With ``score_only`` every record must have no sequence (``""``): a set read from a score
    file, scorable only by ``model=precomputed``.

    Raises
    ------
    ValueError
        On an empty or whitespace-containing id, a duplicate id, an empty sequence or a
        non-ACGT character (a sequence, with ``score_only``); the message names the record.
    """
    out: list[SequenceRecord] = []
    seen: set[str] = set()
    for i, rec in enumerate(records):
        if not rec.id or any(c.isspace() for c in rec.id):
            raise ValueError(f"record #{i} (label {rec.label!r}): empty id or id with whitespace: {rec.id!r}")
        if rec.id in seen:
            raise ValueError(f"record {rec.id!r}: duplicate id")
        seen.add(rec.id)
        if score_only:
            if rec.sequence or rec.elements:
                raise ValueError(f"record {rec.id!r}: a score-only record has no sequence or elements")
            out.append(rec)
            continue
        seq = clean_sequence(rec.id, rec.sequence)
        for el in rec.elements:
            if el.end > len(seq):
                raise ValueError(f"record {rec.id!r}: element {el.name!r} ends at {el.end} > length {len(seq)}")
        out.append(rec if seq == rec.sequence else SequenceRecord(rec.id, rec.label, seq, rec.elements, rec.meta))
    if not out:
        raise ValueError("no records")
    return out


def check_lengths(records: Sequence[SequenceRecord], *, exact: int, who: str = "model") -> None:
    """Raise ValueError naming the first record whose length is not ``exact`` (layout-bound models
    read fixed positions; ``who`` names the model in the message)."""
    for rec in records:
        if len(rec.sequence) != exact:
            raise ValueError(
                f"record {rec.id!r}: length {len(rec.sequence)} bp, but {who} reads fixed positions of a "
                f"{exact}-bp layout")


def records_to_frame(records: Sequence[SequenceRecord]):
    """A pandas table with columns id, class, sequence, length, elements (JSON) and one column per meta key."""
    import json

    import pandas as pd

    rows = []
    for r in records:
        row = {"id": r.id, "class": r.label, "sequence": r.sequence, "length": len(r.sequence),
               "elements": json.dumps([[e.name, e.start, e.end, e.strand] for e in r.elements])}
        for key, value in r.meta.items():
            if key in row:
                raise ValueError(f"record {r.id!r}: meta key {key!r} clashes with a reserved column")
            row[key] = value
        rows.append(row)
    return pd.DataFrame(rows)
