"""Composition-matched positional pairs from the Urtecho 2019 library (real promoters, measured).

A **positive** is a designed variant carrying a Gourse UP element (``gourse_136fold_up`` or
``gourse_326fold_up``) whose measured expression exceeds that of its ``noUP`` twin (same −35,
spacer, −10 and background) by at least ``min_up_effect`` log2 units: the UP element acts there.
Its **negatives** hold exactly the same bases, only placed where an UP element cannot act:

* ``moved``: the UP window (:data:`UP_WINDOW`, bases 5–26 of the 100-bp standard-layout window,
  where every UP variant differs from its noUP twin) swapped with an equal-length window
  downstream of the −10 (start drawn per pair from :data:`DOWNSTREAM`); the background that was
  there takes the UP's place;
* ``scrambled``: the UP window's bases permuted in place.

Both are permutations of the positive's bases, so the composition is exact (checked for every
pair). No sequence of the MIT generator or its probes is involved: the UP placements of the MIT
(e.g. its scrambled control H, which moves the UP into the spacer) are never trained on.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mitbench.data.fit.training import split_by_group

NEGATIVES = ("moved", "scrambled")
UP_WINDOW = (5, 27)  # half-open; standard layout: −35 at 30–35, −10 at 53–58
DOWNSTREAM = (59, 95)  # after the −10, before the constant 3' flank (last 5 bp)
UP_VARIANTS = ("gourse_136fold_up", "gourse_326fold_up")
_CORE = ("minus35", "spacer", "minus10", "background")


def swap(sequence: str, a: tuple[int, int], b: tuple[int, int]) -> str:
    """Exchange two equal-length, non-overlapping half-open windows ``a`` < ``b``."""
    (a0, a1), (b0, b1) = a, b
    if a1 - a0 != b1 - b0 or not 0 <= a0 < a1 <= b0 < b1 <= len(sequence):
        raise ValueError(f"windows {a} and {b} must have equal length, a before b, inside {len(sequence)} bp")
    return sequence[:a0] + sequence[b0:b1] + sequence[a1:b0] + sequence[a0:a1] + sequence[b1:]


def scramble(sequence: str, window: tuple[int, int], rng: np.random.Generator) -> str:
    """Permute the bases inside ``window`` (a permutation that changes the string, if one exists)."""
    w0, w1 = window
    part = sequence[w0:w1]
    for _ in range(100):
        new = "".join(rng.permutation(list(part)))
        if new != part:
            break
    return sequence[:w0] + new + sequence[w1:]


def positional_pairs(table: pd.DataFrame, min_up_effect: float = 1.0, val_backgrounds: tuple[str, ...] = (),
                     seed: int = 0) -> pd.DataFrame:
    """Positives and their negatives from a :func:`mitbench.data.fit.urtecho.read_urtecho` table.

    Parameters
    ----------
    table : DataFrame
        Columns ``id``, ``sequence`` (100-bp standard-layout windows), ``log2_expression``,
        ``up``, ``minus35``, ``spacer``, ``minus10``, ``background``, ``control``.
    min_up_effect : float
        Minimum ``log2 expr(UP variant) - log2 expr(noUP twin)`` for a positive.
    val_backgrounds : tuple of str
        Backgrounds held out for validation (``split == "val"``); the rest train.
    seed : int
        Seed of the downstream placements and the scrambles (one stream, table order).

    Returns
    -------
    DataFrame
        ``id`` (of the positive), ``background``, ``up``, ``up_effect`` (log2), ``split``,
        ``positive``, ``moved``, ``scrambled`` (str, 100 bp) and ``moved_start``.

    Raises
    ------
    ValueError
        If no positive qualifies, a positive differs from its twin outside :data:`UP_WINDOW`, or
        a negative's composition differs from its positive's (naming the variant).
    """
    designed = table[table["control"] == ""]
    noup = designed[designed["up"] == "noUP"]
    twins = {tuple(k): (float(e), str(s)) for k, e, s in
             zip(noup[list(_CORE)].itertuples(index=False), noup["log2_expression"], noup["sequence"])}
    rng = np.random.default_rng(seed)
    width = UP_WINDOW[1] - UP_WINDOW[0]
    rows = []
    for rec in designed[designed["up"].isin(UP_VARIANTS)].itertuples(index=False):
        key = tuple(getattr(rec, c) for c in _CORE)
        if key not in twins:
            continue
        twin_log2, twin_seq = twins[key]
        effect = float(rec.log2_expression) - twin_log2
        if effect < min_up_effect:
            continue
        seq = rec.sequence
        outside = [i for i, (x, y) in enumerate(zip(seq, twin_seq)) if x != y and not
                   UP_WINDOW[0] <= i < UP_WINDOW[1]]
        if outside:
            raise ValueError(f"variant {rec.id!r} differs from its noUP twin at {outside[0]}, outside the UP window")
        start = int(rng.integers(DOWNSTREAM[0], DOWNSTREAM[1] - width + 1))
        moved = swap(seq, UP_WINDOW, (start, start + width))
        scrambled = scramble(seq, UP_WINDOW, rng)
        for name, neg in (("moved", moved), ("scrambled", scrambled)):
            if sorted(neg) != sorted(seq) or neg == seq:
                raise ValueError(f"variant {rec.id!r}: {name} negative is not a composition-exact rearrangement")
        rows.append({"id": rec.id, "background": rec.background, "up": rec.up, "up_effect": effect,
                     "positive": seq, "moved": moved, "scrambled": scrambled, "moved_start": start})
    if not rows:
        raise ValueError(f"no UP variant raises expression by >= {min_up_effect} log2 over its noUP twin")
    pairs = pd.DataFrame(rows)
    pairs["split"] = split_by_group(pairs["background"], [], list(val_backgrounds)).to_numpy()
    return pairs
