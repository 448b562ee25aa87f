"""Old module paths in run folders written before the layout move (issue 24, commits 96afe52 and 85887ae).

A run's ``config.yaml`` records the ``_target_`` of every node as it was when the run was written;
``tests/fixtures/run_premove`` names ``mitbench.models.biophysical.BiophysicalScorer``, which is now
``mitbench.models.baselines.biophysical.BiophysicalScorer``. :func:`translate_targets` rewrites such
paths through :data:`MOVED` (old module -> new module, from ``git diff --name-status -M`` of those
commits) so a verifier can instantiate an old run's suite. Modules that did not move are left alone.
"""
from __future__ import annotations

from typing import Any

# old module -> new module; the longest matching prefix (on a dot boundary) wins
MOVED: dict[str, str] = {
    "mitbench.calibration": "mitbench.engine.calibration",
    "mitbench.compare": "mitbench.runs.compare",
    "mitbench.reproduce": "mitbench.runs.reproduce",
    "mitbench.rundir": "mitbench.engine.rundir",
    "mitbench.loggers": "mitbench.engine.loggers",
    "mitbench.memory": "mitbench.suites.memory",
    "mitbench.data.datamodule": "mitbench.data.core.datamodule",
    "mitbench.data.records": "mitbench.data.core.records",
    "mitbench.data.grammar": "mitbench.data.core.grammar",
    "mitbench.data.mit": "mitbench.data.mit.designed",
    "mitbench.data.mit_paper": "mitbench.data.mit.paper",
    "mitbench.data.controls": "mitbench.data.mit.controls",
    "mitbench.data.natural": "mitbench.data.mit.natural",
    "mitbench.data.external": "mitbench.data.mit.external",
    "mitbench.data.regulondb": "mitbench.data.mit.regulondb",
    "mitbench.data.probes": "mitbench.data.mit.probes",
    "mitbench.data.probe_scores": "mitbench.data.mit.probe_scores",
    "mitbench.data.nullsettes": "mitbench.data.nullsettes.build",
    "mitbench.data.nullsettes_sources": "mitbench.data.nullsettes.sources",
    "mitbench.data.cassettes": "mitbench.data.nullsettes.cassettes",
    "mitbench.data.lagator": "mitbench.data.fit.lagator",
    "mitbench.data.synthetic": "mitbench.data.fit.synthetic",
    "mitbench.data.training": "mitbench.data.fit.training",
    "mitbench.data.urtecho": "mitbench.data.fit.urtecho",
    "mitbench.data.contrastive": "mitbench.data.glm.contrastive",
    "mitbench.data.genome_lm": "mitbench.data.glm.genome_lm",
    "mitbench.metrics.mit": "mitbench.metrics.mit.summary",
    "mitbench.metrics.probes": "mitbench.metrics.mit.probes",
    "mitbench.metrics.placement": "mitbench.metrics.mit.placement",
    "mitbench.metrics.hierarchy": "mitbench.metrics.mit.hierarchy",
    "mitbench.metrics.paper": "mitbench.metrics.mit.paper",
    "mitbench.metrics.verdict": "mitbench.metrics.mit.verdict",
    "mitbench.metrics.realism": "mitbench.metrics.audit",
    "mitbench.models.biophysical": "mitbench.models.baselines.biophysical",
    "mitbench.models.components": "mitbench.models.baselines.components",
    "mitbench.models.detector": "mitbench.models.generators.detector",
    "mitbench.models.causal": "mitbench.models.glm.causal",
    "mitbench.models.masked": "mitbench.models.glm.masked",
    "mitbench.models.evo2": "mitbench.models.glm.evo2",
    "mitbench.models.hf": "mitbench.models.glm.hf",
    "mitbench.models.regressor": "mitbench.models.trainable.regressor",
    "mitbench.models.genome_lm": "mitbench.models.trainable.genome_lm",
    "mitbench.models.contrastive_lm": "mitbench.models.trainable.contrastive_lm",
}


def translate_target(target: str) -> str:
    """``target`` with its old module prefix replaced (longest match in :data:`MOVED`); unchanged when
    it names something that imports today (``mitbench.data.mit.probes.x`` is current, though
    ``mitbench.data.mit`` was once a module) or matches no entry."""
    if _current(target):
        return target
    parts = target.split(".")
    for n in range(len(parts) - 1, 1, -1):
        new = MOVED.get(".".join(parts[:n]))
        if new is not None:
            return ".".join([new, *parts[n:]])
    return target


def _current(target: str) -> bool:
    """True when ``target``'s module imports today (so it is not an old path)."""
    import importlib

    module, _, attr = target.rpartition(".")
    try:
        return hasattr(importlib.import_module(module), attr)
    except ImportError:
        return False


def translate_targets(node: Any) -> Any:
    """A copy of a plain config container (dicts and lists from ``OmegaConf.to_container``) with every
    ``_target_`` passed through :func:`translate_target`."""
    if isinstance(node, dict):
        return {k: translate_target(v) if k == "_target_" and isinstance(v, str) else translate_targets(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [translate_targets(v) for v in node]
    return node
