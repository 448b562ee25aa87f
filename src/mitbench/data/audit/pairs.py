"""Generated windows stored as matched pairs: one natural FASTA and one synthetic FASTA per window,
listed by a manifest (the layout of the Synthetic Genomes Benchmark of Tzanakakis, Mouratidis &
Georgakopoulos-Soares, read from its documented format; none of its code is used).

Manifest: a CSV with a header and at least the columns

``id``    the pair's name (``pair_001``, ...)
``orig``  the natural window: a FASTA with one record (header ``<contig>:<start+1>-<end>``, 1-based)
``syn``   the synthetic window: a FASTA with one record, the natural prompt followed by what the
          model generated (as long as the natural window)

and optionally ``contig``, ``start`` (0-based), ``len`` (the natural window's bp), ``seed`` (the
window draw's seed), ``seed_len`` (the prompt's bp) and ``orig_len``/``syn_len``; any other column is
a generator setting. Relative paths are tried as given (the working directory), then under
``data_root`` when given, then beside the manifest.

Each pair becomes one audit window: ``seed`` = the first ``seed_len`` bp of the natural window,
``continuation`` = the next ``gen_len`` bp, and the generated continuation is the synthetic record
over the same span. The window is placed on the reference by ``contig``/``start`` (or the orig
header) and checked base by base against it, so the audit's hold-out masks exactly that stretch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mitbench.data.audit.generated import first_difference, read_manifest
from mitbench.data.audit.windows import AuditWindow, window_id
from mitbench.data.core.fasta import iter_fasta
from mitbench.data.core.genome import iter_contigs
from mitbench.data.core.textio import InputError

REQUIRED = ("id", "orig", "syn")
_HEADER = re.compile(r"^(?P<contig>\S+):(?P<start1>\d+)-(?P<end>\d+)$")
_NOT_ACGT = re.compile(r"[^ACGT]")


@dataclass(frozen=True)
class Pair:
    """One manifest row read and checked: its audit window and generated continuation."""

    id: str
    window: AuditWindow
    generated: str
    row: dict[str, str]


def _resolve(value: str, manifest: Path, data_root: Path | None, pair: str, column: str) -> Path:
    path = Path(value)
    tried = [path] if path.is_absolute() else [path, *([data_root / path] if data_root else []), manifest.parent / path]
    for p in tried:
        if p.is_file():
            return p
    raise FileNotFoundError(f"{manifest}: pair {pair!r}: {column} file {value!r} not found "
                            f"(tried {', '.join(str(p) for p in tried)})")


def _one_record(path: Path, pair: str) -> tuple[str, str]:
    records = [(h, s) for _, h, s in iter_fasta(path)]
    if len(records) != 1:
        raise InputError(f"{path}: pair {pair!r}: {len(records)} FASTA records, expected exactly one")
    header, seq = records[0]
    return header, seq.upper()


def _check_acgt(seq: str, span: int, path: Path, pair: str, header: str) -> None:
    bad = _NOT_ACGT.search(seq, 0, span)
    if bad:
        raise ValueError(f"{path}: pair {pair!r}, record {header.split()[0]!r}: character {bad.group()!r} at "
                         f"position {bad.start()} is not A/C/G/T (the audited span is the first {span} bp)")


def _int(row: dict[str, str], key: str, manifest: Path) -> int | None:
    if not row.get(key):
        return None
    try:
        return int(row[key])
    except ValueError:
        raise ValueError(f"{manifest}: pair {row['id']!r}: {key} {row[key]!r} is not an integer") from None


def read_pairs(manifest: str | Path, seed_len: int, gen_len: int, reference: str | Path,
               data_root: str | Path | None = None) -> list[Pair]:
    """Audit windows and generated continuations of a pair manifest (module docstring).

    Parameters
    ----------
    manifest : str or Path
        The pairs CSV.
    seed_len, gen_len : int
        The audit's prompt and continuation lengths (bp): each pair must hold ``seed_len + gen_len``.
    reference : str or Path
        The genome the natural windows were cut from (windows are checked against it).
    data_root : str or Path, optional
        Folder relative FASTA paths may be under.

    Returns
    -------
    list of Pair
        In manifest order.

    Raises
    ------
    FileNotFoundError, ValueError
        Naming the manifest or FASTA file and the pair: a missing file, a FASTA without exactly one
        record, a window shorter than ``seed_len + gen_len`` (or than its declared ``len``), a
        character other than A/C/G/T in the audited span, a synthetic record whose first
        ``seed_len`` bp are not the natural prompt, a declared ``seed_len`` other than the audit's,
        a window that cannot be placed on the reference or differs from it, duplicate ids or
        overlapping windows.
    """
    manifest = Path(manifest)
    root = Path(data_root) if data_root else None
    span = seed_len + gen_len
    pairs: list[Pair] = []
    for row in read_manifest(manifest, REQUIRED, sep=","):  # ids checked there: none empty or twice
        pid = row["id"]
        declared = _int(row, "seed_len", manifest)
        if declared is not None and declared != seed_len:
            raise ValueError(f"{manifest}: pair {pid!r}: seed_len {declared} differs from audit.seed_len {seed_len}")
        orig_path = _resolve(row["orig"], manifest, root, pid, "orig")
        syn_path = _resolve(row["syn"], manifest, root, pid, "syn")
        orig_header, orig = _one_record(orig_path, pid)
        syn_header, syn = _one_record(syn_path, pid)
        for key, path, seq in (("len", orig_path, orig), ("orig_len", orig_path, orig), ("syn_len", syn_path, syn)):
            want = _int(row, key, manifest)
            if want is not None and want != len(seq):
                raise ValueError(f"{path}: pair {pid!r}: {len(seq)} bp, the manifest's {key} says {want}")
        for path, seq, hdr in ((orig_path, orig, orig_header), (syn_path, syn, syn_header)):
            if len(seq) < span:
                raise ValueError(f"{path}: pair {pid!r}, record {hdr.split()[0]!r}: {len(seq)} bp, the audit needs "
                                 f"{span} (audit.seed_len {seed_len} + audit.gen_len {gen_len})")
            _check_acgt(seq, span, path, pid, hdr)
        if syn[:seed_len] != orig[:seed_len]:
            raise ValueError(f"{syn_path}: pair {pid!r}: does not start with the natural prompt of {orig_path} "
                             f"(first difference at position {first_difference(syn, orig)}; was the prompt shorter than audit.seed_len "
                             f"{seed_len}?)")
        contig, start = row.get("contig") or None, _int(row, "start", manifest)
        if contig is None or start is None:
            m = _HEADER.match(orig_header.split()[0]) if orig_header.split() else None
            if not m:
                raise ValueError(f"{orig_path}: pair {pid!r}: cannot place the window on the reference: no "
                                 f"contig/start columns and the header {orig_header!r} is not <contig>:<start>-<end>")
            contig, start = m["contig"], int(m["start1"]) - 1
        w = AuditWindow(window_id(contig, start, start + span), contig, start, orig[:seed_len], orig[seed_len:span])
        pairs.append(Pair(pid, w, syn[seed_len:span], row))
    if not pairs:
        raise InputError(f"{manifest}: no pairs")
    _check_placement(pairs, Path(reference), manifest)
    return pairs


def _check_placement(pairs: list[Pair], reference: Path, manifest: Path) -> None:
    """Every window overlaps no other window, lies on the reference and equals it there (the reference
    is read only up to the last contig holding a window)."""
    spans = sorted((p.window.contig, p.window.start, p.window.end, p.id) for p in pairs)
    for (c1, _, e1, id1), (c2, s2, _, id2) in zip(spans, spans[1:]):
        if c1 == c2 and s2 < e1:
            raise ValueError(f"{manifest}: pairs {id1!r} and {id2!r} overlap on {c1}; audit windows must be disjoint")
    by_contig: dict[str, list[Pair]] = {}
    for p in pairs:
        by_contig.setdefault(p.window.contig, []).append(p)
    for contig in iter_contigs(reference):
        for p in by_contig.pop(contig.name, []):
            w = p.window
            there = contig.sequence[w.start:w.end]
            natural = w.seed + w.continuation
            if there != natural:
                raise ValueError(f"{manifest}: pair {p.id!r}: the natural window differs from {reference} at "
                                 f"{w.id} (first difference at position {first_difference(there, natural)}): "
                                 "another reference or coordinates?")
        if not by_contig:  # every window placed: the rest of the reference is not read
            break
    if by_contig:
        name, missed = next(iter(by_contig.items()))
        raise ValueError(f"{manifest}: pair {missed[0].id!r}: contig {name!r} is not in the reference {reference}")
