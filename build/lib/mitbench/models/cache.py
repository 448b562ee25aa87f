"""Content-addressed score cache: one SQLite file in WAL mode, written as each batch completes.

A key is ``sha256(identity digest : sequence)`` (see :meth:`mitbench.models.base.Scorer.cache_key`),
where the identity names everything that determines a score: model id, resolved revision or a
hash of the local weight/config/tokenizer files, tokenizer settings, scoring mode, dtype and
precision. A changed model therefore gets new keys; stale entries are never hit.

Why SQLite in WAL mode: each ``put_many`` is one committed transaction, so a run killed with
``kill -9`` keeps every batch it finished and loses at most the batch in flight; concurrent DDP
ranks (separate processes, separate connections) write the same file safely, readers never block
writers. Connections are opened lazily per process id, so a scorer object can cross ``fork``.
"""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Mapping

_SCHEMA = "CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, score REAL NOT NULL, created REAL)"
_CHUNK = 500  # SQLite's default host-parameter limit is 999


class ScoreCache:
    """Persistent ``{key: float}`` store.

    Parameters
    ----------
    cache_dir : str or Path
        Folder holding ``scores.sqlite`` (created if needed). Put it on a file system with
        working POSIX locks (local disk or a cluster FS that supports SQLite; not NFS without locks).
    timeout_s : float
        How long a writer waits for another process's lock before failing.
    """

    filename = "scores.sqlite"

    def __init__(self, cache_dir: str | Path, timeout_s: float = 120.0) -> None:
        self.cache_dir = Path(cache_dir).expanduser()
        self.path = self.cache_dir / self.filename
        self.timeout_s = float(timeout_s)
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_conn"], state["_pid"] = None, None
        return state

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=self.timeout_s, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # durable across process kills (not power loss)
            conn.execute(_SCHEMA)
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def get_many(self, keys: Iterable[str]) -> dict[str, float]:
        """Scores of the ``keys`` present in the cache."""
        keys = list(dict.fromkeys(keys))
        conn, found = self._connection(), {}
        for i in range(0, len(keys), _CHUNK):
            part = keys[i:i + _CHUNK]
            marks = ",".join("?" * len(part))
            found.update(conn.execute(f"SELECT key, score FROM scores WHERE key IN ({marks})", part))
        return found

    def put_many(self, items: Mapping[str, float]) -> None:
        """Insert (or overwrite) ``items`` in one committed transaction."""
        if not items:
            return
        now = time.time()
        rows = [(k, float(v), now) for k, v in items.items()]
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR REPLACE INTO scores (key, score, created) VALUES (?, ?, ?)", rows)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def __len__(self) -> int:
        return self._connection().execute("SELECT COUNT(*) FROM scores").fetchone()[0]

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn, self._pid = None, None


def open_cache(cache_dir: str | Path | None) -> ScoreCache | None:
    """A :class:`ScoreCache` in ``cache_dir``, or None (caching disabled) when it is None or empty."""
    if cache_dir is None or str(cache_dir).strip() in ("", "null", "None"):
        return None
    return ScoreCache(cache_dir)
