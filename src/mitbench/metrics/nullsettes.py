"""Nullsettes metrics: does every loss-of-function mutant score below its working cassette?

Input: a scores table with one row per record and columns ``group`` (cassette id), ``type``
(``nonmutant``, ``T01``, ...; the ``class`` column is used when ``type`` is absent), ``score``
(float, higher = more likely) and ``length`` (bp). Everything here is a pure function of it.

Per type ``t`` over the cassettes' pairs ``d_i = score(nonmutant_i) - score(mutant_i)``:

* ``accuracy_t`` = share of pairs with ``d_i > 0`` (ties are failures, counted in ``ties_t``),
  with its exact Clopper–Pearson 95 % interval;
* ``p_t``: one-sided paired sign-flip permutation test of ``mean(d) > 0`` (H0: each pair's
  difference is symmetric about 0), ``(1 + #{resampled mean >= observed}) / (1 + n_perm)`` with
  ``n_perm`` seeded random sign vectors (stream ``default_rng([seed, type_index])``), or exact
  enumeration of all ``2^n`` sign vectors when ``2^n <= n_perm + 1``;
* ``q_t``: Benjamini–Hochberg across the types.

Headline: ``success_rate`` = share of types with ``q_t < alpha``; ``mean_accuracy`` = mean of the
per-type accuracies, with ``mean_accuracy_p`` = exact one-sided binomial test of all pairs' wins
against 0.5 (ties as failures). Neither p-value knows that one edit is applied to cassettes that
share CDS and terminator (pairs are not independent); the random-initialised architecture null
that ``evaluate`` runs from the suite's ``spec.calibrated`` is the calibration for that.

**Verdict on sums.** Scores are sums over the sequence (log-likelihoods). A mutant has exactly
its nonmutant's length, so per-nucleotide means (``score / length``) give the same paired
verdict; they are reported (``*_per_nt``) and used for the quintile analysis, which compares
cassettes of different lengths. Per-*token* means (the reference's average for BPE models) are
not used: a mutant and its original tokenize into different token counts.

**Ties.** A difference ``|d| <= TIE_RTOL * max(|a|, |b|)`` is float rounding of a sum taken in a
different order, and is a tie.

**Quintiles.** Cassettes are split into five equal-count bins by the rank of their nonmutant's
per-nucleotide score (``q1`` lowest); ``accuracy_q<k>`` is the mean accuracy of the cassettes in
bin ``k``. ``spearman_rho`` is Spearman's correlation across cassettes between the nonmutant's
per-nucleotide score and the share of that cassette's mutants scored below it (the paper:
accuracy falls as the original's likelihood falls, i.e. rho > 0). That relation holds for random
scores too (a nonmutant that drew a high score beats its mutants), so it is reported with its
no-knowledge null (``*_null``; see :func:`quintile_metrics`).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _st

from mitbench.metrics.stats import bh_adjust, binom_greater_pvalue

NONMUTANT = "nonmutant"
TIE_RTOL = 1e-12
N_QUINTILES = 5


def pair_scores(table: pd.DataFrame) -> pd.DataFrame:
    """One row per mutant: ``group, type, nonmutant, mutant, length, diff, tie, win``.

    ``diff = nonmutant - mutant`` (positive = the model is right); ``tie`` per :data:`TIE_RTOL`;
    ``win = diff > 0 and not tie``.

    Raises
    ------
    ValueError
        If a column is missing, a score is not finite, a (group, type) repeats, or a group has no
        nonmutant (the message names it).
    """
    kind = "type" if "type" in table.columns else "class"
    missing = [c for c in ("group", kind, "score", "length") if c not in table.columns]
    if missing:
        raise ValueError(f"nullsettes scores table lacks column(s) {missing}")
    t = table[["group", kind, "score", "length"]].rename(columns={kind: "type"})
    bad = t[~np.isfinite(t["score"].to_numpy(float))]
    if len(bad):
        r = bad.iloc[0]
        raise ValueError(f"cassette {r['group']!r}, type {r['type']!r}: score {r['score']} is not finite")
    dup = t.duplicated(["group", "type"])
    if dup.any():
        r = t[dup].iloc[0]
        raise ValueError(f"cassette {r['group']!r}: type {r['type']!r} appears more than once")
    wild = t[t["type"] == NONMUTANT].set_index("group")
    mut = t[t["type"] != NONMUTANT]
    orphans = sorted(set(mut["group"]) - set(wild.index))
    if orphans:
        raise ValueError(f"cassette {orphans[0]!r} has mutants but no nonmutant ({len(orphans)} such cassettes)")
    a = wild.loc[mut["group"], "score"].to_numpy(float)
    b = mut["score"].to_numpy(float)
    diff = a - b
    tie = np.abs(diff) <= TIE_RTOL * np.maximum(np.abs(a), np.abs(b))
    return pd.DataFrame({"group": mut["group"].to_numpy(), "type": mut["type"].to_numpy(), "nonmutant": a,
                         "mutant": b, "length": wild.loc[mut["group"], "length"].to_numpy(float),
                         "diff": np.where(tie, 0.0, diff), "tie": tie, "win": (diff > 0) & ~tie})


def sign_flip_pvalue(diffs: np.ndarray, n_perm: int = 9999, seed: int | list[int] = 0) -> float:
    """One-sided paired sign-flip p-value of ``mean(diffs) > 0``, +1-corrected (see module doc).

    Parameters
    ----------
    diffs : array (n,) float
        Paired differences, positive = in the predicted direction.
    n_perm : int
        Random sign vectors (exact enumeration instead when ``2^n <= n_perm + 1``).
    seed : int or list of int
        ``numpy.random.default_rng`` seed.

    Returns
    -------
    float
        In ``(0, 1]``; ``nan`` when ``n == 0``. All-zero differences give 1.
    """
    d = np.asarray(diffs, float)
    n = d.size
    if n == 0:
        return float("nan")
    total = d.sum()
    slack = 1e-9 * np.abs(d).sum()  # a resample equal to the observed sum up to rounding counts as >=
    if n <= 16 and 2 ** n <= n_perm + 1:
        codes = np.arange(2 ** n, dtype=np.int64)[:, None] >> np.arange(n)
        flipped = total - 2.0 * ((codes & 1).astype(float) @ d)
        return float(np.mean(flipped >= total - slack))  # the identity is one of the 2^n vectors
    rng = np.random.default_rng(seed)
    hits, done, width = 0, 0, (n + 7) // 8
    while done < n_perm:
        m = min(2000, n_perm - done)
        bits = np.unpackbits(rng.integers(0, 256, (m, width), dtype=np.uint8), axis=1)[:, :n]
        hits += int(np.count_nonzero(total - 2.0 * (bits.astype(float) @ d) >= total - slack))
        done += m
    return (1.0 + hits) / (1.0 + n_perm)


def clopper_pearson(wins: int, n: int) -> tuple[float, float]:
    """Exact 95 % interval of a proportion; ``(nan, nan)`` when ``n == 0``."""
    if n == 0:
        return float("nan"), float("nan")
    ci = _st.binomtest(int(wins), int(n)).proportion_ci(0.95, method="exact")
    return float(ci.low), float(ci.high)


def type_metrics(pairs: pd.DataFrame, n_perm: int = 9999, seed: int = 0) -> pd.DataFrame:
    """Per-type table (index = type, sorted): ``n, wins, ties, accuracy, ci_low, ci_high, mean_diff,
    mean_diff_per_nt, p, q``."""
    rows = []
    for k, (label, sub) in enumerate(sorted(pairs.groupby("type"), key=lambda x: str(x[0]))):
        n, wins = len(sub), int(sub["win"].sum())
        lo, hi = clopper_pearson(wins, n)
        rows.append({"type": label, "n": n, "wins": wins, "ties": int(sub["tie"].sum()), "accuracy": wins / n,
                     "ci_low": lo, "ci_high": hi, "mean_diff": float(sub["diff"].mean()),
                     "mean_diff_per_nt": float((sub["diff"] / sub["length"]).mean()),
                     "p": sign_flip_pvalue(sub["diff"].to_numpy(), n_perm, [int(seed), k])})
    out = pd.DataFrame(rows).set_index("type")
    out["q"] = bh_adjust(out["p"].to_numpy(float))
    return out


def _relation(per_nt: np.ndarray, acc: np.ndarray) -> tuple[list[float], float]:
    """Accuracy by equal-count quintile of ``per_nt`` (rank order) and Spearman's rho (nan if constant)."""
    n = per_nt.size
    bins = np.argsort(np.argsort(per_nt, kind="stable"), kind="stable") * N_QUINTILES // max(n, 1)
    quint = [float(acc[bins == k].mean()) if np.any(bins == k) else float("nan") for k in range(N_QUINTILES)]
    if n < 3 or np.ptp(acc) == 0 or np.ptp(per_nt) == 0:
        return quint, float("nan")
    return quint, float(_st.spearmanr(per_nt, acc).statistic)


