"""Per-position tracks of one-hot sequences for grammar components: codons, ORFs, windowed maxima.

Shapes: ``x`` is ``(B, L, 4)`` float64 one-hot (A, C, G, T); a track is ``(B, L)``, value at
position ``p`` about the sequence starting (or ending) there. Positions outside the sequence take
the value ``FLOOR``: finite, so scores and gradients stay finite, and far below any motif score.
"""
from __future__ import annotations

from typing import Iterable

import torch
import torch.nn.functional as F
from torch import Tensor

from mitbench.data.core.encoding import BASES

FLOOR = -1.0e3


def codon_track(x: Tensor, codons: Iterable[str]) -> Tensor:
    """``(B, L)`` float: 1 where one of ``codons`` starts at ``p`` (0 for the last two positions)."""
    if x.shape[1] < 3:
        return x.new_zeros(x.shape[:2])
    hits = []
    for codon in codons:
        a, b, c = (BASES.index(ch) for ch in codon)
        hits.append(x[:, :-2, a] * x[:, 1:-1, b] * x[:, 2:, c])
    return F.pad(torch.stack(hits).sum(0), (0, 2))


def shift_right(track: Tensor, k: int) -> Tensor:
    """``out[:, p] = track[:, p - k]`` (``k >= 0``), ``FLOOR`` for ``p < k``."""
    return F.pad(track, (k, 0), value=FLOOR)[:, : track.shape[1]]


def next_in_frame(mask: Tensor, none: int) -> Tensor:
    """``(B, L)`` int64: the smallest ``q >= p`` with ``q = p (mod 3)`` and ``mask[q]``, else ``none``."""
    batch, length = mask.shape
    padded = -(-length // 3) * 3
    idx = torch.arange(padded, device=mask.device).expand(batch, padded)
    hit = F.pad(mask, (0, padded - length), value=False)
    cand = torch.where(hit, idx, torch.full_like(idx, none)).view(batch, padded // 3, 3)
    nxt = torch.flip(torch.cummin(torch.flip(cand, (1,)), dim=1).values, (1,))
    return nxt.reshape(batch, padded)[:, :length]


def window_max(track: Tensor, lo: int, hi: int) -> Tensor:
    """``out[:, p] = max(track[:, p + lo .. p + hi])`` (inclusive offsets), ``FLOOR`` outside the sequence.

    Differentiable (the gradient goes to the arg-max).
    """
    if hi < lo:
        raise ValueError(f"window [{lo}, {hi}] is empty")
    length = track.shape[1]
    pad_left, pad_right = max(-lo, 0), max(hi, 0)
    padded = F.pad(track, (pad_left, pad_right), value=FLOOR)
    pooled = F.max_pool1d(padded.unsqueeze(1), kernel_size=hi - lo + 1, stride=1).squeeze(1)
    # pooled[:, i] covers padded[i .. i + hi - lo], i.e. track[i - pad_left .. i - pad_left + hi - lo]
    return pooled[:, lo + pad_left: lo + pad_left + length]


def gather_at(track: Tensor, index: Tensor) -> Tensor:
    """``track[b, index[b, p]]``; ``FLOOR`` where ``index`` is outside ``[0, L)``."""
    length = track.shape[1]
    ok = (index >= 0) & (index < length)
    vals = torch.gather(track, 1, index.clamp(0, length - 1))
    return torch.where(ok, vals, torch.full_like(vals, FLOOR))


def motif_track(x: Tensor, weight: Tensor) -> Tensor:
    """PWM ``weight`` (W, 4) scored at every start: ``(B, L)``, ``FLOOR`` where it does not fit."""
    width = weight.shape[0]
    if x.shape[1] < width:
        return x.new_full(x.shape[:2], FLOOR)
    scores = torch.einsum("bpcw,wc->bp", x.unfold(1, width, 1), weight)
    return F.pad(scores, (0, width - 1), value=FLOOR)


def hairpin_track(x: Tensor, pair: Tensor, stem: int, loops: range, tail: int, tail_weight: Tensor) -> Tensor:
    """Intrinsic-terminator score at the position right after a hairpin's 3' arm: ``(B, L)``.

    ``pair`` (4, 4) scores base ``i`` of the 5' arm against base ``j`` of the 3' arm; a hairpin
    scores the sum over its ``stem`` pairs (best of the ``loops`` lengths), plus ``tail_weight`` x
    the number of T among the ``tail`` bases that follow it (the U-tract). ``FLOOR`` where no
    hairpin fits. Differentiable in ``pair`` and ``tail_weight`` (one-hot input: exact look-ups).
    """
    batch, length, _ = x.shape
    code = x.argmax(dim=-1)
    flat = pair.reshape(-1)
    by_distance: dict[int, Tensor] = {}  # d -> (B, L - d): pair score of bases i and i + d

    def paired(d: int) -> Tensor:
        if d not in by_distance:
            by_distance[d] = flat[code[:, : length - d] * 4 + code[:, d:]]
        return by_distance[d]

    best = x.new_full((batch, length), FLOOR)  # by the last base of the 3' arm
    for loop in loops:
        span = 2 * stem + loop
        if span > length:
            continue
        n = length - span + 1
        total = x.new_zeros(batch, n)
        for k in range(stem):  # pair k: 5' arm base i + k with 3' arm base i + span - 1 - k
            total = total + paired(span - 1 - 2 * k)[:, k: k + n]
        best = torch.maximum(best, shift_right(F.pad(total, (0, span - 1), value=FLOOR), span - 1))
    after = shift_right(best, 1)  # the hairpin ends at p - 1
    t_tail = F.pad(x[:, :, 3], (0, tail)).unfold(1, tail, 1)[:, :length].sum(-1)  # T in [p, p + tail)
    return torch.where(after > FLOOR / 2, after + tail_weight * t_tail, after)
