"""Evo 2 adapter: clear errors without the package/CUDA; LL logic against a fake evo2 module."""
import sys
import types

import pytest
import torch
from torch import nn

from mitbench.models.evo2 import Evo2Scorer


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
