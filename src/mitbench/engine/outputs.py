"""Run folders whose results change all at once, or not at all.

Layout of a run folder (``cfg.paths.output_dir``)::

    .lock                        one writer at a time (fcntl; the holder's pid inside)
    .versions/<id>/              one complete result set per run: scores.csv, metrics.json, ...,
                                 the CSV/W&B logger files and the run's config
    current -> .versions/<id>    the published set
    previous -> .versions/<id>   the set it replaced (kept until the next publish)
    scores.csv -> current/scores.csv, metrics.json -> current/metrics.json, ...   what users open

A run writes everything into a new ``.versions/<id>`` and publishes it by replacing the ``current``
link in one ``rename`` (atomic on POSIX file systems): every user-visible path switches to the
new set at the same instant. A run that fails or is killed never reaches the rename, so the
published set (logger files included) stays byte-identical; its unpublished folder is removed
on exit, or by the next run into the folder (named in a warning) after a ``kill -9``.
Hydra's job log (``<job>.log``) is not a result: it is Hydra's append-only log of every attempt.

Before anything is written, the folder is checked (:mod:`mitbench.engine.rundir`): internal names that
are links, or a folder inside a published set, are refused; mitbench deletes only version folders
it made, and moves anything else out of the way into ``.kept/``. SIGTERM stops a run like Ctrl+C
(:mod:`mitbench.engine.terminate`).
"""
from __future__ import annotations

import json
import logging
import math
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

from mitbench.engine.rundir import (CURRENT, KEPT, LOCK, OWN_VERSION, PREVIOUS, VERSIONS, RunDirBusy,  # noqa: F401
                             RunDirRefused, check_inside_a_set, check_internal_names, lock, set_aside, umask)
from mitbench.engine.terminate import SigtermStops

log = logging.getLogger(__name__)

SPEC_FILE = "spec.json"  # a run's metric spec (mitbench.suites.spec.MetricSpec.to_dict()), beside metrics.json
PRIVATE = (".shards",)  # working state of a run inside its version folder, never published
_UNSAFE = re.compile(r"[^A-Za-z0-9_.+=-]")


def safe_name(value: Any) -> str:
    """A config value made safe as one path component: characters other than letters, digits and
    ``_ . + = -`` become ``_`` and a leading dot becomes ``_`` (so ``../../x`` -> ``_._.._x``).
    Used by the ``${safe_name:...}`` resolver in the run-folder patterns of the configs."""
    text = _UNSAFE.sub("_", str(value))
    return "_" + text[1:] if text.startswith(".") else (text or "_")


def is_launcher_process() -> bool:
    """True in the process that starts a run (not a DDP rank > 0, whether Lightning or SLURM spawned it)."""
    return all(os.environ.get(k, "0") == "0" for k in ("LOCAL_RANK", "NODE_RANK", "RANK", "SLURM_PROCID"))


