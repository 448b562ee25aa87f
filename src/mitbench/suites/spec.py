"""The metric spec a suite declares: what its headline numbers are and how to read them.

``compare`` (sweep tables and BH-FDR), ``report.md``, the sweep objective, the calibration against
random-initialised networks and the verdict all read a suite's :class:`MetricSpec` instead of
knowing suite-specific keys.

The one tie rule (:data:`TIE_RULE`) holds in every suite: a paired comparison is a win only when
the sequence expected to score higher scores strictly higher; ties are failures, and their number
is reported next to the metric.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

TIE_RULE = ("Ties count as failures: a paired comparison is a win only when the sequence expected to "
            "score higher scores strictly higher; the number of ties is reported with each metric.")


@dataclass(frozen=True)
class Metric:
    """One headline metric of a suite.

    Parameters
    ----------
    key : str
        Its key in ``metrics.json``.
    label : str
        Short name for tables and figures (e.g. ``"CSS"``).
    higher_is_better : bool or None
        Direction of "more mechanism-like" (used by p-values against nulls and by sweeps); None
        for a descriptive metric with no better direction (e.g. a correlation with A/T content).
    chance : float, optional
        Value a model that knows nothing is expected to get (e.g. 0.5 for a pairwise win rate).
    pvalue : str, optional
        Key of the metric's one-sided p-value in ``metrics.json`` (the test its suite defines).
    ci : tuple of str, optional
        Keys of the lower and upper bounds of its 95 % interval.
    description : str
        One line saying what it measures.
    """

    key: str
    label: str
    higher_is_better: bool | None = True
    chance: float | None = None
    pvalue: str | None = None
    ci: tuple[str, str] | None = None
    description: str = ""

    @classmethod
    def from_config(cls, node: Any) -> "Metric":
        """A Metric from a mapping (a YAML list entry); ``ci`` may be a list."""
        d = dict(node)
        if d.get("ci") is not None:
            d["ci"] = tuple(d["ci"])
        return cls(**d)


@dataclass(frozen=True)
class Contrast:
    """A paired comparison: rows labelled ``better`` should outscore rows labelled ``worse``.

    Parameters
    ----------
    name : str
        Metric prefix of the contrast (e.g. ``"css"``).
    better, worse : str
        Values of ``column`` (class labels or probe conditions).
    on : str
        Column that pairs the two rows (a shared background: ``group``).
    column : str
        Column holding ``better``/``worse``.
    """

    name: str
    better: str
    worse: str
    on: str = "group"
    column: str = "class"


@dataclass(frozen=True)
class MetricSpec:
    """Everything generic code needs to know about a suite's metrics.

    Parameters
    ----------
    headline : tuple of Metric
        The metrics a report leads with and a sweep table shows.
    contrasts : tuple of Contrast
        Paired comparisons and their pairing key.
    tested : tuple of str
        Headline keys whose p-values a sweep corrects with Benjamini–Hochberg across the runs of
        one suite (each must have a ``pvalue``).
    objective : str, optional
        Headline key a Hydra sweeper optimises (``None``: the run returns nothing to optimise).
    calibrated : tuple of Metric, optional
        Metrics compared with the random-initialised architecture null (each with its direction);
        default: the headline metrics.
    panel : tuple of Metric
        Metrics compared with the panel of untrained CNNs for models with no architecture null
        (:meth:`mitbench.engine.calibration.RandomInitNull.panel`); empty: no panel.
    tie_rule : str
        The tie rule, stated in every report.
    """

    headline: tuple[Metric, ...] = ()
    contrasts: tuple[Contrast, ...] = ()
    tested: tuple[str, ...] = ()
    objective: str | None = None
    calibrated: tuple[Metric, ...] | None = None
    panel: tuple[Metric, ...] = ()
    tie_rule: str = TIE_RULE
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        keys = [m.key for m in self.headline]
        if len(set(keys)) != len(keys):
            raise ValueError(f"metric spec: duplicate headline keys {keys}")
        for k in self.tested:
            m = self.metric(k)
            if m.pvalue is None:
                raise ValueError(f"metric spec: tested metric {k!r} has no p-value key")
        if self.objective is not None:
            self.metric(self.objective)

    def metric(self, key: str) -> Metric:
        """The headline metric called ``key``.

        Raises
        ------
        KeyError
            If ``key`` is not a headline metric.
        """
        for m in self.headline:
            if m.key == key:
                return m
        raise KeyError(f"{key!r} is not a headline metric (have {[m.key for m in self.headline]})")

    def calibrated_metrics(self) -> tuple[Metric, ...]:
        """Metrics compared with the random-init null (default: the headline)."""
        return tuple(self.calibrated) if self.calibrated is not None else self.headline

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
