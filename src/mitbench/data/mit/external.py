"""Readers of sequence sets from files (used by ``suite=external``).

Accepted inputs (``path``)
--------------------------
* a directory of class JSON files ``class_<label>.json`` (the MIT reference layout): each a
  list of objects with ``id``, ``sequence``, ``class_label`` (non-empty strings) and optional
  scalar fields and a ``metadata`` object. The reference pairs sequences **by index within class**, so each record
  gets ``group = f"{index:03d}"``. Scalar fields and ``metadata`` entries become meta.
* a single ``.json`` file holding such a list (any classes), grouped the same way;
* a FASTA file (``.fa``, ``.fasta``, ``.fna``) with headers ``>id class=<label> [key=value ...]``;
  ``group`` comes from the header when given, else the index within class.

Any of them may be compressed (``.gz``, ``.bz2``, ``.xz``). A malformed file raises
:class:`~mitbench.data.core.textio.InputError` naming the file and the item or record.

"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mitbench.data.core.io import read_fasta
from mitbench.data.core.records import SequenceRecord
from mitbench.data.core.textio import COMPRESSED_SUFFIXES, InputError, base_suffix, read_json

FASTA_SUFFIXES = (".fa", ".fasta", ".fna")
RESERVED = frozenset({"id", "class", "sequence", "length", "elements", "score"})


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def record_from_reference(item: Any, where: str) -> SequenceRecord:
    """One record from an item of the reference class-JSON layout (no ``group`` yet).

    ``where`` names the file and the item (``"<file>, item 3"``).

    Raises
    ------
    InputError
        If the item is not an object, ``id``/``sequence``/``class_label`` is missing or not a
        non-empty string, ``metadata`` is not an object, or another field is not a scalar.
    """
    if not isinstance(item, dict):
        raise InputError(f"{where}: expected an object with id, sequence and class_label, got {type(item).__name__}")
    for key in ("id", "sequence", "class_label"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            got = "no such field" if key not in item else f"{type(value).__name__} {value!r:.40}"
            raise InputError(f"{where}: {key!r} must be a non-empty string ({got})")
    rid = item["id"]
    meta: dict[str, Any] = {}
    extras = {k: v for k, v in item.items() if k not in ("id", "sequence", "class_label", "metadata")}
    nested = item.get("metadata") or {}
    if not isinstance(nested, dict):
        raise InputError(f"{where}: record {rid!r}: 'metadata' must be an object")
    for key, value in {**extras, **nested}.items():
        if not _scalar(value):
            raise InputError(f"{where}: record {rid!r}: field {key!r} is not a scalar")
        meta[f"meta_{key}" if key in RESERVED else key] = value
    # the sequence is validated (upper-cased, ACGT, non-empty) by Suite.records()
    return SequenceRecord(rid, item["class_label"], item["sequence"], (), meta)


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
    """Records from a class-JSON directory (``class_*.json[.gz]``, sorted) or a single JSON list file.

    Raises
    ------
    InputError
        Naming the file (and item): not JSON, not a list, a malformed item
        (:func:`record_from_reference`), or a directory without class files.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("class_*.json*") if base_suffix(p) == ".json"
                       and p.name.endswith((".json", *COMPRESSED_SUFFIXES)))
    else:
        files = [path]
    if not files:
        raise InputError(f"{path}: no class_*.json files")
    records = []
    for f in files:
        items = read_json(f)
        if not isinstance(items, list):
            raise InputError(f"{f}: expected a JSON list of sequence objects, got {type(items).__name__}")
        records.extend(record_from_reference(item, f"{f}, item {i}") for i, item in enumerate(items))
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
    if path.is_dir() or base_suffix(path) == ".json":
        return read_reference_json(path)
    if base_suffix(path) in FASTA_SUFFIXES:
        return _with_index_groups(read_fasta(path), keep_existing=True)
    raise InputError(f"{path}: expected a directory of class_*.json, a .json file or FASTA "
                     f"({', '.join(FASTA_SUFFIXES)}), optionally compressed ({', '.join(COMPRESSED_SUFFIXES)})")
