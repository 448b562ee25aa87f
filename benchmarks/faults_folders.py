"""Faults of :mod:`faults` about what a run folder, a sweep or a resume must never do:

* ``folders``: a new run folder holding the user's own files; ``hydra.run.dir=<run>/current``;
  ``.versions`` and ``.lock`` linked elsewhere; SIGTERM while scoring; a second sweep into a used
  sweep folder, and two sweeps started together.
* ``glm``: ``train_glm.py`` rerun with other settings; a planted pickle as its resume checkpoint
  with ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1``.
* ``api``: identifiers ``NA``/``null`` through ``load_run``; ``output_dir`` with ``${...}``,
  commas and brackets; an ``${oc.env:...}`` in a run's ``overrides.yaml`` under ``compare``.

Every case runs the real entry points (subprocesses) or the real functions and reports one row
(``row(fault, outcome, lost, mixed, executed)``).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from _paths import ROOT

FAST = ["model=random", "suite=strand", "suite.generator.n_per_condition=5", "references=none", "calibration=none"]
GLM = ["logger=none", "threads=1", "data.context=32", "data.batch_size=4", "data.steps_per_epoch=5",
       "data.n_val_windows=8", "trainer.max_steps=10", "trainer.max_time=null", "eval.markov_orders=[1,2]",
       "model.warmup_steps=2", "model.config.hidden_size=16", "model.config.num_hidden_layers=1",
       "model.config.num_attention_heads=2", "model.config.intermediate_size=32", "model.config.num_key_value_heads=2"]
SLOW_SCORER = r'''
import pathlib, sys, time
from mitbench.models.base import Scorer
_step, _started = Scorer.predict_step, pathlib.Path(sys.argv[1])
def slow_step(self, *a, **kw):
    _started.touch()
    time.sleep(0.5)
    return _step(self, *a, **kw)
Scorer.predict_step = slow_step
sys.argv = sys.argv[2:]
import runpy
runpy.run_path(sys.argv[0], run_name="__main__")
'''


SAME_CLOCK = r'''
import datetime, importlib, sys
class _Pinned(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2025, 1, 2, 3, 4, 5, 678901)
for name in ("hydra.core.utils", "mitbench.runs.sweeps"):  # the clocks of ${now:...} and ${sweep_id:}
    try:
        importlib.import_module(name).datetime = _Pinned
    except ImportError:
        pass
sys.argv = sys.argv[1:]
import runpy
runpy.run_path(sys.argv[0], run_name="__main__")
'''


def real_files(root: Path) -> dict[str, bytes]:
    """Every real file under ``root`` (links not followed), by path: what must never disappear."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def one_paragraph(out: str) -> bool:
    return "Traceback" not in out and ("mitbench:" in out or "train_glm:" in out)


def folder_faults(tmp: Path, row, cli, visible) -> None:
    print("run folders, signals, sweeps", flush=True)
    # the user's own files in the folder chosen as the run folder (no `current` yet)
    mine = tmp / "mine"
    theirs = {"config.yaml": b"my config\n", "report.md": b"my notes\n", "scores.csv": b"id,score\nx,1\n",
              "wandb/settings": b"[default]\n", "csv/table.csv": b"a,b\n"}
    for name, data in theirs.items():
        (mine / name).parent.mkdir(parents=True, exist_ok=True)
        (mine / name).write_bytes(data)
    rcs = [cli("evaluate.py", [*FAST, f"hydra.run.dir={mine}"], mine)[0] for _ in range(2)]
    found = list(real_files(mine).values())
    kept = sum(data in found for data in theirs.values())
    row("run folder already holding the user's config.yaml, report.md, scores.csv, wandb/, csv/; two runs",
        f"exits {rcs}; {kept}/{len(theirs)} user files kept (in .kept/)", kept < len(theirs), False)

    base = tmp / "published"
    rc, out = cli("evaluate.py", [*FAST, f"hydra.run.dir={base}"], base)
    assert rc == 0, out[-2000:]
    before = real_files(base)
    rcs, told = [], 0
    for _ in range(2):
        rc, out = cli("evaluate.py", [*FAST, "model=composition", f"hydra.run.dir={base / 'current'}"], base)
        rcs.append(rc)
        told += "inside the published results" in out and one_paragraph(out)
    after = real_files(base)
    lost = sorted(k for k in before if after.get(k) != before[k])
    row("hydra.run.dir=<run>/current, twice", f"exits {rcs}; refused in one paragraph {told}/2; "
        f"{len(lost)} files of the published set changed or gone, {len(after) - len(before)} added",
        bool(lost), len(after) != len(before))

    for name in (".versions", ".lock"):
        run_dir, elsewhere = tmp / f"link{name}", tmp / f"elsewhere{name}"
        run_dir.mkdir()
        if name == ".lock":
            elsewhere.write_bytes(b"someone else's file\n")
        else:
            elsewhere.mkdir()
            (elsewhere / "precious.txt").write_bytes(b"keep me\n")
        os.symlink(elsewhere, run_dir / name)
        outside = elsewhere.read_bytes() if name == ".lock" else real_files(elsewhere)
        rc, out = cli("evaluate.py", [*FAST, f"hydra.run.dir={run_dir}"], run_dir)
        now = elsewhere.read_bytes() if name == ".lock" else real_files(elsewhere)
        refused = rc != 0 and "symbolic link" in out and one_paragraph(out)
        row(f"{name} -> a {'file' if name == '.lock' else 'folder'} outside the run folder",
            f"exit {rc}; {'refused in one paragraph' if refused else 'NOT refused'}; outside "
            f"{'unchanged' if now == outside else 'CHANGED'}", now != outside, False)

    sigterm(base, tmp, row, visible)
    sweeps(tmp, row, cli)


