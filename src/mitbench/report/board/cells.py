"""How the board shows a number: Jinja2 filters over the cells :mod:`mitbench.runs.board.site` builds
(``{"value", "ci", "p", "p_fdr", "null", "refs"}``), through the report's one formatter
(:mod:`mitbench.report.common`)."""
from __future__ import annotations

import math
from typing import Any, Callable

from mitbench.report.common import fmt, fmt_ci, fmt_p


def sort_key(value: Any) -> str:
    """The ``data-sort`` attribute of a cell: the number in full precision, "" when missing (sorted last)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return ""
    return repr(float(value))


def ci_text(cell: dict[str, Any]) -> str:
    """``[low, high]`` of a cell with an interval, else ""."""
    return fmt_ci(*cell["ci"]) if cell.get("ci") else ""


def null_text(cell: dict[str, Any]) -> str:
    """``random-init null 0.5 ± 0.1 (p 0.05)`` / ``untrained-CNN panel ...``, or "" without one."""
    null = cell.get("null")
    if not null:
        return ""
    name = "random-init null" if null["kind"] == "null" else "untrained-CNN panel"
    return f"{name} {fmt(null['mean'])} ± {fmt(null['sd'])} (p {fmt_p(null['p'])})"


def refs_text(cell: dict[str, Any]) -> str:
    """``composition 0 · kmer 1``: the composition references' values of the metric (those defined), or ""."""
    return " · ".join(f"{name} {fmt(v)}" for name, v in (cell.get("refs") or {}).items() if fmt(v) != "n/a")


def badge_class(verdict: str) -> str:
    """CSS class of a verdict badge (``v-mechanism``, ``v-not-distinguishable``...)."""
    return "v-" + "".join(c if c.isalnum() else "-" for c in str(verdict).lower())


def filters() -> dict[str, Callable[..., str]]:
    return {"num": fmt, "p": fmt_p, "sort_key": sort_key, "ci_text": ci_text, "null_text": null_text,
            "refs_text": refs_text, "badge_class": badge_class}
