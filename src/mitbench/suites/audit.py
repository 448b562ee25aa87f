"""The generation-realism audit as a suite: its version and its metric spec (``spec.json``), so audit runs
are compared, and audit sweeps tabulated, by the same code as ``evaluate`` runs (:mod:`mitbench.runs.compare`).

The audit's data (windows of a reference genome), metrics (realism families, the CNN detector) and
verdict rule (:mod:`mitbench.metrics.audit.verdict`) are its own; this module only declares how to read
its headline numbers.
"""
from __future__ import annotations

from mitbench.metrics.audit.equivalence import DELTA
from mitbench.metrics.audit.verdict import AUROC_BOUND, EQUIVALENT_SHARE
from mitbench.suites.spec import Metric, MetricSpec

# 2.3: memorisation one-sided in unprompted mode too (Mann–Whitney, generated greater); defaults 100 windows.
# 2.2: memorisation one-sided, both sides matched against one genome; defaults 80 windows x 20 kb.
# 2.1: non-B/repeats as non-B_gfa, ZSeeker, G4Hunter define them; GC/skew, low complexity, codon usage, SD, tRNA,
# memorisation; equivalence tests (TOST, MDE) and a three-way verdict.
NAME, VERSION = "audit", "2.3"

SPEC = MetricSpec(
    headline=(
        Metric("n_flagged", "flagged metrics", higher_is_better=False, chance=0.0,
               description="realism metrics whose generated-vs-natural difference survives BH-FDR (q ≤ 0.05)"),
        Metric("n_equivalent", "equivalent metrics", higher_is_better=True,
               description=f"realism metrics shown equivalent (TOST against ±{DELTA} natural SD, BH q < 0.05) "
                           "and not flagged"),
        Metric("n_metrics_tested", "metrics tested", higher_is_better=None,
               description="realism metrics tested (paired by window, sign-flip)"),
        Metric("cnn_auroc", "CNN AUROC", higher_is_better=False, chance=0.5, ci=("cnn_auroc_lo", "cnn_auroc_hi"),
               description="held-out per-chunk AUROC of a CNN trained to tell generated from natural (0.5: cannot)"),
    ),
    notes=("verdict (metrics.audit.verdict): distinguishable when any metric is flagged; indistinguishable when none "
           f"is, >= {EQUIVALENT_SHARE:.0%} are equivalent and the CNN AUROC CI lies below {AUROC_BOUND}; else not "
           "distinguished (underpowered)",),
)


def spec_metrics(detector: dict) -> dict:
    """Flat keys the spec names that the detector summary writes as a list (``cnn_auroc_ci``)."""
    ci = detector.get("cnn_auroc_ci")
    return {"cnn_auroc_lo": ci[0], "cnn_auroc_hi": ci[1]} if ci else {}
