"""The paper's own MIT construction, as its released sequences show it (``suite.design=paper``).

mitbench's default (``matched``, :mod:`mitbench.data.mit.designed`) builds C_i, D_i, E_i, F_i, H_i on one
shared background per index and makes H_i a permutation of E_i. The paper did not: reading its
released ``class_*.json`` (and its generator) gives

====  ================================================================================
A     natural promoters (the −35/−10 of the natural source's intact pool), own background
B     A_i's promoter with −10 position 2 mutated (A→C, T→G, else another base), own
      background, no UP / extended −10
C     −35 TTGACA at 30, −10 TATAAT at 53, own background
D     −35 TTGACA, broken −10 TGTAAT, own background
E     D's motifs + UP (AAAAAARNR) at 15–23 + TGT at 50–52, own background
F     E's construction with a strong −35 (TTGACA/TTGACT/TTGATA), own background
G     B_j's promoter (j < 50) + the paper's natural UP (AAAAARNRR) + TGT, own background
H     a fresh E construction (own background) with the UP window and the extended −10 each
      shuffled **in place** (a shuffle may return the window unchanged, as in the release)
====  ================================================================================

Every class has independent backgrounds, drawn base by base (:func:`~mitbench.data.core.grammar.iid_background`,
A/T 0.56 as released), so CSS pairs E_i with D_i and SCR pairs E_i with H_i **by index only**:
the pairs share no background, and H_i is not a rearrangement of E_i (the paper's text describes
the UP moved to 40–48; its released H holds the in-place scramble). Natural A/B/G come from
mitbench's natural source (curated table or RegulonDB), not the paper's 20-promoter list, so only
their construction rule is the paper's. ``meta["group"]`` is the index within the class.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from mitbench.data.mit import natural
from mitbench.data.core.grammar import STRONG_35
from mitbench.data.core.grammar import (BROKEN_10, CONSENSUS_10, CONSENSUS_35, EXT10, STANDARD, UP_CONSENSUS,
                                   iid_background, place, resolve_iupac)
from mitbench.data.core.records import Element, SequenceRecord

PAPER_AT = 0.56  # released backgrounds: A .28, C .22, G .22, T .28 per base
PAPER_NATURAL_UP = "AAAAARNRR"  # the UP the paper writes into natural promoters (class G)
_STREAMS = {c: 100 + k for k, c in enumerate("ABCDEFGH")}


def _rng(seed: int, label: str) -> np.random.Generator:
    return np.random.default_rng([int(seed), _STREAMS[label]])


def break_minus10(minus10: str, rng: np.random.Generator) -> str:
    """The paper's broken natural −10: position 2 (index 1) A→C, T→G, else a seeded other base."""
    b = minus10[1]
    new = {"A": "C", "T": "G"}.get(b) or "ACGT".replace(b, "")[int(rng.integers(3))]
    return minus10[0] + new + minus10[2:]


def _scramble(window: str, rng: np.random.Generator) -> str:
    return "".join(rng.permutation(list(window)).tolist())


def _elements(up: bool, ext: bool, scrambled: bool = False) -> tuple[Element, ...]:
    lay = STANDARD
    els = [Element("minus35", *lay.minus35), Element("minus10", *lay.minus10)]
    tag = "_scrambled" if scrambled else ""
    els += [Element("up" + tag, *lay.up)] if up else []
    els += [Element("ext10" + tag, *lay.ext10)] if ext else []
    return tuple(sorted(els, key=lambda e: e.start))


def synthetic_paper(seed: int, counts: dict[str, int], at: float = PAPER_AT) -> dict[str, list[SequenceRecord]]:
    """Classes C, D, E, F, H of the paper's construction (see module docstring)."""
    lay = STANDARD
    s35, s10, u0, e0 = lay.minus35_start, lay.minus10_start, lay.up_start, lay.ext10_start
    out: dict[str, list[SequenceRecord]] = {}
    for label in "CDEFH":
        rng, recs = _rng(seed, label), []
        for i in range(counts[label]):
            m35 = STRONG_35[int(rng.integers(len(STRONG_35)))] if label == "F" else CONSENSUS_35
            m10 = CONSENSUS_10 if label == "C" else BROKEN_10
            seq = place(place(iid_background(rng, lay.length, at), s35, m35), s10, m10)
            meta = {"group": f"{i:03d}", "design": f"paper_{label}", "construction": "paper", "minus35": m35,
                    "minus10": m10, "up": False, "ext10": False}
            comp = label in "EFH"
            if comp:
                up = resolve_iupac(rng, UP_CONSENSUS)
                seq = place(place(seq, u0, up), e0, EXT10)
                meta.update(up=label != "H", ext10=label != "H", up_element=up)
            if label == "H":
                seq = place(place(seq, u0, _scramble(seq[u0:u0 + lay.up_len], rng)), e0, _scramble(seq[e0:e0 + 3], rng))
            recs.append(SequenceRecord(f"{label}_{i:03d}", label, seq,
                                       _elements(comp, comp, scrambled=label == "H"), meta))
        out[label] = recs
    return out


def natural_paper(promoters: list[natural.NaturalPromoter], seed: int, counts: dict[str, int],
                  at: float = PAPER_AT) -> dict[str, list[SequenceRecord]]:
    """Classes A, B, G of the paper's construction from mitbench's natural source.

    Raises
    ------
    ValueError
        If the source has no intact natural promoter (names the class).
    """
    pool = natural.pools(promoters)["intact"]
    if not pool:
        raise ValueError("class A: no 'intact' natural promoters in the source")
    lay = STANDARD
    drawn = natural.draw(pool, counts["A"], _rng(seed, "A"))
    out: dict[str, list[SequenceRecord]] = {"A": [], "B": [], "G": []}
    for label in "ABG":
        rng = _rng(seed, label)
        for j, (p, copy) in enumerate(drawn[:counts[label]]):
            if label != "A":
                p = dataclasses.replace(p, minus10=break_minus10(p.minus10, rng), up=False, ext10=False)
            seq, elems, meta = natural.realize(p, rng, lay, at, bg=iid_background(rng, lay.length, at))
            if label == "G":  # the paper's G: the broken natural −10 compensated by UP + TGT
                up = resolve_iupac(rng, PAPER_NATURAL_UP)
                seq = place(place(seq, lay.up_start, up), lay.ext10_start, EXT10)
                elems = tuple(sorted(elems + (Element("up", *lay.up), Element("ext10", *lay.ext10)),
                                     key=lambda e: e.start))
                meta.update(up=True, ext10=True, up_source="paper_natural_up", up_element=up)
            out[label].append(SequenceRecord(f"{label}_{j:03d}", label, seq, elems, {
                **meta, "group": f"{j:03d}", "design": f"paper_{label}", "construction": "paper",
                "natural_copy": copy, **({"intact_pair": f"A_{j:03d}"} if label != "A" else {})}))
    return out
