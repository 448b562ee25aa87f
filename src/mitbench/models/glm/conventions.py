"""Named scoring conventions of the Hugging Face gLM scorers (``model.scoring=``) and their schedules.

The scorer's ``mode`` names the family of the number (``ll`` or ``pll``); ``scoring`` names the exact
convention inside it. Every convention is written into ``metrics.json`` (``scoring``), the report's
first line (when it approximates) and the score-cache identity, so two conventions never share a
cached score and an approximation is never silent.

=================  ======  ===================================================================
``scoring``        family  score of a sequence x (nats; special tokens and padding never count)
=================  ======  ===================================================================
``pll_exact``      pll     sum_i log p(x_i | x_-i): each scoreable token masked alone (default)
``pll_unmasked``   pll     sum_i log p(x_i | x): one unmasked forward pass (approximation;
                           the Nullsettes peer's convention)
``pll_masked_k``   pll     ``model.mask_k`` = k tokens masked per pass; with n scoreable tokens
                           and m = ceil(n / k) passes, pass j masks tokens j, j + m, j + 2m, ...
                           so each token is masked exactly once (approximation for k > 1;
                           k = 1 is ``pll_exact``)
``ll``             ll      sum_i log p(x_i | x_<i) (default)
``ll_mean``        ll      the same sum divided by the number of scored tokens
=================  ======  ===================================================================

Both strands (``model.score_rc=true``) combine with any of them: the mean of the sequence's and its
reverse complement's scores under the convention, labelled ``<scoring>+rc_mean``. Sliding windows
for sequences longer than the context (``model.window_stride``) add ``+window(W=..,S=..)``: causal
models score each token in the first window that reaches it (:func:`windows`, left context), masked
models in the window whose centre is nearest (:func:`centred_windows`, context on both sides).
"""
from __future__ import annotations

import math

import torch
from torch import Tensor

SCORINGS = {"masked": ("pll_exact", "pll_unmasked", "pll_masked_k"), "causal": ("ll", "ll_mean")}
DEFAULT = {"masked": "pll_exact", "causal": "ll"}
APPROXIMATIONS = {
    "pll_unmasked": "pll_unmasked approximates the exact PLL: one unmasked forward pass, each true token's "
                    "log-probability read while the model sees it",
    "pll_masked_k": "pll_masked_k approximates the exact PLL: {k} tokens masked per forward pass (tokens j, "
                    "j + m, j + 2m, ... in pass j, m = ceil(n / {k})), each masked exactly once",
}


def check(kind: str, scoring: str | None, mask_k: int | None) -> tuple[str, int | None]:
    """``(scoring, mask_k)`` validated for a ``kind`` (``"masked"`` or ``"causal"``) scorer.

    ``scoring=None`` is the kind's default. ``mask_k`` is required by ``pll_masked_k`` (an int
    >= 1) and refused by every other convention, so a stray setting cannot go unnoticed.

    Raises
    ------
    ValueError
        An unknown convention, one of the other family, or a missing / stray ``mask_k``.
    """
    name = DEFAULT[kind] if scoring is None else str(scoring)
    if name not in SCORINGS[kind]:
        other = next(k for k in SCORINGS if k != kind)
        hint = (f" ({name!r} is a {other} model's convention)" if name in SCORINGS[other] else "")
        rc = " (both strands: model.score_rc=true with any convention)" if "rc" in name else ""
        raise ValueError(f"model.scoring={name!r} is not a {kind} model's convention{hint}{rc}; "
                         f"choose one of {', '.join(SCORINGS[kind])}")
    if name == "pll_masked_k":
        if mask_k is None or int(mask_k) < 1:
            raise ValueError(f"model.scoring=pll_masked_k needs model.mask_k >= 1 (tokens masked per pass), "
                             f"got {mask_k!r}")
        return name, int(mask_k)
    if mask_k is not None:
        raise ValueError(f"model.mask_k={mask_k!r} is read only by model.scoring=pll_masked_k, not {name!r}; "
                         "leave it null")
    return name, None


def label(scoring: str, mask_k: int | None, score_rc: bool, window: tuple[int, int] | None = None) -> str:
    """The convention as written into outputs, e.g. ``pll_masked_k(k=4)+rc_mean``."""
    out = scoring + (f"(k={mask_k})" if scoring == "pll_masked_k" else "")
    out += "+rc_mean" if score_rc else ""
    return out + (f"+window(W={window[0]},S={window[1]})" if window else "")


