"""Nullsettes (Jiang et al. 2025, arXiv 2506.10271): working expression cassettes and their
loss-of-function translocation mutants, built from parts.

Source: the part dictionaries and libraries of cellethology/GLM-Nullsette-Benchmark (commit
be792567, MIT licence) converted to text under ``<root>/nullsettes/`` (``cassette_parts.json``,
``translocations.tsv``, ``lagator_promoters.tsv``, ``deboer_promoters.tsv``,
``zahm_promoters.tsv``) and ``<root>/kosuri2013/promoter_rbs_pairs.tsv``, read by
:mod:`mitbench.data.nullsettes.sources`. Nothing is shipped.

=================  ============  =========================================================
dataset            kingdom       cassettes (1,500 each; library part per cassette)
=================  ============  =========================================================
kosuri             prokaryotic   promoter + RBS pair (Kosuri et al. 2013), sfGFP
lagator            prokaryotic   36N promoter (Lagator et al. 2022), sfGFP
deboer_pTpA        eukaryotic    80N promoter in the pTpA scaffold (de Boer et al. 2020), YFP
deboer_Abf1TATA    eukaryotic    80N promoter in the Abf1TATA scaffold, YFP
zahm               eukaryotic    TRE + minCMV / minProm / minTK promoter (Zahm et al.), luciferase
=================  ============  =========================================================

Each cassette gives one ``nonmutant`` record and one mutant per translocation type (``T01`` ..
``T19`` prokaryotic, ``T01`` .. ``T11`` eukaryotic; part orders from ``translocations.tsv``).
Linkers stay in fixed junctions (see :mod:`mitbench.data.nullsettes.cassettes`), so a mutant has exactly its
nonmutant's length and composition (asserted here for every record).

Source defects the builder catches (reported in :class:`BuildReport`, hence ``metrics.json``):

* **Frame.** Every nonmutant's ORF is checked (:func:`mitbench.data.nullsettes.cassettes.frame_defect`).
  Lagator's sfGFP CDS lacks 1 nt at CDS offset 535. ``repair_frame=True`` (default: the
  benchmark is built from working cassettes) applies the documented repair
  (:data:`~mitbench.data.nullsettes.cassettes.KNOWN_REPAIRS`); ``False`` builds the source as given, as
  the reference does, and still reports the defect.
* **Duplicated flanks.** De Boer library promoters carry the constant primer flanks that the
  distal (5') and proximal (3') parts already end/start with (17 + 13 bp in pTpA, 16 + 19 bp in
  Abf1TATA). ``trim_flanks=True`` (default) keeps one copy, as in the measured construct.
* **IUPAC codes.** Zahm ``linker2`` holds a degenerate barcode (``B``, ``D``, ``H``, ``V``). It
  is resolved per cassette, uniformly per position, with ``numpy.random.default_rng([seed, 1,
  source_index])`` (independent of the subset), and recorded in ``meta["resolved_<key>"]``; the
  nonmutant and its mutants share it.

Seeded subset: ``n_cassettes=N`` keeps ``sorted(default_rng(seed).choice(1500, N, replace=False))``.

CLI: ``python -m mitbench.data.nullsettes.build --dataset kosuri --root ../shared/data --out DIR``
writes ``<dataset>.fasta``, ``<dataset>.metadata.csv`` (coordinates as JSON) and
``<dataset>.build.json`` (the build report).
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mitbench.data.nullsettes.cassettes import (KNOWN_REPAIRS, Cassette, encodes_cds, frame_defect, repair,
                                     split_segments, translocate)
from mitbench.data.core.grammar import IUPAC, resolve_iupac
from mitbench.data.nullsettes.sources import (DATASETS, N_TYPES, PART_NAMES, library_rows, read_parts,
                                              read_translocations)
from mitbench.data.core.records import SequenceRecord

__all__ = ["DATASETS", "N_TYPES", "NONMUTANT", "BuildReport", "build_cassettes", "build_nullsettes",
           "cassette_records", "read_parts", "read_translocations", "main"]
NONMUTANT = "nonmutant"

LINKER_POLICY = ("linkers stay in fixed junctions: junction k sits between the k-th and (k+1)-th part "
                 "whichever parts those are; mutants keep their nonmutant's length and composition")


@dataclass
class BuildReport:
    """What the builder found and did; every field goes to ``metrics.json`` and the report."""

    dataset: str
    kingdom: str
    n_available: int
    n_cassettes: int
    n_types: int
    frame_defects: list[str] = field(default_factory=list)
    repair_frame: bool = True
    frame_repairs: list[str] = field(default_factory=list)
    flank_trims: list[str] = field(default_factory=list)
    iupac: list[str] = field(default_factory=list)
    linker_policy: str = LINKER_POLICY
    type_orders: dict[str, str] = field(default_factory=dict)
    cds_encoded: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _segments(group: str, design: list[tuple[str, str]], fills: dict[str, list[tuple[str, str]]],
              seed: int, index: int, meta: dict[str, Any]) -> list[tuple[str, str]]:
    """Fill a design's placeholders and resolve IUPAC codes (recorded in ``meta``)."""
    out: list[tuple[str, str]] = []
    rng = None
    for key, value in design:
        for k, seq in fills.get(key, [(key, value)]):
            seq = str(seq).strip().upper()
            bad = next((i for i, c in enumerate(seq) if c not in IUPAC), None)
            if bad is not None:
                raise ValueError(f"cassette {group!r}, part {k!r}: character {seq[bad]!r} at position {bad} "
                                 "is neither a base nor an IUPAC code (an unfilled library placeholder?)")
            if set(seq) - set("ACGT"):
                rng = rng or np.random.default_rng([int(seed), 1, int(index)])
                seq = resolve_iupac(rng, seq)
                meta[f"resolved_{k}"] = seq
            out.append((k, seq))
    return out


