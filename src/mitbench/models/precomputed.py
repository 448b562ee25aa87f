"""Scores read from a file instead of computed: replay published or externally computed results.

Accepted files
--------------
* JSON object keyed by record id: ``{"A_000": -138.7, ...}``;
* JSON object keyed by class label, each a list of scores in the records' order within that
  class: ``{"A": [...], "B": [...], ...}`` (the layout of several reference result files);
* CSV with a header containing ``score`` and ``sequence`` (and optionally ``id``): scores bound to
  the sequences they were computed on — the format for suites mitbench generates from a seed;
* CSV with a header containing ``id`` and ``score`` (the generic long probe format, ``id,
  condition, group, score``, is such a file);
* the Nullsettes reference code's output (cellethology/GLM-Nullsette-Benchmark): tab-separated files with
  the header ``seqs  scores``, one per mutant type (``nonmutant.csv``, ``mutant_translocation<N>.csv``; the
  suffix says .csv, the separator is a tab), either one file or a folder of them (searched recursively, e.g.
  ``<output root>/<model>`` holding ``kosuri/``, ``lagator/``, ``deboer/pTpA/``, ...). Scores are keyed by
  sequence; a sequence given two different scores stops the run naming both files;
* a probe score file nested by condition (the paper's probe JSON: leaves ``{"mean", "std",
  "values"}``), read by :func:`mitbench.data.mit.probe_scores.read_score_cells` with the ids its probe
  suite gives the records (``suite=<probe> suite.source=<same file>``).

Either may be compressed (``.json.gz``, ``.csv.gz``, ``.bz2``, ``.xz``). A malformed file raises
:class:`~mitbench.data.core.textio.InputError` naming the file and the record or line.

The file's scores must follow the scorer contract (higher = more likely / more active); this
class does not change their sign or scale.

**Scores are bound to sequences.** The ids of a generated suite (the MIT's ``E_000``, ``UPP_003_f1u0``,
...) are the same at every ``suite.seed``, so a file keyed by id alone, computed on one seed's
sequences (or written from the public suite's metadata), would be read as scores of another seed's.
A file with a ``sequence`` column is checked record by record (a differing sequence stops the run,
naming the record); a file without one is refused for records mitbench generated from a seed (meta
``generator_seed``) and accepted only for records read from the user's own files (``suite=external``)
or replayed from the same file (probe replays). A private ``suite.seed`` is the defence against a
file made from the public suite: its sequences exist nowhere before the run.
"""
from __future__ import annotations

import hashlib
import logging
import math
from pathlib import Path
from typing import Any, Sequence

import torch
from torch import Tensor

from mitbench.data.mit.probe_scores import read_score_cells
from mitbench.data.core.records import SequenceRecord
from mitbench.data.core.textio import (DECOMPRESS_ERRORS, InputError, base_suffix, open_input, parse_float,
                                       read_json, read_table)
from mitbench.models.base import Scorer

log = logging.getLogger(__name__)


def _as_float(value: Any, where: str) -> float:
    if value is None:
        return float("nan")  # rejected, naming the record, when it is served
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: score {value!r:.40} is not a number")
    try:
        return float(value)
    except OverflowError:  # an integer literal beyond float range
        raise InputError(f"{where}: score {str(value)[:40]}... is out of range") from None


def load_score_file(path: str | Path) -> tuple[str, dict]:
    """Parse a score file.

    Returns
    -------
    kind : {"id", "class", "sequence"}
        Keyed by record id, by class label or by sequence.
    data : dict
        ``{id: float}``, ``{label: [float, ...]}`` or ``{sequence: float}`` (NaN where the file has
        null). A CSV with both ``id`` and ``sequence`` is keyed by id (the scorer also keeps the
        sequences, to bind by sequence).

    Raises
    ------
    InputError
        Naming the file (and record or line): unknown extension, not JSON/CSV, mixed JSON value
        types, non-numeric scores, duplicate CSV ids, no scores.
    """
    return _load_scores(Path(path))[:2]


def _load_scores(path: Path) -> tuple[str, dict, dict[str, str]]:
    """:func:`load_score_file`'s ``(kind, data)`` plus ``{id: sequence}`` (empty unless an id-keyed CSV
    carries a ``sequence`` column): one read of the file."""
    if path.is_dir() or _is_peer_table(path):
        return "sequence", _read_peer_tables(path), {}
    kind = base_suffix(path)
    if kind == ".csv":
        return _read_csv(path)
    if kind != ".json":
        raise InputError(f"{path}: score file must be .json or .csv (optionally compressed)")
    raw = read_json(path)
    if not isinstance(raw, dict) or not raw:
        raise InputError(f"{path}: expected a non-empty JSON object keyed by record id or by class")
    if all(isinstance(v, list) for v in raw.values()):
        return "class", {k: [_as_float(x, f"{path}: class {k!r} item {i}") for i, x in enumerate(v)]
                         for k, v in raw.items()}, {}
    if any(isinstance(v, dict) for v in raw.values()):  # a probe file nested by condition
        return "id", {c.id: c.score for c in read_score_cells(path)}, {}
    if any(isinstance(v, (list, dict)) for v in raw.values()):
        raise InputError(f"{path}: values must be all numbers (keyed by id), all lists (keyed by class) or "
                         "objects (a probe file nested by condition)")
    return "id", {k: _as_float(v, f"{path}: record {k!r}") for k, v in raw.items()}, {}