class StagedOutput:
    """Context manager: ``with StagedOutput(out_dir) as stage: write into stage.path``.

    ``stage.path`` is a new, private ``out_dir/.versions/<id>`` (held under the folder's lock from
    entry to exit); on normal exit it is published (see the module docstring), on an exception
    it is removed and ``out_dir`` is unchanged. In a DDP rank > 0 ``stage.path`` is a scratch
    folder outside ``out_dir`` that is never published (rank 0 writes the results). In between,
    SIGTERM raises :class:`mitbench.engine.terminate.Terminated` (the run then unwinds like a failure).

    Parameters
    ----------
    out_dir : str or Path
        The run folder.
    internal : sequence of str
        Names the entry point keeps in ``out_dir`` beside the versions (e.g. ``checkpoints``),
        checked like the folder's own (no links).

    Raises
    ------
    RunDirBusy
        On entry, if another run is writing into ``out_dir`` (the message names its pid).
    RunDirRefused
        On entry, before anything is written, if ``out_dir`` is inside a published set or one of
        its internal names is a link (:mod:`mitbench.engine.rundir`).
    """

    def __init__(self, out_dir: str | Path, internal: Sequence[str] = ()) -> None:
        self.out_dir = Path(out_dir)
        self.internal = tuple(internal)
        self.path: Path | None = None
        self._lock_fd: int | None = None
        self._published = False
        self._sigterm = SigtermStops()

    def __enter__(self) -> "StagedOutput":
        if not is_launcher_process():
            self.path = Path(tempfile.mkdtemp(prefix="mitbench-rank-"))
            return self
        check_inside_a_set(self.out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._lock_fd = lock(self.out_dir / LOCK)
        self._sigterm.start()
        try:
            check_internal_names(self.out_dir, self.internal)
            _remove_unpublished(self.out_dir)
            versions = self.out_dir / VERSIONS
            versions.mkdir(exist_ok=True)
            stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
            self.path = Path(tempfile.mkdtemp(prefix=f"{stamp}-{os.getpid()}-", dir=versions))
            os.chmod(self.path, 0o777 & ~umask())  # mkdtemp makes it private (0700); results follow the umask
        except BaseException:
            self._unlock()
            self._sigterm.close()
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.path is not None
        self._sigterm.holding = True  # a publish or a cleanup, once begun, finishes (kill -9 aside)
        try:
            if exc_type is None and self._lock_fd is not None:
                publish(self.out_dir, self.path)
                self._published = True
        finally:
            if not self._published:
                shutil.rmtree(self.path, ignore_errors=True)
            self._unlock()
            self._sigterm.close(self._published)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None


def run_staged(out_dir: str | Path, work, what: str = "outputs", internal: Sequence[str] = ()) -> Any:
    """``work(version_dir)`` inside a :class:`StagedOutput` of ``out_dir``; log where it went.

    Parameters
    ----------
    out_dir : str or Path
        The run folder.
    work : callable
        Writes every output into the private version folder it is given; returns the metrics.
    what : str
        Name in the log line (``"<what> written to <out_dir>"``), logged only when ``work`` returned
        something (a DDP rank > 0 returns an empty result).
    internal : sequence of str
        Names the entry point keeps beside the versions (see :class:`StagedOutput`).
    """
    out_dir = Path(out_dir)
    with StagedOutput(out_dir, internal) as stage:
        result = work(stage.path)
    if result:
        log.info("%s written to %s", what, out_dir)
    return result


def _target(link: Path) -> str | None:
    return os.readlink(link) if link.is_symlink() else None


def _link(path: Path, target: str) -> None:
    """Point the symlink ``path`` at ``target`` in one rename (no-op if it already does)."""
    if _target(path) == target:
        return
    tmp = path.parent / f".link-{os.getpid()}-{path.name}"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, path)


def published_versions(out_dir: Path) -> set[str]:
    """Names of the version folders that ``current`` and ``previous`` point at."""
    names = {_target(out_dir / link) for link in (CURRENT, PREVIOUS)}
    return {Path(t).name for t in names if t}


def _unpublished(out_dir: Path) -> tuple[list[Path], list[Path]]:
    """Entries of ``.versions`` no set links to: ``(mitbench's own version folders, anything else)``."""
    keep = published_versions(out_dir)
    versions = out_dir / VERSIONS
    stale = [p for p in versions.iterdir() if p.name not in keep] if versions.is_dir() else []
    own = [p for p in stale if OWN_VERSION.match(p.name) and p.is_dir() and not p.is_symlink()]
    return own, [p for p in stale if p not in own]


def _remove_unpublished(out_dir: Path) -> None:
    """Remove what killed or failed runs left (caller holds the lock), naming each in a warning;
    what mitbench did not write (adopted results, the user's own folders) goes to ``.kept/``."""
    own, foreign = _unpublished(out_dir)
    # the folders of the earlier, per-file staging (mitbench < 0.2)
    leftovers = own + [p for p in out_dir.glob(".staging-*")] + [p for p in (out_dir / ".shards",) if p.exists()]
    leftovers += [p for p in out_dir.glob(".link-*") if p.is_symlink()]
    for p in leftovers:
        log.warning("%s: removing %s, left unpublished by a killed or failed run", out_dir, p.name)
        if p.is_symlink() or not p.is_dir():
            p.unlink()
        else:
            shutil.rmtree(p, ignore_errors=True)
    if foreign:
        set_aside(out_dir, foreign, f"in {VERSIONS}/, not written by a mitbench run or no longer published")