def quintile_metrics(pairs: pd.DataFrame, n_null: int = 199, seed: int = 0) -> tuple[dict[str, Any], list[str]]:
    """Accuracy by quintile of the nonmutant's per-nucleotide score, the cassette-level Spearman, and
    their no-knowledge null.

    The relation is confounded: a cassette's accuracy is a function of its nonmutant's own score, so
    even random scores give rho > 0 (a nonmutant that drew high beats its mutants). The null keeps
    the model's scores and re-labels, within each cassette, a uniformly chosen one of its sequences
    as the "nonmutant" (what a model that cannot tell them apart gets); ``n_null`` seeded draws give
    ``spearman_rho_null_mean``, ``accuracy_q<k>_null`` and the +1-corrected one-sided
    ``spearman_rho_null_p`` (P(null rho >= observed)).
    """
    wide = pairs.pivot(index="group", columns="type", values="mutant")
    first = pairs.drop_duplicates("group").set_index("group").loc[wide.index]
    scores = np.column_stack([first["nonmutant"].to_numpy(), wide.to_numpy(float)])
    per_nt = scores / first["length"].to_numpy(float)[:, None]  # (cassettes, 1 + types), NaN = missing type
    a, b = per_nt[:, :, None], per_nt[:, None, :]
    with np.errstate(invalid="ignore"):
        lower = ((a - b) > TIE_RTOL * np.maximum(np.abs(a), np.abs(b))).sum(-1)  # entries j beats
    others = np.isfinite(per_nt).sum(1, keepdims=True) - 1
    acc_of = lower / np.maximum(others, 1)
    rows = np.arange(per_nt.shape[0])
    quint, rho = _relation(per_nt[:, 0], acc_of[:, 0])
    out: dict[str, Any] = {f"accuracy_q{k + 1}": v for k, v in enumerate(quint)}
    order = np.sort(per_nt[:, 0])
    edges = [order[min(len(order) - 1, (k + 1) * len(order) // N_QUINTILES - 1)] for k in range(N_QUINTILES)]
    out.update({f"per_nt_q{k + 1}_max": float(e) for k, e in enumerate(edges)})
    notes: list[str] = []
    rng = np.random.default_rng([int(seed), 10_000])
    null_q, null_rho = [], []
    present = np.argsort(~np.isfinite(per_nt), axis=1, kind="stable")  # present entries first
    for _ in range(int(n_null)):
        col = present[rows, np.floor(rng.random(len(rows)) * (others[:, 0] + 1)).astype(int)]
        q, r = _relation(per_nt[rows, col], acc_of[rows, col])
        null_q.append(q)
        null_rho.append(r)
    null_q_arr, null_rho_arr = np.array(null_q, float), np.array(null_rho, float)
    for k in range(N_QUINTILES):
        col = null_q_arr[:, k][np.isfinite(null_q_arr[:, k])] if n_null else np.array([])
        out[f"accuracy_q{k + 1}_null"] = float(col.mean()) if col.size else float("nan")
    out["spearman_rho"] = rho
    out["spearman_p"] = float("nan") if np.isnan(rho) else float(_st.spearmanr(per_nt[:, 0], acc_of[:, 0]).pvalue)
    finite = null_rho_arr[np.isfinite(null_rho_arr)]
    out["spearman_rho_null_mean"] = float(finite.mean()) if finite.size else float("nan")
    out["spearman_rho_null_p"] = (float((1 + np.sum(finite >= rho - 1e-12)) / (1 + finite.size))
                                  if finite.size and np.isfinite(rho) else float("nan"))
    if np.isnan(rho):
        notes.append("spearman_rho: undefined (fewer than 3 cassettes, or constant accuracy or score)")
    if per_nt.shape[0] < N_QUINTILES:
        notes.append(f"quintiles: only {per_nt.shape[0]} cassettes; empty bins are null")
    return out, notes


def summarize_nullsettes(table: pd.DataFrame, n_perm: int = 9999, seed: int = 0,
                         alpha: float = 0.05, n_null: int = 199) -> dict[str, Any]:
    """Flat metrics of a nullsettes scores table (keys in the module docstring).

    Parameters
    ----------
    n_perm : int
        Sign-flip resamples per type (cost ~ n_types * n_perm * n_cassettes).
    seed : int
        Permutation seed.
    alpha : float
        BH level for ``success_rate``.
    n_null : int
        Label permutations of the quintile/Spearman null (:func:`quintile_metrics`).
    """
    pairs = pair_scores(table)
    if pairs.empty:
        raise ValueError("nullsettes scores table has no mutant rows")
    per_type = type_metrics(pairs, n_perm, seed)
    wins, n = int(pairs["win"].sum()), len(pairs)
    out: dict[str, Any] = {
        "n_cassettes": int(pairs["group"].nunique()), "n_types": int(len(per_type)), "n_pairs": n,
        "n_ties": int(pairs["tie"].sum()), "success_rate": float((per_type["q"] < alpha).mean()),
        "n_significant": int((per_type["q"] < alpha).sum()), "mean_accuracy": float(per_type["accuracy"].mean()),
        "mean_accuracy_p": binom_greater_pvalue(wins, n), "pooled_accuracy": wins / n,
        "nonmutant_per_nt_mean": float((pairs.drop_duplicates("group")["nonmutant"]
                                        / pairs.drop_duplicates("group")["length"]).mean()),
        "mutant_per_nt_mean": float((pairs["mutant"] / pairs["length"]).mean()),
        "alpha": alpha, "n_perm": int(n_perm), "perm_seed": int(seed),
        "verdict_uses": "summed score (per-nucleotide means give the same paired verdict: equal lengths)",
    }
    for label, r in per_type.iterrows():
        for col in ("accuracy", "ci_low", "ci_high", "wins", "ties", "n", "mean_diff", "mean_diff_per_nt", "p", "q"):
            key = f"accuracy_{label}" if col == "accuracy" else f"{col}_{label}"
            out[key] = int(r[col]) if col in ("wins", "ties", "n") else float(r[col])
    quint, notes = quintile_metrics(pairs, n_null, seed)
    out.update(quint)
    sizes = per_type["n"].unique()
    if len(sizes) > 1:
        notes.append(f"types have different numbers of pairs: {sorted(int(s) for s in sizes)}")
    if out["n_ties"]:
        notes.append(f"{out['n_ties']} of {n} pairs tied (counted as failures)")
    out["notes"] = notes
    return out
