"""Fault injection: kill -9 at every file move, concurrent runs, failed reruns, cache byte flips,
a malicious checkpoint, path-like names, truncated/garbled inputs, an over-long record, checkpoint
files that name code, weights changed under a cache key, metrics too large for memory; the user's
files in a run folder, linked internal names, SIGTERM, reused sweep folders, train_glm resumes,
API paths (:mod:`faults_folders`).

    MITBENCH_SHARED=/path/to/shared/data python benchmarks/faults.py [--quick | --ci] [--only SECTION ...]

Sections: run, train, inputs, models, folders, glm, api (``--only`` may be repeated).

Every fault runs the real entry points (``evaluate.py`` / ``train_baselines.py`` as subprocesses)
or the real readers, and prints one table row: fault, outcome, data lost (earlier results
changed or gone without a complete new set, or rows silently dropped, or a wrong score served),
results mixed (files of two runs visible together, scores of other weights served or published, or
another run's or the environment's values in a result), code executed (a planted object ran, or code a
checkpoint names ran without ``trust_remote_code``). Kills are injected, not timed: a hook
(:data:`HOOK`, run before the entry point) counts the file-system mutations under the run
folder (mkdir, rename, replace, symlink, unlink, rmdir, each file an rmtree removes) and sends
itself SIGKILL at the k-th; a counting run first measures how many there are, then every k is
tried. After each kill the next run into the same folder must succeed (recovery).
``--quick`` tries every 4th k (and the last) instead of every one (minutes); ``--ci`` tries one k
per sweep (the middle mutation), the mode ``benchmarks/run_quick.py`` runs. The training-data and RegulonDB
readers are tried on the real files under ``$MITBENCH_SHARED`` (default ``../shared/data``; rows
say "skipped" when absent).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

HOOK = r'''
import os, shutil, signal, sys, time
_root = os.path.realpath(os.environ["FAULT_ROOT"])
_kill, _pause = int(os.environ.get("FAULT_KILL_AT", 0)), int(os.environ.get("FAULT_PAUSE_AT", 0))
_kill_after = int(os.environ.get("FAULT_KILL_AFTER", 0))
_log, _n, _tree = os.environ.get("FAULT_LOG"), [0], [0]
def _under(p):
    try:
        return os.path.realpath(os.fsdecode(p)).startswith(_root)
    except (TypeError, ValueError):
        return False
def _step(op, path):
    _n[0] += 1
    if _log:
        with open(_log, "a") as fh:
            fh.write(f"{_n[0]}\t{op}\t{path}\n")
    if _n[0] == _pause:  # hold here (lock taken) until the file FAULT_RESUME exists
        for _ in range(1200):
            if os.path.exists(os.environ["FAULT_RESUME"]):
                break
            time.sleep(0.5)
    if _n[0] == _kill:
        os.kill(os.getpid(), signal.SIGKILL)
def _wrap(name, arg):
    fn = getattr(os, name)
    def wrapped(*a, **kw):
        inside = _tree[0] if kw.get("dir_fd") is not None else (len(a) > arg and _under(a[arg]))
        if inside:
            _step(name, a[arg] if len(a) > arg else "?")
        result = fn(*a, **kw)
        if inside and _n[0] == _kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    setattr(os, name, wrapped)
for _name, _arg in (("mkdir", 0), ("rename", 0), ("replace", 0), ("symlink", 1), ("unlink", 0),
                    ("remove", 0), ("rmdir", 0)):
    _wrap(_name, _arg)
_rmtree = shutil.rmtree
def _rmtree_wrapped(path, *a, **kw):
    inside = _under(path)
    if inside:
        _step("rmtree", path)
        _tree[0] += 1
    try:
        return _rmtree(path, *a, **kw)
    finally:
        _tree[0] -= inside
shutil.rmtree = _rmtree_wrapped
sys.argv = sys.argv[1:]
import runpy
runpy.run_path(sys.argv[0], run_name="__main__")
'''
ENV = {**os.environ, "WANDB_MODE": "offline", "WANDB_SILENT": "true", "HF_HUB_OFFLINE": "1",
       "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
EVAL = ["calibration=none", "references=none", "suite.n_boot=20", "suite.controls=false"]
TRAIN = ["data.n=300", "trainer.max_epochs=3", "datamodule.batch_size=64"]
ROWS: list[tuple[str, str, str, str, str]] = []
SECTIONS = ("run", "train", "inputs", "models", "folders", "glm", "api")


def row(fault: str, outcome: str, lost: bool | str, mixed: bool | str, executed: bool | str = False) -> None:
    fmt = lambda v: ("YES" if v else "none") if isinstance(v, bool) else v
    ROWS.append((fault, outcome, fmt(lost), fmt(mixed), fmt(executed)))
    print(f"  {fault}: {outcome} | lost={fmt(lost)} mixed={fmt(mixed)} executed={fmt(executed)}", flush=True)


def cli(script: str, args: list[str], run_dir: Path, kill_at: int = 0, pause_at: int = 0, log: Path | None = None,
        cwd: Path = ROOT, wait: bool = True, resume: Path | None = None, kill_after: int = 0, env: dict | None = None):
    """Run ``script`` with ``args`` under :data:`HOOK` (faults under ``run_dir``): SIGKILL just before
    the ``kill_at``-th or just after the ``kill_after``-th mutation, or hold at the ``pause_at``-th;
    ``env``: more environment variables."""
    env = {**ENV, **(env or {}), "FAULT_ROOT": str(run_dir), "FAULT_KILL_AT": str(kill_at), "FAULT_PAUSE_AT": str(pause_at),
           "FAULT_RESUME": str(resume or ""), "FAULT_KILL_AFTER": str(kill_after)}
    if log:
        env["FAULT_LOG"] = str(log)
    cmd = [sys.executable, "-c", HOOK, str(ROOT / script), *args]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if not wait:
        return proc
    out, _ = proc.communicate(timeout=900)
    return proc.returncode, out


def visible(run_dir: Path, journal: str) -> dict[str, bytes]:
    """What a user sees: every file reachable from the run folder through its links, except the
    folder's own state (hidden entries, ``current``/``previous``) and Hydra's job log."""
    seen = {}
    for folder, dirs, files in os.walk(run_dir, followlinks=True):
        rel = os.path.relpath(folder, run_dir)
        top = rel.split(os.sep)[0]
        if top != "." and (top.startswith(".") or top in ("current", "previous")):
            continue
        for name in files:
            if rel == "." and (name.startswith(".") or name in ("current", "previous", journal)):
                continue
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                seen[os.path.normpath(os.path.join(rel, name))] = Path(path).read_bytes()
    return seen


def _norm(name: str) -> str:
    """A file name with W&B's per-run ids replaced (they differ between any two runs)."""
    return re.sub(r"run-\w+\.wandb$", "run-X.wandb", re.sub(r"offline-run-\d{8}_\d{6}-\w+", "offline-run-X", name))


