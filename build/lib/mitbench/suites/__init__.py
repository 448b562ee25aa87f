"""The task layer: each suite is a data generator/reader + metric functions + report functions +
a declared :class:`~mitbench.suites.spec.MetricSpec`."""
from mitbench.suites.base import Suite
from mitbench.suites.spec import TIE_RULE, Contrast, Metric, MetricSpec

__all__ = ["Suite", "Metric", "Contrast", "MetricSpec", "TIE_RULE"]
