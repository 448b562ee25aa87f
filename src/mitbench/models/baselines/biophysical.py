"""Scorer adapter for the biophysical and simple baselines (PA-PWM, RPA-PWM, k-mer, ...).

A component (``mitbench.models.baselines.components``) is a plain ``nn.Module`` mapping one-hot
``(B, L, 4)`` float64 (ACGT) to a ``(B,)`` float64 score; :class:`BiophysicalScorer` wraps it
into the scorer contract (:mod:`mitbench.models.base`) and optionally loads fitted weights.
"""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any, Sequence

import torch
from torch import Tensor, nn

from mitbench.data.core.records import SequenceRecord, check_lengths
from mitbench.models.base import Scorer
from mitbench.models.baselines.components.base import Component
from mitbench.data.core.encoding import one_hot

PREFIX = "component."


def state_digest(module: nn.Module) -> str:
    """SHA-256 of a module's ``state_dict`` (names, dtypes, shapes and values), hex."""
    h = hashlib.sha256()
    for name, tensor in sorted(module.state_dict().items()):
        t = tensor.detach().cpu().contiguous()
        h.update(f"{name}:{t.dtype}:{tuple(t.shape)}:".encode())
        h.update(t.numpy().tobytes())
    return h.hexdigest()


def load_component_weights(component: nn.Module, checkpoint: str | Path) -> None:
    """Load the ``component.*`` entries of a Lightning checkpoint into ``component`` (strict).

    The file is read with ``torch.load(weights_only=True)``: tensors, numbers, strings and
    containers only. A checkpoint that needs anything else (pickled classes or functions, the
    way a crafted file runs code on load) is refused, never unpickled. ``train_baselines``
    writes checkpoints of this kind.

    Raises
    ------
    FileNotFoundError
        If ``checkpoint`` does not exist (the message says how to produce one).
    ValueError
        If the file is not a weights-only PyTorch checkpoint (pickled objects, not a checkpoint
        at all, truncated), or keys are missing or unexpected (both lists are named).
    """
    path = Path(checkpoint)
    if not path.is_file():
        raise FileNotFoundError(
            f"checkpoint {str(path)!r} does not exist. Fitted baseline weights come from "
            "`python train_baselines.py model=<name> data=<dataset>`, which writes "
            "<its output dir>/checkpoints/best.ckpt (a Lightning checkpoint holding the component's "
            "weights under 'component.'); pass that file as model.checkpoint=<path>, or leave "
            "model.checkpoint=null to score with the paper's hand-set weights.")
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        # torch's message names a refused global (e.g. "unsupported GLOBAL posix.system") and
        # suggests weights_only=False, which is exactly what must not happen here
        found = [ln.strip() for ln in str(err).splitlines() if "GLOBAL" in ln]
        if not found:  # not a pickle of anything (random bytes, cut off)
            detail = [ln.strip() for ln in str(err).splitlines() if ln.strip()][-2:-1] or [type(err).__name__]
            raise ValueError(f"checkpoint {str(path)!r} is not a readable PyTorch checkpoint ({detail[0][:200]})") from None
        raise ValueError(f"checkpoint {str(path)!r} was refused: it holds pickled Python objects beyond "
                         f"tensors and plain values ({found[0][:200]}). mitbench "
                         "loads weights only and never runs code from a checkpoint; load only files you "
                         "trust, e.g. those written by train_baselines.py") from None
    except Exception as err:  # a file the restricted unpickler cannot read at all (random bytes, cut off)
        raise ValueError(f"checkpoint {str(path)!r} is not a readable PyTorch checkpoint "
                         f"({type(err).__name__}: {str(err)[:200]})") from None
    state = blob.get("state_dict", blob) if isinstance(blob, dict) else blob
    if not isinstance(state, dict) or not all(isinstance(k, str) and isinstance(v, torch.Tensor)
                                              for k, v in state.items() if str(k).startswith(PREFIX)):
        raise ValueError(f"checkpoint {str(path)!r} holds no state_dict of named tensors")
    own = {k[len(PREFIX):]: v for k, v in state.items() if isinstance(k, str) and k.startswith(PREFIX)}
    expected = set(component.state_dict())
    missing, unexpected = sorted(expected - set(own)), sorted(set(own) - expected)
    if missing or unexpected:
        raise ValueError(f"checkpoint {str(path)!r} does not fit {type(component).__name__}: "
                         f"missing keys {missing}, unexpected keys {unexpected} "
                         f"(keys are read under the {PREFIX!r} prefix)")
    component.load_state_dict(own, strict=True)


