"""Reading and writing sequence records: FASTA (+ metadata table) and JSON.

FASTA headers carry the class and any extra fields: ``>id class=<label> [key=value ...]``.
Extra pairs are kept as string metadata. Writers are deterministic (same records, same bytes).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from mitbench.data.core.fasta import iter_fasta
from mitbench.data.core.records import Element, SequenceRecord, clean_sequence, records_to_frame
from mitbench.data.core.textio import InputError


def parse_header(header: str, where: str) -> tuple[str, str, dict[str, str]]:
    """Split ``id class=<label> k=v ...`` into (id, label, meta); ``where`` names file and record.

    Raises
    ------
    InputError
        An empty header, a field that is not ``key=value``, a key given twice, or no ``class``.
    """
    fields = header.split()
    if not fields:
        raise InputError(f"{where}: empty header (a record needs an id)")
    rid, meta = fields[0], {}
    for tok in fields[1:]:
        key, sep, value = tok.partition("=")
        if not sep or not key:
            raise InputError(f"{where}: record {rid!r}: header field {tok!r} is not key=value")
        if key in meta:  # which value was meant is unknowable; keeping either would be a guess
            raise InputError(f"{where}: record {rid!r}: header key {key!r} occurs twice "
                             f"({key}={meta[key]} and {key}={value})")
        meta[key] = value
    label = meta.pop("class", "")
    if not label:
        raise InputError(f"{where}: record {rid!r}: header has no class=<label>")
    return rid, label, meta


def read_fasta(path: str | Path) -> list[SequenceRecord]:
    """Read a FASTA file (plain or ``.gz``) whose headers read ``>id class=<label> [key=value ...]``.

    Sequences may span lines and be lower case (they are upper-cased).

    Raises
    ------
    InputError
        Naming the file and record: missing class, empty sequence, non-ACGT character, text before
        the first header, undecodable bytes, or a duplicate id.
    """
    records: list[SequenceRecord] = []
    seen: set[str] = set()
    for index, header, sequence in iter_fasta(path):
        rid, label, meta = parse_header(header, f"{path}, record #{index}")
        if rid in seen:
            raise InputError(f"{path}: record {rid!r}: duplicate id")
        seen.add(rid)
        try:
            seq = clean_sequence(rid, sequence)
        except ValueError as err:
            raise InputError(f"{path}: {err}") from None
        records.append(SequenceRecord(rid, label, seq, (), meta))
    if not records:
        raise InputError(f"{path}: no FASTA records")
    return records


def format_fasta(records: Iterable[SequenceRecord], width: int = 0) -> str:
    """FASTA text; headers carry class and meta (space-free values); ``width=0`` means one line."""
    out = []
    for r in records:
        extras = " ".join(f"{k}={v}" for k, v in r.meta.items() if " " not in str(v))
        out.append(f">{r.id} class={r.label}" + (f" {extras}" if extras else ""))
        seq = r.sequence
        out.extend([seq] if width <= 0 else [seq[i:i + width] for i in range(0, len(seq), width)])
    return "\n".join(out) + "\n"


def records_to_json(records: Sequence[SequenceRecord]) -> list[dict]:
    return [{"id": r.id, "class": r.label, "sequence": r.sequence,
             "elements": [{"name": e.name, "start": e.start, "end": e.end, "strand": e.strand}
                          for e in r.elements],
             "meta": dict(r.meta)} for r in records]


def records_from_json(items: Iterable[dict]) -> list[SequenceRecord]:
    """Inverse of :func:`records_to_json`."""
    return [SequenceRecord(d["id"], d["class"], clean_sequence(d["id"], d["sequence"]),
                           tuple(Element(**e) for e in d.get("elements", ())), d.get("meta", {}))
            for d in items]


def write_records(records: Sequence[SequenceRecord], outdir: str | Path, stem: str) -> dict[str, Path]:
    """Write ``<stem>.fasta``, ``<stem>.metadata.csv`` and ``<stem>.json``; return the paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {"fasta": outdir / f"{stem}.fasta", "metadata": outdir / f"{stem}.metadata.csv",
             "json": outdir / f"{stem}.json"}
    paths["fasta"].write_text(format_fasta(records))
    records_to_frame(records).to_csv(paths["metadata"], index=False, lineterminator="\n")
    paths["json"].write_text(json.dumps(records_to_json(records), indent=1, sort_keys=True) + "\n")
    return paths
