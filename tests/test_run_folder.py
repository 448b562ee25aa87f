"""Run folders never lose what they did not write: the user's own files, a run's published set
reached through ``current/``, and whatever an internal name links to; SIGTERM stops a run like
Ctrl+C (nothing published, state clean)."""
import os
import signal

import pytest

from helpers import visible_files
from mitbench.engine.outputs import CURRENT, KEPT, LOCK, PREVIOUS, VERSIONS, StagedOutput
from mitbench.engine.rundir import RunDirRefused
from mitbench.engine.terminate import Terminated


def _publish(out, files: dict[str, str]):
    with StagedOutput(out) as stage:
        for name, text in files.items():
            path = stage.path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return stage.path


def _all_bytes(root) -> list[bytes]:
    """The contents of every real file under ``root`` (links not followed)."""
    return [p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()]


RUN = {"config.yaml": "run", "report.md": "run", "scores.csv": "run", "wandb/run-1.wandb": "run",
       "csv/metrics.csv": "run"}


def test_users_own_files_in_a_new_run_folder_are_never_deleted(tmp_path):
    out = tmp_path / "mine"
    mine = {"config.yaml": "my config", "report.md": "my notes", "scores.csv": "my scores",
            "wandb/settings": "my wandb", "csv/table.csv": "my table", "notes.txt": "untouched"}
    for name, text in mine.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    for k in range(3):  # the second run used to delete what the first had adopted
        _publish(out, {name: f"{text} {k}" for name, text in RUN.items()})
    assert visible_files(out)["config.yaml"] == b"run 2"
    kept = _all_bytes(out / KEPT)
    for name, text in mine.items():
        if name != "notes.txt":
            assert text.encode() in kept, name
    assert (out / "notes.txt").read_text() == "untouched"


def test_unknown_folders_in_versions_are_kept_not_deleted(tmp_path):
    out = tmp_path / "run"
    _publish(out, {"a": "1"})
    (out / VERSIONS / "my-backup").mkdir()
    (out / VERSIONS / "my-backup" / "a").write_text("precious")
    _publish(out, {"a": "2"})
    assert b"precious" in _all_bytes(out / KEPT)


@pytest.mark.parametrize("inside", [CURRENT, PREVIOUS, f"{CURRENT}/sub", "csv"])
def test_a_run_folder_inside_a_published_set_is_refused(tmp_path, inside):
    out = tmp_path / "run"
    _publish(out, {"scores.csv": "first", "csv/metrics.csv": "first"})
    _publish(out, {"scores.csv": "second", "csv/metrics.csv": "second"})
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*")), _all_bytes(out)
    for _ in range(2):
        with pytest.raises(RunDirRefused, match="inside the published results of the run folder"):
            _publish(out / inside, {"scores.csv": "x"})
    assert (sorted(str(p.relative_to(out)) for p in out.rglob("*")), _all_bytes(out)) == before


@pytest.mark.parametrize("name", [VERSIONS, KEPT, LOCK, CURRENT, PREVIOUS])
def test_internal_names_that_link_outside_are_refused_and_nothing_outside_changes(tmp_path, name):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious").write_text("mine")
    (tmp_path / "lockfile").write_text("important")
    out = tmp_path / "run"
    out.mkdir()
    os.symlink(tmp_path / "lockfile" if name == LOCK else elsewhere, out / name)
    with pytest.raises(RunDirRefused, match=f"{name}.*symbolic link"):
        _publish(out, {"scores.csv": "x", "fig.png": "y"})
    assert (elsewhere / "precious").read_text() == "mine" and sorted(os.listdir(elsewhere)) == ["precious"]
    assert (tmp_path / "lockfile").read_text() == "important"
    assert not (out / "scores.csv").exists()


def test_a_real_file_named_like_an_internal_link_is_refused(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / CURRENT).write_text("my file called current")
    with pytest.raises(RunDirRefused, match="current"):
        _publish(out, {"scores.csv": "x"})
    assert (out / CURRENT).read_text() == "my file called current"


def test_sigterm_inside_a_run_publishes_nothing_and_releases_the_lock(tmp_path):
    out = tmp_path / "run"
    _publish(out, {"scores.csv": "first"})
    before, received = visible_files(out), []

    def record(*_):  # outside a run SIGTERM is only recorded here (and would stop nothing)
        received.append(1)

    original = signal.signal(signal.SIGTERM, record)
    try:
        with pytest.raises(Terminated, match="SIGTERM"):
            with StagedOutput(out) as stage:
                (stage.path / "scores.csv").write_text("second")
                os.kill(os.getpid(), signal.SIGTERM)
                for _ in range(10**6):  # the handler raises at the next bytecode boundary
                    pass
                pytest.fail("SIGTERM did not stop the run")
        assert signal.getsignal(signal.SIGTERM) is record and not received  # the run's own handler, then back
    finally:
        signal.signal(signal.SIGTERM, original)
    assert visible_files(out) == before and len(os.listdir(out / VERSIONS)) == 1
    _publish(out, {"scores.csv": "third"})  # lock released
    assert visible_files(out)["scores.csv"] == b"third"


def test_a_lock_file_hard_linked_elsewhere_is_not_truncated(tmp_path):
    (tmp_path / "elsewhere").write_text("important")
    out = tmp_path / "run"
    out.mkdir()
    os.link(tmp_path / "elsewhere", out / LOCK)
    with pytest.raises(RunDirRefused, match="hard link"):
        _publish(out, {"scores.csv": "x"})
    assert (tmp_path / "elsewhere").read_text() == "important"


def test_the_command_line_says_why_in_one_paragraph(tmp_path, capsys):
    from mitbench.cli import _run_user_facing
    from mitbench.engine.terminate import EXIT_CODE
    from omegaconf import OmegaConf

    out = tmp_path / "run"
    _publish(out, {"scores.csv": "x"})
    with pytest.raises(SystemExit, match=r"^mitbench: .*current: this folder is inside the published results") as err:
        _run_user_facing(lambda cfg: _publish(out / CURRENT, {"scores.csv": "y"}), OmegaConf.create({}))
    assert "\n" not in str(err.value)

    def terminated(cfg):
        raise Terminated("stopped by SIGTERM: nothing was published")

    with pytest.raises(SystemExit) as err:
        _run_user_facing(terminated, OmegaConf.create({}))
    assert err.value.code == EXIT_CODE and "stopped by SIGTERM" in capsys.readouterr().err


@pytest.mark.parametrize("entry", ["evaluate", "audit", "train_baselines", "train_glm/train_glm"])
def test_every_entry_point_refuses_a_run_dir_inside_a_set_before_hydra_writes(tmp_path, entry, capsys):
    from hydra.utils import instantiate
    from omegaconf import OmegaConf

    from helpers import CONF

    out = tmp_path / "run"
    _publish(out, {"scores.csv": "x"})
    guard = instantiate(OmegaConf.load(CONF / f"{entry}.yaml").hydra.callbacks.run_dir_guard)
    with pytest.raises(SystemExit) as err:
        guard.on_run_start(OmegaConf.create({"hydra": {"run": {"dir": str(out / CURRENT)}}}))
    assert err.value.code == 1 and "inside the published results" in capsys.readouterr().err
    guard.on_run_start(OmegaConf.create({"hydra": {"run": {"dir": str(out)}}}))  # the run folder itself is fine
