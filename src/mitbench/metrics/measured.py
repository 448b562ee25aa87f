"""Measured-compensation metrics: do a model's score differences follow measured expression?

Input: the Urtecho 2019 scores table (one row per variant; columns ``score`` (model, higher =
more active), ``log2_expression`` (measured), the element columns ``up``, ``minus35``,
``spacer``, ``minus10``, ``background`` and replicate columns ``log2_rep1``/``log2_rep2``).

Matched pairs differ in one element only (all other elements and the background equal):

* **UP pairs** (``up136``, ``up326``, pooled ``up``): ``noUP`` vs the Gourse 136-/326-fold UP.
  Δ = value(with UP) − value(noUP).
* **−10 pairs** (``m10_<variant>``, pooled ``m10``): ``consensus10`` vs a weakened −10.
  Δ = value(consensus) − value(weak): a measured MES-like contrast.

Per pair set (prefix ``p``): ``p_n``; ``p_model_rise`` = fraction of pairs with model Δ > 0;
``p_measured_rise`` = same for measured Δ; ``p_sign_concordance`` = fraction with
sign(model Δ) == sign(measured Δ) (a zero model Δ counts as discordant); ``p_delta_spearman``
= Spearman(model Δ, measured Δ); for the UP sets and the pooled −10 set also 95 % percentile
cluster-bootstrap CIs (``_ci_low``/``_ci_high``; clusters = pairs sharing a base record,
``default_rng(seed)``) of the last two and
``p_delta_spearman_replicates`` = Spearman of measured Δ from replicate 1 vs replicate 2 (the
ceiling a model can reach given measurement noise), and ``p_delta_spearman_pvalue`` = one-sided
bootstrap p of Δ Spearman > 0 (:func:`bootstrap_pvalue`). ``spearman`` = Spearman(score,
log2_expression) over all designed variants, with a bootstrap CI and p-value (``n_boot``
resamples, the configured number).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mitbench.metrics.stats import correlation, percentile_ci, spearman_rows

KEYS = ["up", "minus35", "spacer", "minus10", "background"]
UP_VARIANTS = {"up136": "gourse_136fold_up", "up326": "gourse_326fold_up"}
NAN = float("nan")


def matched_pairs(table: pd.DataFrame, column: str, base: str, other: str) -> pd.DataFrame:
    """Rows of ``other`` joined to rows of ``base`` that match on every other element column.

    Returns a frame with ``cluster`` (the shared elements; pairs with one ``base`` record share
    it), ``model_delta``, ``measured_delta`` (other − base) and, where the replicate columns
    exist, ``rep1_delta``/``rep2_delta``.
    """
    on = [k for k in KEYS if k != column]
    cols = on + ["score", "log2_expression"] + [c for c in ("log2_rep1", "log2_rep2") if c in table]
    a = table.loc[table[column] == base, cols]
    b = table.loc[table[column] == other, cols]
    j = b.merge(a, on=on, suffixes=("", "_base"), validate="one_to_one")
    cluster = j[on[0]].astype(str)
    for k in on[1:]:
        cluster = cluster + "|" + j[k].astype(str)
    out = pd.DataFrame({"cluster": cluster,
                        "model_delta": j["score"] - j["score_base"],
                        "measured_delta": j["log2_expression"] - j["log2_expression_base"]})
    for r in ("rep1", "rep2"):
        if f"log2_{r}" in j:
            out[f"{r}_delta"] = j[f"log2_{r}"] - j[f"log2_{r}_base"]
    return out


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    return correlation(x, y, "spearman")[0]


def bootstrap_pvalue(samples: np.ndarray) -> float:
    """One-sided p of "statistic > 0" from bootstrap replicates: ``(1 + #{s <= 0}) / (B + 1)``."""
    s = samples[np.isfinite(samples)]
    return float((1 + (s <= 0).sum()) / (s.size + 1)) if s.size else NAN


def _concordance(m: np.ndarray, t: np.ndarray) -> float:
    return float(np.mean(np.sign(m) == np.sign(t))) if len(m) else NAN


def pair_block(prefix: str, pairs: pd.DataFrame, n_boot: int = 0, seed: int = 0) -> dict[str, Any]:
    """The per-pair-set keys described in the module docstring."""
    m, t = pairs["model_delta"].to_numpy(float), pairs["measured_delta"].to_numpy(float)
    out = {f"{prefix}_n": int(len(m)),
           f"{prefix}_model_rise": float(np.mean(m > 0)) if len(m) else NAN,
           f"{prefix}_measured_rise": float(np.mean(t > 0)) if len(t) else NAN,
           f"{prefix}_sign_concordance": _concordance(m, t),
           f"{prefix}_delta_spearman": _spearman(m, t)}
    if n_boot and len(m) >= 3:
        idx = cluster_resamples(pairs["cluster"], n_boot, seed)
        rho = np.array([_spearman(m[i], t[i]) for i in idx])
        conc = np.array([_concordance(m[i], t[i]) for i in idx])
        for name, samples in (("delta_spearman", rho), ("sign_concordance", conc)):
            lo, hi = percentile_ci(samples[np.isfinite(samples)]) if np.isfinite(samples).any() else (NAN, NAN)
            out[f"{prefix}_{name}_ci_low"], out[f"{prefix}_{name}_ci_high"] = lo, hi
        out[f"{prefix}_delta_spearman_pvalue"] = bootstrap_pvalue(rho)
        if "rep1_delta" in pairs:
            ok = pairs[["rep1_delta", "rep2_delta"]].notna().all(axis=1)
            out[f"{prefix}_delta_spearman_replicates"] = _spearman(
                pairs.loc[ok, "rep1_delta"].to_numpy(float), pairs.loc[ok, "rep2_delta"].to_numpy(float))
    return out


def cluster_resamples(clusters: pd.Series, n_boot: int, seed: int) -> list[np.ndarray]:
    """Row indices of ``n_boot`` cluster-bootstrap resamples: clusters drawn with replacement
    (``default_rng(seed)``), all rows of a drawn cluster kept. Pooled pair sets reuse one base
    record in several pairs; resampling single pairs would ignore that and give too narrow CIs."""
    codes, uniq = pd.factorize(clusters)
    members = [np.flatnonzero(codes == k) for k in range(len(uniq))]
    rng = np.random.default_rng(seed)
    return [np.concatenate([members[k] for k in rng.integers(0, len(uniq), len(uniq))]) for _ in range(n_boot)]


def slug(variant: str) -> str:
    """Metric-key form of a mutation name: ``12T->G/7T->C`` -> ``12TG_7TC``."""
    return variant.replace("->", "").replace("/", "_")


def summarize_measured(table: pd.DataFrame, n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """All measured-compensation keys for a scores table (see module docstring)."""
    designed = table[table["up"].astype(str) != ""]
    s, y = designed["score"].to_numpy(float), designed["log2_expression"].to_numpy(float)
    out: dict[str, Any] = {"n_designed": int(len(designed)), "spearman": _spearman(s, y)}
    if n_boot and len(s) >= 3:
        idx = np.random.default_rng(seed).integers(0, len(s), size=(n_boot, len(s)))
        rho = np.concatenate([spearman_rows(s[part], y[part]) for part in np.array_split(idx, max(1, n_boot // 100))])
        out["spearman_ci_low"], out["spearman_ci_high"] = percentile_ci(rho)
        out["spearman_pvalue"] = bootstrap_pvalue(rho)
    ups = {k: matched_pairs(designed, "up", "noUP", v) for k, v in UP_VARIANTS.items()}
    for k, pairs in ups.items():
        out.update(pair_block(k, pairs, n_boot, seed))
    out.update(pair_block("up", pd.concat(ups.values(), ignore_index=True), n_boot, seed))
    weak = sorted(v for v in designed["minus10"].unique() if v != "consensus10")
    m10 = {v: matched_pairs(designed, "minus10", v, "consensus10") for v in weak}
    for v, pairs in m10.items():
        out.update(pair_block(f"m10_{slug(v)}", pairs))
    if m10:
        out.update(pair_block("m10", pd.concat(m10.values(), ignore_index=True), n_boot, seed))
    return out
