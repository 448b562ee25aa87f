"""The MIT verdict: one rule, from the metrics alone (pure functions).

Per placement family ``f`` (``up_placement``: the UP in another promoter unit; ``comp_placement``: UP
and ``TGT`` together in another unit; :mod:`mitbench.metrics.mit.placement`), the family **passes** when

1. the design test rejects: ``<f>_p_signflip <= alpha`` (the correct cells beat the wrong ones,
   background by background, more than sign-symmetric noise would), and
2. the effect beats a null of networks that know nothing: ``<f>_effect_null_p <= alpha`` against the
   model's random-initialised twins (gLMs, ``calibration=random_init``), or, for a model with no
   architecture (baselines, precomputed scores), ``<f>_effect_panel_p <= alpha`` against the panel of
   untrained convolutional networks (:mod:`mitbench.engine.calibration`).

(1) alone cannot be fooled by any scorer whose preference among UP positions ignores where the core
is (the Latin-square design makes its effect exactly 0); (2) covers fixed non-linear functions that
respond to the geometry by accident, as untrained networks do.

``verdict`` is one of, checked in this order:

* ``mechanism`` — a null was run, compensation is rewarded (CSS's exact CI lies above 0.5: a descriptive
  requirement — the calibrated evidence for compensation is ``comp_placement``), and BOTH families pass.
  CSS against the random-init twins (``css_null_p``) is reported but does not gate ``mechanism``: D and
  E differ in composition, so untrained causal networks often reach CSS 1.00, and once k of the 19
  twins do, ``css_null_p >= (k + 1) / 20`` for every model — a gate no model could pass (the planted-
  mechanism positive control, docs/train_glm.md, found it: 10 of 19 twins at 1.00).
* ``untrained-like`` — the model has an architecture null and does not beat it as a whole: the
  global test over all calibrated metrics (``null_global_p``: the model's smallest null p against the
  twins' own smallest p, :func:`mitbench.metrics.calibration.global_null_pvalue`) has p > alpha. A
  union over metrics without this correction would call a knows-nothing network "not untrained-like"
  whenever one of eight metrics beat its null by chance.
* ``composition`` — compensation is rewarded (with the architecture null: CSS beats it,
  ``css_null_p <= alpha``; without: its CI lies above 0.5) but neither family passes (and, with no null run,
  neither passes its design test either: a design test passed without a null is undecided).
* ``inconclusive`` — anything else (one family only; compensation not rewarded; no placement
  controls, as in the paper's released sequences; no null run, ``calibration=none``, and a design
  test passed).

False-positive rate. Each component test has level alpha for its own null, so the intersection–union
rule's level is at most the *largest* of them (the component whose null holds), here alpha
(``verdict_design_level``). What users read is the measured rate: ``benchmarks/verdict_false_positives.py``
draws >= 500 knows-nothing scorers per class (noise, random position-weight models, 5′/3′-weighted
A/T, motif-anywhere with a positional preference, A/T-window heuristics, untrained CNNs) and counts
``mechanism``; ``verdict_false_positive_bound`` is the worst class's exact upper 95 % bound, passed in
by the suite from that measurement (``measured``), never derived.
"""
from __future__ import annotations

import math
from typing import Any
from mitbench.data.mit.controls import FAMILIES  # the placement families: one definition

VERDICTS = ("mechanism", "composition", "untrained-like", "inconclusive")


def _num(m: dict[str, Any], key: str) -> float:
    v = m.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else math.nan


def _le(x: float, alpha: float) -> bool:
    return math.isfinite(x) and x <= alpha


def null_kind(m: dict[str, Any], has_null: bool) -> str | None:
    """``"random_init"`` (architecture twins), ``"panel"`` (untrained-CNN panel) or None."""
    if has_null:
        return "random_init"
    return "panel" if any(f"{f}_effect_panel_p" in m for f in FAMILIES) else None


def family_passes(m: dict[str, Any], family: str, alpha: float, kind: str | None) -> bool:
    """Design test and null test of one placement family (module docstring)."""
    null_key = {"random_init": f"{family}_effect_null_p", "panel": f"{family}_effect_panel_p"}.get(kind or "")
    return (_le(_num(m, f"{family}_p_signflip"), alpha) and null_key is not None
            and _le(_num(m, null_key), alpha))


def _family_sentence(m: dict[str, Any], f: str, kind: str | None, passed: bool) -> str:
    text = (f"{f}: effect {_num(m, f'{f}_effect'):.3g} [{_num(m, f'{f}_effect_ci_low'):.3g}, "
            f"{_num(m, f'{f}_effect_ci_high'):.3g}] (1 = correct cell best in every frame, 0 = chance), correct "
            f"best in every frame in {_num(m, f'{f}_win_all'):.0%} of {int(_num(m, f'{f}_n'))} backgrounds; "
            f"sign-flip p = {_num(m, f'{f}_p_signflip'):.3g}")
    if kind == "random_init":
        text += (f"; vs random-init twins {_num(m, f'{f}_effect_null_mean'):.3g} ± "
                 f"{_num(m, f'{f}_effect_null_sd'):.2g}, p = {_num(m, f'{f}_effect_null_p'):.3g}")
    elif kind == "panel":
        text += (f"; vs {int(_num(m, 'n_panel'))} untrained CNNs {_num(m, f'{f}_effect_panel_mean'):.3g} ± "
                 f"{_num(m, f'{f}_effect_panel_sd'):.2g}, p = {_num(m, f'{f}_effect_panel_p'):.3g}")
    else:
        text += "; no null was run, so a fixed non-linear function could not be ruled out"
    return text + (" — placement rewarded." if passed else " — placement not rewarded.")


