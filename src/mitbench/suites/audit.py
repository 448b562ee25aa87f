"""The generation-realism audit as a suite: its version and its metric spec (``spec.json``), so audit runs
are compared, and audit sweeps tabulated, by the same code as ``evaluate`` runs (:mod:`mitbench.runs.compare`).

The audit's data (windows of a reference genome), metrics (realism families, the CNN detector) and
verdict rule (:mod:`mitbench.metrics.audit.verdict`) are its own; this module only declares how to read
its headline numbers.
"""
from __future__ import annotations

from mitbench.suites.spec import Metric, MetricSpec

NAME, VERSION = "audit", "2.1"  # 2.1: repeats, Z-DNA and G4 as non-B_gfa, ZSeeker and G4Hunter define them

SPEC = MetricSpec(
    headline=(
        Metric("n_flagged", "flagged metrics", higher_is_better=False, chance=0.0,
               description="realism metrics whose generated-vs-natural difference survives BH-FDR (q ≤ 0.05)"),
        Metric("n_metrics_tested", "metrics tested", higher_is_better=None,
               description="realism metrics tested (paired by window, sign-flip)"),
        Metric("cnn_auroc", "CNN AUROC", higher_is_better=False, chance=0.5, ci=("cnn_auroc_lo", "cnn_auroc_hi"),
               description="held-out per-chunk AUROC of a CNN trained to tell generated from natural (0.5: cannot)"),
    ),
    notes=("verdict: distinguishable when any realism family has a flagged metric (metrics.audit.verdict)",),
)


def spec_metrics(detector: dict) -> dict:
    """Flat keys the spec names that the detector summary writes as a list (``cnn_auroc_ci``)."""
    ci = detector.get("cnn_auroc_ci")
    return {"cnn_auroc_lo": ci[0], "cnn_auroc_hi": ci[1]} if ci else {}
