"""``natural``: the negative control. Each "continuation" is another natural stretch of the same
genome, drawn from the reference with every held-out window masked, so it overlaps neither the
audit windows nor the natural-control windows. Every realism metric must come out null."""
from __future__ import annotations

from typing import Any, Sequence

from mitbench.data.audit.windows import AuditWindow, Reference, sample_tiles, window_id
from mitbench.models.generators.base import Generator


class NaturalGenerator(Generator):
    """Natural continuations of unrelated windows (negative control).

    Parameters
    ----------
    name : str
        Name in outputs.
    """

    control = "negative"

    def __init__(self, name: str = "natural") -> None:
        super().__init__(name)
        self.reference: Reference | None = None
        self.sources: list[str] = []
        self.spans: dict[str, list[tuple[int, int]]] = {}

    def fit(self, reference: Reference) -> None:
        self.reference = reference

    def generate(self, windows: Sequence[AuditWindow], length: int, seed: int) -> list[str]:
        if self.reference is None:
            raise RuntimeError(f"generator {self.name!r} must be fit on a reference before generating")
        tiles = sample_tiles(self.reference.contigs, len(windows), length, seed,
                             what=f"{self.reference.path} (held-out windows masked)")
        self.sources = [window_id(c, s, s + length) for c, s, _ in tiles]
        self.spans = {}
        for c, s, _ in tiles:
            self.spans.setdefault(c, []).append((s, s + length))
        return [seq for _, _, seq in tiles]

    def reference_used(self) -> dict[str, list[tuple[int, int]]]:
        return {c: sorted(v) for c, v in self.spans.items()}

    def provenance(self) -> dict[str, Any]:
        return {**super().provenance(), "source_windows": list(self.sources)}
