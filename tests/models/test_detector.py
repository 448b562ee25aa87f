import lightning as L
import numpy as np
import pytest
import torch

from mitbench.data.chunks import ChunkDataModule, _Chunks
from mitbench.data.encoding import one_hot
from mitbench.metrics.realism.auroc import detector_summary
from mitbench.models.detector import RealismCNN


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


@pytest.mark.slow
def test_learns_an_obvious_difference():
    """Natural = uniform random DNA, generated = 70% GC: a few epochs separate held-out chunks."""
    rng = np.random.default_rng(0)
    nat = ["".join(rng.choice(list("ACGT"), 800)) for _ in range(12)]
    gen = ["".join(rng.choice(list("ACGT"), 800, p=[0.15, 0.35, 0.35, 0.15])) for _ in range(12)]
    L.seed_everything(0, verbose=False)
    dm = ChunkDataModule(nat, gen, chunk_bp=200, test_fraction=0.5, batch_size=16, seed=0)
    net = RealismCNN(channels=8, n_blocks=2, lr=1e-2)
    trainer = L.Trainer(max_epochs=4, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                        enable_model_summary=False, deterministic=True)
    trainer.fit(net, datamodule=dm)
    logits = np.concatenate([t.numpy() for t in trainer.predict(net, datamodule=dm)])
    i = dm.test_index
    out = detector_summary(logits, i.window, i.chunk, i.label, 200, n_boot=20)
    assert out["cnn_auroc"] > 0.95