def publish(out_dir: Path, version: Path) -> None:
    """Make ``version`` (a folder in ``out_dir/.versions``) the published set (caller holds the lock).

    Order (a kill between any two steps leaves either the old set or the new one, never a mix):
    1. real files or folders in the way of a link move aside: results written before versioning
       become ``.versions/legacy-<time>`` (made ``current`` first, so they stay visible); anything
       else (put there by hand) moves to ``.kept/<time>/`` and is never deleted;
    2. a link ``<name> -> current/<name>`` for each entry of ``version`` (new names dangle until 3);
    3. ``previous`` -> the old set, then ``current`` -> ``version`` (the one atomic switch);
    4. unreferenced versions and links to names the new set lacks are removed; an unreferenced
       version mitbench did not write (adopted in step 1) moves to ``.kept/``.
    """
    for name in PRIVATE:
        shutil.rmtree(version / name, ignore_errors=True)
    names = sorted(p.name for p in version.iterdir())
    reserved = sorted(set(names) & {LOCK, VERSIONS, CURRENT, PREVIOUS, KEPT})
    if reserved:
        raise ValueError(f"{version}: the names {reserved} are reserved for the run folder's own links")
    _fsync_tree(version)
    _adopt_in_the_way(out_dir, names)
    for name in names:
        _link(out_dir / name, f"{CURRENT}/{name}")
    old = _target(out_dir / CURRENT)
    if old is not None:
        _link(out_dir / PREVIOUS, old)
    _link(out_dir / CURRENT, f"{VERSIONS}/{version.name}")
    _fsync(out_dir)
    own, foreign = _unpublished(out_dir)
    for p in own:
        shutil.rmtree(p, ignore_errors=True)
    if foreign:
        set_aside(out_dir, foreign, "replaced results that no mitbench run wrote")
    for p in out_dir.iterdir():
        target = _target(p)
        if target and target.startswith(f"{CURRENT}/") and not p.exists():
            p.unlink()  # a name of an earlier set that the new one does not have


def _adopt_in_the_way(out_dir: Path, names: list[str]) -> None:
    """Move real files or folders that stand where a link must go (see :func:`publish`, step 1)."""
    in_the_way = [n for n in names if (out_dir / n).exists() and not (out_dir / n).is_symlink()]
    if not in_the_way:
        return
    if _target(out_dir / CURRENT) is None:  # results of a run before versioning (or the user's own files)
        stamp = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}"
        legacy = out_dir / VERSIONS / f"legacy-{stamp}"
        legacy.mkdir()
        log.warning("%s: %s (not written by a versioned mitbench run) become the `previous` set, %s/%s; when a "
                    "later run replaces it they move to %s/, never deleted", out_dir, ", ".join(in_the_way),
                    VERSIONS, legacy.name, KEPT)
        _link(out_dir / CURRENT, f"{VERSIONS}/{legacy.name}")
        for name in in_the_way:
            os.rename(out_dir / name, legacy / name)
            _link(out_dir / name, f"{CURRENT}/{name}")
        return
    set_aside(out_dir, [out_dir / n for n in in_the_way], "not part of a published set")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """Flush a version's files and folders to disk before it is published (power-loss safety)."""
    for path in [*sorted(root.rglob("*"), reverse=True), root]:
        if not path.is_symlink() and (path.is_file() or path.is_dir()):
            _fsync(path)


def to_jsonable(value: Any) -> Any:
    """Plain-JSON form of metrics: numpy scalars to Python, NaN/inf to None."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(path: str | Path, obj: Any) -> None:
    Path(path).write_text(json.dumps(to_jsonable(obj), indent=2, sort_keys=True) + "\n")


SCORES_FIRST = ("id", "class", "score")  # then the records' metadata, then length, sequence, elements
SCORES_LAST = ("length", "sequence", "elements")


SCORES_COLUMNS_FILE = "scores.columns.json"  # which columns of scores.csv are text (read back as str)


def _is_text(column) -> bool:
    """Identifiers, labels and JSON cells: a string column, or an object column that is not all booleans."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    if is_numeric_dtype(column) or is_bool_dtype(column):
        return False
    return not all(isinstance(v, bool) for v in column if v is not None and v == v)


def write_scores(table, outdir: str | Path) -> list[Path]:
    """``scores.csv`` (every record's metadata beside its score; floats written with 17 significant
    digits, so float64 round-trips exactly), ``scores.columns.json`` (the columns that hold text, so
    a reader keeps ``"000"`` and ``"NA"`` as written whatever the suite) and ``scores.parquet`` when
    pyarrow is installed."""
    meta = [c for c in table.columns if c not in SCORES_FIRST + SCORES_LAST]
    ordered = table[[*SCORES_FIRST, *meta, *[c for c in SCORES_LAST if c in table.columns]]]
    paths = [Path(outdir) / "scores.csv", Path(outdir) / SCORES_COLUMNS_FILE]
    ordered.to_csv(paths[0], index=False, float_format="%.17g", lineterminator="\n")
    text = [c for c in ordered.columns if _is_text(ordered[c])]
    write_json(paths[1], {"text": text})
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return paths
    paths.append(Path(outdir) / "scores.parquet")
    ordered.to_parquet(paths[-1], index=False)
    return paths
