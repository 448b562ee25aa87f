"""compare_runs / write_comparison on hand-made metrics.json, and the Hydra multirun callback."""
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from helpers import ROOT
from mitbench.runs.compare import compare_runs, finished_runs, write_comparison
from mitbench.engine.outputs import write_json
from mitbench.suites.mit import MIT_SPEC


def _run_dir(root, name, suite="mit", **metrics):
    d = root / name
    d.mkdir(parents=True)
    (d / "overrides.yaml").write_text(f"- model={name}\n")
    (d / "metrics.json").write_text(json.dumps({"model": name, "suite": suite, "suite_version": "1",
                                                "mode": "ll", "n_sequences": 650, **metrics}))
    write_json(d / "spec.json", MIT_SPEC.to_dict())
    return d


def test_compare_runs_bh_within_suite(tmp_path):
    dirs = [_run_dir(tmp_path, "0_m_a", css=0.7, css_pvalue=0.01, scr=0.5, scr_pvalue=0.5),
            _run_dir(tmp_path, "1_m_b", css=0.6, css_pvalue=0.04, scr=None, scr_pvalue=None),
            _run_dir(tmp_path, "2_m_c", css=0.55, css_pvalue=0.03, scr=0.6, scr_pvalue=0.2),
            _run_dir(tmp_path, "3_x_d", suite="other", css=0.9, css_pvalue=0.04)]
    t = compare_runs(dirs)
    assert t["run"].tolist() == ["0_m_a", "1_m_b", "2_m_c", "3_x_d"]
    assert t["overrides"].tolist()[0] == "model=0_m_a"
    # suite "mit": p = .01, .04, .03 -> BH .03, .04, .04; suite "other" alone -> .04
    assert t["css_p_fdr"].tolist() == pytest.approx([0.03, 0.04, 0.04, 0.04])
    # SCR: b has no p-value (null) -> NaN, family of 2: .5, .2 -> .5, .4
    assert t["scr_p_fdr"].tolist()[0] == pytest.approx(0.5) and t["scr_p_fdr"].tolist()[2] == pytest.approx(0.4)
    assert t["scr_p_fdr"].isna().tolist() == [False, True, False, True]
    csv_path, md_path = write_comparison(t, tmp_path / "cmp")
    back = pd.read_csv(csv_path)
    assert back["css_p_fdr"].tolist() == pytest.approx([0.03, 0.04, 0.04, 0.04])
    md = md_path.read_text()
    assert "| 0_m_a | `model=0_m_a` | 0_m_a | mit v1 | 0.7 |" in md
    assert finished_runs(tmp_path) == dirs
    with pytest.raises(FileNotFoundError, match="no metrics.json"):
        compare_runs([tmp_path / "cmp"])


def test_callback_registered_and_writes_comparison_in_process(tmp_path):
    """The callback hydra.callbacks.compare from conf/evaluate.yaml, fed a finished sweep dir."""
    from hydra.utils import instantiate
    from omegaconf import OmegaConf

    from mitbench.runs.compare import CompareCallback

    node = OmegaConf.load(ROOT / "src" / "mitbench" / "conf" / "evaluate.yaml").hydra.callbacks.compare
    callback = instantiate(node)
    assert isinstance(callback, CompareCallback)
    sweep = tmp_path / "sweep"
    _run_dir(sweep, "1_m_b", css=0.6, css_pvalue=0.04)
    _run_dir(sweep, "0_m_a", css=0.7, css_pvalue=0.01)
    (sweep / "2_m_failed").mkdir()  # a job without metrics.json is left out
    callback.on_multirun_end(OmegaConf.create({"hydra": {"sweep": {"dir": str(sweep)}}}))
    t = pd.read_csv(sweep / "comparison.csv")
    assert t["run"].tolist() == ["0_m_a", "1_m_b"]
    assert t["css_p_fdr"].tolist() == pytest.approx([0.02, 0.04])  # .01 * 2/1, .04 * 2/2
    assert "| 1_m_b |" in (sweep / "comparison.md").read_text()


@pytest.mark.slow
def test_multirun_writes_comparison(tmp_path):
    """``evaluate.py -m`` over two precomputed score files -> comparison.csv/.md in the sweep dir."""
    seqs = tmp_path / "s.fasta"
    seqs.write_text("".join(f">{c}{i} class={c} group={i}\n{s}\n" for c, s in (("D", "ACGT"), ("E", "AATT"))
                            for i in range(6)))
    files = []
    for k, e in enumerate(([1] * 6, [1, 1, 1, 1, 1, -1])):
        f = tmp_path / f"m{k}.json"
        f.write_text(json.dumps({"D": [0] * 6, "E": e}))
        files.append(str(f))
    sweep = tmp_path / "sweep"
    venv = ROOT / ".venv" / "bin" / "python"
    cmd = [str(venv) if venv.exists() else sys.executable, "evaluate.py", "-m", "logger=none", "suite=external", f"suite.path={seqs}",
           "model=precomputed", f"model.path={','.join(files)}", f"hydra.sweep.dir={sweep}"]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "WANDB_MODE": "disabled"})
    assert res.returncode == 0, res.stderr[-2000:]
    t = pd.read_csv(sweep / "comparison.csv")
    assert t["run"].tolist() == ["0_external_precomputed", "1_external_precomputed"]
    assert t["css"].tolist() == pytest.approx([1.0, 5 / 6])
    # exact binomial: 6/6 -> 1/64; 5/6 -> 7/64; BH over two: 2 * 1/64, 7/64
    assert t["css_pvalue"].tolist() == pytest.approx([1 / 64, 7 / 64])
    assert t["css_p_fdr"].tolist() == pytest.approx([2 / 64, 7 / 64])
    assert (sweep / "comparison.md").read_text().startswith("# mitbench comparison")


