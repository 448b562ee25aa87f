"""Urtecho et al. 2019 (PNAS) σ70 minimal-promoter MPRA: reader, name grammar, background splits.

Files (``root`` = the user's download folder, e.g. ``data.root=/path/urtecho2019``)
------------------------------------------------------------------------------------
* ``min_promoter_lib_up_20161118_controls_clean.txt``: ``>name<TAB>sequence``, 198 bp =
  24-bp flank + 150-bp variable region + 24-bp flank. About half the lines are written in the
  opposite orientation; every sequence is normalised to the promoter's sense strand, recognised
  by its constant 5' flank :data:`SENSE_5P` (otherwise its reverse complement is tried).
* ``revLP5_Min_MOPS_glu_expression.txt``: space-separated; ``name`` and ``RNA_exp_average``
  (RNA/DNA, averaged over replicates); the target is ``log2(RNA_exp_average)``.

Name grammar (designed variants, 3 x 8 x 8 x 8 x 8 = 12,288):
``<UP>_<-35>_<spacer>_<-10>_<background>`` with UP one of ``noUP``, ``gourse_136fold_up``,
``gourse_326fold_up``; −35 ``consensus35`` or mutations like ``35T->C/33G->C/31C->G`` (promoter
coordinates); spacer an id of ``SpacerSequences.txt``; −10 ``consensus10`` or mutations like
``12T->G``; background ``bg<start>:<end>`` (genomic coordinates of the 150-bp background).
Controls: ``neg_control_<coords>`` (genomic fragments) and ``pos_control_<id>``; kept, flagged
in ``control`` (``"neg"``/``"pos"``), with empty element fields.

Sequences served to models are the 100-bp window of the sense strand that puts the construct in
the MIT standard layout (:data:`mitbench.data.core.grammar.STANDARD`): −35 hexamer at 30–35, 17-bp
spacer, −10 at 53–58, the UP element just upstream of the −35 (window 6–29; the standard UP
9-mer 15–23 is its proximal part), TSS at 65. The last 5 bp are constant 3' flank.
"""
from __future__ import annotations

import logging
import math
from pathlib import Path

import pandas as pd

from mitbench.data.core.grammar import STANDARD
from mitbench.data.core.records import ALPHABET, reverse_complement
from mitbench.data.core.textio import InputError, parse_float, read_table, read_text, split_lines
from mitbench.data.fit.training import (DEFAULT_MAX_EXCLUDED, RegressionData, check_fraction, split_by_group,
                                    verify_files)

log = logging.getLogger(__name__)

LIBRARY = "min_promoter_lib_up_20161118_controls_clean.txt"
EXPRESSION = "revLP5_Min_MOPS_glu_expression.txt"
SPACERS = "SpacerSequences.txt"
SENSE_5P = "TCCGACGGGGAGTATATACTC"  # first 21 bp of every sense-strand line (controls included)
MINUS35_AT = 109  # 0-based −35 start in the 198-bp sense sequence (= 24 + 85)
SPACER_AT = MINUS35_AT + 6
WINDOW = (MINUS35_AT - STANDARD.minus35_start, MINUS35_AT - STANDARD.minus35_start + STANDARD.length)  # −35 lands on the layout
UP_NAMES = ("noUP", "gourse_136fold_up", "gourse_326fold_up")
REPLICATES = ("RNA_exp_rep1.1", "RNA_exp_rep1.2", "RNA_exp_rep2", "RNA_exp_rep3")
COLUMNS = ("id", "sequence", "expression", "log2_expression", "log2_rep1", "log2_rep2", "log2_rep3",
           "up", "minus35", "spacer", "minus10", "background", "control")


