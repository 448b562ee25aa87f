"""Lagator et al. 2022 (eLife) promoter libraries: λ PR and PL mutant libraries and a 36N library.

Files (``root`` = the user's download folder): ``Pr_constitutive.csv`` and
``Pl_constitutive.csv`` (columns ``sequence, Median, Mode, Mean, Std, Coverage``; 139 bp, the
promoter's −35 hexamer at 0-based 46) and ``36N_constitutive.csv`` (``sequence, estimate_bin,
estimate_bin_err, estimate_facs, coverage``; 114–116 bp, random 36-mer). Expression columns are
used as given (fluorescence-bin estimates; not log-transformed). Sequences are cut to a 100-bp
window (PR/PL: −35 at 30, the MIT standard layout). No background structure exists, so the
held-out sequences are a deterministic hash split (:func:`mitbench.data.fit.training.split_by_hash`).
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from mitbench.data.core.grammar import STANDARD
from mitbench.data.core.records import ALPHABET
from mitbench.data.core.textio import InputError, parse_float, read_table
from mitbench.data.fit.training import DEFAULT_MAX_EXCLUDED, RegressionData, check_fraction, split_by_hash, verify_files

FILES = {"Pr": "Pr_constitutive.csv", "Pl": "Pl_constitutive.csv", "36N": "36N_constitutive.csv"}
DEFAULT_TARGET = {"Pr": "Mean", "Pl": "Mean", "36N": "estimate_bin"}
DEFAULT_WINDOW = {"Pr": 16, "Pl": 16, "36N": 8}


class Lagator2022(RegressionData):
    """One Lagator 2022 library as training data.

    Parameters
    ----------
    root : str
        Folder holding the CSV files.
    library : {"Pr", "Pl", "36N"}
        Which library.
    target : str, optional
        Expression column (default: ``Mean`` for Pr/Pl, ``estimate_bin`` for 36N).
    window_start : int, optional
        0-based start of the 100-bp window (default: 16 for Pr/Pl, 8 for 36N).
    seed : int
        Split seed.
    val_fraction, test_fraction : float
        Held-out fractions.
    max_excluded : float
        Largest fraction of rows that may be excluded (non-ACGT, too short, no expression value)
        before the run stops (see :mod:`mitbench.data.fit.training`).
    sha256 : mapping of str to str, optional
        Pinned SHA-256 of the files by name (the config pins the published ones); None checks nothing.
    """

    name = "lagator2022"

    def __init__(self, root: str, library: str = "Pr", target: str | None = None,
                 window_start: int | None = None, seed: int = 0, val_fraction: float = 0.1,
                 test_fraction: float = 0.1, max_excluded: float = DEFAULT_MAX_EXCLUDED,
                 sha256: dict[str, str] | None = None) -> None:
        if library not in FILES:
            raise ValueError(f"library must be one of {sorted(FILES)}, got {library!r}")
        self.root, self.library = root, library
        self.target = target or DEFAULT_TARGET[library]
        self.target_name = self.target
        self.window_start = DEFAULT_WINDOW[library] if window_start is None else int(window_start)
        self.seed, self.val_fraction, self.test_fraction = seed, val_fraction, test_fraction
        self.max_excluded = check_fraction(max_excluded, "max_excluded")
        self.sha256 = dict(sha256) if sha256 else None

    def build(self) -> pd.DataFrame:
        """Rows of the library's CSV cut to the window; malformed files raise ``InputError`` naming
        the line (a cell that is not a number, a short row, no rows)."""
        path = Path(self.root) / FILES[self.library]
        self.file_sha256 = verify_files(self.root, [FILES[self.library]], self.sha256)
        header, rows = read_table(path, ",", ["sequence", self.target])
        if not rows:
            raise InputError(f"{path}: a header but no data rows")
        i_seq, i_target = header.index("sequence"), header.index(self.target)
        end = self.window_start + STANDARD.length
        keep, excluded = [], []
        for i, (lineno, fields) in enumerate(rows):
            rid, s = f"{self.library}_{i:05d}", fields[i_seq].upper()
            t = parse_float(fields[i_target], f"{path}, line {lineno}, column {self.target!r}")
            bad = next((c for c in s if c not in ALPHABET), None)
            if bad is not None:
                excluded.append((rid, f"line {lineno}: non-ACGT character {bad!r}"))
            elif len(s) < end:
                excluded.append((rid, f"line {lineno}: length {len(s)} < {end}"))
            elif not math.isfinite(t):
                excluded.append((rid, f"line {lineno}: no finite expression value"))
            else:
                keep.append({"id": rid, "sequence": s[self.window_start:end], "target": t})
        self.n_read, self.excluded = len(rows), excluded
        print(f"lagator2022 {self.library}: {len(keep)} rows kept, {len(excluded)} excluded"
              + (f"; e.g. {excluded[:3]}" if excluded else ""))
        table = pd.DataFrame(keep, columns=["id", "sequence", "target"]).drop_duplicates("sequence")
        table = table.reset_index(drop=True)
        table["split"] = split_by_hash(table["sequence"], self.seed, self.val_fraction, self.test_fraction)
        return table
