"""Mechanistic Invariance Test for genomic language models."""
__version__ = "0.1.0"
