"""Evo 2 adapter: clear errors without the package/CUDA; LL logic against a fake evo2 module."""
import sys
import types

import pytest
import torch
from torch import nn

from mitbench.models.glm.evo2 import Evo2Scorer


def test_missing_package_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "evo2", None)  # import evo2 -> ImportError
    with pytest.raises(ImportError, match="pip install evo2"):
        Evo2Scorer("evo2_1b")


class _ByteTokenizer:  # like vortex CharLevelTokenizer: UTF-8 byte values
    def tokenize(self, text):
        return list(text.encode())


class _Net(nn.Module):
    """Logits at t depend on tokens <= t only (a bigram table), vocab 512 like Evo 2."""

    def __init__(self):
        super().__init__()
        self.table = nn.Embedding(512, 512)
        torch.manual_seed(0)
        nn.init.normal_(self.table.weight, std=2.0)

    def forward(self, ids):
        return self.table(ids)


class _FakeEvo2:
    def __init__(self, name, local_path=None):
        self.model, self.tokenizer = _Net(), _ByteTokenizer()

    def __call__(self, ids):
        return (self.model(ids), None), None


def test_ll_uses_package_token_ids_and_leaves_first_base_unscored(monkeypatch):
    monkeypatch.setitem(sys.modules, "evo2", types.SimpleNamespace(Evo2=_FakeEvo2))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    scorer = Evo2Scorer("evo2_1b", max_tokens=12)
    assert scorer.base_ids == {"A": 65, "C": 67, "G": 71, "T": 84}
    seqs = ["ACGTTGCA", "GGA", "TTTTACGTAC"]
    logp = torch.log_softmax(scorer.net.table.weight.detach().double(), -1)  # row = previous token
    want = [sum(float(logp[ord(a), ord(b)]) for a, b in zip(s, s[1:])) for s in seqs]
    with torch.inference_mode():
        got = scorer.score_batch(seqs)
    assert got.dtype == torch.float64
    torch.testing.assert_close(got, torch.tensor(want, dtype=torch.float64), atol=1e-4, rtol=0)


class _FileEvo2(_FakeEvo2):
    """Loads its bigram table from ``local_path`` (a torch file), as the package loads a checkpoint."""

    def __init__(self, name, local_path=None):
        super().__init__(name)
        if local_path:
            self.model.table.weight.data.copy_(torch.load(local_path, weights_only=True))


def _weights(path, seed):
    torch.manual_seed(seed)
    torch.save(torch.randn(512, 512), path)


def test_weights_replaced_at_the_same_path_get_new_cache_keys(monkeypatch, tmp_path):
    import os

    monkeypatch.setitem(sys.modules, "evo2", types.SimpleNamespace(Evo2=_FileEvo2))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    path = tmp_path / "evo2_1b_base.pt"
    _weights(path, 0)
    first = Evo2Scorer("evo2_1b", local_path=str(path), cache_dir=str(tmp_path / "cache"))
    stat = path.stat()
    _weights(path, 1)  # same name, same size; mtime put back as `cp -p` or rsync would
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = Evo2Scorer("evo2_1b", local_path=str(path), cache_dir=str(tmp_path / "cache"))
    assert path.stat().st_size == stat.st_size and first.cache_key("ACGT") != second.cache_key("ACGT")
    assert second.weights.startswith("sha256:") and (tmp_path / "cache" / "digests.json").is_file()
    again = Evo2Scorer("evo2_1b", local_path=str(path), cache_dir=str(tmp_path / "cache"))  # memo hit
    assert again.cache_key("ACGT") == second.cache_key("ACGT")


def test_package_resolved_weights_are_keyed_on_what_was_loaded(monkeypatch):
    class Seeded(_FakeEvo2):
        seed = 0

        def __init__(self, name, local_path=None):
            super().__init__(name)
            torch.manual_seed(Seeded.seed)
            nn.init.normal_(self.model.table.weight)

    monkeypatch.setitem(sys.modules, "evo2", types.SimpleNamespace(Evo2=Seeded))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    first = Evo2Scorer("evo2_1b").cache_key("ACGT")
    Seeded.seed = 1  # the package's cache now holds other weights under the same checkpoint name
    assert Evo2Scorer("evo2_1b").cache_key("ACGT") != first
    Seeded.seed = 0
    assert Evo2Scorer("evo2_1b").cache_key("ACGT") == first


def test_weights_written_during_loading_stop_the_run(monkeypatch, tmp_path):
    path = tmp_path / "w.pt"
    _weights(path, 0)

    class Rewritten(_FileEvo2):
        def __init__(self, name, local_path=None):
            super().__init__(name, local_path)
            _weights(path, 3)  # a copy still in progress replaces the file after it was read

    monkeypatch.setitem(sys.modules, "evo2", types.SimpleNamespace(Evo2=Rewritten))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    with pytest.raises(RuntimeError, match="w.pt: the weights changed while 'evo2_1b' was loading"):
        Evo2Scorer("evo2_1b", local_path=str(path))