def mit_verdict(m: dict[str, Any], alpha: float, has_null: bool, pairing: str = "matched backgrounds",
                measured: dict[str, Any] | None = None) -> dict[str, Any]:
    """``verdict``, its evidence sentences, basis, level and measured false-positive rate.

    Parameters
    ----------
    m : dict
        MIT metrics (:func:`mitbench.metrics.mit.summary.summarize_mit`) plus the null keys
        (:func:`mitbench.metrics.calibration.calibrate`; ``<key>_null_*`` for the architecture null,
        ``<f>_effect_panel_*`` for the panel).
    alpha : float
        Level of every test.
    has_null : bool
        Whether the random-init architecture null was run.
    pairing : str
        How D/E were paired, stated in the evidence.
    measured : dict, optional
        The measured false-positive table of this suite version (``worst_rate``, ``worst_upper``,
        ``source``): quoted as ``verdict_false_positive_*``; None gives null values.
    """
    kind = null_kind(m, has_null)
    ev: list[str] = []
    present = all(_num(m, f"{f}_n") > 0 for f in FAMILIES)
    css, css_lo = _num(m, "css"), _num(m, "css_ci_low")
    if kind == "random_init":
        comp = _le(_num(m, "css_null_p"), alpha)
        ev.append(f"CSS {css:.3g} (pairs by {pairing}) vs random-init null {_num(m, 'css_null_mean'):.3g} "
                  f"± {_num(m, 'css_null_sd'):.2g}: p = {_num(m, 'css_null_p'):.3g}"
                  + (" — compensation rewarded beyond an untrained network." if comp else " — not beyond the null."))
    else:
        comp = math.isfinite(css_lo) and css_lo > 0.5
        ev.append(f"CSS {css:.3g} (pairs by {pairing}), exact 95% CI lower bound {css_lo:.3g}"
                  + (" > 0.5: compensation rewarded (descriptive; the calibrated test of compensation is "
                     "comp_placement)." if comp else ": not above 0.5."))
    ev.append(f"Edit consistency of CSS pairs {_num(m, 'css_consistency'):.2f} (1 = every pair moves the same way, "
              "i.e. one edit on many backgrounds, not independent replicates).")
    placed = {f: present and family_passes(m, f, alpha, kind) for f in FAMILIES}
    if present:
        ev += [_family_sentence(m, f, kind, placed[f]) for f in FAMILIES]
    else:
        ev.append("No placement controls in these data (the same bases in another promoter unit), so placement "
                  "cannot be tested: compensation alone does not separate mechanism from composition.")
    beats_null = [k[:-len("_null_p")] for k, v in m.items() if k.endswith("_null_p") and _le(_num(m, k), alpha)]
    global_p = _num(m, "null_global_p")
    if kind == "random_init":
        ev.append(f"Against the random-init twins as a whole (smallest null p over {int(_num(m, 'null_global_k'))} "
                  f"calibrated metrics vs the twins' own): p = {global_p:.3g}.")
    rewarded = math.isfinite(css_lo) and css_lo > 0.5  # descriptive: the calibrated test is comp_placement
    if rewarded and present and kind and all(placed.values()):
        verdict = "mechanism"
    elif kind == "random_init" and not _le(global_p, alpha):
        verdict = "untrained-like"
    elif comp and present and not any(placed.values()) and (kind or not any(
            _le(_num(m, f"{f}_p_signflip"), alpha) for f in FAMILIES)):
        verdict = "composition"
    else:
        verdict = "inconclusive"
    bases = {"random_init": "Latin-square placement controls + random-init architecture null",
             "panel": "Latin-square placement controls + panel of untrained CNNs (this model has no architecture "
                      "to re-initialise: a baseline or precomputed scores)",
             None: "Latin-square placement controls only (calibration=none): `mechanism` needs a null"}
    basis = bases[kind] if present else ("no placement controls in these data (e.g. the paper's released "
                                         "sequences): placement cannot be tested")
    effects = [_num(m, f"{f}_effect") for f in FAMILIES]
    measured = measured or {}
    return {"verdict": verdict, "verdict_evidence": ev, "verdict_basis": basis, "verdict_alpha": alpha,
            "verdict_effect": min(effects) if present and all(map(math.isfinite, effects)) else math.nan,
            "verdict_design_level": alpha,
            "verdict_false_positive_rate": measured.get("worst_rate", math.nan),
            "verdict_false_positive_bound": measured.get("worst_upper", math.nan),
            "verdict_false_positive_source": measured.get("source", "not measured for this suite version"),
            "verdict_beats_null": beats_null if kind == "random_init" else None}
