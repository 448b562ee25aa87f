"""Content-addressed score cache: one SQLite file in WAL mode, written as each batch completes.

A key is ``sha256(identity digest : sequence)`` (see :meth:`mitbench.models.base.Scorer.cache_key`),
where the identity names everything that determines a score: model id, resolved revision or a
hash of the local weight/config/tokenizer files, tokenizer settings, scoring mode, dtype and
precision. A changed model therefore gets new keys; stale entries are never hit.

Why SQLite in WAL mode: each ``put_many`` is one committed transaction, so a run killed with
``kill -9`` keeps every batch it finished and loses at most the batch in flight; concurrent DDP
ranks (separate processes, separate connections) write the same file safely, readers never block
writers. Connections are opened lazily per process id, so a scorer object can cross ``fork``.

Integrity: SQLite's own checks cover its page structure, not the values, so each row also stores
``sha256(key, score as 8 IEEE-754 bytes)``. A row whose checksum does not match (a flipped bit
on disk, a hand edit) is never served: it is reported in a warning and re-scored, and the fresh
score overwrites it. A file SQLite cannot read at all is bypassed with a warning (scores are
computed, not cached) until it is deleted. Only finite scores are stored (NaN would become NULL).
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
import sqlite3
import struct
import time
from pathlib import Path
from typing import Iterable, Mapping

log = logging.getLogger(__name__)
# a new table name for the checksummed rows: rows of the earlier "scores" table cannot be verified
_SCHEMA = ("CREATE TABLE IF NOT EXISTS scores_v2 (key TEXT PRIMARY KEY, score REAL NOT NULL, "
           "checksum TEXT NOT NULL, created REAL)")
_CHUNK = 500  # SQLite's default host-parameter limit is 999


def checksum(key: str, score: float) -> str:
    """Hex SHA-256 of the key and the score's 8 big-endian IEEE-754 bytes (first 32 hex digits)."""
    return hashlib.sha256(key.encode() + b"\0" + struct.pack(">d", score)).hexdigest()[:32]


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
        self.unreadable = False  # set when SQLite cannot read the file: the cache is bypassed
        self.n_corrupt = 0  # rows that failed their checksum in this process (re-scored)

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
        """Scores of the ``keys`` present in the cache whose checksum holds (others are missing)."""
        keys = list(dict.fromkeys(keys))
        if self.unreadable:
            return {}
        found, corrupt = {}, []
        try:
            conn = self._connection()
            for i in range(0, len(keys), _CHUNK):
                part = keys[i:i + _CHUNK]
                marks = ",".join("?" * len(part))
                for key, score, check in conn.execute(
                        f"SELECT key, score, checksum FROM scores_v2 WHERE key IN ({marks})", part):
                    if isinstance(score, float) and math.isfinite(score) and check == checksum(key, score):
                        found[key] = score
                    else:
                        corrupt.append(key)
        except sqlite3.DatabaseError as err:
            self._bypass(err)
            return {}
        if corrupt:
            self.n_corrupt += len(corrupt)
            log.warning("score cache %s: %d stored score(s) failed their checksum (damaged file?); they are "
                        "re-scored and overwritten, never served", self.path, len(corrupt))
        return found

    def put_many(self, items: Mapping[str, float]) -> None:
        """Insert (or overwrite) ``items`` in one committed transaction.

        Raises
        ------
        ValueError
            If a score is not finite (naming its key); scorers reject those before the cache.
        """
        if not items or self.unreadable:
            return
        now = time.time()
        rows = []
        for k, v in items.items():
            v = float(v)
            if not math.isfinite(v):
                raise ValueError(f"score cache: refusing the non-finite score {v} for key {k}")
            rows.append((k, v, checksum(k, v), now))
        try:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany("INSERT OR REPLACE INTO scores_v2 (key, score, checksum, created) "
                                 "VALUES (?, ?, ?, ?)", rows)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as err:
            self._bypass(err)

    def _bypass(self, err: sqlite3.DatabaseError) -> None:
        if not self.unreadable:
            log.warning("score cache %s is unreadable (%s): scoring without the cache; delete the file to "
                        "start a fresh one", self.path, err)
        self.unreadable = True

    def __len__(self) -> int:
        return self._connection().execute("SELECT COUNT(*) FROM scores_v2").fetchone()[0]

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn, self._pid = None, None


def open_cache(cache_dir: str | Path | None) -> ScoreCache | None:
    """A :class:`ScoreCache` in ``cache_dir``, or None (caching disabled) when it is None or empty."""
    if cache_dir is None or str(cache_dir).strip() in ("", "null", "None"):
        return None
    return ScoreCache(cache_dir)
