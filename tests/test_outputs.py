"""Versioned run folders: publish by one rename, failures and kills leave the published set intact,
one writer at a time, leftovers cleaned, names sanitised."""
import os
import shutil
import signal

import pytest

from mitbench.engine.outputs import CURRENT, PREVIOUS, VERSIONS, RunDirBusy, StagedOutput, safe_name


def _write(stage, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = stage.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _visible(out) -> dict[str, str]:
    """What a user sees: every non-hidden file of the run folder, read through its links."""
    seen = {}
    for folder, dirs, files in os.walk(out, followlinks=True):
        rel = os.path.relpath(folder, out)
        top = rel.split(os.sep)[0]
        if top.startswith(".") and top != "." or top in (CURRENT, PREVIOUS):
            continue
        for name in files:
            if rel == "." and (name.startswith(".") or name in (CURRENT, PREVIOUS)):
                continue
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                seen[os.path.normpath(os.path.join(rel, name))] = open(path).read()
    return dict(sorted(seen.items()))


def _publish(out, files):
    with StagedOutput(out) as stage:
        _write(stage, files)
    return stage.path


A = {"scores.csv": "a", "metrics.json": "A", "csv/metrics.csv": "loss a", "fig_a.png": "pa"}
B = {"scores.csv": "b", "metrics.json": "B", "csv/metrics.csv": "loss b", "fig_b.png": "pb"}


def test_publish_switches_every_file_and_keeps_one_previous_set(tmp_path):
    out = tmp_path / "run"
    va = _publish(out, A)
    assert _visible(out) == A and (out / "scores.csv").is_symlink()
    vb = _publish(out, B)
    assert _visible(out) == B  # fig_a.png's link is gone with its set
    assert os.readlink(out / CURRENT) == f"{VERSIONS}/{vb.name}" and os.readlink(out / PREVIOUS) == f"{VERSIONS}/{va.name}"
    assert (out / PREVIOUS / "fig_a.png").read_text() == "pa"  # the replaced set stays recoverable
    vc = _publish(out, A)
    assert sorted(p.name for p in (out / VERSIONS).iterdir()) == sorted([vb.name, vc.name])
    assert _visible(out) == A


def test_failed_run_changes_nothing(tmp_path):
    out = tmp_path / "run"
    _publish(out, A)
    before = sorted(os.listdir(out)), _visible(out)
    with pytest.raises(RuntimeError, match="boom"):
        with StagedOutput(out) as stage:
            _write(stage, B)
            raise RuntimeError("boom")
    assert (sorted(os.listdir(out)), _visible(out)) == before
    assert len(list((out / VERSIONS).iterdir())) == 1


def test_second_writer_is_refused_naming_the_holder(tmp_path):
    out = tmp_path / "run"
    with StagedOutput(out):
        with pytest.raises(RunDirBusy, match=f"pid {os.getpid()}"):
            StagedOutput(out).__enter__()
    _publish(out, A)  # the lock is released on exit


def test_results_written_before_versioning_become_the_previous_set(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "scores.csv").write_text("old")
    (out / "csv").mkdir()
    (out / "csv" / "metrics.csv").write_text("old loss")
    (out / "evaluate.log").write_text("log")
    (out / ".staging-x1").mkdir()  # left by the per-file staging of mitbench < 0.2
    _publish(out, A)
    assert _visible(out) == {**A, "evaluate.log": "log"}
    assert (out / PREVIOUS / "scores.csv").read_text() == "old"
    assert (out / PREVIOUS / "csv" / "metrics.csv").read_text() == "old loss"
    assert not (out / ".staging-x1").exists()


def test_file_put_in_the_way_by_hand_is_kept(tmp_path):
    out = tmp_path / "run"
    _publish(out, A)
    (out / "fig_b.png").write_text("mine")  # a real file where B's link must go
    _publish(out, B)
    assert _visible(out) == B
    assert [p.read_text() for p in (out / ".kept").rglob("fig_b.png")] == ["mine"]


def test_reserved_names_are_refused(tmp_path):
    with pytest.raises(ValueError, match="reserved"):
        _publish(tmp_path / "run", {"current": "x"})
    assert not (tmp_path / "run" / CURRENT).exists()


MUTATIONS = ("mkdir", "rename", "replace", "symlink", "unlink", "rmdir")


def _killed_publish(out, files, k: int) -> int:
    """Fork; the child publishes ``files`` and dies by SIGKILL at its ``k``-th file-system mutation.
    Returns the number of mutations it made (k when it was killed)."""
    pid = os.fork()
    if pid == 0:  # child: count mutations, SIGKILL at the k-th
        count = [0]

        def hook(fn):
            def wrapped(*args, **kwargs):
                count[0] += 1
                if count[0] == k:
                    os.kill(os.getpid(), signal.SIGKILL)
                return fn(*args, **kwargs)
            return wrapped

        for name in MUTATIONS:
            setattr(os, name, hook(getattr(os, name)))
        try:
            _publish(out, files)
        finally:
            os._exit(100 + min(count[0], 100))
    _, status = os.waitpid(pid, 0)
    return k if os.WIFSIGNALED(status) else os.WEXITSTATUS(status) - 100


def test_kill_at_every_mutation_leaves_old_or_new_set_and_the_next_run_recovers(tmp_path):
    base = tmp_path / "base"
    _publish(base, A)
    shutil.copytree(base, tmp_path / "count", symlinks=True)
    n = _killed_publish(tmp_path / "count", B, k=10**6)  # a full rerun: how many mutations
    outcomes = []
    for k in range(1, n + 1):
        out = tmp_path / f"k{k}"
        shutil.copytree(base, out, symlinks=True)
        assert _killed_publish(out, B, k) == k
        seen = _visible(out)
        assert seen in (A, B), (k, seen)  # never a mix, never a loss
        outcomes.append("new" if seen == B else "old")
        _publish(out, B)  # the next run cleans what the killed one left and publishes
        assert _visible(out) == B and len(list((out / VERSIONS).iterdir())) == 2
    assert "old" in outcomes and outcomes[-1] == "new" and n > 10


@pytest.mark.parametrize("value, expected", [
    ("pa_pwm", "pa_pwm"), ("../../../x", "_._.._.._x"), ("/etc/passwd", "_etc_passwd"),
    (".hidden", "_hidden"), ("", "_"), ("a b/c", "a_b_c"), ("nt_v2_500m", "nt_v2_500m"),
])
def test_safe_name(value, expected):
    assert safe_name(value) == expected
    assert "/" not in safe_name(value) and not safe_name(value).startswith(".")
