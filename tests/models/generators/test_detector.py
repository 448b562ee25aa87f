import lightning as L
import numpy as np
import pytest
import torch

from mitbench.data.audit.chunks import ChunkDataModule, _Chunks
from mitbench.data.core.encoding import one_hot
from mitbench.metrics.audit.auroc import detector_summary
from mitbench.models.generators.detector import RealismCNN


def test_forward_shape_and_dtype():
    net = RealismCNN(channels=8, n_blocks=2).eval()
    out = net(one_hot(["ACGT" * 75, "TTGA" * 75], dtype=torch.float32))
    assert out.shape == (2,) and out.dtype == torch.float32


def test_reverse_complement_augmentation_is_exact():
    x = one_hot(["AACGTG"], dtype=torch.float32)[0]
    ds = _Chunks(x[None], torch.zeros(1), augment=False, seed=0)
    assert torch.equal(ds[0][0], x)
    rc = x.flip(0).flip(1)
    assert torch.equal(rc, one_hot(["CACGTT"], dtype=torch.float32)[0])


def test_split_is_by_window_and_chunks_carry_distance():
    rng = np.random.default_rng(0)
    nat = ["".join(rng.choice(list("ACGT"), 1000)) for _ in range(6)]
    dm = ChunkDataModule(nat, nat, chunk_bp=300, test_fraction=0.5, seed=1)
    dm.setup()
    assert set(dm.test_windows).isdisjoint(dm.train_windows) and dm.n_chunks == 3
    assert dm.test_x.shape == (2 * 3 * 3, 300, 4)
    assert sorted(set(dm.test_index.chunk.tolist())) == [0, 1, 2]


def test_generated_training_chunks_that_copy_the_natural_one_are_left_out():
    rng = np.random.default_rng(0)
    nat = ["".join(rng.choice(list("ACGT"), 900)) for _ in range(4)]
    other = ["".join(rng.choice(list("ACGT"), 900)) for _ in range(4)]
    gen = [n[:300] + o[300:] for n, o in zip(nat, other)]  # chunk 0 copied, chunks 1-2 generated
    dm = ChunkDataModule(nat, gen, chunk_bp=300, test_fraction=0.5, seed=0)
    dm.setup()
    n_train = dm.train_windows.size
    assert dm.n_train_copies == n_train and int(dm.train_y.sum()) == 2 * n_train
    assert dm.train_x.shape[0] == 3 * n_train + 2 * n_train
    assert dm.test_x.shape[0] == 2 * 3 * dm.test_windows.size  # held-out chunks all scored


def test_mostly_copied_training_chunks_are_left_out_by_identity():
    """A generated chunk 70 % copied is a copy at copy_identity 0.5 but not at 1.0; one 20 %
    copied (identity ~0.4 with chance matches) is kept at 0.5; chance identity is ~0.25."""
    rng = np.random.default_rng(0)
    nat = ["".join(rng.choice(list("ACGT"), 1000)) for _ in range(8)]
    other = ["".join(rng.choice(list("ACGT"), 1000)) for _ in range(8)]
    gen = [n[:350] + o[350:500] + n[500:520] + o[520:] for n, o in zip(nat, other)]
    # chunk 0 (0-500): 70 % copied; chunk 1 (500-1000): 4 % copied
    dm = ChunkDataModule(nat, gen, chunk_bp=500, test_fraction=0.5, seed=0)
    dm.setup()
    n_train = dm.train_windows.size
    assert dm.n_train_copies == n_train and int(dm.train_y.sum()) == n_train
    exact = ChunkDataModule(nat, gen, chunk_bp=500, test_fraction=0.5, copy_identity=1.0, seed=0)
    exact.setup()
    assert exact.n_train_copies == 0 and int(exact.train_y.sum()) == 2 * n_train
    gen20 = [n[:100] + o[100:] for n, o in zip(nat, other)]  # chunk 0: 20 % copied
    dm20 = ChunkDataModule(nat, gen20, chunk_bp=500, test_fraction=0.5, seed=0)
    dm20.setup()
    assert dm20.n_train_copies == 0
    with pytest.raises(ValueError, match="copy_identity"):
        ChunkDataModule(nat, gen, chunk_bp=500, copy_identity=0.25)


@pytest.mark.slow
def test_learns_an_obvious_difference():
    """Natural = uniform random DNA, generated = 70% GC: 60 optimiser steps separate held-out chunks."""
    rng = np.random.default_rng(0)
    nat = ["".join(rng.choice(list("ACGT"), 800)) for _ in range(12)]
    gen = ["".join(rng.choice(list("ACGT"), 800, p=[0.15, 0.35, 0.35, 0.15])) for _ in range(12)]
    L.seed_everything(0, verbose=False)
    dm = ChunkDataModule(nat, gen, chunk_bp=200, test_fraction=0.5, batch_size=16, seed=0)
    net = RealismCNN(channels=8, n_blocks=2, lr=1e-2)
    trainer = L.Trainer(max_epochs=20, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                        enable_model_summary=False, deterministic=True)
    trainer.fit(net, datamodule=dm)
    logits = np.concatenate([t.numpy() for t in trainer.predict(net, datamodule=dm)])
    i = dm.test_index
    out = detector_summary(logits, i.window, i.chunk, i.label, 200, n_boot=20)
    assert out["cnn_auroc"] > 0.95
