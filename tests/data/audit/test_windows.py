import gzip

import numpy as np
import pytest

from mitbench.data.audit.windows import WINDOW_ROOM, Reference, audit_windows, holdout_of, sample_tiles


def _write(path, records):
    with gzip.open(path, "wt") as fh:
        for name, seq in records:
            fh.write(f">{name} test\n")
            fh.writelines(seq[i:i + 60] + "\n" for i in range(0, len(seq), 60))
    return path


@pytest.fixture
def messy_reference(tmp_path):
    """Two records, lower-case stretches, N runs and an IUPAC code: what NCBI files look like."""
    rng = np.random.default_rng(1)
    a = "".join(rng.choice(list("ACGT"), 6000))
    b = "".join(rng.choice(list("ACGT"), 5000))
    a = a[:1000] + a[1000:1500].lower() + "N" * 300 + a[1800:3000] + "R" + a[3001:]
    return _write(tmp_path / "ref.fa.gz", [("chrA", a), ("chrB", b)]), {"chrA": a.upper(), "chrB": b}


def test_windows_are_n_free_disjoint_seeded_and_match_the_reference(messy_reference):
    path, seqs = messy_reference
    wins = audit_windows(path, 6, 100, 400, seed=3)
    assert wins == audit_windows(path, 6, 100, 400, seed=3)  # seeded
    assert wins != audit_windows(path, 6, 100, 400, seed=4)
    spans = sorted((w.contig, w.start, w.end) for w in wins)
    for (c1, s1, e1), (c2, s2, e2) in zip(spans, spans[1:]):
        assert c1 != c2 or e1 <= s2  # non-overlapping
    for w in wins:
        assert set(w.seed + w.continuation) <= set("ACGT")
        assert len(w.seed) == 100 and len(w.continuation) == 400
        assert seqs[w.contig][w.start:w.end] == w.seed + w.continuation  # lower case upper-cased
        assert w.id == f"{w.contig}:{w.start}-{w.end}"
    assert {w.contig for w in wins} == {"chrA", "chrB"}


def test_reference_masks_the_holdout(messy_reference):
    path, _ = messy_reference
    wins = audit_windows(path, 4, 100, 400, seed=0)
    ref = Reference(path, holdout_of(wins))
    masked = {c.name: c.sequence for c in ref.contigs()}
    for w in wins:
        assert masked[w.contig][w.start:w.end] == "N" * 500
    assert ref.holdout_bp() == 4 * 500
    # tiles drawn from the masked reference never touch a held-out window
    for contig, start, seq in sample_tiles(ref.contigs, 5, 300, seed=1):
        assert "N" not in seq
        assert all(w.contig != contig or start + 300 <= w.start or start >= w.end for w in wins)


def test_a_short_reference_gives_as_many_windows_as_it_holds(messy_reference):
    """chrA has N-free stretches of 1,500, 1,200 and 2,999 bp (an N run at 1,500, R at 3,000), chrB 5,000 bp:
    1 + 2 = 3 tiles of 2,000 bp. 9 requested -> 3 (room 1) or 1 (room 2, the audit's); the draw for a count is the
    one sample_tiles makes; not one window -> a clear error."""
    path, _ = messy_reference
    assert len(audit_windows(path, 9, 500, 1500, seed=0)) == 3
    one = audit_windows(path, 9, 500, 1500, seed=0, room=WINDOW_ROOM)
    assert len(one) == 1 and one == audit_windows(path, 1, 500, 1500, seed=0)
    c, s, q = sample_tiles(Reference(path).contigs, 1, 2000, seed=0)[0]
    assert (one[0].contig, one[0].start, one[0].seed + one[0].continuation) == (c, s, q)
    assert audit_windows(path, 2, 100, 400, seed=3) == audit_windows(path, 2, 100, 400, seed=3, room=WINDOW_ROOM)
    with pytest.raises(ValueError, match=r"ref\.fa\.gz: only 3 non-overlapping N-free stretches of 2000 bp, "
                                         r"4 needed for one audit window"):
        audit_windows(path, 9, 500, 1500, seed=0, room=4)
    with pytest.raises(ValueError, match=r"only \d+ non-overlapping N-free stretches of 2000 bp, 9 needed"):
        sample_tiles(Reference(path).contigs, 9, 2000, seed=0)  # the natural control's draw still fails clearly


def test_bad_lengths():
    with pytest.raises(ValueError, match="seed_len and gen_len"):
        audit_windows("x.fa", 1, 0, 10, seed=0)


def test_random_prompts_replace_the_seed_only():
    from mitbench.data.audit.windows import AuditWindow, random_prompts

    wins = [AuditWindow(f"c:{i}-{i + 30}", "c", i, "A" * 10, "C" * 20) for i in (0, 100)]
    a, b = random_prompts(wins, seed=3), random_prompts(wins, seed=3)
    assert a == b and a != random_prompts(wins, seed=4)
    for w, p in zip(wins, a):
        assert (p.id, p.continuation, len(p.seed)) == (w.id, w.continuation, 10) and set(p.seed) <= set("ACGT")
    assert a[0].seed != a[1].seed
