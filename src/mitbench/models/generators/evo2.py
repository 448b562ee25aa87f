"""``evo2``: Evo 2 continuing the seeds through the ``evo2`` package's ``generate`` (CUDA only).

Imported lazily, like :mod:`mitbench.models.glm.evo2`: mitbench runs without the package, and asking
for this generator without it (or without a CUDA device) fails at construction with what to do.
"""
from __future__ import annotations

from typing import Any, Sequence

import torch

from mitbench.data.audit.windows import AuditWindow
from mitbench.models.glm.evo2 import load_evo2
from mitbench.models.generators.base import Generator


class Evo2Generator(Generator):
    """Sampled continuations from Evo 2.

    Parameters
    ----------
    checkpoint : str
        Evo 2 model name as the package knows it, e.g. ``"evo2_1b_base"``.
    name : str
        Name in outputs.
    local_path : str, optional
        Local checkpoint file.
    temperature, top_k, top_p : float, int, float
        Sampling settings passed to ``Evo2.generate``.
    batch_size : int
        Prompts per ``generate`` call.
    """

    def __init__(self, checkpoint: str = "evo2_1b_base", name: str = "evo2", local_path: str | None = None,
                 temperature: float = 1.0, top_k: int = 4, top_p: float = 1.0, batch_size: int = 1) -> None:
        super().__init__(name)
        self.checkpoint, self.local_path = checkpoint, local_path
        self.temperature, self.top_k, self.top_p = float(temperature), int(top_k), float(top_p)
        self.batch_size = int(batch_size)
        self.evo = load_evo2(name, checkpoint, local_path)

    def generate(self, windows: Sequence[AuditWindow], length: int, seed: int) -> list[str]:
        out: list[str] = []
        for b in range(0, len(windows), self.batch_size):
            torch.manual_seed(seed + b // self.batch_size)
            res = self.evo.generate(prompt_seqs=[w.seed for w in windows[b:b + self.batch_size]], n_tokens=length,
                                    temperature=self.temperature, top_k=self.top_k, top_p=self.top_p)
            out.extend(s.upper()[:length] for s in res.sequences)
        return out

    def provenance(self) -> dict[str, Any]:
        return {**super().provenance(), "checkpoint": self.checkpoint, "local_path": self.local_path,
                "temperature": self.temperature, "top_k": self.top_k, "top_p": self.top_p,
                "batch_size": self.batch_size}
