"""What a run folder must look like before a run writes into it, and where things it did not write go.

A run folder's internal names (``.lock``, ``.versions``, ``.kept``, the ``current`` and ``previous``
links, and what an entry point keeps beside them, e.g. ``train_glm``'s ``checkpoints``) are
mitbench's own state: it writes, renames and deletes through them. A symbolic link in the place
of one would steer those writes and deletes outside the folder (a ``.versions`` link made a run
delete another folder's files as "left unpublished"; a ``.lock`` link truncated a file elsewhere),
so such a folder is refused, never followed. A run folder inside a published set
(``hydra.run.dir=<run>/current``) is refused too: the run would write into the results it points
at, and the runs after it would prune them.

mitbench deletes only what it wrote: version folders with the names :class:`StagedOutput` gives
them. Anything else that is in the way or no longer published (files the user put into the folder,
results adopted from before versioning) is moved to ``.kept/<time>-<pid>-<x>/`` (:func:`set_aside`).
One run writes into a folder at a time (:func:`lock`).
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from hydra.experimental.callback import Callback

log = logging.getLogger(__name__)

LOCK, VERSIONS, CURRENT, PREVIOUS, KEPT = ".lock", ".versions", "current", "previous", ".kept"
# the names StagedOutput gives its version folders (tempfile.mkdtemp(prefix="<UTC time>-<pid>-"))
OWN_VERSION = re.compile(r"^\d{8}T\d{6}-\d+-[A-Za-z0-9_]+$")
_HOW = "Remove it (or move it away) or choose another output folder (hydra.run.dir=... / output_dir=...)."


class RunDirBusy(RuntimeError):
    """Another process holds the run folder's lock."""


class RunDirRefused(RuntimeError):
    """A folder mitbench will not run in; the message names the folder, the reason and the way out."""


def check_inside_a_set(out_dir: str | Path) -> None:
    """Refuse a run folder that is, or is inside, a published set of another run folder.

    Raises
    ------
    RunDirRefused
        If a component of ``out_dir``'s real path is ``.versions`` of a run folder (one holding a
        ``.lock`` or a ``current`` link), e.g. ``<run>/current``, ``<run>/previous/sub`` or
        ``<run>/csv`` (a link into the set).
    """
    real = Path(os.path.realpath(out_dir))
    for folder in (real, *real.parents):
        versions, run = folder.parent, folder.parent.parent
        if versions.name == VERSIONS and (os.path.lexists(run / LOCK) or (run / CURRENT).is_symlink()):
            raise RunDirRefused(
                f"{out_dir}: this folder is inside the published results of the run folder {run} (it is "
                f"{real}); a run here would write into those results, and the runs after it would remove "
                f"them. To replace that run's results, run into the run folder itself (hydra.run.dir={run}); "
                "otherwise choose a new folder.")


class RunDirGuard(Callback):
    """Hydra callback (``hydra.callbacks.run_dir_guard`` of every entry point): refuses a run folder
    inside a published set before Hydra creates it and opens its job log there; one paragraph, exit 1."""

    def on_run_start(self, config, **kwargs) -> None:
        try:
            check_inside_a_set(str(config.hydra.run.dir))
        except RunDirRefused as err:
            print(f"mitbench: {err}", file=sys.stderr)
            raise SystemExit(1) from None


def check_internal_names(out_dir: Path, internal: Sequence[str] = ()) -> None:
    """Refuse a run folder whose internal names are links (or ``current``/``previous`` are not
    mitbench's links into ``.versions``). Call it holding the folder's lock.

    Parameters
    ----------
    out_dir : Path
        The run folder.
    internal : sequence of str
        More names the entry point keeps in the folder (e.g. ``checkpoints``).

    Raises
    ------
    RunDirRefused
        Naming the folder, the entry and where it points.
    """
    for name in (LOCK, VERSIONS, KEPT, *internal):
        path = out_dir / name
        if path.is_symlink():
            raise RunDirRefused(
                f"{out_dir}: {name} is a symbolic link (to {os.readlink(path)}). mitbench keeps its own state "
                f"under that name and never follows a link there: it would write or delete outside the run "
                f"folder. {_HOW}")
    for name in (CURRENT, PREVIOUS):
        path = out_dir / name
        if path.is_symlink():
            parts = Path(os.readlink(path)).parts
            if len(parts) != 2 or parts[0] != VERSIONS or parts[1] in (".", ".."):
                raise RunDirRefused(
                    f"{out_dir}: {name} is a symbolic link to {os.readlink(path)}, not to a result set in "
                    f"{VERSIONS}/ (mitbench's own links are relative, {VERSIONS}/<id>). {_HOW}")
        elif os.path.lexists(path):
            raise RunDirRefused(
                f"{out_dir}: {name} is a real {'folder' if path.is_dir() else 'file'}; mitbench needs that name "
                f"for its link to the {'published' if name == CURRENT else 'replaced'} set and would replace "
                f"it. {_HOW}")


def lock(path: Path) -> int:
    """Take the exclusive lock on ``path`` (``fcntl.flock``, released by the kernel when the process
    exits); the descriptor (held without a lock, with a warning, where the file system has none).
    The file is opened with ``O_NOFOLLOW`` and must be a plain file with one name: a ``.lock`` link
    (symbolic or hard) to a file elsewhere would have that file truncated and overwritten.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError:
        if path.is_symlink():
            check_internal_names(path.parent)  # raises RunDirRefused naming the link
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise RunDirRefused(f"{path.parent}: {LOCK} is not a plain file of its own (a hard link shared with another "
                            f"file, e.g. by a hard-linked backup, or not a file), and mitbench writes into it. It "
                            f"holds no results: delete it (rm {path}) and rerun, or choose another output folder.")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown pid"
        os.close(fd)
        raise RunDirBusy(f"{path.parent}: another mitbench run ({holder}) is writing into this folder; "
                         "wait for it to finish or choose another output folder (hydra.run.dir=...)") from None
    except OSError as err:
        if err.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
            os.close(fd)
            raise
        log.warning("%s: the file system has no locks (%s); concurrent runs into this folder are not "
                    "serialised", path.parent, err.strerror)
        return fd
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
    return fd


def umask() -> int:
    """The process's file-creation mask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def set_aside(out_dir: Path, paths: Sequence[Path], why: str) -> Path:
    """Move ``paths`` (entries of ``out_dir`` or of its ``.versions``) into a new ``.kept/<time>-<pid>-<x>/``.

    Each move is one ``rename`` on the same file system: a kill leaves every entry either where it
    was or in ``.kept``, never gone. Returns the folder they went to.
    """
    stamp = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}-"
    (out_dir / KEPT).mkdir(exist_ok=True)
    kept = Path(tempfile.mkdtemp(prefix=stamp, dir=out_dir / KEPT))
    os.chmod(kept, 0o777 & ~umask())  # mkdtemp makes it private (0700); what is kept follows the umask
    log.warning("%s: moving %s (%s) to %s; mitbench never deletes what it did not write", out_dir,
                ", ".join(p.name for p in paths), why, kept.relative_to(out_dir))
    for p in paths:
        os.rename(p, kept / p.name)
    return kept
