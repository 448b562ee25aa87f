"""The audit report's first line: the verdict and, for an underpowered run, what it could not rule out."""
import numpy as np
import pandas as pd

from mitbench.metrics.audit.equivalence import DIFFERENT, EQUIVALENT, NOT_ENOUGH_DATA
from mitbench.metrics.audit.verdict import audit_verdict, equivalence_summary
from mitbench.report.audit import headline


def _case(statuses, auroc_ci):
    n = len(statuses)
    tests = pd.DataFrame({"metric": [f"m{i}" for i in range(n)], "family": ["f"] * n,
                          "flagged": [s == DIFFERENT for s in statuses], "status": statuses, "margin": [0.5] * n,
                          "sd_natural": [1.0] * n, "mde": np.full(n, 0.6), "mde_fold": np.full(n, 1.4)})
    metrics = {"generator": "natural", "verdict": audit_verdict(tests, auroc_ci),
               "n_flagged": int(tests["flagged"].sum()), **equivalence_summary(tests)}
    if auroc_ci is not None:
        metrics.update(cnn_auroc=0.5, cnn_auroc_ci=auroc_ci)
    return metrics, tests


def test_underpowered_first_line_names_what_the_run_could_not_detect():
    metrics, tests = _case([EQUIVALENT] * 3 + [NOT_ENOUGH_DATA] * 2, [0.42, 0.66])
    line = headline(metrics, tests)
    assert line.startswith("# Audit of `natural`: **not distinguished (underpowered)**: nothing flagged, but "
                           "3 of 5 metrics equivalent (needs 4); detector AUROC CI upper end 0.66 not below 0.6.")
    assert "median MDE of 0.6 natural SD (×1.4)" in line and "beyond the margin on m3, m4;" in line
    assert "a detector AUROC up to 0.66 (CI [0.42, 0.66])" in line and "\n" not in line


def test_indistinguishable_and_distinguishable_first_lines():
    metrics, tests = _case([EQUIVALENT] * 5, [0.45, 0.55])
    assert headline(metrics, tests) == ("# Audit of `natural`: **indistinguishable**: nothing flagged, 0 of 5 "
                                        "metrics different (BH q < 0.05), 5 equivalent within ±0.5 natural SD, "
                                        "0 not enough data; CNN AUROC 0.5 [0.45, 0.55], below 0.6")
    metrics, tests = _case([DIFFERENT] + [EQUIVALENT] * 4, None)
    assert headline(metrics, tests).startswith("# Audit of `natural`: **distinguishable**: 1 of 5 metrics different")
    assert headline(metrics, tests).endswith("CNN detector not run")


def test_a_distinguishable_run_on_too_few_windows_states_its_mde():
    metrics, tests = _case([DIFFERENT] + [NOT_ENOUGH_DATA] * 4, [0.77, 0.89])
    metrics.update(n_windows=23, n_windows_requested=100, seed_len=1000, gen_len=20000)
    assert headline(metrics, tests) == (
        "# Audit of `natural`: **distinguishable** (underpowered: the reference holds only 23 windows of 1,000 + "
        "20,000 bp, 100 requested): 1 of 5 metrics different (BH q < 0.05), 0 equivalent within ±0.5 natural SD, "
        "4 not enough data; CNN AUROC 0.5 [0.77, 0.89]; it would miss mean shifts below a median MDE of 0.6 natural SD "
        "(×1.4)")
    metrics.update(n_windows=100)  # enough windows: the line stays as it was
    assert headline(metrics, tests).endswith("CNN AUROC 0.5 [0.77, 0.89]")
