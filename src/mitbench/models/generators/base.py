"""The generator contract of the realism audit.

A generator continues audit windows: given windows (their ``seed`` is the prompt), a
continuation length and a seed, it returns one upper-case ACGT string of exactly that length per
window, in window order. Generators that learn from the genome (Markov chains, the natural
control's window pool) are first :meth:`Generator.fit` on a :class:`~mitbench.data.audit.windows.Reference`
whose held-out windows read as ``N``. :meth:`Generator.provenance` is written to ``metrics.json``.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, Sequence

from mitbench.data.audit.windows import AuditWindow, Reference

_NOT_ACGT = re.compile(r"[^ACGT]")


class Generator(ABC):
    """Base class: subclasses implement :meth:`generate` (and :meth:`fit` when they learn).

    Parameters
    ----------
    name : str
        Name in outputs.
    """

    #: whether this generator is a control whose expected outcome is known ("negative", "positive")
    control: str | None = None

    def __init__(self, name: str) -> None:
        self.name = name

    def own_windows(self, reference: Path, seed_len: int, gen_len: int) -> list[AuditWindow] | None:
        """The audit windows this generator brings (e.g. pairs generated elsewhere), read and checked
        against ``reference``; None (the default): the audit draws its own from the reference."""
        return None

    def fit(self, reference: Reference) -> None:
        """Learn from ``reference`` (held-out windows masked to N). Default: nothing to learn."""

    @abstractmethod
    def generate(self, windows: Sequence[AuditWindow], length: int, seed: int) -> list[str]:
        """Continuations: ``len(windows)`` upper-case ACGT strings of ``length`` bp, window order."""

    def reference_used(self) -> dict[str, list[tuple[int, int]]]:
        """Intervals of the reference emitted verbatim by the last :meth:`generate` (per contig).

        The audit masks them from the genome background the metrics compare against, as it masks
        the audit windows, so a copied natural stretch is never "in the genome" while the true
        continuation it is paired with is not. Default: none.
        """
        return {}

    def provenance(self) -> dict[str, Any]:
        """Settings that identify what generated the sequences (JSON-serialisable)."""
        return {"generator": self.name, "class": f"{type(self).__module__}.{type(self).__qualname__}",
                "control": self.control}

    def continuations(self, windows: Sequence[AuditWindow], length: int, seed: int) -> list[str]:
        """:meth:`generate`, then check its output against the contract (naming the window)."""
        out = list(self.generate(windows, length, seed))
        if len(out) != len(windows):
            raise RuntimeError(f"generator {self.name!r} returned {len(out)} sequences for {len(windows)} windows")
        for w, seq in zip(windows, out):
            if len(seq) != length:
                raise RuntimeError(f"generator {self.name!r}: window {w.id!r} continuation has {len(seq)} bp, "
                                   f"expected {length}")
            bad = _NOT_ACGT.search(seq)
            if bad:
                raise RuntimeError(f"generator {self.name!r}: window {w.id!r} continuation has "
                                   f"{bad.group()!r} at position {bad.start()}")
        return out