PEER_COLUMNS = ("seqs", "scores")


def _is_peer_table(path: Path) -> bool:
    """A tab-separated ``seqs  scores`` table (the Nullsettes reference code writes them as .csv or .tsv)."""
    if base_suffix(path) not in (".csv", ".tsv"):
        return False
    try:  # the first line only: a damaged or non-UTF-8 file is reported by the reader that parses it
        stream, _ = open_input(path)
        with stream:
            first = stream.readline().decode("utf-8-sig", errors="replace")
    except DECOMPRESS_ERRORS:
        return False
    return first.strip().split("\t")[:2] == list(PEER_COLUMNS)


def _peer_files(folder: Path) -> list[Path]:
    """The reference-code tables under ``folder`` (recursively), sorted."""
    return sorted(f for f in folder.rglob("*") if f.is_file() and _is_peer_table(f))


def _read_peer_tables(path: Path) -> dict[str, float]:
    """``{sequence: score}`` of one reference-code table or of every one in a folder (recursively)."""
    files = _peer_files(path) if path.is_dir() else [path]
    if not files:
        raise InputError(f"{path}: no score tables with the header 'seqs<TAB>scores' in this folder")
    data: dict[str, float] = {}
    where: dict[str, str] = {}
    for f in files:
        header, rows = read_table(f, "\t", PEER_COLUMNS)
        i_seq, i_score = header.index("seqs"), header.index("scores")
        for lineno, fields in rows:
            seq = fields[i_seq].strip().upper()
            if not seq:
                raise InputError(f"{f}, line {lineno}: empty sequence")
            score = parse_float(fields[i_score], f"{f}, line {lineno}: sequence {seq[:40]!r}")
            if seq in data and not (data[seq] == score or (math.isnan(data[seq]) and math.isnan(score))):
                raise InputError(f"{f}, line {lineno}: sequence {seq[:40]!r}... has score {score} here and "
                                 f"{data[seq]} in {where[seq]}")
            data[seq], where[seq] = score, f"{f}, line {lineno}"
    return data


def _read_csv(path: Path) -> tuple[str, dict[str, float], dict[str, str]]:
    """``(kind, scores, sequence of each id)`` of a score CSV (keyed by id when it has an ``id``
    column, else by ``sequence``)."""
    header, rows = read_table(path, ",", ["score"])
    if "id" not in header and "sequence" not in header:
        raise InputError(f"{path}: a score CSV needs an 'id' or a 'sequence' column beside 'score'")
    key = "id" if "id" in header else "sequence"
    i_key, i_score = header.index(key), header.index("score")
    i_seq = header.index("sequence") if "sequence" in header else None
    data: dict[str, float] = {}
    seqs: dict[str, str] = {}
    for lineno, fields in rows:
        k = fields[i_key].strip().upper() if key == "sequence" else fields[i_key]
        if not k:
            raise InputError(f"{path}, line {lineno}: empty {key}")
        if k in data:
            raise InputError(f"{path}, line {lineno}: {'record ' + repr(k) if key == 'id' else 'sequence'}: duplicate {key}")
        data[k] = parse_float(fields[i_score], f"{path}, line {lineno}: {key} {k[:40]!r}")
        if i_seq is not None and key == "id":
            seqs[k] = fields[i_seq].strip().upper()
    if not data:
        raise InputError(f"{path}: no scores (a header but no rows)")
    return key, data, seqs


def bind_to_sequences(records: Sequence[SequenceRecord], path: Path, kind: str, data: dict,
                      sequences: dict[str, str]) -> dict[str, float] | None:
    """Scores of ``records`` from a file that carries sequences (None when it carries none).

    Raises
    ------
    ValueError
        Naming the first record whose sequence has no score, or whose id's sequence in the file
        differs from the suite's (with the first differing position); or, for a file without
        sequences, the first record generated from a seed (ids alone cannot be trusted there).
    """
    if kind == "sequence":
        missing = [r for r in records if r.sequence not in data]
        if missing:
            raise ValueError(f"record {missing[0].id!r}: no score for its sequence in {path} ({len(missing)} records "
                             "missing; the file was computed on other sequences: another suite.seed or version?)")
        return {r.id: data[r.sequence] for r in records}
    if sequences:
        for r in records:
            theirs = sequences.get(r.id)
            if theirs is not None and theirs != r.sequence:
                at = next((i for i, (a, b) in enumerate(zip(theirs, r.sequence)) if a != b), min(len(theirs), len(r.sequence)))
                raise ValueError(f"record {r.id!r}: the sequence {path} gives for this id differs from the suite's "
                                 f"(first at position {at}): the scores were computed on other sequences (another "
                                 "suite.seed or version?)")
        return None
    seeded = next((r for r in records if r.meta.get("generator_seed") is not None), None)
    if seeded is not None:
        raise ValueError(
            f"{path} keys its scores by {kind} only, but record {seeded.id!r} was generated by mitbench from "
            f"suite.seed={seeded.meta['generator_seed']}: generated ids are the same at every seed, so scores "
            "computed on other sequences would be read as scores of these. Write the file as CSV with a 'sequence' "
            "column (id,sequence,score or sequence,score; the suite's sequences: python -m mitbench.data.mit.designed "
            "--out DIR --seed N) so that every score is checked against the sequence it belongs to.")
    return None


