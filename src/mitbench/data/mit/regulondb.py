"""Reader for a user-supplied RegulonDB ``PromoterSet.txt``: σ70 promoters with located −35/−10.

RegulonDB's licence forbids redistribution, so nothing of it ships with mitbench: the file is
read by path only. Format (release 10.x): tab-separated, ``#`` comment lines, 8 columns —
identifier, name, strand, TSS position (+1), sigma factor(s), 81-nt sequence in the promoter's
sense with the +1 in upper case (60 nt upstream, 20 downstream), evidence, confidence.

Elements are located in the window by exhaustive search: the −10 hexamer may end
upstream of the +1 (discriminator length, 4–9 nt), the spacer to the −35 hexamer is 15–19 bp, and the
pair with the lowest ``2 * mm(−10, TATAAT) + mm(−35, TTGACA) - 2 * ext`` wins, where ``mm`` counts
mismatches and ``ext`` is 1 when TG sits at −15/−14 (extended −10). The −10 counts double (the
more conserved, TSS-anchored element) and a TGn earns one −10 mismatch back, so extended −10
promoters without a −35 (galP1) are read right. Ties: spacer closest to 17, then discriminator
closest to 7, then the shorter discriminator.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from mitbench.data.core.grammar import CONSENSUS_10, CONSENSUS_35, STANDARD, Layout, mismatches
from mitbench.data.core.textio import InputError, read_text, split_lines

TSS_INDEX = 60  # 0-based index of the +1 in the 81-nt window
WINDOW = 81
DISCRIMINATOR = range(4, 10)  # nt between the −10 hexamer's last base and the +1 (typical 5–9)
SPACERS = range(15, 20)
UP_SLOT = "WWWWWWRNR"  # A/T-tract reading of the proximal UP consensus AAAAAARNR (Estrem 1998)


@dataclass(frozen=True)
class LocatedPromoter:
    """One σ70 promoter of a PromoterSet file with its located elements.

    Parameters
    ----------
    id, name : str
        RegulonDB identifier and promoter name.
    window : str
        The 81-nt sequence, upper case, promoter sense; ``window[60]`` is the +1.
    minus35_start, minus10_start : int
        0-based start of the located hexamers in ``window``.
    confidence : str
        RegulonDB evidence level (``Confirmed``, ``Strong``, ``Weak``).
    """

    id: str
    name: str
    window: str
    minus35_start: int
    minus10_start: int
    confidence: str

    @property
    def minus35(self) -> str:
        return self.window[self.minus35_start:self.minus35_start + 6]

    @property
    def minus10(self) -> str:
        return self.window[self.minus10_start:self.minus10_start + 6]

    @property
    def spacer(self) -> int:
        return self.minus10_start - self.minus35_start - 6

    @property
    def mm10(self) -> int:
        """Mismatches of the −10 hexamer to TATAAT (0–6)."""
        return mismatches(self.minus10, CONSENSUS_10)

    @property
    def mm35(self) -> int:
        return mismatches(self.minus35, CONSENSUS_35)

    @property
    def ext10(self) -> bool:
        """TGn immediately upstream of the −10 hexamer (−15 T, −14 G)."""
        return self.window[self.minus10_start - 3:self.minus10_start - 1] == "TG"

    def up_slot(self, layout: Layout = STANDARD) -> str:
        """The window bases that land on the layout's UP slot when the −35 is aligned ('' if cut)."""
        offset = layout.minus35_start - self.minus35_start  # layout index = window index + offset
        a, b = layout.up[0] - offset, layout.up[1] - offset
        return self.window[a:b] if a >= 0 else ""

    def up(self, layout: Layout = STANDARD) -> bool:
        """UP element: the aligned UP slot matches ``WWWWWWRNR`` with at most one mismatch."""
        slot = self.up_slot(layout)
        return len(slot) == len(UP_SLOT) and mismatches(slot, UP_SLOT) <= 1


def locate(window: str) -> tuple[int, int]:
    """Best (−35 start, −10 start) in an 81-nt window (see module docstring for the rule)."""
    best: tuple | None = None
    for disc in DISCRIMINATOR:
        s10 = TSS_INDEX - disc - 6
        m10 = mismatches(window[s10:s10 + 6], CONSENSUS_10)
        ext = window[s10 - 3:s10 - 1] == "TG"
        for spacer in SPACERS:
            s35 = s10 - 6 - spacer
            if s35 < 0:
                continue
            total = 2 * m10 + mismatches(window[s35:s35 + 6], CONSENSUS_35) - 2 * ext
            key = (total, abs(spacer - 17), abs(disc - 7), disc)
            if best is None or key < best[0]:
                best = (key, s35, s10)
    assert best is not None
    return best[1], best[2]


def is_sigma70(field: str) -> bool:
    """True if the sigma-factor column names σ70 (alone or with another sigma)."""
    return any(tok.strip() == "Sigma70" for tok in field.split(","))


def iter_rows(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """``(line number, 8 fields)`` for every data line of a PromoterSet file (all sigma factors;
    plain or compressed).

    Raises
    ------
    InputError
        Naming the line: a non-comment line without 8 tab-separated fields, or bytes that are not text.
    """
    for lineno, line in enumerate(split_lines(read_text(path)), 1):
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 8:
            raise InputError(f"{path}, line {lineno}: {len(fields)} tab-separated fields, expected 8")
        yield lineno, fields


def read_promoter_set(path: str | Path) -> list[LocatedPromoter]:
    """σ70 promoters of a RegulonDB ``PromoterSet.txt``, in file order, with located elements.

    Rows whose sigma column does not name Sigma70, or whose sequence is not an 81-nt ACGT
    window with a single upper-case +1 at index 60, are skipped.

    Raises
    ------
    InputError
        On a malformed line (see :func:`iter_rows`) or if the file holds no usable σ70 row.
    """
    out: list[LocatedPromoter] = []
    for _lineno, (pid, name, _strand, _tss, sigma, seq, _evidence, confidence) in iter_rows(path):
        if not is_sigma70(sigma) or not _usable(seq):
            continue
        window = seq.upper()
        s35, s10 = locate(window)
        out.append(LocatedPromoter(pid, name, window, s35, s10, confidence))
    if not out:
        raise InputError(f"{path}: no usable Sigma70 promoter rows")
    return out


def _usable(seq: str) -> bool:
    upper = [i for i, c in enumerate(seq) if c.isupper()]
    return (len(seq) == WINDOW and upper == [TSS_INDEX]
            and set(seq.upper()) <= set("ACGT"))
