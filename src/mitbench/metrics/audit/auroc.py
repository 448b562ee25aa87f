"""AUROC of a real-vs-generated detector, with window-bootstrap CIs.

Scores: higher = "generated". ``AUROC = P(score(generated) > score(natural))`` over all
(generated, natural) pairs; a tie counts as a failure (the project's one tie rule), and the
number of tied pairs is reported. Chunks of one window are not independent, so CIs resample
whole windows (a cluster bootstrap).
"""
from __future__ import annotations

import numpy as np

from mitbench.metrics.stats import percentile_ci


def auroc(gen: np.ndarray, nat: np.ndarray) -> tuple[float, int]:
    """``(AUROC, tied pairs)``; NaN when either side is empty."""
    gen, nat = np.asarray(gen, float), np.asarray(nat, float)
    if gen.size == 0 or nat.size == 0:
        return float("nan"), 0
    order = np.sort(nat)
    below = np.searchsorted(order, gen, "left")  # natural scores strictly below each generated one
    ties = np.searchsorted(order, gen, "right") - below
    return float(below.sum() / (gen.size * nat.size)), int(ties.sum())


def window_bootstrap_auroc(gen: np.ndarray, nat: np.ndarray, gen_win: np.ndarray, nat_win: np.ndarray,
                           n_boot: int = 1000, seed: int = 0) -> tuple[float, float]:
    """Percentile CI of :func:`auroc`, resampling windows (all chunks of a drawn window go along).

    ``gen_win`` / ``nat_win`` give each score's window label; one draw of windows is shared by
    both classes (generated and natural continuations of the same seed are paired).
    """
    gen, nat = np.asarray(gen, float), np.asarray(nat, float)
    windows = np.unique(np.concatenate([gen_win, nat_win]))
    if windows.size < 2:
        return float("nan"), float("nan")
    g_by = [gen[gen_win == w] for w in windows]
    n_by = [nat[nat_win == w] for w in windows]
    rng = np.random.default_rng(seed)
    reps = []
    for _ in range(n_boot):
        pick = rng.integers(0, windows.size, windows.size)
        a, _ = auroc(np.concatenate([g_by[i] for i in pick]), np.concatenate([n_by[i] for i in pick]))
        reps.append(a)
    return percentile_ci(np.asarray(reps))


def detector_summary(logits: np.ndarray, window: np.ndarray, chunk: np.ndarray, label: np.ndarray,
                     chunk_bp: int, n_boot: int = 1000, seed: int = 0) -> dict:
    """AUROC per chunk, per window (mean logit of its chunks) and per distance from the seed.

    Parameters
    ----------
    logits : ndarray (n,)
        Detector scores of held-out chunks (higher = generated).
    window, chunk, label : ndarray (n,)
        Window ordinal, chunk ordinal (distance = chunk * chunk_bp bp) and 0/1 label of each.

    Returns
    -------
    dict
        ``cnn_auroc`` (+ ``_ci``, ``_ties``), ``cnn_auroc_window`` (+ ``_ci``),
        ``cnn_auroc_by_distance`` ([[distance_bp, auroc], ...]) and ``cnn_auroc_by_distance_ci``
        ([[distance_bp, low, high], ...]), and ``window_scores``: ``{window: (generated mean,
        natural mean)}`` for the paired test.
    """
    logits, window, chunk, label = map(np.asarray, (logits, window, chunk, label))
    g, n = label == 1, label == 0
    out: dict = {}
    out["cnn_auroc"], out["cnn_auroc_ties"] = auroc(logits[g], logits[n])
    out["cnn_auroc_ci"] = list(window_bootstrap_auroc(logits[g], logits[n], window[g], window[n], n_boot, seed))
    wins = np.unique(window)
    gm = np.array([logits[g & (window == w)].mean() for w in wins])
    nm = np.array([logits[n & (window == w)].mean() for w in wins])
    out["cnn_auroc_window"], _ = auroc(gm, nm)
    out["cnn_auroc_window_ci"] = list(window_bootstrap_auroc(gm, nm, wins, wins, n_boot, seed))
    by, by_ci = [], []
    for j in np.unique(chunk):
        sel = chunk == j
        a, _ = auroc(logits[g & sel], logits[n & sel])
        lo, hi = window_bootstrap_auroc(logits[g & sel], logits[n & sel], window[g & sel], window[n & sel],
                                        n_boot, seed + int(j) + 1)
        by.append([int(j) * chunk_bp, a])
        by_ci.append([int(j) * chunk_bp, lo, hi])
    out["cnn_auroc_by_distance"], out["cnn_auroc_by_distance_ci"] = by, by_ci
    out["window_scores"] = (gm, nm)
    return out
