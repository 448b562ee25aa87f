"""Causal LL and exact PLL against independent naive computations; batching invariances."""
import numpy as np
import pytest
import torch

import tiny_models as tm
from mitbench.data.core.records import reverse_complement
from mitbench.models.glm.causal import CausalLMScorer
from mitbench.models.glm.masked import MaskedLMScorer

RNG = np.random.default_rng(7)
SEQS = [tm.random_dna(RNG, n) for n in (100, 37, 100, 64, 9, 100)]
SHORT = [tm.random_dna(RNG, n) for n in (40, 17, 33, 9)]  # naive PLL loops stay cheap
MASKED = [("bert", "char"), ("esm", "kmer"), ("bert", "bpe")]


@pytest.fixture(scope="module")
def ckpt(tmp_path_factory):
    root = tmp_path_factory.mktemp("glm")
    out = {f"{a}-{t}": tm.masked(root / f"{a}-{t}", a, t) for a, t in MASKED}
    out.update({a: tm.causal(root / a, a) for a in ("gpt2", "llama")})
    return out


def _score(scorer, seqs):
    with torch.inference_mode():
        return scorer.score_batch(seqs)


@pytest.mark.parametrize("arch,tok", MASKED)
def test_pll_equals_one_position_per_forward(ckpt, arch, tok):
    path = ckpt[f"{arch}-{tok}"]
    scorer = MaskedLMScorer("m", str(path), max_tokens=300)  # forces copies split across passes
    assert scorer._parts is not None  # LM head applied at masked positions only
    model, tk = tm.load(path, "masked")
    want = np.array([tm.naive_pll(model, tk, s) for s in SHORT])
    got = _score(scorer, SHORT).numpy()
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, want, atol=1e-4, rtol=0)
    assert np.ptp(got / [len(s) for s in SHORT]) > 0.05  # a non-trivial model, not uniform


def test_pll_full_head_budget_and_no_mask_paths_agree(ckpt):
    path = str(ckpt["esm-kmer"])
    ref = _score(MaskedLMScorer("m", path), SEQS)
    full = MaskedLMScorer("m", path, head_at_masked_only=False, max_tokens=50)
    assert full._parts is None
    nomask = MaskedLMScorer("m", path, max_tokens=100_000)
    nomask.takes_mask, nomask.body_takes_mask = False, False  # e.g. Caduceus: equal lengths per pass
    for other in (full, nomask):
        np.testing.assert_allclose(_score(other, SEQS).numpy(), ref.numpy(), atol=1e-4, rtol=0)


def test_kmer_tokens_are_the_pll_unit(ckpt):
    scorer = MaskedLMScorer("m", str(ckpt["esm-kmer"]))
    enc = scorer.tok("ACGTACGTTTGCA")  # 13 bp -> CLS + 2 six-mers + 1 leftover base
    toks = scorer.tok.tokenizer.convert_ids_to_tokens(enc.ids.tolist())
    assert toks == ["[CLS]", "ACGTAC", "GTTTGC", "A"]
    assert enc.scored.tolist() == [False, True, True, True]


@pytest.mark.parametrize("arch,first_scored", [("gpt2", False), ("llama", True)])
def test_ll_equals_naive_and_bos_rule(ckpt, arch, first_scored):
    path = ckpt[arch]
    scorer = CausalLMScorer("c", str(path))
    enc = scorer.tok(SEQS[0])
    assert (int(enc.ids[0]) == scorer.tok.tokenizer.bos_token_id) is first_scored
    ids, targets = scorer._targets(enc)
    assert int(targets.sum()) == len(SEQS[0]) - (0 if first_scored else 1)
    model, tk = tm.load(path, "causal")
    want = np.array([tm.naive_ll(model, tk, s) for s in SEQS])
    np.testing.assert_allclose(_score(scorer, SEQS).numpy(), want, atol=1e-4, rtol=0)


@pytest.mark.parametrize("arch", ["gpt2", "llama"])
def test_ll_independent_of_batch_size_padding_side_and_batch_mates(ckpt, arch):
    path = str(ckpt[arch])
    ref = _score(CausalLMScorer("c", path), SEQS).numpy()
    alone = np.array([float(_score(CausalLMScorer("c", path), [s])[0]) for s in SEQS[:3]])
    np.testing.assert_allclose(alone, ref[:3], atol=1e-4, rtol=0)
    left = CausalLMScorer("c", path, padding_side="left", max_tokens=250)
    np.testing.assert_allclose(_score(left, SEQS).numpy(), ref, atol=1e-4, rtol=0)
    mates = [tm.random_dna(np.random.default_rng(1), 150)] + SEQS[::-1]
    np.testing.assert_allclose(_score(CausalLMScorer("c", path), mates).numpy()[1:], ref[::-1], atol=1e-4, rtol=0)


def test_score_rc_is_mean_of_strands(ckpt):
    path = str(ckpt["bert-char"])
    plain = MaskedLMScorer("m", path)
    both = _score(MaskedLMScorer("m", path, score_rc=True), SEQS[:3]).numpy()
    fwd = _score(plain, SEQS[:3]).numpy()
    rev = _score(plain, [reverse_complement(s) for s in SEQS[:3]]).numpy()
    np.testing.assert_allclose(both, (fwd + rev) / 2, atol=1e-4, rtol=0)
    assert np.abs(fwd - rev).max() > 1e-3  # the strands do differ for this model