class PrecomputedScorer(Scorer):
    """Serve scores from a file (mode ``precomputed``).

    Parameters
    ----------
    path : str
        Score file (see module docstring).
    name : str, optional
        Model name in outputs; defaults to the file's stem.
    """

    mode = "precomputed"
    category = "file"

    def __init__(self, path: str, name: str | None = None) -> None:
        super().__init__(name or Path(path).stem)
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"precomputed scores: no file or folder {self.path}")
        self.kind, self.data, self.sequences = _load_scores(self.path)
        self.scores: dict[str, float] | None = None

    def setup(self, stage: str) -> None:
        """Bind to the records the trainer's datamodule serves (class-keyed files need their order)."""
        datamodule = self.trainer.datamodule if self._trainer is not None else None
        if self.scores is None and datamodule is not None and hasattr(datamodule, "records"):
            self.check_records(datamodule.records)

    def check_records(self, records: Sequence[SequenceRecord]) -> None:
        """Map every record to its score; raise ValueError naming a missing id or sequence, a record
        whose sequence differs from the file's, a class mismatch, or ids used for generated records
        (:func:`bind_to_sequences`)."""
        by_sequence = bind_to_sequences(records, self.path, self.kind, self.data, self.sequences)
        if by_sequence is not None:
            self.scores = by_sequence
            extra = len(self.data) - len(set(r.sequence for r in records))
        elif self.kind == "id":
            missing = [r.id for r in records if r.id not in self.data]
            if missing:
                raise ValueError(f"record {missing[0]!r}: no score in {self.path} ({len(missing)} missing)")
            self.scores = {r.id: self.data[r.id] for r in records}
            extra = len(self.data) - len(self.scores)
        else:
            by_class: dict[str, list[SequenceRecord]] = {}
            for r in records:
                by_class.setdefault(r.label, []).append(r)
            self.scores = {}
            for label, recs in by_class.items():
                if label not in self.data:
                    raise ValueError(f"class {label!r} (record {recs[0].id!r}): no score list in {self.path}")
                values = self.data[label]
                if len(values) != len(recs):
                    raise ValueError(f"class {label!r}: {len(values)} scores in {self.path} but "
                                     f"{len(recs)} records; class-keyed lists must match record order")
                self.scores.update({r.id: v for r, v in zip(recs, values)})
            extra = sum(len(v) for k, v in self.data.items() if k not in by_class)
        if extra:
            log.info("%s: %d score(s) for records not in this suite were ignored", self.path, extra)
        bad = [rid for rid, s in self.scores.items() if not math.isfinite(s)]
        if bad:
            raise ValueError(f"record {bad[0]!r}: non-finite score in {self.path} ({len(bad)} record(s))")

    def score_batch(self, sequences: Sequence[str]) -> Tensor:
        raise RuntimeError("PrecomputedScorer looks scores up by record id; use predict_step")

    def predict_step(self, batch: dict, batch_idx: int = 0, dataloader_idx: int = 0) -> dict:
        ids = list(batch["ids"])
        if self.scores is None and self.kind in ("class", "sequence"):
            raise RuntimeError(f"{self.path}: scores are keyed by {self.kind}, so they must be bound to the "
                               "records first (check_records(records), done by setup() under a Trainer)")
        table = self.scores if self.scores is not None else self.data
        unknown = [i for i in ids if i not in table]
        if unknown:
            raise ValueError(f"record {unknown[0]!r}: no score in {self.path}")
        values = [table[i] for i in ids]
        bad = [i for i, s in zip(ids, values) if not math.isfinite(s)]
        if bad:
            raise ValueError(f"model {self.name!r}: non-finite score for record {bad[0]!r}")
        self.n_scored += len(ids)
        return {"ids": ids, "scores": torch.tensor(values, dtype=torch.float64), "mode": self.mode}

    def checkpoint_label(self) -> str:
        return f"{self.name} (scores from {self.path.name})"

    def identity(self) -> dict[str, Any]:
        if self.path.is_dir():  # every table read, by relative path: a changed or added table changes it
            h = hashlib.sha256()
            for f in _peer_files(self.path):
                h.update(f"{f.relative_to(self.path)}\0".encode() + hashlib.sha256(f.read_bytes()).digest())
            digest = h.hexdigest()
        else:
            digest = hashlib.sha256(self.path.read_bytes()).hexdigest()
        return {**super().identity(), "file_sha256": digest}
