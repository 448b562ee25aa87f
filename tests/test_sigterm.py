"""SIGTERM (``timeout``, ``kill``, SLURM) stops a run like Ctrl+C: nothing published, the version
folder removed, the lock released, a non-zero exit. Lightning's own handler used to swallow it."""
import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import PYTHON, ROOT, compose, visible_files
from mitbench.runs.evaluate import run
from mitbench.engine.outputs import VERSIONS
from mitbench.engine.terminate import EXIT_CODE, Terminated


def _cfg(out, model: str):
    from omegaconf import OmegaConf, open_dict

    cfg = compose(["logger=none", f"paths.output_dir={out}", "trainer.enable_progress_bar=false"])
    with open_dict(cfg):
        cfg.suite = OmegaConf.create({"_target_": "toys.ToySuite", "sequences": {"a": "ACGTAA", "b": "GGGG"}})
        cfg.model = OmegaConf.create({"_target_": f"toys.{model}", "name": "toy"})
    return cfg


def test_sigterm_while_lightning_scores_stops_the_run_and_publishes_nothing(tmp_path):
    run(_cfg(tmp_path, "ATCount"))
    before, handler = visible_files(tmp_path), signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated, match="nothing was published"):
        run(_cfg(tmp_path, "SigtermSelf"))  # Lightning's SIGTERM handler is installed while it predicts
    assert visible_files(tmp_path) == before and len(os.listdir(tmp_path / VERSIONS)) == 1
    assert signal.getsignal(signal.SIGTERM) is handler
    run(_cfg(tmp_path, "ATCount"))  # the lock was released


HOOK = r'''
import pathlib, sys, time
from mitbench.models.base import Scorer
_step, _started = Scorer.predict_step, pathlib.Path(sys.argv[1])
def slow_step(self, *a, **kw):  # a model slow enough to be stopped while it scores
    _started.touch()
    time.sleep(0.5)
    return _step(self, *a, **kw)
Scorer.predict_step = slow_step
sys.argv = sys.argv[2:]
import runpy
runpy.run_path(sys.argv[0], run_name="__main__")
'''


@pytest.mark.slow
def test_sigterm_to_an_evaluate_process_exits_143_and_leaves_the_folder_as_it_was(tmp_path):
    import mitbench

    out, started = tmp_path / "run", tmp_path / "scoring"
    args = ["model=random", "suite=strand", "suite.generator.n_per_condition=5", "logger=none", "references=none",
            "calibration=none", "datamodule.batch_size=2", f"hydra.run.dir={out}"]
    mitbench.evaluate(model="random", suite="strand", output_dir=out, logger="none", references="none",
                      calibration="none", suite__generator__n_per_condition=5)
    before = visible_files(out)
    proc = subprocess.Popen([PYTHON, "-c", HOOK, str(started), str(ROOT / "evaluate.py"), *args], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "WANDB_MODE": "disabled"})
    deadline = time.time() + 120
    while not started.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    assert started.exists(), proc.communicate()[1][-2000:]
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_CODE, err[-2000:]
    assert "stopped by SIGTERM: nothing was published" in err and "Traceback" not in err
    after = visible_files(out)
    after.pop("evaluate.log", None)  # Hydra's log of every attempt (appended to, never a result)
    assert after == before
    assert len(os.listdir(out / VERSIONS)) == 1
    again = subprocess.run([sys.executable, "-c", "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); "
                            "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)", str(out / ".lock")])
    assert again.returncode == 0  # the lock is free
