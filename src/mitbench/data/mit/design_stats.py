"""Design statistics of an MIT record set: what can be checked about a construction without scores.

Used to compare the paper's released sequences with a fresh build of its design
(``design="paper"``) and with mitbench's matched design, class by class:

* :func:`region_at` — mean A/T fraction per class and layout region (standard 100-bp layout:
  ``flank5`` 0–14, ``up`` 15–23, ``gap`` 24–29, ``minus35`` 30–35, ``spacer`` 36–49, ``ext10``
  50–52, ``minus10`` 53–58, ``flank3`` 59–99);
* :func:`motif_checks` — per class, the fraction of records with the −35 consensus at 30, the
  consensus / broken −10 at 53, TGT at 50 and a consensus UP (AAAAAARNR) at 15;
* :func:`shared_background` — for a pair of classes matched by index, the mean fraction of
  positions outside the designed windows where the two sequences agree: 1 when they share a
  background (matched design), about ``Σ p_b²`` (≈ 0.25) when drawn independently (the paper's).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from mitbench.data.core.grammar import BROKEN_10, CONSENSUS_10, CONSENSUS_35, EXT10, STANDARD, UP_CONSENSUS, at_fraction, mismatches
from mitbench.data.core.records import SequenceRecord

_L = STANDARD
REGIONS: dict[str, tuple[int, int]] = {
    "flank5": (0, _L.up_start), "up": _L.up, "gap": (_L.up[1], _L.minus35_start), "minus35": _L.minus35,
    "spacer": (_L.minus35[1], _L.ext10_start), "ext10": _L.ext10, "minus10": _L.minus10, "flank3": (_L.minus10[1], _L.length)}
DESIGNED = (_L.up, _L.minus35, _L.ext10, _L.minus10)


def _by_class(records: Sequence[SequenceRecord]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in records:
        if len(r.sequence) != _L.length:
            raise ValueError(f"record {r.id!r}: design statistics need the {_L.length}-bp layout, got {len(r.sequence)} bp")
        out.setdefault(r.label, []).append(r.sequence)
    return out


def region_at(records: Sequence[SequenceRecord]) -> pd.DataFrame:
    """Mean A/T fraction, one row per class: columns ``class``, ``n``, ``all`` and one per region."""
    rows = []
    for label, seqs in sorted(_by_class(records).items()):
        row = {"class": label, "n": len(seqs), "all": float(np.mean([at_fraction(s) for s in seqs]))}
        row.update({name: float(np.mean([at_fraction(s[a:b]) for s in seqs])) for name, (a, b) in REGIONS.items()})
        rows.append(row)
    return pd.DataFrame(rows)


def motif_checks(records: Sequence[SequenceRecord]) -> pd.DataFrame:
    """Per class: fraction with ``minus35_consensus`` (TTGACA at 30), ``minus10_consensus``
    (TATAAT at 53), ``minus10_broken`` (TGTAAT at 53), ``tgt_50`` and ``up_consensus_15``."""
    rows = []
    for label, seqs in sorted(_by_class(records).items()):
        rows.append({"class": label, "n": len(seqs),
                     "minus35_consensus": np.mean([s[slice(*_L.minus35)] == CONSENSUS_35 for s in seqs]),
                     "minus10_consensus": np.mean([s[slice(*_L.minus10)] == CONSENSUS_10 for s in seqs]),
                     "minus10_broken": np.mean([s[slice(*_L.minus10)] == BROKEN_10 for s in seqs]),
                     "tgt_50": np.mean([s[slice(*_L.ext10)] == EXT10 for s in seqs]),
                     "up_consensus_15": np.mean([mismatches(s[slice(*_L.up)], UP_CONSENSUS) == 0 for s in seqs])})
    return pd.DataFrame(rows)


def shared_background(records: Sequence[SequenceRecord], a: str, b: str) -> float:
    """Mean fraction of background positions (outside UP, −35, ext −10, −10) where ``a_i`` and
    ``b_i`` agree, over the indices both classes have; NaN if either class is absent."""
    by = _by_class(records)
    if a not in by or b not in by:
        return float("nan")
    keep = [k for k in range(_L.length) if not any(lo <= k < hi for lo, hi in DESIGNED)]
    pairs = list(zip(by[a], by[b]))
    return float(np.mean([np.mean([x[k] == y[k] for k in keep]) for x, y in pairs]))
