"""Genome LM data: held-out blocks (disjoint, sized, seeded), crops (never in a block, both strands,
resumable), held-out windows."""
import numpy as np
import pytest

from mitbench.data.core.genome import Contig, acgt_stretches
from mitbench.data.glm.genome_lm import EpochIndices, GenomeCrops, GenomeLMDataModule
from mitbench.data.glm.genome_split import reverse_complement_codes, split_genome, tile_windows


def _write_genome(path, contigs):
    path.write_text("".join(f">{name} x\n{seq}\n" for name, seq in contigs))
    return path


def _covered(segments):
    return {(s.contig, i) for s in segments for i in range(s.start, s.end)}


@pytest.mark.parametrize("seed", range(6))
def test_blocks_are_disjoint_cover_the_genome_and_have_their_sizes(seed):
    lengths = [700, 50, 1250]
    split = split_genome(lengths, 0.1, 0.15, seed)
    parts = {p: _covered(split.segments[p]) for p in ("train", "val", "test")}
    assert len(parts["val"]) == 200 and len(parts["test"]) == 300
    assert not (parts["val"] & parts["test"]) and not (parts["train"] & (parts["val"] | parts["test"]))
    assert len(parts["train"]) + 500 == sum(lengths)
    (v0, v1), (t0, t1) = split.blocks["val"], split.blocks["test"]
    assert v1 - v0 == 200 and t1 - t0 == 300 and (v1 <= t0 or t1 <= v0)
    assert split == split_genome(lengths, 0.1, 0.15, seed)  # seeded


def test_block_placement_varies_with_the_seed_and_bad_fractions_fail():
    starts = {split_genome([10_000], 0.1, 0.1, s).blocks["val"][0] for s in range(10)}
    assert len(starts) > 5
    with pytest.raises(ValueError, match="sum < 1"):
        split_genome([100], 0.6, 0.5, 0)
    with pytest.raises(ValueError, match="too short"):
        split_genome([5], 0.01, 0.01, 0)


def test_crops_never_overlap_a_heldout_block_and_cover_both_strands(tmp_path):
    rng = np.random.default_rng(0)
    seqs = ["".join(rng.choice(list("ACGT"), n)) for n in (3000, 900)]
    seqs[0] = seqs[0][:1000] + "NNNNN" + seqs[0][1005:]
    path = _write_genome(tmp_path / "g.fa", [("a", seqs[0]), ("b", seqs[1])])
    dm = GenomeLMDataModule(str(path), context=40, batch_size=4, steps_per_epoch=50, split_seed=3, seed=1)
    dm.setup()
    heldout = {p: _covered(dm.split.segments[p]) for p in ("val", "test")}
    # map every training stretch back to its contig coordinates
    where = []
    for seg in dm.split.segments["train"]:
        piece = seqs[seg.contig][seg.start:seg.end]
        where += [(seg.contig, seg.start + s) for s, e in acgt_stretches(piece, 40)]
    assert len(where) == len(dm.crops.tracks)
    strands = set()
    for g in range(2000):
        t, start, rev = dm.crops.locate(g)
        contig, offset = where[t]
        bases = {(contig, offset + start + i) for i in range(40)}
        assert not bases & (heldout["val"] | heldout["test"])
        crop = "".join("ACGT"[c] for c in dm.crops[g].tolist())
        genomic = seqs[contig][offset + start:offset + start + 40]
        assert "N" not in genomic
        expected = genomic if not rev else genomic[::-1].translate(str.maketrans("ACGT", "TGCA"))
        assert crop == expected
        strands.add(rev)
    assert strands == {True, False}


def test_epochs_draw_new_crops_reproducibly():
    tracks = [np.arange(500) % 4]
    crops = GenomeCrops(tracks, 10, seed=0, epoch_size=8)
    sampler = EpochIndices(8)
    first = [crops.locate(i) for i in sampler]
    sampler.set_epoch(1)
    second = [crops.locate(i) for i in sampler]
    assert first != second and list(sampler) == list(range(8, 16))
    assert [GenomeCrops(tracks, 10, 0, 8).locate(i) for i in range(8, 16)] == second


def test_tile_windows_both_strands():
    track = np.array([0, 1, 2, 3, 0, 0, 1, 2, 2])
    w = tile_windows([track, np.array([3, 3])], 4)
    assert w.tolist() == [[0, 1, 2, 3], [0, 0, 1, 2], [0, 1, 2, 3], [1, 2, 3, 3]]
    assert reverse_complement_codes(np.array([0, 0, 1])).tolist() == [2, 3, 3]


def test_stretch_codes_skip_n_and_missing_genome_fails(tmp_path):
    seq = "ACGTNACGTACGTACGTACG"
    split = split_genome([20], 0.2, 0.2, 0)
    stretches = split.stretches([Contig("a", seq)], "train", 1)
    train_bases = [seq[i] for seg in split.segments["train"] for i in range(seg.start, seg.end)]
    assert sum(len(s) for s in stretches) == len(train_bases) - train_bases.count("N")
    assert "".join("ACGT"[c] for s in stretches for c in s) == "".join(train_bases).replace("N", "")
    with pytest.raises(FileNotFoundError, match="nope.fa"):
        GenomeLMDataModule(str(tmp_path / "nope.fa")).setup()