def build_cassettes(root: str | Path, dataset: str, n_cassettes: int | None = None, seed: int = 0,
                    repair_frame: bool = True, trim_flanks: bool = True
                    ) -> tuple[list[tuple[Cassette, dict[str, Any]]], BuildReport]:
    """Working cassettes of ``dataset`` with their meta, and the build report (see module docstring).

    Raises
    ------
    ValueError
        On an unknown dataset, ``n_cassettes`` outside 1..available, an undocumented frame defect
        with ``repair_frame=True``, or a malformed part.
    """
    root = Path(root)
    if dataset not in DATASETS:
        raise ValueError(f"unknown nullsettes dataset {dataset!r}; choose one of {sorted(DATASETS)}")
    kingdom, parts = DATASETS[dataset], read_parts(root)
    rows = list(library_rows(root, dataset, parts, trim_flanks))
    keep = range(len(rows))
    if n_cassettes is not None:
        if not 1 <= int(n_cassettes) <= len(rows):
            raise ValueError(f"n_cassettes must be in 1..{len(rows)} for {dataset}, got {n_cassettes}")
        keep = sorted(np.random.default_rng(seed).choice(len(rows), int(n_cassettes), replace=False).tolist())
    types = read_translocations(root)[kingdom]
    names = {v: k for k, v in PART_NAMES.items()}
    report = BuildReport(dataset, kingdom, len(rows), len(keep), len(types), repair_frame=bool(repair_frame),
                         type_orders={t: " - ".join(names[p] for p in order) for t, order in types})

    def assemble(designs: dict[str, list[tuple[str, str]]]) -> list[tuple[Cassette, dict[str, Any]]]:
        out = []
        for i in keep:
            design, fills, meta = rows[i]
            group = f"{dataset}_{meta['source_index']:04d}"
            meta = {"group": group, "dataset": dataset, "design": design, "kingdom": kingdom, **meta}
            segs = _segments(group, designs[design], fills, seed, meta["source_index"], meta)
            out.append((split_segments(group, kingdom, segs), meta))
        return out

    def defects(cassettes) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for cas, meta in cassettes:
            msg = frame_defect(cas)
            if msg:
                found[(meta["design"], msg)] = found.get((meta["design"], msg), 0) + 1
        return found

    cassettes = assemble(parts)
    found = defects(cassettes)
    for (design, msg), n in sorted(found.items()):
        known = [r for r in KNOWN_REPAIRS if r.design == design]
        hint = (f" [known source defect: {known[0].defect}; repair_frame=true inserts {known[0].insert!r} there]"
                if known else "")
        report.frame_defects.append(f"{design}: {msg} ({n} of {len(cassettes)} nonmutants){hint}")
    if repair_frame and found:
        fixed = dict(parts)
        for design in sorted({d for d, _ in found}):
            fixed[design], used = repair(design, parts[design])
            if not used:
                raise ValueError(f"design {design!r} has a frame defect with no documented repair "
                                 f"({report.frame_defects}); build with repair_frame=false to keep it")
            report.frame_repairs += [r.describe() for r in used]
        cassettes = assemble(fixed)
        left = defects(cassettes)
        if left:
            raise ValueError(f"frame defects remain after the documented repairs: {sorted(left)}")
    trimmed = [m for _, m in cassettes if m.get("flank_trimmed_5") or m.get("flank_trimmed_3")]
    if trimmed:
        sizes = sorted({(m["flank_trimmed_5"], m["flank_trimmed_3"]) for m in trimmed})
        report.flank_trims.append(f"{dataset}: removed duplicated constant flanks (5', 3' bp: "
                                  f"{', '.join(f'{a}+{b}' for a, b in sizes[:5])}{' ...' if len(sizes) > 5 else ''}) "
                                  f"from {len(trimmed)} of {len(cassettes)} library promoters")
    resolved = sorted({k for _, m in cassettes for k in m if k.startswith("resolved_")})
    if resolved:
        report.iupac.append(f"{', '.join(k[len('resolved_'):] for k in resolved)}: IUPAC codes resolved per "
                            f"cassette, uniformly per position, rng = default_rng([{seed}, 1, source_index]); "
                            "recorded in meta")
    return cassettes, report


