"""Sequence generators audited by ``audit.py``: one small interface (:class:`Generator`)."""
from mitbench.models.generators.base import Generator

__all__ = ["Generator"]
