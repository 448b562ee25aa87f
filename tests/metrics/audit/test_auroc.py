import numpy as np
import pytest

from mitbench.metrics.audit.auroc import auroc, detector_summary, window_bootstrap_auroc


def test_auroc_golden_and_ties_fail():
    assert auroc([3, 4], [1, 2]) == (1.0, 0)
    assert auroc([1, 2], [3, 4]) == (0.0, 0)
    assert auroc([2, 3], [1, 2]) == (0.75, 1)  # pairs: 2>1, 2=2 (tie: a failure), 3>1, 3>2
    assert np.isnan(auroc([], [1])[0])


def test_detector_summary_by_distance():
    # 4 windows x 2 chunks; chunk 0 uninformative (equal scores), chunk 1 perfectly separated
    window = np.repeat(np.arange(4), 2).tolist() * 2
    chunk = [0, 1] * 8
    label = [0] * 8 + [1] * 8
    logits = np.array([0.0, -1.0] * 4 + [0.0, 1.0] * 4)
    out = detector_summary(logits, np.array(window), np.array(chunk), np.array(label), chunk_bp=500, n_boot=50)
    assert out["cnn_auroc_by_distance"] == [[0, 0.0], [500, 1.0]]  # chunk 0: all ties -> failures
    assert out["cnn_auroc"] == pytest.approx(48 / 64)  # all pairs but the 16 chunk-0 ties
    gm, nm = out["window_scores"]
    assert gm.tolist() == [0.5] * 4 and nm.tolist() == [-0.5] * 4 and out["cnn_auroc_window"] == 1.0


def test_window_bootstrap_ci_contains_estimate():
    rng = np.random.default_rng(0)
    g, n = rng.normal(1, 1, 40), rng.normal(0, 1, 40)
    w = np.repeat(np.arange(10), 4)
    lo, hi = window_bootstrap_auroc(g, n, w, w, n_boot=300)
    assert lo <= auroc(g, n)[0] <= hi and 0.5 < hi
