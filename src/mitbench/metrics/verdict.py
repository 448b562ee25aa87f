"""The MIT verdict: one rule, from the metrics alone (pure functions).

``verdict`` is one of:

* ``untrained-like`` — the model has a random-initialised architecture null and *no* calibrated
  metric beats it (every ``<key>_null_p > alpha``): nothing it does is beyond what the same network
  with random weights does.
* ``mechanism`` — (1) compensation is rewarded: CSS beats the null (``css_null_p <= alpha``), or,
  without a null, its exact CI lies above 0.5; and (2) for BOTH placement families
  (``up_placement``: the UP moved; ``comp_placement``: UP and TGT moved — same bases, where they
  cannot act) the correct placement beats chance over all wrong placements: position-level
  exchangeability ``p_placement <= alpha`` and the mean rank's CI below its chance level; and,
  with a null, its mean rank beats the null (``<f>_rank_mean_null_p <= alpha``).
* ``composition`` — compensation is rewarded (1) but neither placement family passes (2).
* ``inconclusive`` — anything else (e.g. one family passes and the other not; compensation not
  rewarded; no placement controls in the data, as in the paper's released sequences).

Design false-positive rate: a model that knows nothing about placement passes a family's
position-level test with probability at most ``floor(alpha (K + 1)) / (K + 1)`` (the correct
placement is one of ``K + 1`` exchangeable ones; 1/24 ≈ 0.042 for K = 23 at alpha 0.05), and an
untrained network of the model's own architecture beats its null with probability at most alpha.
``mechanism`` requires all of these tests (an intersection–union rule), so its false-positive rate
is at most the smallest of those bounds (``verdict_false_positive_bound``), whatever the
correlations between the tests.
"""
from __future__ import annotations

import math
from typing import Any

FAMILIES = ("up_placement", "comp_placement")
VERDICTS = ("mechanism", "composition", "untrained-like", "inconclusive")


def _num(m: dict[str, Any], key: str) -> float:
    v = m.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else math.nan


def _le(x: float, alpha: float) -> bool:
    return math.isfinite(x) and x <= alpha


def placement_beats_chance(m: dict[str, Any], family: str, alpha: float) -> bool:
    """Position-level ``p_placement <= alpha`` and the mean rank's CI entirely better than chance."""
    hi, mean, chance = _num(m, f"{family}_rank_mean_ci_high"), _num(m, f"{family}_rank_mean"), _num(m, f"{family}_rank_chance")
    bound = hi if math.isfinite(hi) else mean
    return _le(_num(m, f"{family}_p_placement"), alpha) and math.isfinite(bound) and bound < chance


def mit_verdict(m: dict[str, Any], alpha: float, has_null: bool, pairing: str = "matched backgrounds") -> dict[str, Any]:
    """``verdict``, ``verdict_evidence`` (list of sentences with the numbers), ``verdict_basis``,
    ``verdict_alpha`` and ``verdict_false_positive_bound`` from MIT metrics (see module docstring).

    Parameters
    ----------
    m : dict
        MIT metrics (:func:`mitbench.metrics.mit.summarize_mit`) plus, with a null,
        :func:`mitbench.metrics.calibration.calibrate` keys.
    alpha : float
        Level of every test.
    has_null : bool
        Whether the random-init architecture null was run.
    pairing : str
        How D/E/H were paired, stated in the evidence (e.g. ``"matched backgrounds"`` for the MIT
        generator, ``"index within class"`` for external sets).
    """
    ev: list[str] = []
    present = all(_num(m, f"{f}_n") > 0 for f in FAMILIES)
    css, css_lo = _num(m, "css"), _num(m, "css_ci_low")
    if has_null:
        comp = _le(_num(m, "css_null_p"), alpha)
        ev.append(f"CSS {css:.3g} (pairs by {pairing}) vs random-init null {_num(m, 'css_null_mean'):.3g} "
                  f"± {_num(m, 'css_null_sd'):.2g}: p = {_num(m, 'css_null_p'):.3g}"
                  + (" — compensation rewarded beyond an untrained network." if comp else " — not beyond the null."))
    else:
        comp = math.isfinite(css_lo) and css_lo > 0.5
        ev.append(f"CSS {css:.3g} (pairs by {pairing}), exact 95% CI lower bound {css_lo:.3g}"
                  + (" > 0.5: compensation rewarded." if comp else ": not above 0.5."))
    ev.append(f"Edit consistency of CSS pairs {_num(m, 'css_consistency'):.2f} (1 = every pair moves the same way, "
              "i.e. one edit on many backgrounds, not independent replicates).")
    placed = {}
    for f in FAMILIES:
        if not present:
            placed[f] = False
            continue
        chance_ok = placement_beats_chance(m, f, alpha)
        null_ok = _le(_num(m, f"{f}_rank_mean_null_p"), alpha) if has_null else True
        placed[f] = chance_ok and null_ok
        text = (f"{f}: correct placement mean rank {_num(m, f'{f}_rank_mean'):.3g} "
                f"[{_num(m, f'{f}_rank_mean_ci_low'):.3g}, {_num(m, f'{f}_rank_mean_ci_high'):.3g}] among "
                f"{int(_num(m, f'{f}_k')) + 1} placements (chance {_num(m, f'{f}_rank_chance'):.3g}); best in "
                f"{_num(m, f'{f}_win_all'):.0%} of backgrounds; position-level p = {_num(m, f'{f}_p_placement'):.3g}")
        if has_null:
            text += f"; vs random-init null p = {_num(m, f'{f}_rank_mean_null_p'):.3g}"
        ev.append(text + (" — placement rewarded." if placed[f] else " — placement not rewarded."))
    if not present:
        ev.append("No placement controls in these data (the same bases moved where they cannot act), so placement "
                  "cannot be tested: compensation alone does not separate mechanism from composition.")
    beats_null = [k[:-len("_null_p")] for k, v in m.items() if k.endswith("_null_p") and _le(_num(m, k), alpha)]
    if has_null and not beats_null:
        verdict = "untrained-like"
        ev.append(f"No calibrated metric beats the random-init null at alpha {alpha}.")
    elif comp and present and all(placed.values()):
        verdict = "mechanism"
    elif comp and present and not any(placed.values()):
        verdict = "composition"
    else:
        verdict = "inconclusive"
    k_max = max((int(_num(m, f"{f}_k")) for f in FAMILIES if present), default=0)
    bounds = [math.floor(alpha * (k_max + 1)) / (k_max + 1)] if present else []
    bounds += [alpha] if has_null else []
    basis = ("random-init architecture null + composition-exact placement controls" if has_null else
             "composition-exact placement controls only (this model has no architecture null: a baseline or "
             "precomputed scores)")
    return {"verdict": verdict, "verdict_evidence": ev, "verdict_basis": basis, "verdict_alpha": alpha,
            "verdict_false_positive_bound": min(bounds) if bounds else math.nan,
            "verdict_beats_null": beats_null if has_null else None}
