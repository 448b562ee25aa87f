"""mitbench: does a genomic language model know regulatory mechanism, or only statistics?

Python API (see :mod:`mitbench.api`)::

    import mitbench
    metrics = mitbench.evaluate(model="pa_pwm", suite="mit", output_dir="runs/pa_pwm")
    scores = mitbench.score(["ACGT" * 25], model="kmer")
    run = mitbench.load_run("runs/pa_pwm")
"""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("mitbench")  # the one version string: pyproject.toml's
except PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
    __version__ = "0+unknown"

__all__ = ["evaluate", "score", "load_run", "__version__"]


def __getattr__(name: str):
    """Lazy API: ``import mitbench`` stays light; ``mitbench.evaluate`` is :func:`mitbench.api.evaluate`."""
    if name == "evaluate":
        from mitbench.api import evaluate

        return evaluate
    if name == "score":
        from mitbench.api import score

        return score
    if name == "load_run":
        from mitbench.runs.results import load_run

        return load_run
    raise AttributeError(f"module 'mitbench' has no attribute {name!r}")


def _layout(name: str):
    """OmegaConf resolver ``${layout:<attribute>}``: a coordinate of the standard σ70 layout
    (:data:`mitbench.data.core.grammar.STANDARD`), so configs never restate positions by hand."""
    from mitbench.data.core.grammar import STANDARD

    value = getattr(STANDARD, name)
    return list(value) if isinstance(value, tuple) else value


def _sweep_group():
    """OmegaConf resolver ``${sweep_group:}``: the sweep folder's name inside a ``-m`` sweep (so the
    W&B runs of one sweep share a group), None for a single run."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    if not HydraConfig.initialized() or HydraConfig.get().mode != RunMode.MULTIRUN:
        return None
    from pathlib import Path

    return Path(HydraConfig.get().sweep.dir).name
def _safe_name(value) -> str:
    """OmegaConf resolver ``${safe_name:<value>}``: a config value (model or suite name) made safe as
    one path component (:func:`mitbench.engine.outputs.safe_name`), so no name can steer a write elsewhere."""
    from mitbench.engine.outputs import safe_name

    return safe_name(value)


def _register_resolvers() -> None:
    from omegaconf import OmegaConf

    if not OmegaConf.has_resolver("layout"):
        OmegaConf.register_new_resolver("layout", _layout)
    if not OmegaConf.has_resolver("sweep_group"):
        OmegaConf.register_new_resolver("sweep_group", _sweep_group)
    if not OmegaConf.has_resolver("safe_name"):
        OmegaConf.register_new_resolver("safe_name", _safe_name)
    if not OmegaConf.has_resolver("sweep_id"):  # cached: one value per sweep config, copied into its jobs
        from mitbench.runs.sweeps import new_sweep_id

        OmegaConf.register_new_resolver("sweep_id", new_sweep_id, use_cache=True)


_register_resolvers()
