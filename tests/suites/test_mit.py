"""The MIT suite as configured: constructor = config keys, records = the generator's."""
import inspect

import hydra
import pytest

from helpers import compose
from mitbench.data.mit.designed import COUNTS, build_mit
from mitbench.data.core.records import records_to_frame
from mitbench.suites.mit import MITSuite


def test_suite_from_config_matches_constructor_and_bad_source_fails():
    cfg = compose(["logger=none"])
    suite = hydra.utils.instantiate(cfg.suite)
    assert isinstance(suite, MITSuite) and suite.name == "mit" and suite.version == "3.0"
    assert suite.design == "matched" and suite.controls is None and suite.stats.name == "exact"
    assert (suite.n_boot, suite.boot_seed, suite.seed) == (1000, 0, 42)
    params = set(inspect.signature(MITSuite.__init__).parameters) - {"self"}
    assert set(cfg.suite) - {"_target_"} == params
    assert [r.sequence for r in suite.records()] == [r.sequence for r in build_mit(42)]
    frame = records_to_frame(suite.records())
    core = frame[frame["class"].isin(list(COUNTS))]
    assert core.groupby("class")["group"].nunique().to_dict() == COUNTS
    with pytest.raises(ValueError, match="natural_source"):
        MITSuite(natural_source="genbank")
    with pytest.raises(ValueError, match="regulondb_path"):
        MITSuite(natural_source="regulondb").records()


def test_paper_design_and_paper_stats_from_config():
    """suite.design=paper builds the paper's 650 records (no placement controls) and, its classes being
    independent draws, adds the unpaired statistics; stats=paper swaps the CSS/SCR test for the t-test."""
    import numpy as np

    cfg = compose(["logger=none", "suite.design=paper", "stats=paper"])
    suite = hydra.utils.instantiate(cfg.suite)
    assert suite.design == "paper" and suite.stats.name == "paper" and suite.stats.n_boot == 1000
    frame = records_to_frame(suite.records())
    assert len(frame) == 650 and set(frame["class"]) == set("ABCDEFGH")
    frame["score"] = np.random.default_rng(0).normal(size=len(frame))
    m = suite.summarize(frame)
    assert m["design"] == "paper" and m["css_stats"] == "paper" and 0 <= m["css_auc"] <= 1 and "css_repair_low" in m
    assert "index within class" in suite.verdict(m, 0.05, False)["verdict_evidence"][0]