def test_overrides_are_data_never_resolved(tmp_path, monkeypatch):
    monkeypatch.setenv("MITBENCH_SECRET", "s3cr3t-token")
    d = _run_dir(tmp_path, "0_m_a", css=0.7, css_pvalue=0.01)
    typed = ["model.path=${oc.env:MITBENCH_SECRET}", "suite.path='${oc.env:HOME}/x,y'", "seed=${now:%Y}", "x=${"]
    import yaml

    (d / "overrides.yaml").write_text(yaml.safe_dump(typed))
    t = compare_runs([d])
    assert t["overrides"].tolist() == [" ".join(typed)]
    csv_path, md_path = write_comparison(t, tmp_path / "cmp")
    assert "s3cr3t" not in csv_path.read_text() + md_path.read_text()
    (d / "overrides.yaml").write_text("{model: x}\n")
    with pytest.raises(ValueError, match="overrides.yaml: expected a YAML list"):
        compare_runs([d])


def _score_files(tmp_path):
    seqs = tmp_path / "s.fasta"
    seqs.write_text("".join(f">{c}{i} class={c} group={i}\n{s}\n" for c, s in (("D", "ACGT"), ("E", "AATT"))
                            for i in range(6)))
    files = []
    for k, e in enumerate(([1] * 6, [1, 1, 1, 1, 1, -1], [-1] * 6)):
        f = tmp_path / f"m{k}.json"
        f.write_text(json.dumps({"D": [0] * 6, "E": e}))
        files.append(str(f))
    return seqs, files


def _sweep_in_process(monkeypatch, seqs, files, *extra):
    """``evaluate.py -m`` through the real Hydra entry point (launcher, callbacks), in this process."""
    from hydra.core.global_hydra import GlobalHydra

    from mitbench.cli import evaluate_main

    monkeypatch.setattr(sys, "argv", ["evaluate.py", "-m", "logger=none", "suite=external", f"suite.path={seqs}",
                                      "model=precomputed", f"model.path={','.join(files)}", "references=none",
                                      "calibration=none", "suite.n_boot=20", "trainer.enable_progress_bar=false",
                                      *extra])
    try:
        evaluate_main()
    finally:
        GlobalHydra.instance().clear()


def test_the_callback_pools_only_the_jobs_of_its_own_sweep(tmp_path):
    from omegaconf import OmegaConf

    from mitbench.runs.compare import CompareCallback

    sweep = tmp_path / "sweep"
    _run_dir(sweep, "0_m_a", css=0.7, css_pvalue=0.01, sweep_id="second")
    _run_dir(sweep, "1_m_b", css=0.6, css_pvalue=0.04, sweep_id="first")  # left by an earlier sweep
    _run_dir(sweep, "2_m_c", css=0.5, css_pvalue=0.02)  # a single run copied in: no sweep id
    config = OmegaConf.create({"hydra": {"sweep": {"dir": str(sweep)}, "job": {"env_set": {"MITBENCH_SWEEP_ID": "second"}}}})
    CompareCallback().on_multirun_start(config)
    CompareCallback().on_multirun_end(config)
    t = pd.read_csv(sweep / "comparison.csv")
    assert t["run"].tolist() == ["0_m_a"] and t["css_p_fdr"].tolist() == pytest.approx([0.01])  # a family of one
    assert finished_runs(sweep, "first") == [sweep / "1_m_b"] and len(finished_runs(sweep)) == 3


@pytest.mark.slow
def test_a_second_sweep_into_the_same_folder_compares_only_its_own_jobs(tmp_path, monkeypatch):
    seqs, files = _score_files(tmp_path)
    sweep = tmp_path / "sweep"
    _sweep_in_process(monkeypatch, seqs, files[:2], f"hydra.sweep.dir={sweep}")
    first = pd.read_csv(sweep / "comparison.csv")
    assert first["css"].tolist() == pytest.approx([1.0, 5 / 6])
    assert len({json.loads((d / "metrics.json").read_text())["sweep_id"] for d in finished_runs(sweep)}) == 1
    _sweep_in_process(monkeypatch, seqs, files[2:], f"hydra.sweep.dir={sweep}")  # job 0 only; 1_ is the first's
    t = pd.read_csv(sweep / "comparison.csv")
    assert t["run"].tolist() == ["0_external_precomputed"] and t["css"].tolist() == [0.0]
    assert t["css_p_fdr"].tolist() == pytest.approx(t["css_pvalue"].tolist())  # a BH family of one
    ids = {json.loads((d / "metrics.json").read_text())["sweep_id"] for d in finished_runs(sweep)}
    assert len(ids) == 2  # each job records its own sweep's id


def test_two_sweeps_started_at_once_get_their_own_folders():
    from hydra import compose as hydra_compose, initialize_config_dir
    from omegaconf import OmegaConf

    from helpers import CONF

    dirs = []
    for _ in range(2):
        with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
            cfg = hydra_compose("evaluate", return_hydra_config=True)
        dirs.append(cfg.hydra.sweep.dir)
        assert cfg.hydra.sweep.dir == cfg.hydra.sweep.dir  # cached: one value per sweep config
        assert OmegaConf.select(cfg, "hydra.job.env_set.MITBENCH_SWEEP_ID") == dirs[-1].rsplit("/", 1)[1]
    assert dirs[0] != dirs[1] and all(d.startswith("multirun/evaluate/") for d in dirs)