def parse_name(name: str) -> dict[str, str]:
    """Split a library name into ``up, minus35, spacer, minus10, background, control``.

    Raises
    ------
    ValueError
        If the name fits neither the designed-variant grammar nor a control name.
    """
    fields = dict.fromkeys(("up", "minus35", "spacer", "minus10", "background", "control"), "")
    for kind in ("neg", "pos"):
        if name.startswith(f"{kind}_control_"):
            return {**fields, "control": kind}
    up = next((u for u in UP_NAMES if name.startswith(u + "_")), None)
    rest = name[len(up) + 1:].split("_") if up else []
    if len(rest) != 4 or not rest[3].startswith("bg"):
        raise ValueError(f"name {name!r} does not match <UP>_<-35>_<spacer>_<-10>_bg<coords>")
    return {**fields, "up": up, "minus35": rest[0], "spacer": rest[1], "minus10": rest[2],
            "background": rest[3]}


def sense_strand(sequence: str) -> str | None:
    """The sequence oriented so it starts with :data:`SENSE_5P`; None if neither strand does."""
    seq = sequence.strip().upper()
    if seq.startswith(SENSE_5P):
        return seq
    rc = reverse_complement(seq)
    return rc if rc.startswith(SENSE_5P) else None


def read_spacers(root: str | Path) -> dict[str, str]:
    """``{spacer id: 17-bp sequence}`` from ``SpacerSequences.txt`` (columns ``Spacer``, ``Sequence``)."""
    header, rows = read_table(Path(root) / SPACERS, None, ["Spacer", "Sequence"])
    i, j = header.index("Spacer"), header.index("Sequence")
    return {fields[i]: fields[j].upper() for _, fields in rows}


def read_library(path: str | Path) -> dict[str, str]:
    """``{name: sequence as written}`` from the library file (one ``>name<TAB>sequence`` per line).

    Raises
    ------
    InputError
        Naming the file and line: a line of another form, a repeated name, or no line at all.
    """
    library: dict[str, str] = {}
    for lineno, line in enumerate(split_lines(read_text(path)), 1):
        if not line.strip():
            continue
        name, tab, seq = line.partition("\t")
        name = name.strip()
        if not tab or not name.startswith(">") or len(name) < 2:
            raise InputError(f"{path}, line {lineno}: expected '>name<TAB>sequence', got {line[:60]!r}")
        if name[1:] in library:
            raise InputError(f"{path}, line {lineno}: name {name[1:]!r} occurs twice")
        library[name[1:]] = seq.strip()
    if not library:
        raise InputError(f"{path}: no library sequences")
    return library


