"""Score cache integrity: per-row checksums catch flipped bytes SQLite's own check misses; a
damaged row is re-scored and repaired, never served; NaN is refused before the cache."""
import logging
import sqlite3
import struct

import pytest
import torch

from mitbench.models.base import Scorer
from mitbench.models.cache import ScoreCache, checksum


class Counting(Scorer):
    """Score = length + 0.25 (exact); counts calls; NaN for sequences starting with N-like 'G'."""

    def __init__(self, nan_first_g: bool = False) -> None:
        super().__init__("counting")
        self.nan_first_g, self.calls = nan_first_g, 0

    def score_batch(self, sequences):
        self.calls += len(sequences)
        return torch.tensor([float("nan") if self.nan_first_g and s[0] == "G" else len(s) + 0.25 for s in sequences],
                            dtype=torch.float64)


SEQS = {f"r{i}": "ACGT" * (i + 1) for i in range(8)}


def _score(scorer):
    out = scorer.predict_step({"ids": list(SEQS), "sequences": list(SEQS.values())})
    return out["scores"].tolist()


def _flip_stored(path, value: float) -> None:
    """Flip one mantissa bit of the stored ``value`` in the database file (the page stays valid)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    at = data.find(struct.pack(">d", value))
    assert at >= 0
    data[at + 3] ^= 0x10
    path.write_bytes(bytes(data))


def test_checksum_is_of_key_and_exact_bytes():
    assert checksum("k", 1.0) != checksum("k", 1.0 + 2 ** -52) != checksum("j", 1.0 + 2 ** -52)
    assert len(checksum("k", 0.5)) == 32


def test_flipped_score_is_rescored_with_a_warning_and_repaired(tmp_path, caplog):
    first = Counting()
    first.cache = ScoreCache(tmp_path)
    expected = _score(first)
    assert expected == [len(s) + 0.25 for s in SEQS.values()] and first.calls == 8
    first.cache.close()
    _flip_stored(tmp_path / ScoreCache.filename, 12.25)  # r2
    con = sqlite3.connect(tmp_path / ScoreCache.filename)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # SQLite cannot see it
    con.close()
    second = Counting()
    second.cache = ScoreCache(tmp_path)
    with caplog.at_level(logging.WARNING, "mitbench.models.cache"):
        assert _score(second) == expected
    assert second.calls == 1 and second.cache.n_corrupt == 1  # only the damaged row re-scored
    assert "1 stored score(s) failed their checksum" in caplog.text
    third = Counting()
    third.cache = ScoreCache(tmp_path)
    assert _score(third) == expected and third.calls == 0  # repaired in place


def test_unreadable_file_is_bypassed_with_a_warning(tmp_path, caplog):
    (tmp_path / ScoreCache.filename).write_bytes(b"not a database at all" * 300)
    scorer = Counting()
    scorer.cache = ScoreCache(tmp_path)
    with caplog.at_level(logging.WARNING, "mitbench.models.cache"):
        assert _score(scorer) == [len(s) + 0.25 for s in SEQS.values()]
    assert scorer.calls == 8 and scorer.cache.unreadable and "unreadable" in caplog.text


def test_nan_is_refused_before_the_cache_naming_the_record(tmp_path):
    scorer = Counting(nan_first_g=True)
    scorer.cache = ScoreCache(tmp_path)
    with pytest.raises(ValueError, match="non-finite score for record 'g'"):
        scorer.predict_step({"ids": ["a", "g"], "sequences": ["ACGT", "GGGG"]})
    assert len(scorer.cache) == 0
    with pytest.raises(ValueError, match="non-finite score"):
        scorer.cache.put_many({"k": float("inf")})
