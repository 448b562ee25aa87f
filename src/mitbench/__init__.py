"""Mechanistic Invariance Test for genomic language models."""
__version__ = "0.1.0"


def _layout(name: str):
    """OmegaConf resolver ``${layout:<attribute>}``: a coordinate of the standard σ70 layout
    (:data:`mitbench.data.grammar.STANDARD`), so configs never restate positions by hand."""
    from mitbench.data.grammar import STANDARD

    value = getattr(STANDARD, name)
    return list(value) if isinstance(value, tuple) else value


def _register_resolvers() -> None:
    from omegaconf import OmegaConf

    if not OmegaConf.has_resolver("layout"):
        OmegaConf.register_new_resolver("layout", _layout)


_register_resolvers()