def models_named(files: dict[str, bytes], keys: dict[str, str]) -> set[str]:
    """The model names the visible files state (metrics, report, config, logger hyper-parameters)."""
    names = set()
    for name, pattern in keys.items():
        if name in files:
            found = re.search(pattern.encode(), files[name])
            names.add(found.group(1).decode() if found else f"<unreadable {name}>")
    return names


def classify(after: dict, old: dict, ref: dict, new_model: str, keys: dict[str, str], run_dir: Path,
             same: tuple[str, ...]) -> tuple[str, bool, bool]:
    """``(outcome, lost, mixed)`` of a run folder after a fault (see the module docstring)."""
    versions = {os.path.realpath(run_dir / f).split(os.sep + ".versions" + os.sep)[-1].split(os.sep)[0]
                for f in after if ".versions" in os.path.realpath(run_dir / f)}
    named = models_named(after, keys)
    mixed = len(named) > 1 or len(versions) > 1
    if after == old:
        return "previous set byte-identical", False, mixed
    complete = ({_norm(f) for f in after} == {_norm(f) for f in ref} and named == {new_model}
                and all(after.get(f) == ref[f] for f in same))
    if complete:
        return "new set complete", False, mixed
    changed = sorted(f for f in set(old) | set(after) if old.get(f) != after.get(f))
    return f"BROKEN: {len(changed)} files differ, e.g. {changed[:3]}", True, mixed


