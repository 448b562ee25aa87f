"""The Mechanistic Invariance Test (MIT): 650 designed 100-bp σ70 promoters in 8 classes.

Classes and counts (paper Table 1):

====  =======================================================  =====
A     natural, intact −10                                       100
B     natural, broken (weak) −10, no UP / extended −10          100
C     synthetic intact: TTGACA … TATAAT                         100
D     synthetic broken: TTGACA … TGTAAT                         100
E     compensated: D + UP (AAAAAARNR, 15–23) + TGT (50–52)      100
F     over-compensated: E + distal UP + strong −35 variant       50
G     natural, weak −10 compensated by UP + TGn                   50
H     scrambled control: E with 15–23 and 40–48 swapped          50
====  =======================================================  =====

**Matched design.** C_i, D_i, E_i share background ``i`` and differ only in the designed
elements; F_i adds to E_i (same background, same proximal UP draw) the distal UP subsite
``AAAWWTWTTTT`` (Estrem et al. 1998 consensus, −57..−47) at 4–14 and a −35 drawn from
:data:`STRONG_35`; H_i is E_i with segments 15–23 and 40–48 swapped (the UP element moved
downstream of the −35), so it has exactly E_i's composition. ``meta["group"]`` is the matched
index ``f"{i:03d}"`` (for A/B/G just the index); partner ids are explicit meta fields. Class G is
a natural weak −10 compensated like the paper's G: by an UP element *and* an extended −10 — the
consensus UP (AAAAAARNR) at 15–23 and ``TG`` at −15/−14 are added where the promoter has none
of its own (``meta["up_source"]``/``["ext10_source"]`` = ``"added"``).

**Paper design** (``design="paper"``): the paper's own construction as released (independent
backgrounds per class, H scrambled in place; :mod:`mitbench.data.mit.paper`). Its CSS and SCR
pair classes by index only, so they measure something else than the matched design's (see the
README, "Two designs").

Seeding: independent streams ``numpy.random.default_rng([seed, k])`` per part, so e.g. the natural
source does not change C–F/H; same seed, same bytes on any machine.

**Placement controls** (``controls``; default: on for the matched design, off for the paper's):
for each of the first 50 E_i, a 200-bp canvas of three promoter units in which the core promoter and
E_i's UP element (and its ``TGT``) each sit in one unit (:mod:`mitbench.data.mit.controls`, a Latin
square: every UP slot is the right one for exactly one core frame): per background 3 correct cells
(``placement_ref``) and 6 wrong ones in each family, ``up_placement`` (the UP in another unit) and
``comp_placement`` (UP and ``TGT`` in another unit): 50 × 15 = 750 records. All cells of a background
are permutations of each other (exact composition); no fixed function of absolute position can rank
the correct cells above chance.

The controls take only E_i's UP draw, so they can be built for the paper's E too
(``design="paper", controls=True``), though that is no longer the paper's 650-sequence set.

CLI: ``python -m mitbench.data.mit.designed --out DIR [--seed N] [--design matched|paper]
[--natural-source curated|regulondb] [--regulondb-path FILE] [--no-controls]`` writes
``mit.fasta``, ``mit.metadata.csv`` and ``mit.json``.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from mitbench.data.mit import controls as ctl
from mitbench.data.mit import natural
from mitbench.data.core.grammar import (BROKEN_10, CONSENSUS_10, CONSENSUS_35, EXT10, STANDARD, STRONG_35, UP_CONSENSUS,
                                        background, mismatches, place, resolve_iupac)
from mitbench.data.core.records import Element, SequenceRecord

COUNTS = {"A": 100, "B": 100, "C": 100, "D": 100, "E": 100, "F": 50, "G": 50, "H": 50}
NATURAL_CLASSES = {"A": "intact", "B": "weak", "G": "compensated"}
NATURAL_SOURCES = ("curated", "regulondb")
DESIGNS = ("matched", "paper")
DEFAULT_AT = {"matched": 0.55, "paper": 0.56}  # the paper's released backgrounds: 0.56 per base
DISTAL_UP = "AAAWWTWTTTT"  # Estrem et al. 1998 PNAS UP consensus, distal subsite −57..−47
SWAP = ((15, 24), (40, 49))  # H: UP slot <-> spacer segment, half-open
_MM_BROKEN = mismatches(BROKEN_10, CONSENSUS_10)
_STREAMS = {"background": 0, "up": 1, "over": 2, "A": 3, "B": 4, "G": 5, "controls": 6}
FAMILIES = ctl.FAMILIES


def _rng(seed: int, part: str) -> np.random.Generator:
    return np.random.default_rng([int(seed), _STREAMS[part]])


def _rid(label: str, i: int) -> str:
    return f"{label}_{i:03d}"


def synthetic_records(seed: int = 42, at: float = 0.55) -> list[SequenceRecord]:
    """Classes C, D, E, F, H (matched by background index; see module docstring)."""
    lay = STANDARD
    s35, s10, ext, up = lay.minus35_start, lay.minus10_start, lay.ext10, lay.up
    distal = (up[0] - len(DISTAL_UP), up[0])
    r_bg, r_up, r_over = _rng(seed, "background"), _rng(seed, "up"), _rng(seed, "over")
    core = (Element("minus35", s35, s35 + 6), Element("minus10", *lay.minus10))
    by: dict[str, list[SequenceRecord]] = {c: [] for c in "CDEFH"}
    for i in range(COUNTS["C"]):
        g = f"{i:03d}"
        bg = place(background(r_bg, lay.length, at), s35, CONSENSUS_35)
        up_seq = resolve_iupac(r_up, UP_CONSENSUS)
        c = place(bg, s10, CONSENSUS_10)
        d = place(bg, s10, BROKEN_10)
        e = place(place(d, up[0], up_seq), ext[0], EXT10)
        common = {"group": g, "minus35": CONSENSUS_35}
        pairs_e = {"scrambled_pair": _rid("H", i), "overcompensated_pair": _rid("F", i)} if i < COUNTS["H"] else {}
        by["C"].append(SequenceRecord(_rid("C", i), "C", c, core, {
            **common, "design": "synthetic_intact", "minus10": CONSENSUS_10, "mm10": 0, "up": False, "ext10": False,
            "broken_pair": _rid("D", i), "compensated_pair": _rid("E", i)}))
        by["D"].append(SequenceRecord(_rid("D", i), "D", d, core, {
            **common, "design": "synthetic_broken", "minus10": BROKEN_10, "mm10": _MM_BROKEN, "up": False,
            "ext10": False, "intact_pair": _rid("C", i), "compensated_pair": _rid("E", i)}))
        e_elems = tuple(sorted(core + (Element("up", *up), Element("ext10", *ext)), key=lambda x: x.start))
        by["E"].append(SequenceRecord(_rid("E", i), "E", e, e_elems, {
            **common, "design": "compensated", "minus10": BROKEN_10, "mm10": _MM_BROKEN, "up": True, "ext10": True,
            "up_element": up_seq, "intact_pair": _rid("C", i), "broken_pair": _rid("D", i), **pairs_e}))
        if i < COUNTS["H"]:
            (a0, a1), (b0, b1) = SWAP
            h = e[:a0] + e[b0:b1] + e[a1:b0] + e[a0:a1] + e[b1:]
            h_elems = tuple(sorted(core + (Element("up", b0, b1), Element("ext10", *ext)), key=lambda x: x.start))
            by["H"].append(SequenceRecord(_rid("H", i), "H", h, h_elems, {
                **common, "design": "scrambled_control", "minus10": BROKEN_10, "mm10": _MM_BROKEN, "up": True,
                "ext10": True, "up_element": up_seq, "compensated_pair": _rid("E", i), "broken_pair": _rid("D", i)}))
        if i < COUNTS["F"]:
            m35 = STRONG_35[int(r_over.integers(len(STRONG_35)))]
            dist = resolve_iupac(r_over, DISTAL_UP)
            f = place(place(e, distal[0], dist), s35, m35)
            f_elems = tuple(sorted(e_elems + (Element("distal_up", *distal),), key=lambda x: x.start))
            by["F"].append(SequenceRecord(_rid("F", i), "F", f, f_elems, {
                "group": g, "minus35": m35, "design": "over_compensated", "minus10": BROKEN_10, "mm10": _MM_BROKEN,
                "up": True, "ext10": True, "up_element": up_seq, "distal_up": dist,
                "compensated_pair": _rid("E", i), "broken_pair": _rid("D", i)}))
    return [r for c in "CDEFH" for r in by[c]]


def _compensate(seq: str, elems: tuple[Element, ...], meta: dict, rng: np.random.Generator):
    """Class G: add the consensus UP at 15–23 and ``TG`` at −15/−14 where the promoter has none."""
    lay, meta = STANDARD, dict(meta)
    extra = []
    if not meta["up"]:
        seq = place(seq, lay.up_start, resolve_iupac(rng, UP_CONSENSUS))
        extra.append(Element("up", *lay.up))
        meta.update(up=True, up_source="added")
    meta["ext10_source"] = "natural"
    if not meta["ext10"]:
        seq = place(seq, lay.ext10_start, "TG")
        extra.append(Element("ext10", *lay.ext10))
        meta.update(ext10=True, ext10_source="added")
    return seq, tuple(sorted(elems + tuple(extra), key=lambda e: e.start)), meta


def natural_records(promoters: list[natural.NaturalPromoter], seed: int = 42,
                    at: float = 0.55) -> dict[str, list[SequenceRecord]]:
    """Classes A, B, G drawn evenly from the intact / weak / compensated pools of ``promoters``;
    G gets the UP and the extended −10 it lacks (module docstring).

    Raises
    ------
    ValueError
        If a pool needed by a class is empty (names the class and the category).
    """
    pools = natural.pools(promoters)
    out: dict[str, list[SequenceRecord]] = {}
    for label, category in NATURAL_CLASSES.items():
        if not pools[category]:
            raise ValueError(f"class {label}: no {category!r} natural promoters in the source")
        rng = _rng(seed, label)
        recs = []
        for j, (p, copy) in enumerate(natural.draw(pools[category], COUNTS[label], rng)):
            seq, elems, meta = natural.realize(p, rng, STANDARD, at)
            if label == "G":
                seq, elems, meta = _compensate(seq, elems, meta, rng)
            recs.append(SequenceRecord(_rid(label, j), label, seq, elems, {
                "group": f"{j:03d}", "design": f"natural_{category}", **meta, "natural_copy": copy}))
        out[label] = recs
    return out


def load_natural(source: str, regulondb_path: str | Path | None = None) -> list[natural.NaturalPromoter]:
    """Natural promoters from ``"curated"`` (packaged table) or ``"regulondb"`` (file by path)."""
    if source == "curated":
        return natural.load_curated()
    if source == "regulondb":
        if not regulondb_path:
            raise ValueError("natural_source='regulondb' needs regulondb_path (RegulonDB PromoterSet.txt; "
                             "not shipped with mitbench for licence reasons)")
        from mitbench.data.mit.regulondb import read_promoter_set

        return [natural.from_located(p) for p in read_promoter_set(regulondb_path)]
    raise ValueError(f"natural_source must be one of {NATURAL_SOURCES}, got {source!r}")


def control_records(e_records: list[SequenceRecord], seed: int = 42,
                    design: ctl.PlacementDesign = ctl.PlacementDesign()) -> list[SequenceRecord]:
    """The placement-control canvases of the given E records (see :mod:`mitbench.data.mit.controls`):
    per background, ``m`` correct cells (label ``placement_ref``, ids ``PLR_<group>_f<j>``) and the
    wrong cells of the ``up_placement`` and ``comp_placement`` families (``UPP_<group>_f<j>u<k>``,
    ``CMP_<group>_f<j>u<k>``), ``m + 2 m (m - 1)`` records of ``design.length`` bp.

    Meta: ``group`` (E's background), ``family``, ``frame`` (j, the unit holding the core), ``slot``
    (k, the unit holding the UP), ``placement`` (``f<j>u<k>``), ``correct`` (j == k),
    ``layout_offset`` (the −35 start minus the standard layout's: where a fixed-layout baseline reads
    the promoter), ``compensated_pair`` (the E record). Elements: the core's ``minus35``/``minus10``,
    the ``up`` where it is, and ``ext10`` (beside the core's −10) or ``ext10_moved``.
    """
    rng = _rng(seed, "controls")
    std = STANDARD
    out: list[SequenceRecord] = []
    for e in e_records:
        g = e.meta["group"]
        cv = ctl.canvas(rng, design, e.sequence[std.up_start:std.up_start + std.up_len])
        plan = [(ctl.REFERENCE, "PLR", j, j, j) for j in range(design.n_frames)]
        plan += [(family, prefix, j, k, x) for family, prefix in zip(FAMILIES, ("UPP", "CMP"))
                 for j, k, x in ctl.cells(family, design.n_frames)]
        for family, prefix, j, k, x in plan:
            c = cv.frames[j]
            a, t = cv.frames[k] - ctl.UP_TO_35, cv.frames[x] + ctl.EXT_AT
            els = (Element("minus35", c, c + 6), Element("minus10", c + ctl.M10_AT, c + ctl.M10_AT + 6),
                   Element("up", a, a + ctl.UP_LEN), Element("ext10" if x == j else "ext10_moved", t, t + 3))
            rid = f"{prefix}_{g}_f{j}" if family == ctl.REFERENCE else f"{prefix}_{g}_f{j}u{k}"
            out.append(SequenceRecord(rid, family, cv.cell(j, k, x), tuple(sorted(els, key=lambda el: el.start)), {
                "group": g, "family": family, "frame": j, "slot": k, "placement": f"f{j}u{k}", "correct": j == k,
                "layout_offset": c - std.minus35_start, "design": "placement_control", "compensated_pair": e.id}))
    return out


def build_mit(seed: int = 42, natural_source: str = "curated", regulondb_path: str | Path | None = None,
              background_at: float | None = None, controls: bool | None = None,
              design: str = "matched") -> list[SequenceRecord]:
    """The 650 MIT records (classes in order A..H, ids ``A_000``..``H_049``), then, with
    ``controls``, the placement-control families of the first 50 E records.

    Parameters
    ----------
    background_at : float, optional
        Background A/T fraction; None: the design's own (matched 0.55 exact count, paper 0.56
        per base).
    controls : bool, optional
        Add the placement controls; None: on for ``matched``, off for ``paper``.
    design : {"matched", "paper"}
        mitbench's matched construction or the paper's own (module docstring).

    Raises
    ------
    ValueError
        On a bad ``design`` or ``natural_source``, a missing RegulonDB path, or two identical
        sequences.
    """
    if design not in DESIGNS:
        raise ValueError(f"design must be one of {DESIGNS}, got {design!r}")
    at = DEFAULT_AT[design] if background_at is None else float(background_at)
    promoters = load_natural(natural_source, regulondb_path)
    if design == "paper":
        from mitbench.data.mit.paper import natural_paper, synthetic_paper

        nat, syn = natural_paper(promoters, seed, COUNTS, at), synthetic_paper(seed, COUNTS, at)
    else:
        nat = natural_records(promoters, seed, at)
        syn = {c: [r for r in synthetic_records(seed, at) if r.label == c] for c in "CDEFH"}
    records = [r for c in "ABCDEFGH" for r in (nat if c in nat else syn)[c]]
    seen: dict[str, str] = {}
    for r in records:
        if r.sequence in seen:
            raise ValueError(f"record {r.id!r}: same sequence as {seen[r.sequence]!r} (seed {seed})")
        seen[r.sequence] = r.id
    if design == "matched" if controls is None else controls:
        records += control_records(syn["E"][:COUNTS["H"]], seed)
    # the seed the ids do not show: scores keyed by id alone cannot be trusted for these records
    return [replace(r, meta={**r.meta, "generator_seed": int(seed)}) for r in records]


def main(argv: list[str] | None = None) -> dict[str, Path]:
    """CLI entry: generate the benchmark and write FASTA, metadata CSV and JSON."""
    from mitbench.data.core.io import write_records
    from mitbench.data.core.records import validate_records

    ap = argparse.ArgumentParser(prog="python -m mitbench.data.mit.designed", description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--natural-source", choices=NATURAL_SOURCES, default="curated")
    ap.add_argument("--regulondb-path", default=None, help="RegulonDB PromoterSet.txt (for --natural-source regulondb)")
    ap.add_argument("--background-at", type=float, default=None, help="default: the design's own (0.55 / 0.56)")
    ap.add_argument("--design", choices=DESIGNS, default="matched")
    ap.add_argument("--no-controls", action="store_true", help="only the 650 records (no placement controls)")
    ap.add_argument("--stem", default="mit", help="output file stem")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    records = validate_records(build_mit(args.seed, args.natural_source, args.regulondb_path, args.background_at,
                                         controls=False if args.no_controls else None, design=args.design))
    paths = write_records(records, args.out, args.stem)
    counts = " ".join(f"{c}={sum(r.label == c for r in records)}" for c in [*"ABCDEFGH", ctl.REFERENCE, *FAMILIES])
    print(f"{len(records)} records ({counts}) in {time.perf_counter() - t0:.3f} s")
    for kind, path in paths.items():
        print(f"{kind}: {path}")
    return paths


if __name__ == "__main__":
    main()