def _composition(seq: str) -> tuple[int, ...]:
    return tuple(seq.count(b) for b in "ACGT")


def cassette_records(cassette: Cassette, meta: dict[str, Any],
                     types: list[tuple[str, tuple[str, ...]]]) -> list[SequenceRecord]:
    """The nonmutant and one record per translocation type of one cassette.

    Raises
    ------
    AssertionError
        If a mutant differs from its nonmutant in length or composition, or equals it.
    """
    out = []
    wild, _ = translocate(cassette, cassette.order)
    counts = _composition(wild)
    for label, order in [(NONMUTANT, cassette.order), *types]:
        seq, elements = translocate(cassette, order)
        if label != NONMUTANT:
            assert len(seq) == len(wild) and _composition(seq) == counts, f"{cassette.group} {label}: composition changed"
            assert seq != wild, f"{cassette.group} {label}: translocation left the sequence unchanged"
        out.append(SequenceRecord(f"{cassette.group}_{label}", label, seq, elements,
                                  {**meta, "type": label}))
    return out


def build_nullsettes(root: str | Path, dataset: str, n_cassettes: int | None = None, seed: int = 0,
                     repair_frame: bool = True, trim_flanks: bool = True
                     ) -> tuple[list[SequenceRecord], BuildReport]:
    """All records of ``dataset`` (per cassette: nonmutant, then T01, T02, ...) and the build report."""
    cassettes, report = build_cassettes(root, dataset, n_cassettes, seed, repair_frame, trim_flanks)
    types = read_translocations(root)[report.kingdom]
    records = [r for cas, meta in cassettes for r in cassette_records(cas, meta, types)]
    encoded: dict[str, list[bool]] = {}
    for r in records:
        cds = r.element("cds")
        encoded.setdefault(r.label, []).append(encodes_cds(r.sequence, (cds.start, cds.end)))
    report.cds_encoded = {label: float(np.mean(v)) for label, v in encoded.items()}
    return records, report


def main(argv: list[str] | None = None) -> dict[str, Path]:
    """CLI entry: build one dataset and write FASTA, metadata CSV and the build report."""
    from mitbench.data.core.io import format_fasta
    from mitbench.data.core.records import records_to_frame, validate_records

    ap = argparse.ArgumentParser(prog="python -m mitbench.data.nullsettes.build", description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", required=True, choices=sorted(DATASETS))
    ap.add_argument("--root", required=True, help="folder holding nullsettes/ and kosuri2013/")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--n-cassettes", type=int, default=None, help="seeded subset (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-repair-frame", action="store_true", help="keep source frame defects (reference build)")
    ap.add_argument("--keep-duplicate-flanks", action="store_true", help="keep de Boer's duplicated flanks")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    records, report = build_nullsettes(args.root, args.dataset, args.n_cassettes, args.seed,
                                       not args.no_repair_frame, not args.keep_duplicate_flanks)
    records = validate_records(records)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"fasta": out / f"{args.dataset}.fasta", "metadata": out / f"{args.dataset}.metadata.csv",
             "build": out / f"{args.dataset}.build.json"}
    paths["fasta"].write_text(format_fasta(records))
    records_to_frame(records).to_csv(paths["metadata"], index=False, lineterminator="\n")
    paths["build"].write_text(json.dumps(report.to_dict(), indent=1) + "\n")
    print(f"{len(records)} records ({report.n_cassettes} cassettes x {report.n_types + 1}) "
          f"in {time.perf_counter() - t0:.2f} s")
    for line in report.frame_defects + report.frame_repairs + report.flank_trims + report.iupac:
        print(line)
    for kind, path in paths.items():
        print(f"{kind}: {path}")
    return paths


if __name__ == "__main__":
    main()
