"""Mechanistic Invariance Test for genomic language models."""
__version__ = "0.1.0"


def _layout(name: str):
    """OmegaConf resolver ``${layout:<attribute>}``: a coordinate of the standard σ70 layout
    (:data:`mitbench.data.grammar.STANDARD`), so configs never restate positions by hand."""
    from mitbench.data.grammar import STANDARD

    value = getattr(STANDARD, name)
    return list(value) if isinstance(value, tuple) else value


def _safe_name(value) -> str:
    """OmegaConf resolver ``${safe_name:<value>}``: a config value (model or suite name) made safe as
    one path component (:func:`mitbench.outputs.safe_name`), so no name can steer a write elsewhere."""
    from mitbench.outputs import safe_name

    return safe_name(value)


def _register_resolvers() -> None:
    from omegaconf import OmegaConf

    if not OmegaConf.has_resolver("layout"):
        OmegaConf.register_new_resolver("layout", _layout)
    if not OmegaConf.has_resolver("safe_name"):
        OmegaConf.register_new_resolver("safe_name", _safe_name)


_register_resolvers()
