"""Expression cassettes as named parts and junctions: assembly, translocation and the frame check.

A cassette is a 5'->3' list of *segments* (``(key, sequence)``). Each key belongs either to one of
the named parts the translocations move (:data:`PART_OF`: ``promoter``, ``rbs``, ``start_codon``,
``cds``, ``stop_codon``, ``terminator``; a part may span several segments, e.g. de Boer's distal +
library + proximal promoter) or to the *junction* between two consecutive parts (linkers, Kozak
context). De Boer's ``kozak+4`` base is the first base of the second codon, so it belongs to the CDS
(Zahm's CDS already starts with its +4 G): as a junction it would let the de Boer type-5 mutant
(ATG-T-TAA-CDS) read through its moved stop codon and encode the whole protein.

**Linker policy (fixed junctions).** Junctions do not travel: a translocated cassette puts the
parts in the new order into the same scaffold, so junction ``k`` still sits between the ``k``-th
and ``(k+1)``-th part, whichever parts those now are. Every mutant therefore has exactly its
nonmutant's length and base composition (asserted by :func:`translocate`), and a Kozak context or
RBS–ATG spacer stays where the designer put it instead of riding along with one arbitrary
neighbour (the reference code places no linker at all; where they go is unspecified there).

**Frame check.** :func:`frame_defect` reads the nonmutant ORF (start codon + junction + CDS,
Kozak +4 base included, + junction + stop codon) and reports a length
that is not a multiple of 3 and any in-frame stop before the annotated one. :data:`KNOWN_REPAIRS`
holds the documented fix of each known source defect; :func:`repair` applies one only after
checking the sequence context it was written for.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from mitbench.data.core.records import Element

PROKARYOTIC = ("promoter", "rbs", "start_codon", "cds", "stop_codon", "terminator")
EUKARYOTIC = ("promoter", "start_codon", "cds", "stop_codon", "terminator")
KINGDOMS = {"prokaryotic": PROKARYOTIC, "eukaryotic": EUKARYOTIC}
STOP_CODONS = frozenset({"TAA", "TAG", "TGA"})

#: Segment key -> the named part it belongs to; keys not listed are junction segments.
PART_OF = {
    "promoter": "promoter", "distal_promoter": "promoter", "promoter_library": "promoter",
    "proximal_promoter": "promoter", "tre": "promoter", "minimal_promoter": "promoter",
    "rbs": "rbs", "start_codon": "start_codon", "cds": "cds", "kozak+4": "cds", "stop_codon": "stop_codon",
    "terminator": "terminator", "terminator1": "terminator", "terminator_conservative": "terminator",
    "terminator2": "terminator",
}

Segments = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Cassette:
    """One working cassette, split into named parts and the junctions between them.

    Parameters
    ----------
    group : str
        Cassette id, shared by the nonmutant and its mutants (e.g. ``"kosuri_0007"``).
    kingdom : str
        ``"prokaryotic"`` or ``"eukaryotic"``; fixes the part order of the nonmutant.
    parts : dict of str -> Segments
        Each named part's segments (key, ACGT sequence), 5'->3'.
    junctions : tuple of Segments
        ``len(parts) - 1`` junctions; junction ``k`` follows the ``k``-th part.
    """

    group: str
    kingdom: str
    parts: dict[str, Segments]
    junctions: tuple[Segments, ...]

    @property
    def order(self) -> tuple[str, ...]:
        return KINGDOMS[self.kingdom]

    def part(self, name: str) -> str:
        return "".join(s for _, s in self.parts[name])

    def junction(self, k: int) -> str:
        return "".join(s for _, s in self.junctions[k])


def split_segments(group: str, kingdom: str, segments: Sequence[tuple[str, str]]) -> Cassette:
    """Group 5'->3' segments into the kingdom's parts (in canonical order) and junctions.

    Raises
    ------
    ValueError
        Naming ``group`` if a part is missing, empty, split by a junction, or out of order.
    """
    order = KINGDOMS[kingdom]
    parts: dict[str, list[tuple[str, str]]] = {}
    junctions: list[list[tuple[str, str]]] = []
    current: str | None = None
    for key, seq in segments:
        if not seq:
            continue
        part = PART_OF.get(key)
        if part is None:  # a junction segment: belongs after the current part
            if current is None:
                raise ValueError(f"cassette {group!r}: segment {key!r} comes before the first part")
            junctions[-1].append((key, seq))
            continue
        if part != current:
            if part in parts:
                raise ValueError(f"cassette {group!r}: part {part!r} is split by another part or a junction")
            want = order[len(parts)] if len(parts) < len(order) else None
            if part != want:
                raise ValueError(f"cassette {group!r}: part {part!r} where {want!r} was expected "
                                 f"({kingdom} order {' - '.join(order)})")
            parts[part], current = [], part
            junctions.append([])
        elif junctions[-1]:
            raise ValueError(f"cassette {group!r}: part {part!r} is split by junction {junctions[-1][0][0]!r}")
        parts[part].append((key, seq))
    if len(parts) != len(order):
        raise ValueError(f"cassette {group!r}: parts {list(parts)}, expected {list(order)}")
    if junctions[-1]:
        raise ValueError(f"cassette {group!r}: segment {junctions[-1][0][0]!r} follows the last part")
    return Cassette(group, kingdom, {p: tuple(parts[p]) for p in order},
                    tuple(tuple(j) for j in junctions[:-1]))


def translocate(cassette: Cassette, order: Sequence[str]) -> tuple[str, tuple[Element, ...]]:
    """Assemble the parts in ``order`` into the cassette's fixed junctions.

    Parameters
    ----------
    order : sequence of str
        A permutation of ``cassette.order`` (the nonmutant's own order gives the nonmutant).

    Returns
    -------
    sequence : str
        The assembled cassette; same length and base composition as the nonmutant.
    elements : tuple of Element
        Half-open coordinates of every part (named by part), of every segment of a multi-segment
        part (named by segment key) and of every junction segment (named by key).

    Raises
    ------
    ValueError
        If ``order`` is not a permutation of the parts.
    """
    if sorted(order) != sorted(cassette.order):
        raise ValueError(f"cassette {cassette.group!r}: order {list(order)} is not a permutation of "
                         f"{list(cassette.order)}")
    pieces: list[str] = []
    elements: list[Element] = []
    pos = 0

    def put(segments: Segments, part: str | None) -> None:
        nonlocal pos
        start = pos
        for key, seq in segments:
            if part is None or len(segments) > 1:
                elements.append(Element(key, pos, pos + len(seq)))
            pieces.append(seq)
            pos += len(seq)
        if part is not None:
            elements.append(Element(part, start, pos))

    for k, name in enumerate(order):
        put(cassette.parts[name], name)
        if k < len(cassette.junctions):
            put(cassette.junctions[k], None)
    return "".join(pieces), tuple(sorted(elements, key=lambda e: (e.start, -e.end, e.name)))


def orf_of(cassette: Cassette) -> tuple[str, int]:
    """The nonmutant ORF (start codon .. stop codon, junctions between included) and the CDS offset in it."""
    order = cassette.order
    i = order.index("start_codon")
    if order[i + 1: i + 3] != ("cds", "stop_codon"):
        raise ValueError(f"cassette {cassette.group!r}: start codon, CDS and stop codon are not consecutive")
    head = cassette.part("start_codon") + cassette.junction(i)
    orf = head + cassette.part("cds") + cassette.junction(i + 1) + cassette.part("stop_codon")
    return orf, len(head)


def frame_defect(cassette: Cassette) -> str | None:
    """Describe what breaks the nonmutant's reading frame, or None when it reads ATG ... stop in frame.

    Checks: the ORF starts with ATG, ends with a stop codon, has a length divisible by 3 and no
    in-frame stop before the last codon (offsets are 0-based in the ORF and in the CDS).
    """
    orf, cds_at = orf_of(cassette)
    problems = []
    if not orf.startswith("ATG"):
        problems.append(f"start codon is {orf[:3]!r}, not 'ATG'")
    if orf[-3:] not in STOP_CODONS:
        problems.append(f"annotated stop codon {orf[-3:]!r} is not a stop")
    if len(orf) % 3:
        problems.append(f"ORF of {len(orf)} bp is not a multiple of 3 (frameshift)")
    early = next((k for k in range(0, len(orf) - 3, 3) if orf[k:k + 3] in STOP_CODONS), None)
    if early is not None:
        problems.append(f"in-frame stop {orf[early:early + 3]} at ORF offset {early} (CDS offset "
                        f"{early - cds_at}), {len(orf) - 3 - early} bp before the annotated stop")
    return "; ".join(problems) or None


def encodes_cds(sequence: str, cds: tuple[int, int]) -> bool:
    """True when ``sequence`` still encodes the whole CDS at ``cds`` (half-open): an ATG upstream in
    its frame reads into it with no stop codon before its end (the protein, perhaps extended).

    A diagnostic of the builder (it reads coordinates); no model sees it.
    """
    start, end = cds
    if any(sequence[k:k + 3] in STOP_CODONS for k in range(start, end - 2, 3)):
        return False
    for k in range(start - 3, -1, -3):
        codon = sequence[k:k + 3]
        if codon in STOP_CODONS:
            return False
        if codon == "ATG":
            return True
    return False


@dataclass(frozen=True)
class Repair:
    """A documented fix of one source defect: insert ``insert`` at ``offset`` of segment ``key``.

    ``before``/``after`` are the bases the source must have on either side of ``offset``; the fix
    is refused (ValueError) when they differ, so a changed source is never silently "repaired".
    """

    design: str
    key: str
    offset: int
    insert: str
    before: str
    after: str
    defect: str
    reason: str

    def describe(self) -> str:
        return (f"{self.design}/{self.key}: inserted {self.insert!r} at offset {self.offset} "
                f"({self.before}|{self.after} -> {self.before}{self.insert}{self.after}); {self.reason}")


KNOWN_REPAIRS = (
    Repair("lagator", "cds", 535, "A", "GCAG", "CCATT", "1-nt deletion in the sfGFP CDS at offset 535",
           "the source sfGFP CDS lacks 1 nt there (710 bp, frameshift, in-frame stop at CDS offset 666); "
           "the inserted A restores codon GAC (Asp) of ...VQLA-D-HYQQNTPIG..., as in the de Boer and "
           "Kosuri GFP CDSs, and the ORF then reads ATG ... TAG in frame"),
)


def repair(design: str, segments: Sequence[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[Repair]]:
    """Apply the :data:`KNOWN_REPAIRS` of ``design`` to its segments; return them and the repairs used.

    Raises
    ------
    ValueError
        If a repair's context (``before``/``after``) is not found at its offset.
    """
    out, used = list(segments), []
    for fix in (r for r in KNOWN_REPAIRS if r.design == design):
        for i, (key, seq) in enumerate(out):
            if key != fix.key:
                continue
            lo, hi = seq[fix.offset - len(fix.before): fix.offset], seq[fix.offset: fix.offset + len(fix.after)]
            if (lo, hi) != (fix.before, fix.after):
                raise ValueError(f"design {design!r}, segment {key!r}: expected {fix.before}|{fix.after} at offset "
                                 f"{fix.offset} for the documented repair, found {lo}|{hi}")
            out[i] = (key, seq[: fix.offset] + fix.insert + seq[fix.offset:])
            used.append(fix)
    return out, used
