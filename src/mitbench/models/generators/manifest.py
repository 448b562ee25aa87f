"""``manifest``: audit matched pairs produced elsewhere, stored one natural and one synthetic FASTA
per window with a pairs CSV (the Synthetic Genomes Benchmark layout; see
:mod:`mitbench.data.audit.pairs`). The pairs define the audit windows: nothing is drawn or generated."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from mitbench.data.audit.pairs import Pair, read_pairs
from mitbench.data.audit.windows import AuditWindow
from mitbench.models.generators.base import Generator

_IDENTITY = ("id", "orig", "syn", "contig", "start")


class ManifestGenerator(Generator):
    """Continuations read from a pairs manifest; its windows replace the audit's own draw.

    Parameters
    ----------
    manifest : str
        Pairs CSV with ``id``, ``orig``, ``syn`` (paths to one-record FASTAs) and optional
        ``contig``, ``start``, ``len``, ``seed``, ``seed_len`` columns.
    data_root : str, optional
        Folder relative FASTA paths may be under (tried after the working directory, before the
        manifest's folder).
    name : str
        Name in outputs.
    """

    def __init__(self, manifest: str, data_root: str | None = None, name: str = "manifest") -> None:
        super().__init__(name)
        self.manifest = Path(manifest)
        self.data_root = data_root
        self.pairs: list[Pair] = []

    def own_windows(self, reference: Path, seed_len: int, gen_len: int) -> list[AuditWindow]:
        self.pairs = read_pairs(self.manifest, seed_len, gen_len, reference, self.data_root)
        return sorted((p.window for p in self.pairs), key=lambda w: (w.contig, w.start))

    def generate(self, windows: Sequence[AuditWindow], length: int, seed: int) -> list[str]:
        by_window = {p.window.id: p for p in self.pairs}
        missing = [w.id for w in windows if w.id not in by_window]
        if missing:
            raise ValueError(f"{self.manifest}: window {missing[0]!r} is not one of its pairs "
                             "(own_windows reads the manifest first)")
        return [by_window[w.id].generated[:length] for w in windows]

    def provenance(self) -> dict[str, Any]:
        settings = {k: dict(Counter(p.row[k] for p in self.pairs)) for k in (self.pairs[0].row if self.pairs else {})
                    if k not in _IDENTITY and k not in ("len", "orig_len", "syn_len")}
        return {**super().provenance(), "manifest": str(self.manifest), "data_root": self.data_root,
                "pairs": {p.id: p.window.id for p in self.pairs}, "settings": settings}
