"""gLM scorers through evaluate: in process, CLI, DDP == one process, kill -9 + resume, full MIT."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

import tiny_models as tm
from helpers import ROOT, compose
from mitbench.runs.evaluate import run
from mitbench.models.glm.masked import MaskedLMScorer


def _fasta(path: Path, n: int, seed: int = 3) -> Path:
    rng = np.random.default_rng(seed)
    lines = [f">s{i:04d} class={'DE'[i % 2]}\n{tm.random_dna(rng, 100 if i % 4 else 73)}\n" for i in range(n)]
    path.write_text("".join(lines))
    return path


@pytest.fixture(scope="module")
def bert(tmp_path_factory):
    return tm.masked(tmp_path_factory.mktemp("bert") / "m", "bert", "char")


def _cli(args: list[str], **kw) -> subprocess.Popen:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "WANDB_MODE": "offline", "PYTHONPATH": str(ROOT / "tests")}
    # the plumbing under test here is scoring; the null and the references are tested in test_calibration.py
    return subprocess.Popen([sys.executable, str(ROOT / "evaluate.py"), "logger=none", "calibration=none",
                             "references=none", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def _ok(proc: subprocess.Popen, timeout: float = 300) -> str:
    out, _ = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, out[-3000:]
    return out


def test_evaluate_hf_masked_in_process_then_from_cache(bert, tmp_path):
    fasta = _fasta(tmp_path / "s.fa", 12)
    over = ["model=hf_masked", f"model.path={bert}", "suite=external", f"suite.path={fasta}", "logger=none",
            f"paths.cache_dir={tmp_path / 'cache'}", "datamodule.batch_size=5", "calibration=none", "references=none"]
    m1 = run(compose([*over, f"paths.output_dir={tmp_path / 'a'}"]))
    m2 = run(compose([*over, f"paths.output_dir={tmp_path / 'b'}"]))
    assert (m1["mode"], m1["n_scored"], m2["n_scored"]) == ("pll", 12, 0)
    a, b = pd.read_csv(tmp_path / "a" / "scores.csv"), pd.read_csv(tmp_path / "b" / "scores.csv")
    assert a["score"].tolist() == b["score"].tolist()
    with torch.inference_mode():
        direct = MaskedLMScorer("m", str(bert)).score_batch(a["sequence"].tolist()).numpy()
    np.testing.assert_allclose(a["score"].to_numpy(), direct, atol=1e-4, rtol=0)  # other batch-mates


@pytest.mark.slow
def test_ddp_two_processes_equal_one_process(bert, tmp_path):
    fasta = _fasta(tmp_path / "s.fa", 30)
    common = ["model=hf_masked", f"model.path={bert}", "model.dtype=float64", "model.cache_dir=null",
              "suite=external", f"suite.path={fasta}", "datamodule.batch_size=4"]
    _ok(_cli([*common, f"hydra.run.dir={tmp_path / 'one'}"]))
    _ok(_cli([*common, "trainer=ddp", "trainer.accelerator=cpu", "trainer.devices=2",
              f"hydra.run.dir={tmp_path / 'two'}"]))
    one, two = (pd.read_csv(tmp_path / d / "scores.csv") for d in ("one", "two"))
    assert one["id"].tolist() == two["id"].tolist() and len(one) == 30
    assert np.abs(one["score"] - two["score"]).max() <= 1e-6
    assert json.loads((tmp_path / "two" / "metrics.json").read_text())["n_scored"] == 30


def _cached(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return con.execute("SELECT COUNT(*) FROM scores_v2").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_kill_9_then_rerun_scores_only_missing_and_matches(bert, tmp_path):
    n = 400
    fasta = _fasta(tmp_path / "s.fa", n)
    common = ["model=hf_masked", f"model.path={bert}", "suite=external", f"suite.path={fasta}",
              "datamodule.batch_size=4"]
    cache = tmp_path / "cache"
    proc = _cli([*common, f"paths.cache_dir={cache}", f"hydra.run.dir={tmp_path / 'killed'}"])
    deadline = time.time() + 240
    while _cached(cache / "scores.sqlite") < 40 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    done = _cached(cache / "scores.sqlite")
    assert 40 <= done < n, done
    assert not (tmp_path / "killed" / "scores.csv").exists()
    _ok(_cli([*common, f"paths.cache_dir={cache}", f"hydra.run.dir={tmp_path / 'resumed'}"]))
    _ok(_cli([*common, "model.cache_dir=null", f"hydra.run.dir={tmp_path / 'clean'}"]))
    metrics = json.loads((tmp_path / "resumed" / "metrics.json").read_text())
    print(f"killed with {done}/{n} cached; the rerun scored {metrics['n_scored']}")
    assert metrics["n_scored"] == n - done
    assert (tmp_path / "resumed" / "scores.csv").read_bytes() == (tmp_path / "clean" / "scores.csv").read_bytes()


@pytest.mark.slow
def test_cli_scores_the_mit_with_a_local_checkpoint(bert, tmp_path):
    _ok(_cli(["model=hf_masked", f"model.path={bert}", "model.cache_dir=null", "suite=mit", "suite.controls=false",
              f"hydra.run.dir={tmp_path}"]), timeout=600)
    table = pd.read_csv(tmp_path / "scores.csv")
    assert len(table) == 650 and table["score"].notna().all()
    model, tok = tm.load(bert, "masked")
    some = table.sample(5, random_state=0)
    want = [tm.naive_pll(model, tok, s) for s in some["sequence"]]
    np.testing.assert_allclose(some["score"].to_numpy(), want, atol=1e-4, rtol=0)


def test_mixed_precision_is_its_own_cache_identity(bert, tmp_path):
    fasta = _fasta(tmp_path / "s.fa", 6)
    over = ["model=hf_masked", f"model.path={bert}", "suite=external", f"suite.path={fasta}", "logger=none",
            f"paths.cache_dir={tmp_path / 'cache'}", "calibration=none", "references=none"]
    run(compose([*over, f"paths.output_dir={tmp_path / 'fp32'}"]))
    mixed = run(compose([*over, "trainer.precision=bf16-mixed", f"paths.output_dir={tmp_path / 'bf16'}"]))
    assert mixed["n_scored"] == 6  # no fp32 entry is reused for a bf16 run
    a, b = (pd.read_csv(tmp_path / d / "scores.csv")["score"].to_numpy() for d in ("fp32", "bf16"))
    assert np.isfinite(b).all() and np.abs(a - b).max() > 0  # bf16 really ran
    np.testing.assert_allclose(b, a, rtol=0.05)
