"""A user's generated sequences: a FASTA plus a manifest tying each record to its audit window.

Manifest: a TSV (or CSV, by extension ``.csv``) with a header and at least the columns

``id``            the FASTA record id (first word of the header)
``source_window`` the audit window it continues, ``<contig>:<start>-<end>`` as written by the
                  audit to ``windows.tsv`` (same reference, ``audit.*`` lengths and seed)
``seed_len``      the prompt length the generator was given, in bp

Any further columns (model, temperature, top_k, ...) are generator settings, recorded as
provenance. Each FASTA record is the prompt followed by its continuation (as most generators
return it); the prompt must equal the window's seed, and at least ``gen_len`` bp must follow it.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from mitbench.data.core.fasta import iter_fasta
from mitbench.data.core.textio import InputError, base_suffix, read_table
from mitbench.data.audit.windows import AuditWindow

REQUIRED = ("id", "source_window", "seed_len")
_NOT_ACGT = re.compile(r"[^ACGT]")


def first_difference(a: str, b: str) -> int:
    """The first position where ``a`` and ``b`` differ (the shorter length when one is a prefix of the other)."""
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def read_manifest(path: str | Path, required: Sequence[str] = REQUIRED, sep: str | None = None) -> list[dict[str, str]]:
    """Rows of the manifest as dicts (values are strings), read like every other table
    (:func:`mitbench.data.core.textio.read_table`: plain or compressed, a byte-order mark dropped).

    The separator is ``sep``, by default ``,`` for a ``.csv`` file (also ``.csv.gz``), else a tab;
    ``required`` names the columns it must have (by default this module's generated-record layout).

    Raises
    ------
    FileNotFoundError
        If ``path`` is not a file.
    InputError
        Naming the file (and line): a missing required column, an empty or duplicated id,
        undecodable or damaged content, a row with another number of fields than the header.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such manifest")
    if sep is None:
        sep = "," if base_suffix(path) == ".csv" else "\t"
    header, rows = read_table(path, sep, required)
    out, seen = [], set()
    for line, fields in rows:
        row = dict(zip(header, fields))
        rid = row["id"]
        if not rid:
            raise InputError(f"{path}: line {line} has an empty id")
        if rid in seen:
            raise InputError(f"{path}: id {rid!r} (line {line}) occurs twice")
        seen.add(rid)
        out.append(row)
    return out


def read_generated(fasta: str | Path, manifest: str | Path, windows: Sequence[AuditWindow],
                   gen_len: int) -> tuple[list[str], list[dict[str, str]]]:
    """Continuations of ``windows`` (in their order) from a user's FASTA + manifest.

    Returns
    -------
    continuations : list of str
        ``gen_len`` bp each, upper case (extra bases after ``gen_len`` are dropped).
    rows : list of dict
        The manifest rows used, in window order (provenance).

    Raises
    ------
    ValueError
        Naming the record: an id in one file but not the other, a window not in this audit, a
        window generated twice or not at all, a seed length that differs from the audit's, a
        record shorter than seed + ``gen_len``, a prompt that is not the window's seed, or a
        character that is not A/C/G/T.
    """
    fasta, manifest = Path(fasta), Path(manifest)
    rows = read_manifest(manifest)
    by_id = {r["id"]: r for r in rows}
    records: dict[str, str] = {}
    for index, header, seq in iter_fasta(fasta):
        rid = header.split()[0] if header.split() else ""
        if rid not in by_id:
            raise ValueError(f"{fasta}: record {rid!r} (#{index}) is not in the manifest {manifest}")
        if rid in records:
            raise ValueError(f"{fasta}: record {rid!r} (#{index}) occurs twice")
        records[rid] = seq.upper()
    absent = [r["id"] for r in rows if r["id"] not in records]
    if absent:
        raise ValueError(f"{manifest}: id {absent[0]!r} has no record in {fasta} ({len(absent)} such ids)")
    wanted = {w.id: w for w in windows}
    per_window: dict[str, dict[str, str]] = {}
    for row in rows:
        rid, wid = row["id"], row["source_window"]
        if wid not in wanted:
            raise ValueError(f"{manifest}: record {rid!r} continues window {wid!r}, which is not an audit "
                             "window of this run (same reference, audit lengths, n_windows and seed?)")
        if wid in per_window:
            raise ValueError(f"{manifest}: window {wid!r} is continued by both {per_window[wid]['id']!r} "
                             f"and {rid!r}")
        per_window[wid] = row
    lost = [w.id for w in windows if w.id not in per_window]
    if lost:
        raise ValueError(f"{manifest}: audit window {lost[0]!r} has no generated record ({len(lost)} missing)")
    out, used = [], []
    for w in windows:
        row = per_window[w.id]
        rid, seq, seed_len = row["id"], records[row["id"]], len(w.seed)
        try:
            declared = int(row["seed_len"])
        except ValueError:
            raise ValueError(f"{manifest}: record {rid!r}: seed_len {row['seed_len']!r} is not an integer") from None
        if declared != seed_len:
            raise ValueError(f"{manifest}: record {rid!r}: seed_len {declared} differs from the audit's {seed_len}")
        if len(seq) < seed_len:
            raise ValueError(f"{fasta}: record {rid!r} has {len(seq)} bp, shorter than its {seed_len}-bp seed")
        if len(seq) < seed_len + gen_len:
            raise ValueError(f"{fasta}: record {rid!r} has {len(seq) - seed_len} bp after its seed, "
                             f"{gen_len} needed (audit.gen_len)")
        bad = _NOT_ACGT.search(seq)
        if bad:
            raise ValueError(f"{fasta}: record {rid!r}: character {bad.group()!r} at position {bad.start()} "
                             "is not A/C/G/T")
        if seq[:seed_len] != w.seed:
            raise ValueError(f"{fasta}: record {rid!r} does not start with the seed of window {w.id!r} "
                             f"(first difference at position {first_difference(seq, w.seed)})")
        out.append(seq[seed_len:seed_len + gen_len])
        used.append(row)
    return out, used
