"""Readers of sequence sets from files (used by ``suite=external``).

Accepted inputs (``path``)
--------------------------
* a directory of class JSON files ``class_<label>.json`` (the MIT reference layout): each a
  list of objects with ``id``, ``sequence``, ``class_label`` and optional scalar fields and a
  ``metadata`` object. The reference pairs sequences **by index within class**, so each record
  gets ``group = f"{index:03d}"``. Scalar fields and ``metadata`` entries become meta.
* a single ``.json`` file holding such a list (any classes), grouped the same way;
* a FASTA file (``.fa``, ``.fasta``, ``.fna``) with headers ``>id class=<label> [key=value ...]``;
  ``group`` comes from the header when given, else the index within class.

"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mitbench.data.io import read_fasta
from mitbench.data.records import SequenceRecord

FASTA_SUFFIXES = (".fa", ".fasta", ".fna")
RESERVED = frozenset({"id", "class", "sequence", "length", "elements", "score"})


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def record_from_reference(item: dict, where: str) -> SequenceRecord:
    """One record from an item of the reference class-JSON layout (no ``group`` yet)."""
    for key in ("id", "sequence", "class_label"):
        if key not in item:
            raise ValueError(f"{where}: item {item.get('id', '?')!r} has no {key!r} field")
    rid = str(item["id"])
    meta: dict[str, Any] = {}
    extras = {k: v for k, v in item.items() if k not in ("id", "sequence", "class_label", "metadata")}
    nested = item.get("metadata") or {}
    if not isinstance(nested, dict):
        raise ValueError(f"record {rid!r} in {where}: 'metadata' must be an object")
    for key, value in {**extras, **nested}.items():
        if not _scalar(value):
            raise ValueError(f"record {rid!r} in {where}: field {key!r} is not a scalar")
        meta[f"meta_{key}" if key in RESERVED else key] = value
    # the sequence is validated (upper-cased, ACGT, non-empty) by Suite.records()
    return SequenceRecord(rid, str(item["class_label"]), str(item["sequence"]), (), meta)


def _with_index_groups(records: list[SequenceRecord], keep_existing: bool) -> list[SequenceRecord]:
    counts: dict[str, int] = {}
    out = []
    for r in records:
        i = counts.get(r.label, 0)
        counts[r.label] = i + 1
        if keep_existing and "group" in r.meta:
            out.append(r)
        else:
            out.append(SequenceRecord(r.id, r.label, r.sequence, r.elements, {**r.meta, "group": f"{i:03d}"}))
    return out


def read_reference_json(path: str | Path) -> list[SequenceRecord]:
    """Records from a class-JSON directory (``class_*.json``, sorted) or a single JSON list file."""
    path = Path(path)
    files = sorted(path.glob("class_*.json")) if path.is_dir() else [path]
    if not files:
        raise ValueError(f"{path}: no class_*.json files")
    records = []
    for f in files:
        items = json.loads(f.read_text())
        if not isinstance(items, list):
            raise ValueError(f"{f}: expected a JSON list of sequence objects")
        records.extend(record_from_reference(item, str(f)) for item in items)
    return _with_index_groups(records, keep_existing=False)


def read_external(path: str | Path) -> list[SequenceRecord]:
    """Records of a class-JSON directory, a ``.json`` list or a FASTA file (see module docstring).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        On an unsupported file type or a malformed file (the message names file and record).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"suite=external: {path} does not exist")
    if path.is_dir() or path.suffix.lower() == ".json":
        return read_reference_json(path)
    suffixes = [x.lower() for x in path.suffixes]
    if suffixes and (suffixes[-1] in FASTA_SUFFIXES or (suffixes[-1] == ".gz" and suffixes[-2:-1]
                                                          and suffixes[-2] in FASTA_SUFFIXES)):
        return _with_index_groups(read_fasta(path), keep_existing=True)
    raise ValueError(f"{path}: expected a directory of class_*.json, a .json file or FASTA "
                     f"({', '.join(FASTA_SUFFIXES)}, optionally .gz)")
