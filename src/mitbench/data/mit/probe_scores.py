"""Probe scores read from files, as score-only records a probe suite can summarise.

The paper released its probe *scores* but not the probe *sequences*. These readers turn a probe
score file into records of the probe's own form (the meta columns its metric function reads), with
an empty sequence (score-only: only ``model=precomputed`` can score them) and a deterministic id
per score, so ``suite=<probe> suite.source=<file> model=precomputed model.path=<file>`` replays a
file through the normal probe suite (``suites.probes.ProbeSuite``).

Accepted files
--------------
* **Nested JSON** (the paper's layout): objects nested by condition (and level), whose leaves are
  ``{"mean": m, "std": s, "values": [...]}`` (one record per value, ``aggregate = "value"``) or
  ``{"mean": m, "std": s}`` (condition means only: one record holding the mean,
  ``aggregate = "mean"``). A number beside the objects (e.g. ``"correlation"``) is a summary and
  is skipped. Ids: the key path joined by ``/`` plus ``#<draw>`` or ``#mean``
  (``30/intact#7``). The file's draws are independent (no shared backgrounds), so the records of
  one draw index form a ``group`` only by index: paired statistics pair draws by index.
* **Long CSV** (generic): header with ``id, condition, group, score`` and, for the AT titration,
  ``level`` (A/T as a fraction or a percent); other columns become meta. ``condition`` is what
  the probe varies: a variant (``intact``/``broken``/``compensated``), an UP position
  (``p<pos>``, ``<pos>`` or ``none``), a spacer length (``17`` or ``s17``) or a strand condition
  (``forward``/``rc_in_place``/``full_rc``/``scrambled``; the paper's ``reverse_in_place``/
  ``full_reverse`` are accepted). ``group`` pairs conditions (one background, if the file has
  one).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from mitbench.data.core.grammar import STANDARD
from mitbench.data.mit.probes.at_titration import VARIANTS
from mitbench.data.mit.probes.common import overlaps, probe_record
from mitbench.data.core.records import SequenceRecord
from mitbench.data.core.textio import InputError, base_suffix, parse_float, read_json, read_table

LONG_COLUMNS = ("id", "condition", "group", "score")
STRAND_ALIASES = {"reverse_in_place": "rc_in_place", "full_reverse": "full_rc"}


@dataclass(frozen=True)
class ScoreCell:
    """One score of a probe file: ``path`` (the keys leading to it: level and/or condition),
    ``group`` (draw index or the file's group), ``aggregate`` (``value`` or ``mean``)."""

    id: str
    path: tuple[str, ...]
    group: str
    score: float
    aggregate: str
    meta: tuple[tuple[str, Any], ...] = ()


def _number(value: Any, where: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: {value!r} is not a number")
    return float(value)


def _walk(node: dict, path: tuple[str, ...], where: str) -> Iterable[ScoreCell]:
    if "values" in node or "mean" in node:
        name = "/".join(path)
        if "values" in node:
            if not isinstance(node["values"], list):
                raise InputError(f"{where}: {name!r}: 'values' must be a list")
            for i, v in enumerate(node["values"]):
                yield ScoreCell(f"{name}#{i}", path, f"{i:03d}", _number(v, f"{where}: {name}[{i}]"), "value")
        else:
            yield ScoreCell(f"{name}#mean", path, "mean", _number(node["mean"], f"{where}: {name}.mean"), "mean")
        return
    for key, child in node.items():
        if isinstance(child, dict):
            yield from _walk(child, path + (str(key),), where)
        elif not isinstance(child, (int, float)) or isinstance(child, bool):
            raise InputError(f"{where}: {'/'.join(path + (str(key),))!r} is neither an object nor a summary number")


def read_score_cells(path: str | Path) -> list[ScoreCell]:
    """Every score of a nested-JSON or long-CSV probe file (module docstring), in file order.

    Raises
    ------
    InputError
        Naming the file and the offending key or line: a non-number score, a missing CSV column,
        a duplicate id, or a file with no score.
    """
    path = Path(path)
    kind = base_suffix(path)
    if kind == ".csv":
        cells = _read_long(path)
    elif kind == ".json":
        raw = read_json(path)
        if not isinstance(raw, dict):
            raise InputError(f"{path}: expected a JSON object nested by condition")
        cells = list(_walk(raw, (), str(path)))
    else:
        raise InputError(f"{path}: probe score file must be .json (nested) or .csv (long)")
    if not cells:
        raise InputError(f"{path}: no scores found")
    seen: set[str] = set()
    for c in cells:
        if c.id in seen:
            raise InputError(f"record {c.id!r}: duplicate id in {path}")
        seen.add(c.id)
    return cells


def _read_long(path: Path) -> list[ScoreCell]:
    header, rows = read_table(path, ",", LONG_COLUMNS)
    extra = [c for c in header if c not in LONG_COLUMNS and c != "level"]
    cells = []
    for line, fields in rows:
        row = dict(zip(header, fields))
        score = parse_float(row["score"], f"{path}, line {line}: record {row['id']!r}")
        keys = ((row["level"],) if row.get("level") not in (None, "") else ()) + (row["condition"],)
        cells.append(ScoreCell(row["id"], keys, row["group"], score, "value", tuple((c, row[c]) for c in extra)))
    return cells


def _records(probe: str, cells: list[ScoreCell], build) -> list[SequenceRecord]:
    out = []
    for c in cells:
        label, meta = build(c)
        out.append(probe_record(probe, c.id, label, "", (), **{**dict(c.meta), **meta, "aggregate": c.aggregate}))
    return out


def _level(text: str) -> float:
    x = float(text)
    return x / 100.0 if x > 1.0 else x


def at_titration_from_scores(source: str | Path) -> list[SequenceRecord]:
    """AT-titration records (meta ``variant``, ``at_target`` = ``at_fraction`` = the nominal A/T
    level: the sequences' measured A/T is not released, ``group`` = level + draw)."""
    def build(c: ScoreCell):
        variant = [p for p in c.path if p in VARIANTS]
        levels = [p for p in c.path if p not in VARIANTS]
        if len(variant) != 1 or len(levels) != 1:
            raise InputError(f"record {c.id!r}: an AT-titration score needs one variant {VARIANTS} and one level")
        at = _level(levels[0])
        return variant[0], {"variant": variant[0], "at_target": at, "at_fraction": at,
                            "group": f"at{round(at * 100)}_{c.group}"}
    return _records("at_titration", read_score_cells(source), build)


def up_sweep_from_scores(source: str | Path) -> list[SequenceRecord]:
    """UP-sweep records (``condition`` ``p<pos>``/``none``, ``up_position``, ``overlaps`` of the
    9-bp window with the standard layout's core motifs)."""
    def build(c: ScoreCell):
        text = c.path[-1].lower().lstrip("p")
        if text == "none":
            return "none", {"condition": "none", "up_position": None, "overlaps": "none", "group": c.group}
        pos = int(text)
        return f"p{pos}", {"condition": f"p{pos}", "up_position": pos, "group": c.group,
                           "overlaps": overlaps(pos, pos + STANDARD.up_len)}
    return _records("up_sweep", read_score_cells(source), build)


def spacing_from_scores(source: str | Path) -> list[SequenceRecord]:
    """Spacer-length records (``spacing`` in bp)."""
    def build(c: ScoreCell):
        s = int(c.path[-1].lower().lstrip("s"))
        return f"s{s}", {"spacing": s, "group": c.group}
    return _records("spacing", read_score_cells(source), build)


def strand_from_scores(source: str | Path) -> list[SequenceRecord]:
    """Strand records (``condition`` forward/rc_in_place/full_rc/scrambled)."""
    from mitbench.data.mit.probes.strand import CONDITIONS

    def build(c: ScoreCell):
        cond = STRAND_ALIASES.get(c.path[-1], c.path[-1])
        if cond not in CONDITIONS:
            raise InputError(f"record {c.id!r}: strand condition {c.path[-1]!r} not in {CONDITIONS} "
                             f"(or {sorted(STRAND_ALIASES)})")
        return cond, {"condition": cond, "group": c.group}
    return _records("strand", read_score_cells(source), build)
