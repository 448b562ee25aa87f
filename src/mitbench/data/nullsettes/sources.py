"""Readers of the Nullsettes source folder (``<root>/nullsettes/``, ``<root>/kosuri2013/``).

Formats: see :mod:`mitbench.data.nullsettes.build`. Each reader validates what it reads and names the
file and row of a defect. De Boer library promoters repeat the constant flanks of the scaffold
parts around them; with ``trim_flanks`` the repeat (the longest overlap of at least
:data:`MIN_FLANK` bp) is removed from the library sequence and its size recorded in the meta.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from mitbench.data.nullsettes.cassettes import KINGDOMS
from mitbench.data.core.textio import InputError, read_json

DATASETS = {"kosuri": "prokaryotic", "lagator": "prokaryotic", "deboer_pTpA": "eukaryotic",
            "deboer_Abf1TATA": "eukaryotic", "zahm": "eukaryotic"}
N_TYPES = {"prokaryotic": 19, "eukaryotic": 11}  # translocation types of the anchor
PART_NAMES = {"Promoter": "promoter", "RBS": "rbs", "Start codon": "start_codon", "CDS": "cds",
              "Stop codon": "stop_codon", "Terminator": "terminator"}
MIN_FLANK = 8  # shortest overlap taken as a duplicated flank (a chance 8-bp match: p ~ 1.5e-5)


def _tsv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: suite.root must hold nullsettes/ and kosuri2013/ "
                                "(see the README, 'Nullsettes' data)")
    return pd.read_csv(path, sep="\t")


def read_parts(root: str | Path) -> dict[str, list[tuple[str, str]]]:
    """Design name -> its 5'->3' ``(key, value)`` parts from ``nullsettes/cassette_parts.json``."""
    path = Path(root) / "nullsettes" / "cassette_parts.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found (suite.root must hold nullsettes/ and kosuri2013/)")
    raw = read_json(path)  # refuses a design or part named twice (plain json keeps the last)
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise InputError(f"{path}: expected an object of designs, each an object of parts")
    return {name: list(parts.items()) for name, parts in raw.items()}


def read_translocations(root: str | Path) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Kingdom -> ``[(label, part order), ...]`` (labels ``T01``...) from ``translocations.tsv``.

    Raises
    ------
    ValueError
        Naming the file and row if an order is not a permutation of the kingdom's parts or
        repeats the nonmutant order.
    """
    path = Path(root) / "nullsettes" / "translocations.tsv"
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {k: [] for k in KINGDOMS}
    for i, row in enumerate(_tsv(path).itertuples(index=False), start=2):
        names = [n.strip() for n in str(row.order).split(" - ")]
        if row.kingdom not in KINGDOMS or any(n not in PART_NAMES for n in names):
            raise ValueError(f"{path}, line {i}: unknown kingdom or part in {row.kingdom!r} {row.order!r}")
        order = tuple(PART_NAMES[n] for n in names)
        if sorted(order) != sorted(KINGDOMS[row.kingdom]) or order == KINGDOMS[row.kingdom]:
            raise ValueError(f"{path}, line {i}: {row.order!r} is not a translocation of "
                             f"{' - '.join(KINGDOMS[row.kingdom])}")
        out[row.kingdom].append((f"T{int(row.type):02d}", order))
    for kingdom, types in out.items():
        labels = [t for t, _ in types]
        if labels != [f"T{k:02d}" for k in range(1, N_TYPES[kingdom] + 1)]:
            raise ValueError(f"{path}: {kingdom} types {labels}, expected T01..T{N_TYPES[kingdom]:02d} in order")
    return out


def _overlap(a: str, b: str) -> int:
    """Longest ``k >= MIN_FLANK`` with ``a.endswith(b[:k])`` (0 if none)."""
    return next((k for k in range(min(len(a), len(b)), MIN_FLANK - 1, -1) if a.endswith(b[:k])), 0)


def library_rows(root: Path, dataset: str, parts: dict[str, list[tuple[str, str]]],
             trim_flanks: bool) -> Iterator[tuple[str, dict[str, list[tuple[str, str]]], dict[str, Any]]]:
    """Per library row: (design, {placeholder key: [(segment key, sequence), ...]}, meta)."""
    if dataset == "kosuri":
        for i, r in enumerate(_tsv(root / "kosuri2013" / "promoter_rbs_pairs.tsv").itertuples(index=False)):
            yield "kosuri", {"promoter": [("promoter", r.promoter_seq)], "rbs": [("rbs", r.rbs_seq)]}, {
                "source_index": i, "library_name": r.name, "promoter_name": r.promoter_name, "rbs_name": r.rbs_name}
    elif dataset == "lagator":
        for r in _tsv(root / "nullsettes" / "lagator_promoters.tsv").itertuples(index=False):
            yield "lagator", {"promoter": [("promoter", r.promoter_seq)]}, {
                "source_index": int(r.index), "library_name": f"lagator36N_{int(r.index)}",
                "expression": float(r.estimate_bin)}
    elif dataset.startswith("deboer_"):
        lib = dataset.split("_", 1)[1]
        design = dict(parts[dataset])
        table = _tsv(root / "nullsettes" / "deboer_promoters.tsv")
        for r in table[table["library"] == lib].itertuples(index=False):
            seq, k5, k3 = r.promoter_seq, 0, 0
            if trim_flanks:
                k5 = _overlap(design["distal_promoter"], seq)
                k3 = _overlap(seq, design["proximal_promoter"])
                seq = seq[k5: len(seq) - k3]
            yield dataset, {"promoter": [("promoter_library", seq)]}, {
                "source_index": int(r.index), "library_name": f"{lib}_{int(r.index)}",
                "expression": float(r.expression), "flank_trimmed_5": k5, "flank_trimmed_3": k3}
    elif dataset == "zahm":
        for r in _tsv(root / "nullsettes" / "zahm_promoters.tsv").itertuples(index=False):
            design = f"zahm_{r.promoter}"
            if design not in parts:
                raise ValueError(f"zahm_promoters.tsv, row {r.index}: no design {design!r} in cassette_parts.json")
            minimal = dict(parts[design])["promoter"]
            # the TRE library sits upstream of the minimal promoter (minCMV's empty 'tre_unit' placeholder)
            yield design, {"tre_unit": [], "promoter": [("tre", r.tre_seq), ("minimal_promoter", minimal)]}, {
                "source_index": int(r.index), "library_name": r.name, "minimal_promoter": r.promoter,
                "expression": float(r.expression)}
    else:
        raise ValueError(f"unknown nullsettes dataset {dataset!r}; choose one of {sorted(DATASETS)}")