def approximation(scoring: str, mask_k: int | None, window: tuple[int, int] | None = None) -> str | None:
    """A sentence saying how the convention departs from the exact LL / PLL, or None when exact."""
    notes = []
    if scoring == "pll_unmasked" or (scoring == "pll_masked_k" and mask_k and mask_k > 1):
        notes.append(APPROXIMATIONS[scoring].format(k=mask_k))
    if window and scoring.startswith("pll"):
        notes.append(f"sequences longer than {window[0]} tokens are scored by sliding windows of {window[0]} "
                     f"tokens (special tokens included), stride {window[1]}: each token is scored once, in the "
                     f"window whose centre is nearest, with at least {(window[0] - 1 - window[1]) // 2} tokens of "
                     "context on each side (fewer only for special tokens and the sequence's own ends), not all of them")
    elif window:
        notes.append(f"sequences longer than {window[0]} tokens are scored by sliding windows of {window[0]} "
                     f"tokens, stride {window[1]}: each token is scored once with at least {window[0] - window[1]} "
                     "tokens of context, not all of them")
    return "; ".join(notes) or None


def masked_k_rows(n: int, k: int) -> tuple[int, Tensor]:
    """The ``pll_masked_k`` schedule of ``n`` scoreable tokens: ``(m, row)``.

    ``m = ceil(n / k)`` passes; int64 ``row`` of shape ``(n,)`` gives the pass that masks the t-th
    scoreable token, ``t mod m``: pass j masks tokens j, j + m, j + 2m, ... (at most k of them,
    spread evenly along the sequence, never two neighbours unless m = 1).
    """
    m = max(1, math.ceil(n / k))
    return m, torch.arange(n) % m


def _check_stride(width: int, stride: int) -> None:
    if not 1 <= stride < width:
        raise ValueError(f"window stride must satisfy 1 <= stride < window length, got stride {stride}, "
                         f"window {width}")


def windows(length: int, width: int, stride: int) -> list[tuple[int, int, int]]:
    """Sliding windows over ``length`` tokens: ``(start, end, score_from)`` per window.

    Window w covers tokens ``[w * stride, min(w * stride + width, length))`` and scores the
    tokens ``[score_from, end)`` that no earlier window scored (the first window from 0). So every
    token is scored exactly once, and a token scored in window w > 0 sees at least
    ``width - stride`` tokens before it. A sequence of at most ``width`` tokens is one window: the
    full pass.

    Raises
    ------
    ValueError
        Unless ``1 <= stride < width``.
    """
    _check_stride(width, stride)
    out, start, done = [], 0, 0
    while True:
        end = min(start + width, length)
        out.append((start, end, done))
        if end >= length:
            return out
        done, start = end, start + stride


def centred_windows(length: int, width: int, stride: int) -> list[tuple[int, int, int, int]]:
    """Sliding windows over ``length`` tokens, each token scored in the one whose centre is nearest.

    Windows start at 0, stride, 2 * stride, ... and a last one ends at ``length`` (all ``width``
    tokens wide). Returns ``(start, end, first, last)`` per window: it scores tokens
    ``[first, last)``; the ranges tile ``[0, length)``, so every token is scored exactly once
    (ties go to the earlier window). A token so scored is at most ``stride / 2`` from its window's
    centre, so it sees at least ``(width - 1 - stride) // 2`` tokens on each side, or the sequence's
    end. A sequence of at most ``width`` tokens is one window: the full pass.

    Raises
    ------
    ValueError
        Unless ``1 <= stride < width``.
    """
    _check_stride(width, stride)
    if length <= width:
        return [(0, length, 0, length)]
    starts = list(range(0, length - width, stride)) + [length - width]
    # the nearest centre: tokens up to the midpoint of two neighbouring centres go to the earlier window
    cuts = [0] + [(a + b + width - 1) // 2 + 1 for a, b in zip(starts, starts[1:])] + [length]
    return [(a, a + width, lo, hi) for a, lo, hi in zip(starts, cuts, cuts[1:]) if hi > lo]
