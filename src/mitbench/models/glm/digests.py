"""Content digests of weight files, and the check that what was hashed is what was loaded.

A score-cache key must name the weights that produced a score. A name or a path does not: weights
replaced at the same path would be served the old scores. So a checkpoint is keyed on the SHA-256
of its bytes, taken **before** it is loaded, and the files' ``stat`` signatures are compared again
**after** loading: a file written in between (a copy still in progress, a re-save) stops the run
instead of storing the new weights' scores under the old digest.

Hashing gigabytes on every run is avoided with a memo (``<cache_dir>/digests.json``) keyed by the
file's real path and its stat signature: size, ``mtime_ns``, ``ctime_ns``, inode and device.
``ctime`` is set by the kernel on every write, rename or ``utime`` (``cp -p`` and ``touch -r``
can restore ``mtime``, never ``ctime``), and a file replaced by rename has a new inode.

Limits: a write inside the same file-system timestamp tick as the first ``stat`` (a few ms on
Linux) and of the same size is not seen by the signature; the memo is as trustworthy as the
cache folder (keep it private, like the score cache).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Iterable

MEMO_FILE = "digests.json"

Signature = tuple[int, int, int, int, int]


def signature(path: str | Path) -> Signature:
    """``(size, mtime_ns, ctime_ns, inode, device)`` of ``path`` (links followed)."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev


def snapshot(files: Iterable[Path]) -> dict[str, Signature]:
    """``{path: signature}`` of ``files``, to compare before and after a load."""
    return {str(f): signature(f) for f in files}


def changed(before: dict[str, Signature], files: Iterable[Path]) -> list[str]:
    """Paths of ``before`` that were modified, replaced or removed, and files that appeared."""
    now = {}
    for f in files:
        try:
            now[str(f)] = signature(f)
        except FileNotFoundError:
            continue
    return sorted(p for p in set(before) | set(now) if before.get(p) != now.get(p))


def _memo(memo_dir: str | Path | None) -> tuple[Path | None, dict]:
    if memo_dir is None:
        return None, {}
    path = Path(memo_dir).expanduser() / MEMO_FILE
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}  # absent or damaged: hash again (the memo only ever saves time)
    return path, data if isinstance(data, dict) else {}


def file_sha256(path: str | Path, memo_dir: str | Path | None = None) -> str:
    """Hex SHA-256 of a file's bytes, memoised under ``memo_dir`` by its stat signature.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    RuntimeError
        If the file changed while it was being read (naming it).
    """
    real = os.path.realpath(path)
    before = signature(real)
    memo_path, memo = _memo(memo_dir)
    entry = memo.get(real)
    if isinstance(entry, list) and len(entry) == 6 and tuple(entry[:5]) == before:
        return str(entry[5])
    h = hashlib.sha256()
    with open(real, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    if signature(real) != before:
        raise RuntimeError(f"{path}: the file changed while it was being hashed (still being written?); "
                           "rerun once it is complete")
    digest = h.hexdigest()
    if memo_path is not None:
        memo[real] = [*before, digest]
        try:
            memo_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = memo_path.with_name(f".{MEMO_FILE}.{os.getpid()}")
            tmp.write_text(json.dumps(memo, sort_keys=True))
            os.replace(tmp, memo_path)  # readers see the old or the new memo, never half of one
        except OSError:
            pass  # a read-only cache folder costs time, not correctness
    return digest


def module_sha256(module) -> str:
    """Hex SHA-256 over a ``torch.nn.Module``'s state dict (names, dtypes, shapes, bytes), in order.

    The fingerprint of weights a library resolved itself (no file mitbench can name): it hashes
    what was loaded, so it cannot go stale; its cost is one pass over the weights per load.
    """
    import torch

    h = hashlib.sha256()
    for name, value in module.state_dict().items():
        if not isinstance(value, torch.Tensor):
            h.update(f"{name}={value!r}\n".encode())
            continue
        t = value.detach()
        h.update(f"{name}:{t.dtype}:{tuple(t.shape)}\n".encode())
        h.update(t.reshape(-1).contiguous().cpu().view(torch.uint8).numpy())
    return h.hexdigest()