class BiophysicalScorer(Scorer):
    """Score sequences with a one-hot ``nn.Module`` component.

    Parameters
    ----------
    name : str
        Model name in outputs.
    component : Component
        Maps ``(B, L, 4)`` float64 one-hot to ``(B,)`` float64 (higher = more active) and declares
        ``min_length`` (see :mod:`mitbench.models.baselines.components.base`).
    mode : str
        Scoring mode reported with the scores (``score``, ``energy``, ``ll``).
    checkpoint : str, optional
        Lightning checkpoint with fitted weights under ``component.``; None keeps the
        component's initial (hand-set) weights.
    exact_length : int, optional
        Required sequence length for layout-bound components (fixed positions); None for
        scanning components that accept any length ``>= component.min_length``.
    layout_window : int, optional
        For a fixed-layout component (PA-PWM, the thermodynamic model, ...): a record whose metadata
        gives ``layout_offset`` (the MIT's placement canvases: where its core promoter's standard
        layout starts) is read through the window ``[offset, offset + layout_window)`` of its
        sequence (zero one-hot outside the record), so the component reads the elements where the
        metadata puts the promoter, not where the 100-bp layout would. Records without
        ``layout_offset`` are read whole. None: every record is read whole (scanning components
        must find the elements themselves).
    """

    category = "baseline"

    def __init__(self, name: str, component: Component, mode: str = "score",
                 checkpoint: str | None = None, exact_length: int | None = 100,
                 layout_window: int | None = None) -> None:
        super().__init__(name)
        self.mode = mode
        if not isinstance(component, Component):
            raise TypeError(f"{name}: component must subclass mitbench.models.baselines.components.base.Component, "
                            f"got {type(component).__name__}")
        self.component = component.to(torch.float64)
        self.checkpoint = checkpoint
        self.exact_length = exact_length
        self.layout_window = None if layout_window is None else int(layout_window)
        self._offsets: dict[str, int] = {}  # sequence -> layout_offset, bound by check_records
        if checkpoint is not None:
            load_component_weights(self.component, checkpoint)

    def check_records(self, records: Sequence[SequenceRecord]) -> None:
        """Raise ``ValueError`` naming the first record of a wrong (layout), too short or too long
        length (the component's ``min_length`` / ``max_length``), before anything is scored; binds
        each record's ``layout_offset`` when the scorer reads a layout window."""
        self._offsets = {}
        if self.layout_window is not None:
            self._offsets = {r.sequence: int(r.meta["layout_offset"]) for r in records
                             if _is_offset(r.meta.get("layout_offset"))}
        whole = [r for r in records if r.sequence not in self._offsets]
        if self.exact_length is not None:
            check_lengths(whole, exact=self.exact_length, who=self.name)
            if self._offsets and self.layout_window != self.exact_length:
                raise ValueError(f"{self.name}: layout_window {self.layout_window} differs from exact_length "
                                 f"{self.exact_length}")
        shortest = int(self.component.min_length)
        longest = getattr(self.component, "max_length", None)
        for rec in whole:
            if len(rec.sequence) < shortest:
                raise ValueError(f"record {rec.id!r}: length {len(rec.sequence)} bp, but {self.name} "
                                 f"needs at least {shortest} bp (its motif span)")
            if longest is not None and len(rec.sequence) > longest:
                raise ValueError(f"record {rec.id!r}: length {len(rec.sequence)} bp, but {self.name} scores at "
                                 f"most {longest} bp (its component's max_length)")

    def checkpoint_label(self) -> str:
        return f"{self.name} ({'fitted: ' + Path(self.checkpoint).name if self.checkpoint else 'hand-set weights'})"

    def identity(self) -> dict[str, Any]:
        return {**super().identity(), "component": repr(self.component),
                "state_sha256": state_digest(self.component), "layout_window": self.layout_window}

    def forward(self, x: Tensor) -> Tensor:
        """``(B, L, 4)`` float64 one-hot -> ``(B,)`` float64 (differentiable; used in training)."""
        return self.component(x)

    def score_batch(self, sequences: Sequence[str]) -> Tensor:
        """Score ACGT strings of any lengths (grouped by length): ``(B,)`` float64."""
        out = torch.empty(len(sequences), dtype=torch.float64)
        device = next(iter(self.component.parameters()), torch.empty(0)).device
        longest = getattr(self.component, "max_length", None)
        by_length: dict[int, list[int]] = {}
        for i, s in enumerate(sequences):
            if longest is not None and len(s) > longest:  # direct calls skip check_records
                raise ValueError(f"{self.name}: sequence #{i} is {len(s)} bp, longer than its max_length {longest}")
            by_length.setdefault(len(s), []).append(i)
        windowed = [i for i, s in enumerate(sequences) if s in self._offsets]
        with torch.no_grad():
            for idx in by_length.values():
                idx = [i for i in idx if sequences[i] not in self._offsets]
                if idx:
                    x = one_hot([sequences[i] for i in idx]).to(device)
                    out[idx] = self.component(x).detach().to("cpu", torch.float64)
            if windowed:
                x = torch.stack([self._window(sequences[i]) for i in windowed]).to(device)
                out[windowed] = self.component(x).detach().to("cpu", torch.float64)
        return out

    def _window(self, sequence: str) -> Tensor:
        """``(layout_window, 4)`` one-hot of ``sequence[offset : offset + layout_window]``, zero outside."""
        start, width = self._offsets[sequence], int(self.layout_window)
        x = one_hot([sequence])[0]
        out = x.new_zeros(width, 4)
        lo, hi = max(start, 0), min(start + width, x.shape[0])
        if hi > lo:
            out[lo - start:hi - start] = x[lo:hi]
        return out


def _is_offset(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
