"""Natural σ70 promoters for the MIT's natural classes (A intact, B broken, G compensated).

Two sources give the same :class:`NaturalPromoter` form:

* ``curated`` — ``resources/natural_promoters.csv``, literature promoters (−35/−10 hexamers,
  natural spacer length, UP / extended −10 flags, citation). Only hexamers are known, so the
  rest of the 100-bp layout is seeded background; a flagged UP element is the consensus
  ``AAAAAARNR`` (sampled) and a flagged extended −10 is ``TG`` at −15/−14.
* ``regulondb`` — a user-supplied RegulonDB file (:mod:`mitbench.data.mit.regulondb`); the real
  genomic context of the 81-nt window is kept around the aligned hexamers.

Category (from the −10 alone, then the compensating elements): ``intact`` — −10 within 1
mismatch of TATAAT *and* the −11A (hexamer position 2, the base flipped out during melting) kept;
``compensated`` — not intact, with an UP element and/or TGn extended −10; ``weak`` — neither.
The −11A condition keeps the natural classes coherent with the synthetic ones, whose broken −10
TGTAAT is exactly one mismatch, at −11.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from mitbench.data.core.grammar import (CONSENSUS_10, STANDARD, UP_CONSENSUS, Layout, background, mismatches, place,
                                   resolve_iupac)
from mitbench.data.core.records import Element
from mitbench.data.mit.regulondb import LocatedPromoter
from mitbench.data.core.textio import InputError, parse_table, read_text

CATEGORIES = ("intact", "weak", "compensated")
_COLUMNS = ("name", "gene", "organism", "minus35", "spacer", "minus10", "up", "ext10",
            "regulondb_name", "citation", "note")


def is_intact(minus10: str) -> bool:
    """−10 hexamer within 1 mismatch of TATAAT with the critical −11A (position 2) conserved."""
    return mismatches(minus10, CONSENSUS_10) <= 1 and minus10[1] == "A"


@dataclass(frozen=True)
class NaturalPromoter:
    """A natural promoter ready to be placed in the standard layout.

    Parameters
    ----------
    name, gene, source, citation : str
        Identity; ``source`` is ``"curated"`` or ``"regulondb"``.
    minus35, minus10 : str
        Hexamers (ACGT, promoter sense).
    spacer : int
        Natural −35/−10 spacer in bp (the layout always uses 17; see :func:`realize`).
    up, ext10 : bool
        UP element / extended −10 (TGn) present in the natural promoter.
    upstream, spacer_seq, downstream : str
        Natural bases 5' of the −35, between the hexamers, 3' of the −10 ('' = unknown, use
        background). RegulonDB promoters carry them; curated ones do not.
    """

    name: str
    gene: str
    source: str
    minus35: str
    minus10: str
    spacer: int
    up: bool
    ext10: bool
    citation: str = ""
    upstream: str = ""
    spacer_seq: str = ""
    downstream: str = ""

    @property
    def mm10(self) -> int:
        """Mismatches of the −10 hexamer to TATAAT."""
        return mismatches(self.minus10, CONSENSUS_10)

    @property
    def category(self) -> str:
        if is_intact(self.minus10):
            return "intact"
        return "compensated" if (self.up or self.ext10) else "weak"


def _flag(value: str, where: str, column: str) -> bool:
    if value not in ("0", "1"):
        raise InputError(f"{where}: {column} must be 0 or 1, got {value!r}")
    return value == "1"


def load_curated(path: str | Path | None = None) -> list[NaturalPromoter]:
    """Read the curated table (default: the packaged ``natural_promoters.csv``), in file order.

    Raises
    ------
    InputError
        Naming the file and row: missing columns, a row of another width, a hexamer that is not
        6 ACGT bases, a spacer outside 15–19, a flag other than 0/1, or a duplicate name.
    """
    if path is None:
        text = resources.files("mitbench").joinpath("resources", "natural_promoters.csv").read_text()
    else:
        text = read_text(path)
    source = str(path or "natural_promoters.csv")
    header, rows = parse_table(text, source, ",", _COLUMNS)
    out, seen = [], set()
    for row, fields in rows:
        d, where = dict(zip(header, fields)), f"{source}, line {row}"
        for col in ("minus35", "minus10"):
            if len(d[col]) != 6 or set(d[col]) - set("ACGT"):
                raise InputError(f"{where} ({d['name']}): {col} {d[col]!r} "
                                 "is not 6 ACGT bases")
        if not d["spacer"].isdigit() or not 15 <= int(d["spacer"]) <= 19:
            raise InputError(f"{where} ({d['name']}): spacer {d['spacer']!r} not in 15-19")
        if d["name"] in seen:
            raise InputError(f"{where}: duplicate name {d['name']!r}")
        seen.add(d["name"])
        out.append(NaturalPromoter(d["name"], d["gene"], "curated", d["minus35"], d["minus10"], int(d["spacer"]),
                                   _flag(d["up"], where, "up"), _flag(d["ext10"], where, "ext10"), d["citation"]))
    return out


def from_located(p: LocatedPromoter, layout: Layout = STANDARD) -> NaturalPromoter:
    """A RegulonDB promoter with its genomic context (UP judged on the layout's aligned slot)."""
    w = p.window
    return NaturalPromoter(p.name, p.name, "regulondb", p.minus35, p.minus10, p.spacer, p.up(layout), p.ext10,
                           f"RegulonDB {p.id}", upstream=w[:p.minus35_start],
                           spacer_seq=w[p.minus35_start + 6:p.minus10_start], downstream=w[p.minus10_start + 6:])


def fit_spacer(natural: str, filler: str) -> str:
    """Fit a natural spacer to ``len(filler)`` bp: keep its 5' and 3' halves, trim or pad the middle.

    The 3' end (extended −10 side) gets the larger half; missing middle bases come from ``filler``.
    """
    target = len(filler)
    keep = min(len(natural), target)
    left = keep // 2
    right = keep - left
    return natural[:left] + filler[left:target - right] + natural[len(natural) - right:]


def realize(p: NaturalPromoter, rng: np.random.Generator, layout: Layout = STANDARD,
            at: float = 0.55, bg: str | None = None) -> tuple[str, tuple[Element, ...], dict]:
    """Place ``p`` in the layout: −35 and −10 at the layout positions, natural context kept.

    The background is drawn with :func:`~mitbench.data.core.grammar.background` at ``at`` unless ``bg``
    (``layout.length`` bp) is given (the paper's design draws its own, see
    :mod:`mitbench.data.mit.paper`).

    Returns
    -------
    sequence : str
        ``layout.length`` bp, ACGT.
    elements : tuple of Element
        ``minus35``, ``minus10``, and ``up`` / ``ext10`` when present.
    meta : dict
        Provenance and flags: natural_name, gene, natural_source, citation, minus35, minus10,
        mm10, natural_spacer, up, ext10, up_source (``natural``/``consensus``/``none``).
    """
    seq = background(rng, layout.length, at) if bg is None else bg
    if len(seq) != layout.length:
        raise ValueError(f"natural promoter {p.name!r}: background of {len(seq)} bp for a {layout.length}-bp layout")
    s35, (s10, e10) = layout.minus35_start, layout.minus10
    if p.upstream:
        ctx = p.upstream[-s35:]
        seq = place(seq, s35 - len(ctx), ctx)
    seq = place(seq, s35, p.minus35)
    if p.spacer_seq:
        seq = place(seq, s35 + 6, fit_spacer(p.spacer_seq, seq[s35 + 6:s10]))
    seq = place(seq, s10, p.minus10)
    if p.downstream:
        seq = place(seq, e10, p.downstream[:layout.length - e10])
    elements = [Element("minus35", s35, s35 + 6), Element("minus10", s10, e10)]
    up_source = "none"
    if p.up:
        if not p.upstream:  # curated: only the flag is known, so the consensus stands in
            seq = place(seq, layout.up[0], resolve_iupac(rng, UP_CONSENSUS))
            up_source = "consensus"
        else:
            up_source = "natural"
        elements.append(Element("up", *layout.up))
    if p.ext10:
        if not p.spacer_seq:
            seq = place(seq, layout.ext10[0], "TG")
        elements.append(Element("ext10", *layout.ext10))
    meta = {"natural_name": p.name, "gene": p.gene, "natural_source": p.source, "citation": p.citation,
            "minus35": p.minus35, "minus10": p.minus10, "mm10": p.mm10, "natural_spacer": p.spacer,
            "up": p.up, "ext10": p.ext10, "up_source": up_source}
    return seq, tuple(sorted(elements, key=lambda e: e.start)), meta


def draw(pool: list[NaturalPromoter], n: int, rng: np.random.Generator) -> list[tuple[NaturalPromoter, int]]:
    """``n`` promoters from ``pool``: successive seeded permutations, so each is used evenly.

    Returns (promoter, copy) pairs; ``copy`` counts earlier uses of the same promoter.
    """
    if not pool:
        raise ValueError("empty natural promoter pool")
    order: list[int] = []
    while len(order) < n:
        order.extend(rng.permutation(len(pool)).tolist())
    uses: dict[int, int] = {}
    out = []
    for k in order[:n]:
        out.append((pool[k], uses.get(k, 0)))
        uses[k] = uses.get(k, 0) + 1
    return out


def pools(promoters: list[NaturalPromoter]) -> dict[str, list[NaturalPromoter]]:
    """Split promoters by :attr:`NaturalPromoter.category` (order kept)."""
    return {c: [p for p in promoters if p.category == c] for c in CATEGORIES}