def kill_sweep(label: str, script: str, base_args: list[str], new_args: list[str], new_model: str,
               keys: dict[str, str], same: tuple[str, ...], journal: str, tmp: Path, quick: bool) -> None:
    """Kill a rerun before each mutation of an existing run folder (and after the last); classify;
    rerun to recover. The folder already holds two published sets, so the rerun also prunes one."""
    base = tmp / f"{label}-base"
    for _ in range(2):
        rc, out = cli(script, [*base_args, f"hydra.run.dir={base}"], base)
        assert rc == 0, out[-3000:]
    old = visible(base, journal)
    ref_dir = tmp / f"{label}-ref"
    shutil.copytree(base, ref_dir, symlinks=True)
    log = tmp / f"{label}-mutations.tsv"
    rc, out = cli(script, [*new_args, f"hydra.run.dir={ref_dir}"], ref_dir, log=log)
    assert rc == 0, out[-3000:]
    ref = visible(ref_dir, journal)
    ops = log.read_text().splitlines()
    n = len(ops)
    ks = list(range(1, n + 2)) if not quick else sorted({*range(1, n + 1, 4), n, n + 1})  # n + 1: after the last
    ks = [(n + 1) // 2] if quick == "ci" else ks
    counts: dict[str, int] = {}
    lost_any = mixed_any = recovered = journal_ok = 0
    for k in ks:
        run_dir = tmp / f"{label}-k{k}"
        shutil.copytree(base, run_dir, symlinks=True)
        rc, out = cli(script, [*new_args, f"hydra.run.dir={run_dir}"], run_dir, kill_at=k if k <= n else 0,
                      kill_after=n if k > n else 0)
        if rc != -9:
            raise RuntimeError(f"{label} k={k}: expected SIGKILL, got rc={rc}: {out[-2000:]}")
        outcome, lost, mixed = classify(visible(run_dir, journal), old, ref, new_model, keys, run_dir, same)
        counts[outcome] = counts.get(outcome, 0) + 1
        lost_any += lost
        mixed_any += mixed
        journal_ok += (run_dir / journal).read_bytes().startswith((base / journal).read_bytes())
        rc, out = cli(script, [*new_args, f"hydra.run.dir={run_dir}"], run_dir)
        after = visible(run_dir, journal)
        recovered += rc == 0 and classify(after, old, ref, new_model, keys, run_dir, same)[0] == "new set complete" \
            and not any(p.name.startswith(".staging") for p in run_dir.iterdir()) \
            and len(list((run_dir / ".versions").iterdir())) == 2
        shutil.rmtree(run_dir)
        if lost or mixed:
            print(f"    k={k} ({ops[min(k, n) - 1]}): {outcome}", flush=True)
    summary = "; ".join(f"{v}x {k}" for k, v in sorted(counts.items()))
    row(f"{label}: kill -9 at {len(ks)} of the {n + 1} points between the {n} file mutations of a rerun",
        f"{summary}; next run recovered {recovered}/{len(ks)}; {journal} append-only {journal_ok}/{len(ks)}",
        lost_any > 0, mixed_any > 0)
    return base, old, ops


EVAL_KEYS = {"metrics.json": r'"model": "([^"]+)"', "report.md": r"# mitbench report: (\S+)",
             "config.yaml": r"\nmodel:\n(?:  .*\n)*?  name: (\S+)", "csv/hparams.yaml": r"\nmodel:\n(?:  .*\n)*?  name: (\S+)"}
FIT_KEYS = {"fit_metrics.json": r'"model": "([^"]+)"', "config.yaml": r"\nmodel:\n(?:  .*\n)*?  name: (\S+)",
            "csv/hparams.yaml": r"\nmodel:\n(?:  .*\n)*?  name: (\S+)"}


def run_folder_faults(tmp: Path, quick: bool) -> None:
    print("evaluate.py run folder", flush=True)
    base, old, ops = kill_sweep("evaluate", "evaluate.py", ["model=pa_pwm", *EVAL], ["model=rpa_pwm", *EVAL], "rpa_pwm",
                           EVAL_KEYS, ("scores.csv", "report.md"), "evaluate.log", tmp, quick)
    # a rerun that fails (bad checkpoint) and one that is refused (a second writer)
    run_dir = tmp / "eval-fail"
    shutil.copytree(base, run_dir, symlinks=True)
    rc, out = cli("evaluate.py", ["model=pa_pwm", "model.checkpoint=/nonexistent.ckpt", *EVAL,
                                  f"hydra.run.dir={run_dir}"], run_dir)
    after = visible(run_dir, "evaluate.log")
    row("evaluate: rerun fails (missing checkpoint)", f"exit {rc}; "
        + ("previous set byte-identical, logger files included" if after == old else "CHANGED"), after != old, False)
    # pause the first run just after it made its version folder (it holds the lock), start a second
    made = next(i for i, op in enumerate(ops, 1) if op.split("\t")[1] == "mkdir" and "/.versions/" in op)
    concurrent(base, tmp, pause_at=made + 1)


def concurrent(base: Path, tmp: Path, pause_at: int) -> None:
    run_dir, resume = tmp / "eval-concurrent", tmp / "eval-concurrent.resume"
    shutil.copytree(base, run_dir, symlinks=True)
    args = ["model=rpa_pwm", *EVAL, f"hydra.run.dir={run_dir}"]
    first = cli("evaluate.py", args, run_dir, pause_at=pause_at, wait=False, resume=resume)
    deadline = time.time() + 300
    while not (run_dir / ".lock").read_text().startswith(f"pid {first.pid} "):
        if time.time() > deadline or first.poll() is not None:
            raise RuntimeError("the first run did not take the lock")
        time.sleep(0.5)
    rc2, out2 = cli("evaluate.py", ["model=pa_pwm", *EVAL, f"hydra.run.dir={run_dir}"], run_dir)
    resume.touch()
    out1, _ = first.communicate(timeout=900)
    message = re.findall(r"RunDirBusy: .*?(another mitbench run \(pid \d+).*", out2)
    refused = rc2 != 0 and bool(message)
    after = visible(run_dir, "evaluate.log")
    named = models_named(after, EVAL_KEYS)
    row("evaluate: second run into the same folder while one runs",
        f"second {'refused at once: ' + message[0] + ') is writing...' if refused else 'NOT refused'}; "
        f"first exit {first.returncode}, publishes {sorted(named)}",
        not refused or first.returncode != 0 or named != {"rpa_pwm"}, len(named) > 1)


def train_faults(tmp: Path, quick: bool) -> None:
    print("train_baselines.py run folder", flush=True)
    base, old, _ = kill_sweep("train", "train_baselines.py", ["model=thermodynamic", *TRAIN], ["model=pa_pwm", *TRAIN],
                           "pa_pwm", FIT_KEYS, ("predictions.csv",), "train_baselines.log", tmp, quick)
    run_dir = tmp / "train-fail"
    shutil.copytree(base, run_dir, symlinks=True)
    rc, out = cli("train_baselines.py", ["model=pa_pwm", "data.n=0", f"hydra.run.dir={run_dir}"], run_dir)
    after = visible(run_dir, "train_baselines.log")
    row("train: rerun fails at once (no data)", f"exit {rc}; "
        + ("previous fit byte-identical, no .hydra/ written" if after == old and not (run_dir / ".hydra").exists()
           else "CHANGED"), after != old, False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every 4th kill point instead of every one")
    parser.add_argument("--ci", action="store_true", help="one kill point per sweep (CI)")
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only this section (repeatable)")
    args = parser.parse_args(argv)
    args.quick = "ci" if args.ci else args.quick
    sections = set(args.only or SECTIONS)
    ROWS.clear()
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="mitbench-faults-") as tmp:
        if "run" in sections:
            run_folder_faults(Path(tmp), args.quick)
        if "train" in sections:
            train_faults(Path(tmp), args.quick)
        if "inputs" in sections:
            import faults_inputs
            faults_inputs.run_all(Path(tmp), row, cli, visible)
        if "models" in sections:
            import faults_models
            faults_models.run_all(Path(tmp), row)
        if sections & {"folders", "glm", "api"}:
            import faults_folders
            faults_folders.run_all(Path(tmp), row, cli, visible, sections)
    print(f"\n# mitbench fault injection ({time.time() - t0:.0f} s)\n")
    print("| fault | outcome | data lost | results mixed | code executed |\n|---|---|---|---|---|")
    for r in ROWS:
        print("| " + " | ".join(r) + " |")
    bad = [r for r in ROWS if "YES" in r[2:]]
    limits = [r for r in ROWS if r not in bad and r[2:] != ("none",) * 3]
    count = lambda k: sum(r[k] == "YES" for r in ROWS)
    print(f"\n{len(ROWS)} faults: {count(2)} with data lost, {count(3)} with results mixed, {count(4)} with code "
          f"executed ({len(bad)} in all); {len(limits)} at a stated limit (a valid-looking cut file; see docs/guarantees.md)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
