"""Nullsettes suite: config mirrors the constructor, metric spec, end-to-end evaluate, report/figures."""
import inspect
import json

import pandas as pd
import pytest
from omegaconf import OmegaConf

from helpers import compose, shared_path
from mitbench.runs.evaluate import run
from mitbench.suites.nullsettes import NullsettesSuite
from nullsettes_toy import make_root


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return make_root(tmp_path_factory.mktemp("ns_suite"))


def test_config_keys_are_the_constructor_arguments():
    cfg = compose(["suite=nullsettes"]).suite
    keys = set(OmegaConf.to_container(cfg)) - {"_target_"}
    assert keys == set(inspect.signature(NullsettesSuite.__init__).parameters) - {"self"}
    assert cfg.version == "1.0" and OmegaConf.is_missing(cfg, "root")


@pytest.mark.parametrize("dataset, n", [("kosuri", 19), ("lagator", 19), ("deboer_pTpA", 11), ("zahm", 11)])
def test_spec_declares_headline_tested_and_calibrated(dataset, n):
    spec = NullsettesSuite(dataset=dataset).spec
    assert [m.key for m in spec.headline] == ["success_rate", "mean_accuracy"]
    assert spec.tested == ("mean_accuracy",) and spec.metric("mean_accuracy").pvalue == "mean_accuracy_p"
    assert spec.metric("mean_accuracy").chance == 0.5 and spec.objective == "mean_accuracy"
    calibrated = [m.key for m in spec.calibrated_metrics()]
    assert calibrated == [f"accuracy_T{k:02d}" for k in range(1, n + 1)] + ["success_rate", "mean_accuracy",
                                                                            "spearman_rho"]
    assert all(m.higher_is_better for m in spec.calibrated_metrics())
    assert len(spec.contrasts) == n and spec.contrasts[0].better == "nonmutant" and spec.contrasts[0].on == "group"


def test_constructor_and_build_reject_bad_input(tmp_path):
    with pytest.raises(ValueError, match="unknown nullsettes dataset"):
        NullsettesSuite(dataset="yeast")
    with pytest.raises(ValueError, match="alpha"):
        NullsettesSuite(alpha=1.5)
    with pytest.raises(ValueError, match="suite.root is required"):
        NullsettesSuite().records()


def _cfg(tmp_path, root, model, *extra):
    return compose(["logger=none", "suite=nullsettes", f"suite.root={root}", f"model={model}",
                    f"paths.output_dir={tmp_path}", "suite.n_perm=999", *extra])


def test_evaluate_composition_ties_every_pair(tmp_path, root):
    metrics = run(_cfg(tmp_path, root, "composition"))
    assert metrics["n_types"] == 19 and metrics["n_cassettes"] == 3
    assert metrics["success_rate"] == 0.0 and metrics["n_ties"] == metrics["n_pairs"] == 57
    on_disk = json.loads((tmp_path / "metrics.json").read_text())
    assert on_disk["frame_defects"] == [] and on_disk["linker_policy"].startswith("linkers stay")
    assert on_disk["cds_encoded_nonmutant"] == 1.0
    report = (tmp_path / "report.md").read_text()
    assert "### Per translocation type" in report and "| T19 |" in report and "57 of 57" in report
    assert (tmp_path / "nullsettes_accuracy.png").stat().st_size > 0
    assert len(pd.read_csv(tmp_path / "scores.csv")) == 60


def test_evaluate_lagator_reports_the_frame_defect_and_repair(tmp_path, root):
    metrics = run(_cfg(tmp_path, root, "cassette", "suite.dataset=lagator"))
    assert metrics["n_frame_defects"] == 1 and "frameshift" in metrics["frame_defects"][0]
    assert metrics["repair_frame"] is True and "offset 535" in metrics["frame_repairs"][0]
    report = (tmp_path / "report.md").read_text()
    assert "frameshift" in report and "inserted 'A' at offset 535" in report


def test_eukaryotic_dataset_has_eleven_types(tmp_path, root):
    metrics = run(_cfg(tmp_path, root, "random", "suite.dataset=zahm"))
    assert metrics["n_types"] == 11 and metrics["kingdom"] == "eukaryotic" and metrics["iupac"]
    assert 0.0 <= metrics["mean_accuracy"] <= 1.0


@pytest.mark.shared
@pytest.mark.slow
def test_real_kosuri_subset_cassette_baseline(tmp_path):
    root = shared_path("nullsettes").parent
    metrics = run(_cfg(tmp_path, root, "cassette", "suite.n_cassettes=40"))
    assert metrics["n_types"] == 19 and metrics["mean_accuracy"] >= 0.85