def sigterm(base: Path, tmp: Path, row, visible) -> None:
    """SIGTERM to evaluate.py while it scores (a model slowed by a hook)."""
    old = visible(base, "evaluate.log")
    started = tmp / "sigterm.started"
    env = {**os.environ, "WANDB_MODE": "offline", "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", SLOW_SCORER, str(started), str(ROOT / "evaluate.py"), *FAST,
                             "model=composition", "datamodule.batch_size=2", f"hydra.run.dir={base}"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 300
    while not started.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    t0 = time.time()
    proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=120)
        hung = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, hung = proc.communicate()[0], True
    after = visible(base, "evaluate.log")
    versions = len(os.listdir(base / ".versions"))  # 1: the published set only
    row("SIGTERM to evaluate.py while it scores (what timeout, kill, SLURM send)",
        f"{'HUNG' if hung else f'exit {proc.returncode} after {time.time() - t0:.1f} s'}; "
        f"{'nothing published' if after == old else 'PUBLISHED ANYWAY'}; {versions} version folder(s) left; "
        f"{'one line' if 'stopped by SIGTERM' in out and 'Traceback' not in out else 'no message'}",
        after != old or hung, False)


def sweeps(tmp: Path, row, cli) -> None:
    sweep = tmp / "sweep"
    rc1, _ = cli("evaluate.py", ["-m", *FAST, "model=random,composition", f"hydra.sweep.dir={sweep}"], sweep)
    rc2, out = cli("evaluate.py", ["-m", *FAST, "model=kmer", f"hydra.sweep.dir={sweep}"], sweep)
    rows = (sweep / "comparison.csv").read_text().splitlines()[1:] if (sweep / "comparison.csv").exists() else []
    models = sorted(r.split(",")[2] for r in rows)
    row("second -m sweep (1 job) into a used hydra.sweep.dir (2 jobs)",
        f"exits {rc1}, {rc2}; its comparison pools {len(rows)} run(s) {models}", False, models != ["kmer"])
    # two sweeps started in the same microsecond (both clocks pinned) with the default folder
    env = {**os.environ, "WANDB_MODE": "offline", "PYTHONPATH": str(ROOT / "src")}
    work = tmp / "together"
    work.mkdir()
    procs = [subprocess.Popen([sys.executable, "-c", SAME_CLOCK, str(ROOT / "evaluate.py"), "-m", *FAST, f"model={m}"],
                              cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for m in ("random", "kmer")]
    rcs = [p.wait(timeout=900) for p in procs]
    folders = sorted((work / "multirun" / "evaluate").iterdir())
    pooled = [len((f / "comparison.csv").read_text().splitlines()) - 1 for f in folders]
    row("two -m sweeps started in the same microsecond (clocks pinned), default sweep folder",
        f"exits {rcs}; {len(folders)} folders, comparisons of {pooled} run(s)", False,
        len(folders) != 2 or pooled != [1, 1])


def glm_faults(tmp: Path, row, cli, visible) -> None:
    print("train_glm.py resume", flush=True)
    import numpy as np

    rng = np.random.default_rng(0)
    genome = tmp / "genome.fa"
    genome.write_text(">one\n" + "".join(rng.choice(list("ACGT"), 20_000)) + "\n")
    run_dir = tmp / "glm"
    rc, out = cli("train_glm.py", [*GLM, f"genome={genome}", f"hydra.run.dir={run_dir}"], run_dir)
    assert rc == 0, out[-2000:]
    old = visible(run_dir, "train_glm.log")
    ckpt = (run_dir / "checkpoints" / "last.ckpt").read_bytes()
    rc, out = cli("train_glm.py", [*GLM, f"genome={genome}", "seed=1", "model.lr=0.01", f"hydra.run.dir={run_dir}"],
                  run_dir)
    after = visible(run_dir, "train_glm.log")
    refused = rc != 0 and "seed: 0 -> 1" in out and "model.lr" in out and one_paragraph(out)
    row("train_glm.py rerun into a finished folder with seed=1 model.lr=0.01",
        f"exit {rc}; {'refused naming seed, model.lr' if refused else 'NOT refused'}; published set "
        f"{'byte-identical' if after == old else 'CHANGED'}, checkpoint "
        f"{'unchanged' if (run_dir / 'checkpoints' / 'last.ckpt').read_bytes() == ckpt else 'CHANGED'}",
        after != old, not refused)

    planted, marker = tmp / "glm-planted", tmp / "glm-planted.ran"
    (planted / "checkpoints").mkdir(parents=True)
    code = ("import pathlib, torch\n"
            "class P:\n    def __reduce__(self):\n"
            f"        return pathlib.Path.write_text, (pathlib.Path({str(marker)!r}), 'ran')\n"
            f"torch.save({{'state_dict': {{}}, 'payload': P()}}, {str(planted / 'checkpoints' / 'last.ckpt')!r})\n")
    subprocess.run([sys.executable, "-c", code], check=True)
    rc, out = cli("train_glm.py", [*GLM, f"genome={genome}", f"hydra.run.dir={planted}"], planted,
                  env={"TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD": "1"})  # turns torch's default into unpickling
    row("train_glm.py resume checkpoint = a pickle that writes a file; TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1",
        f"exit {rc}; {'refused in one paragraph' if 'holds pickled Python objects' in out and one_paragraph(out) else 'NOT refused'}",
        False, False, executed=marker.exists())


def api_faults(tmp: Path, row) -> None:
    print("Python API, load_run, compare", flush=True)
    import mitbench
    from mitbench.runs.compare import compare_runs
    from mitbench.data.mit.designed import build_mit
    from mitbench.data.core.records import records_to_frame
    from mitbench.metrics.mit.summary import summarize_mit
    from mitbench.engine.outputs import to_jsonable, write_json, write_scores

    table = records_to_frame(build_mit(controls=False))
    table["score"] = table["sequence"].str.count("A").astype(float)
    weird = ["NA", "null", "None", "NaN", "N/A", "NULL"]
    table["group"] = table["group"].replace(dict(zip(sorted(table["group"].unique()), weird)))
    table.loc[:len(weird) - 1, "id"] = weird
    run_dir = tmp / "na-run"
    run_dir.mkdir()
    write_scores(table, run_dir)
    write_json(run_dir / "metrics.json", summarize_mit(table, n_boot=50))
    back = mitbench.load_run(run_dir)
    same_ids = back.table["id"].tolist() == table["id"].tolist() and back.table["group"].tolist() == table["group"].tolist()
    try:
        again = json.loads(json.dumps(to_jsonable(summarize_mit(back.table, n_boot=50))))
        recomputed = f"{sum(again[k] != back.metrics.get(k) for k in again)} metrics differ when recomputed"
    except ValueError as err:
        recomputed = f"metrics cannot be recomputed ({str(err)[:60]})"
    row("load_run on ids and groups NA, null, None, NaN, N/A, NULL", f"identifiers {'kept' if same_ids else 'LOST'}; "
        + recomputed, not same_ids, not recomputed.startswith("0 "))

    os.environ["MITBENCH_FAULT_SECRET"] = "s3cr3t"
    out = tmp / "api runs, [v2] {x}" / "${oc.env:MITBENCH_FAULT_SECRET}'s"
    try:
        mitbench.evaluate(model="random", suite="strand", output_dir=out, logger="none", references="none",
                          calibration="none", suite__generator__n_per_condition=5)
        outcome = "written to exactly that folder" if (out / "metrics.json").is_file() else "NOT written there"
    except Exception as err:  # noqa: BLE001 — what the old code raised
        outcome = f"FAILED: {type(err).__name__}"
    stray = [str(p) for p in tmp.rglob("*") if "s3cr3t" in str(p)]
    row("mitbench.evaluate(output_dir='<tmp>/api runs, [v2] {x}/${oc.env:...}'s')",
        outcome + ("" if not stray else f"; wrote under {stray[0]}"), "exactly" not in outcome, bool(stray))

    job = tmp / "leak" / "0_job"
    job.mkdir(parents=True)
    (job / "overrides.yaml").write_text("- model.path=${oc.env:MITBENCH_FAULT_SECRET}\n")
    (job / "metrics.json").write_text(json.dumps({"model": "m", "suite": "mit", "suite_version": "1"}))
    (job / "spec.json").write_text(json.dumps({"headline": [], "tested": []}))
    try:
        leaked = "s3cr3t" in compare_runs([job]).to_csv()
        outcome = "the env value is IN the comparison" if leaked else "the override stays as typed"
    except Exception as err:  # noqa: BLE001
        leaked, outcome = False, f"FAILED: {type(err).__name__}"
    del os.environ["MITBENCH_FAULT_SECRET"]
    row("compare on a run whose overrides.yaml holds ${oc.env:SECRET}", outcome, False, leaked)


def run_all(tmp: Path, row, cli, visible, sections: set[str]) -> None:
    if "folders" in sections:
        folder_faults(tmp, row, cli, visible)
    if "glm" in sections:
        glm_faults(tmp, row, cli, visible)
    if "api" in sections:
        api_faults(tmp, row)