def read_urtecho(root: str | Path, verbose: bool = True) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Join the library and the expression table; one row per measured, valid variant.

    Returns
    -------
    table : DataFrame
        Columns ``id`` (library name), ``sequence`` (100-bp standard-layout window, str),
        ``expression`` (RNA_exp_average, float64), ``log2_expression``, ``log2_rep1``
        (mean of replicates 1.1/1.2), ``log2_rep2``, ``log2_rep3`` and the :func:`parse_name`
        fields. Row order follows the expression file.
    excluded : list of (name, reason)
        Rows dropped: name missing from the library, orientation flanks not found, non-ACGT
        base, spacer not at its expected position, or non-positive/non-finite expression.
        Their count is printed (``verbose``) and logged.

    Raises
    ------
    InputError
        Naming the file and line: a malformed line (see :func:`read_library` and
        :func:`mitbench.data.core.textio.read_table`), a cell that is not a number, a repeated name,
        or an expression table without rows.
    """
    root = Path(root)
    library = read_library(root / LIBRARY)
    header, lines = read_table(root / EXPRESSION, None, ["name", "RNA_exp_average"])
    if not lines:
        raise InputError(f"{root / EXPRESSION}: a header but no data rows")
    spacers = read_spacers(root)
    numeric = [c for c in ("RNA_exp_average", *REPLICATES) if c in header]
    rows, excluded, seen = [], [], set()
    for lineno, fields in lines:
        where = f"{root / EXPRESSION}, line {lineno}"
        name = fields[header.index("name")]
        if name in seen:
            raise InputError(f"{where}: name {name!r} occurs twice")
        seen.add(name)
        rec = {c: parse_float(fields[header.index(c)], f"{where}, column {c!r}") for c in numeric}
        row, reason = _row(name, library.get(name), rec, spacers)
        if reason:
            excluded.append((name, f"{EXPRESSION} line {lineno}: {reason}"))
        else:
            rows.append(row)
    message = f"urtecho2019: {len(rows)} rows kept, {len(excluded)} excluded"
    if excluded:
        message += "; e.g. " + "; ".join(f"{n!r}: {r}" for n, r in excluded[:5])
    log.info(message)
    if verbose:
        print(message)
    return pd.DataFrame(rows, columns=COLUMNS), excluded


def _log2(value: float) -> float:
    return math.log2(value) if value > 0 and math.isfinite(value) else float("nan")


def _row(name: str, raw: str | None, rec: dict, spacers: dict[str, str]) -> tuple[dict | None, str]:
    if raw is None:
        return None, "no sequence in the library file"
    bad = next((c for c in raw.strip().upper() if c not in ALPHABET), None)
    if bad is not None:
        return None, f"non-ACGT character {bad!r}"
    seq = sense_strand(raw)
    if seq is None or len(seq) < WINDOW[1]:
        return None, "constant flanks not found on either strand"
    try:
        fields = parse_name(name)
    except ValueError as err:
        return None, str(err)
    spacer = spacers.get(fields["spacer"])
    if spacer and seq[SPACER_AT:SPACER_AT + len(spacer)] != spacer:
        return None, f"spacer {fields['spacer']} not at position {SPACER_AT}"
    value = float(rec["RNA_exp_average"])
    if not (value > 0 and math.isfinite(value)):
        return None, f"RNA_exp_average {value!r} is not positive"
    reps = [float(rec.get(c, float("nan"))) for c in REPLICATES]
    return {"id": name, "sequence": seq[WINDOW[0]:WINDOW[1]], "expression": value,
            "log2_expression": math.log2(value), "log2_rep1": _log2((reps[0] + reps[1]) / 2),
            "log2_rep2": _log2(reps[2]), "log2_rep3": _log2(reps[3]), **fields}, ""


class Urtecho2019(RegressionData):
    """Urtecho 2019 as training data: target ``log2(RNA_exp_average)``, split by background.

    Parameters
    ----------
    root : str
        Folder holding the Urtecho files (``data.root=``).
    test_backgrounds, val_backgrounds : list of str
        Background ids (``bg<start>:<end>``) held out for test / validation; all other designed
        variants train. No test sequence shares a background with a training sequence.
    include_controls : bool
        Keep the negative/positive controls (in the training split; they have no background).
    max_excluded : float
        Largest fraction of expression rows that may be excluded before the run stops (see
        :mod:`mitbench.data.fit.training`).
    sha256 : mapping of str to str, optional
        Pinned SHA-256 of the files by name (the config pins the published ones); None checks nothing.
    """

    name = "urtecho2019"
    target_name = "log2 RNA/DNA"

    def __init__(self, root: str, test_backgrounds: list[str], val_backgrounds: list[str],
                 include_controls: bool = False, max_excluded: float = DEFAULT_MAX_EXCLUDED,
                 sha256: dict[str, str] | None = None) -> None:
        self.root = root
        self.max_excluded = check_fraction(max_excluded, "max_excluded")
        self.sha256 = dict(sha256) if sha256 else None
        self.test_backgrounds = list(test_backgrounds)
        self.val_backgrounds = list(val_backgrounds)
        self.include_controls = include_controls

    def build(self) -> pd.DataFrame:
        self.file_sha256 = verify_files(self.root, (LIBRARY, EXPRESSION, SPACERS), self.sha256)
        table, self.excluded = read_urtecho(self.root)
        self.n_read = len(table) + len(self.excluded)
        if not self.include_controls:
            table = table[table["control"] == ""]
        table = table.assign(target=table["log2_expression"])
        table["split"] = split_by_group(table["background"], self.test_backgrounds, self.val_backgrounds)
        return table
