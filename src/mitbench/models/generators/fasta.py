"""``fasta``: audit sequences that any tool generated, from a FASTA plus a manifest
(see :mod:`mitbench.data.audit.generated` for the format and its checks)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from mitbench.data.audit.generated import read_generated
from mitbench.data.audit.windows import AuditWindow
from mitbench.models.generators.base import Generator


class FastaGenerator(Generator):
    """Continuations read from ``path`` (FASTA, prompt + continuation) and ``manifest``.

    Parameters
    ----------
    name : str
        Name in outputs.
    path : str
        Generated FASTA (plain or compressed).
    manifest : str
        TSV/CSV with ``id``, ``source_window``, ``seed_len`` and any generator settings.
    """

    def __init__(self, path: str, manifest: str, name: str = "fasta") -> None:
        super().__init__(name)
        self.path, self.manifest = Path(path), Path(manifest)
        self.rows: list[dict[str, str]] = []

    def generate(self, windows: Sequence[AuditWindow], length: int, seed: int) -> list[str]:
        seqs, self.rows = read_generated(self.path, self.manifest, windows, length)
        return seqs

    def provenance(self) -> dict[str, Any]:
        settings = {k: dict(Counter(r[k] for r in self.rows)) for k in (self.rows[0] if self.rows else {})
                    if k not in ("id", "source_window")}
        return {**super().provenance(), "path": str(self.path), "manifest": str(self.manifest),
                "settings": settings}
