"""MIT report: Markdown table with CIs, verdict logic, PNG figures."""
import math

import numpy as np
import pandas as pd

from mitbench.metrics.mit.summary import summarize_mit
from mitbench.report.common import fmt, fmt_ci, fmt_p, markdown_table
from mitbench.metrics.mit.verdict import mit_verdict
from mitbench.report.mit import mit_figures, mit_report


def _table(e_shift: float, h_shift: float, n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    base = rng.normal(0, 1, n)
    rows = []
    for label, shift in (("A", 1.0), ("B", 0.0), ("C", 1.0), ("D", 0.0), ("E", e_shift), ("H", h_shift)):
        noise = rng.normal(0, 0.1, n)
        rows += [{"id": f"{label}{i}", "class": label, "group": f"{i:03d}", "score": base[i] + shift + noise[i]}
                 for i in range(n)]
    return pd.DataFrame(rows)


def test_formatting_helpers():
    assert fmt(float("nan")) == "n/a" and fmt(None) == "n/a" and fmt(0.123456) == "0.123" and fmt(3) == "3"
    assert fmt_p(3e-7) == "<1e-4" and fmt_p(0.04567) == "0.0457"
    assert fmt_ci(0.1, float("nan")) == "n/a" and fmt_ci(0.1, 0.25) == "[0.1, 0.25]"
    assert markdown_table(["a", "b"], [[1, "x|y"]]) == "| a | b |\n|---|---|\n| 1 | x\\|y |\n"


def test_report_and_figures(tmp_path):
    t = _table(e_shift=0.8, h_shift=0.0)
    m = summarize_mit(t, n_boot=200)
    m.update(mit_verdict(m, 0.05, has_null=False))
    md = mit_report(t, m)
    # exact Clopper-Pearson interval of 40/40: lower bound 0.025 ** (1/40) = 0.912 (issue 8)
    assert "| CSS | 1 | [0.912, 1] | <1e-4 |" in md and "| MES synthetic |" in md
    assert "| E | compensated | 40 |" in md and md.startswith("## Verdict: **inconclusive**")
    assert "No placement controls in these data" in md
    paths = mit_figures(t, {**m, "model": "toy", "mes_synthetic_ci_low": float("nan")}, tmp_path / "figs")
    assert [p.name for p in paths] == ["mit_class_scores.png", "mit_css_vs_mes.png"]
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000
    assert math.isfinite(m["mes_synthetic"])
