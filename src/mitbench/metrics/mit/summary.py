"""MIT metrics: CSS, SCR, MES, CIR, CM from a scores table.

Classes: A natural intact, B natural broken, C synthetic intact, D synthetic broken,
E compensated, F over-compensated, G natural compensated, H scrambled control.
Scores follow the scorer contract: higher = more likely / more active.

Definitions (``d`` = Cohen's d, pooled SD, ddof=1; see :mod:`mitbench.metrics.stats`)
-------------------------------------------------------------------------------------
* **CSS** (compensation sensitivity) = fraction of matched pairs (D_i, E_i) with
  ``score(E_i) > score(D_i)``; pairs are joined on the meta column ``group``; ties count as not
  greater and their number is ``css_ties``.
* **SCR** (scramble control ratio) = same for (H_i, E_i): compensated vs its scrambled control.
* **MES** natural = d(A, B); synthetic = d(C, D).
* **CIR** = MES_synthetic / MES_natural.
* **CM** = (mean E − mean D) / (mean C − mean D): fraction of the broken−intact gap that
  compensation recovers.

Statistics
----------
* CIs: CSS/SCR (proportions) exact Clopper–Pearson; MES/CIR/CM a 95 % numpy percentile
  bootstrap, ``n_boot`` resamples from ``default_rng(seed)``, each class resampled independently
  (stratified), which ignores the shared backgrounds of C/D/E and is therefore conservative for
  CM. The CI of a ratio (CIR, CM) is nan when its denominator changes sign across resamples
  (unbounded). ``n_boot=0`` skips the bootstraps (used for the many null copies).
* ``css_consistency``/``scr_consistency``: the share of pairs moving the same way
  (:func:`mitbench.metrics.stats.edit_consistency`): near 1, the pairs are one fixed edit on
  different backgrounds, not independent replicates, and the binomial p-value says little.
* Placement controls (when present): :mod:`mitbench.metrics.mit.placement` keys for the
  ``up_placement`` and ``comp_placement`` families.
* ``css_pvalue``/``scr_pvalue``: exact one-sided binomial test of ``P(E > partner) > 0.5`` on
  the pairs, ties counted as failures (the test of the statistic as defined, and conservative).
  A t-test on 0/1 outcomes is avoided by default: with 100 pairs it is only approximately valid
  and undefined when all outcomes agree. ``stats`` (the ``stats`` config group,
  :mod:`mitbench.metrics.win_tests`) swaps the test and interval: ``stats=paper`` gives the
  paper's t-test and bootstrap; ``css_stats`` names the policy used.
* ``unpaired=True`` (classes drawn independently: external sets, the paper's design) adds the
  unpaired keys of :mod:`mitbench.metrics.unpaired` for E vs D (``css_auc``...) and E vs H
  (``scr_auc``...) beside the index pairing.
* Undefined values are ``nan`` (JSON ``null``) with the reason in ``notes``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mitbench.metrics.mit.placement import summarize_placements
from mitbench.metrics.stats import (BOOT_BLOCK_BYTES, bootstrap_groups, bootstrap_ratio, cohens_d, cohens_d_batch,
                                    edit_consistency, safe_ratio, win_rate)
from mitbench.metrics.unpaired import peak_bytes, unpaired_block
from mitbench.metrics.win_tests import ExactWinTest

CLASSES = tuple("ABCDEFGH")
NAN = float("nan")


def paired_scores(table: pd.DataFrame, base: str, other: str, on: str = "group") -> tuple[np.ndarray, np.ndarray]:
    """Scores of records of class ``base`` and ``other`` matched on column ``on``.

    Returns
    -------
    base_scores, other_scores : ndarray float64 (n_pairs,)
        Aligned by group, in sorted group order. Groups present in only one class are dropped.

    Raises
    ------
    ValueError
        If ``on`` is missing for a record of either class, or a group repeats within a class
        (pairing would be ambiguous); the message names the class and group.
    """
    parts = []
    for label in (base, other):
        sub = table[table["class"] == label]
        if sub.empty:
            return np.empty(0), np.empty(0)
        if on not in sub.columns or sub[on].isna().any():
            raise ValueError(f"class {label!r}: records need a {on!r} meta value to pair {base} with {other}")
        keys = sub[on].astype(str)
        dup = keys[keys.duplicated()]
        if len(dup):
            raise ValueError(f"class {label!r}: {on} {dup.iloc[0]!r} occurs more than once; pairing is ambiguous")
        parts.append(pd.Series(sub["score"].to_numpy(float), index=keys.to_numpy()))
    joined = pd.concat(parts, axis=1, join="inner").sort_index()
    return joined.iloc[:, 0].to_numpy(float), joined.iloc[:, 1].to_numpy(float)


def _paired_block(prefix: str, base: np.ndarray, other: np.ndarray, stats) -> dict[str, Any]:
    rate, wins, ties = win_rate(other, base)
    lo, hi = stats.ci(wins, base.size)
    return {prefix: rate, f"{prefix}_ci_low": lo, f"{prefix}_ci_high": hi,
            f"{prefix}_pvalue": stats.pvalue(wins, base.size), f"{prefix}_ties": ties,
            f"{prefix}_n": int(base.size), f"{prefix}_consistency": edit_consistency(other, base)}


def summarize_mit(table: pd.DataFrame, n_boot: int = 1000, seed: int = 0, stats=None, unpaired: bool = False,
                  n_repair: int = 10000) -> dict[str, Any]:
    """All MIT metrics from a scores table.

    Parameters
    ----------
    table : DataFrame
        Columns ``id``, ``class`` (labels ``A``..``H``), ``score`` (float, higher = more
        likely), ``group`` (pairing key shared by D_i/E_i/C_i and by H_i with its E partner).
    n_boot : int
        Bootstrap resamples for every CI.
    seed : int
        Seed of the bootstrap generator (same seed, same CIs).
    stats : ExactWinTest or PaperWinTest, optional
        p-value and interval of CSS/SCR (:mod:`mitbench.metrics.win_tests`; default exact).
    unpaired : bool
        Add the unpaired statistics of E vs D and E vs H (classes drawn independently).
    n_repair : int
        Random re-pairings behind ``<css|scr>_repair_*`` (with ``unpaired``; 0 skips them).

    Returns
    -------
    dict
        Flat: ``css, css_ci_low, css_ci_high, css_pvalue, css_ties, css_n`` and the same for
        ``scr``; ``mes_natural``, ``mes_synthetic``, ``cir``, ``cm`` each with ``_ci_low`` and
        ``_ci_high``; ``mean_<X>`` and ``n_<X>`` for X in A..H; ``n_boot``, ``bootstrap_seed``,
        ``notes`` (reasons for any nan, ``""`` if none). Absent classes give ``nan`` metrics.
    """
    if "score" not in table.columns or "class" not in table.columns:
        raise ValueError("scores table needs 'class' and 'score' columns")
    if not np.all(np.isfinite(table["score"].to_numpy(float))):
        bad = table.loc[~np.isfinite(table["score"].to_numpy(float)), "id"].iloc[0]
        raise ValueError(f"record {bad!r}: non-finite score")
    by = {c: table.loc[table["class"] == c, "score"].to_numpy(float) for c in CLASSES}
    stats = ExactWinTest() if stats is None else stats
    out: dict[str, Any] = {"css_stats": stats.name}
    notes: list[str] = []

    for prefix, base in (("css", "D"), ("scr", "H")):
        b, e = paired_scores(table, base, "E")
        out.update(_paired_block(prefix, b, e, stats))
        if b.size == 0:
            notes.append(f"{prefix}: no matched {base}/E pairs")
        if unpaired and by[base].size and by["E"].size:
            out.update(unpaired_block(prefix, by["E"], by[base], n_boot, seed, n_repair))

    for key, (x, y) in (("mes_natural", ("A", "B")), ("mes_synthetic", ("C", "D"))):
        out[key] = cohens_d(by[x], by[y])
        lo, hi = bootstrap_groups({x: by[x], y: by[y]}, lambda g, x=x, y=y: cohens_d_batch(g[x], g[y]),
                                  n_boot, seed)
        out[f"{key}_ci_low"], out[f"{key}_ci_high"] = lo, hi
        if not np.isfinite(out[key]):
            notes.append(f"{key}: undefined (class {x} or {y} absent/too small, or a pooled SD of zero up to "
                         "float noise: the two classes' scores do not vary)")
        elif not np.isfinite(lo):
            notes.append(f"{key} CI: undefined (a bootstrap resample had zero pooled SD)")

    out["cir"] = safe_ratio(out["mes_synthetic"], out["mes_natural"])
    out["cir_ci_low"], out["cir_ci_high"] = bootstrap_ratio(
        {k: by[k] for k in "ABCD"}, lambda g: cohens_d_batch(g["C"], g["D"]),
        lambda g: cohens_d_batch(g["A"], g["B"]), n_boot, seed)
    if not np.isfinite(out["cir"]):
        notes.append("cir: undefined (MES natural is 0 or nan)")

    means = {c: (float(v.mean()) if v.size else NAN) for c, v in by.items()}
    out["cm"] = safe_ratio(means["E"] - means["D"], means["C"] - means["D"])
    out["cm_ci_low"], out["cm_ci_high"] = bootstrap_ratio(
        {k: by[k] for k in "CDE"}, lambda g: g["E"].mean(1) - g["D"].mean(1),
        lambda g: g["C"].mean(1) - g["D"].mean(1), n_boot, seed)
    if not np.isfinite(out["cm"]):
        notes.append("cm: undefined (class C, D or E absent, or mean C == mean D)")
    for k, den in (("cir", "MES natural"), ("cm", "mean C - mean D")):
        if np.isfinite(out[k]) and not np.isfinite(out[f"{k}_ci_low"]):
            # never divide by an effect whose interval contains 0: the ratio would be unbounded
            # (the paper's HyenaDNA scores give CIR 33 from an MES natural of -0.01 [-0.28, 0.26])
            out[k] = NAN
            notes.append(f"{k}: undefined ({den} changes sign across bootstrap resamples: its interval "
                         "contains 0, so the ratio is unbounded)")

    out.update(summarize_placements(table, n_boot=n_boot, seed=seed))
    for c in CLASSES:
        out[f"mean_{c}"] = means[c]
        out[f"n_{c}"] = int(by[c].size)
    out["n_boot"], out["bootstrap_seed"] = int(n_boot), int(seed)
    out["notes"] = "; ".join(notes)
    return out


def summarize_peak_bytes(counts: dict[str, int], n_boot: int, n_repair: int, unpaired: bool) -> int:
    """Upper estimate of the memory :func:`summarize_mit` allocates for ``counts`` records per class.

    Bounded blocks for the bootstraps and re-pairings plus ``O(n)`` tables; the unpaired contrasts
    run one after the other, so the larger one counts.
    """
    n = sum(int(v) for v in counts.values())
    pairs = [peak_bytes(counts.get("E", 0), counts.get(base, 0), n_boot, n_repair) for base in "DH"] if unpaired else []
    return max(pairs, default=0) + (4 * BOOT_BLOCK_BYTES if n_boot else 0) + 512 * n


def class_stats(table: pd.DataFrame) -> dict[str, Any]:
    """Per-class ``n_<label>``, ``mean_<label>``, ``sd_<label>`` (ddof=1; nan if n < 2)."""
    out: dict[str, Any] = {}
    for label, sub in table.groupby("class", sort=True):
        s = sub["score"].to_numpy(float)
        out[f"n_{label}"] = int(s.size)
        out[f"mean_{label}"] = float(s.mean())
        out[f"sd_{label}"] = float(s.std(ddof=1)) if s.size > 1 else NAN
    return out
