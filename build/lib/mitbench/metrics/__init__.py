"""Metrics: pure functions of a scores table (see :mod:`mitbench.metrics.mit`)."""
from mitbench.metrics.mit import class_stats, paired_scores, summarize_mit

__all__ = ["class_stats", "paired_scores", "summarize_mit"]
