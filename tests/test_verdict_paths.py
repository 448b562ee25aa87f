"""The fast verdict path of benchmarks/verdict_false_positives.py equals evaluate.py's (issue 21): the
same panel values, placement statistics and verdict for a score file run through mitbench.runs.evaluate.run."""
import hydra
import numpy as np
import pytest

from helpers import compose
from mitbench.data.core.records import records_to_frame
from mitbench.runs.evaluate import run
from mitbench.metrics.calibration import calibrate


def test_fast_path_equals_evaluate(tmp_path):
    cfg = compose(["logger=none", "suite.n_boot=20"])
    suite = hydra.utils.instantiate(cfg.suite)
    records = suite.records()
    model = hydra.utils.instantiate(compose(["model=pa_pwm"]).model)
    model.check_records(records)
    table = records_to_frame(records)
    table["score"] = model.score_batch(table["sequence"].tolist()).numpy()
    table.loc[table["class"] == "placement_ref", "score"] -= np.random.default_rng(0).uniform(0, 3, 150)  # not trivial
    path = tmp_path / "scores.csv"
    path.write_text("id,sequence,score\n" + "".join(f"{i},{s},{v!r}\n" for i, s, v in
                                                     zip(table["id"], table["sequence"], table["score"])))

    fast = suite.summarize_null(table)
    panel = hydra.utils.instantiate(cfg.calibration).panel_metrics(suite, records)
    fast.update(calibrate(fast, panel, suite.spec.panel, prefix="panel"))
    fast.update(suite.verdict(fast, 0.05, has_null=False))

    full = run(compose(["logger=none", "suite.n_boot=20", "model=precomputed", f"model.path={path}", "references=none",
                        f"paths.output_dir={tmp_path / 'run'}", "trainer.enable_progress_bar=false"]))
    keys = [f"{f}_{k}" for f in ("up_placement", "comp_placement")
            for k in ("effect", "p_signflip", "win_all", "effect_panel_p", "effect_panel_values")] + ["verdict", "css"]
    assert {k: full[k] for k in keys} == {k: fast[k] for k in keys}
    assert 0 < full["up_placement_effect"] < 1 and full["verdict"] in ("mechanism", "inconclusive", "composition")
    assert full["calibration"].startswith("panel:") and full["n_panel"] == 19
