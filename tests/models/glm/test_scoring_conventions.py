"""Named scoring conventions (model.scoring=) and causal sliding windows, each against a naive
reference written here (one unpadded sequence per forward), to 1e-4 nats."""
import math

import numpy as np
import pytest
import torch

import tiny_models as tm
from helpers import compose
from mitbench.data.core.records import SequenceRecord, reverse_complement
from mitbench.models.glm import conventions
from mitbench.models.glm.causal import CausalLMScorer
from mitbench.models.glm.masked import MaskedLMScorer

RNG = np.random.default_rng(11)
SEQS = [tm.random_dna(RNG, n) for n in (40, 17, 33, 9, 40)]  # mixed lengths: padding inside passes
TOL = 1e-4


@pytest.fixture(scope="module")
def ckpt(tmp_path_factory):
    root = tmp_path_factory.mktemp("conv")
    return {"bert-char": tm.masked(root / "bc", "bert", "char"), "esm-kmer": tm.masked(root / "ek", "esm", "kmer"),
            "gpt2": tm.causal(root / "g", "gpt2"), "llama": tm.causal(root / "l", "llama")}


def _score(scorer, seqs):
    with torch.inference_mode():
        return scorer.score_batch(seqs).numpy()


def _read(model, ids, positions, mask_id=None):
    """sum of log p(ids[p]) at ``positions`` of one unpadded forward (all masked first if ``mask_id``)."""
    inp = ids.clone()
    if mask_id is not None:
        inp[0, positions] = mask_id
    logp = torch.log_softmax(model(inp).logits[0].double(), -1)
    return float(sum(logp[p, ids[0, p]] for p in positions))


@torch.no_grad()
def naive_masked(model, tok, seq, k=None):
    """k=None: nothing masked (pll_unmasked); else pass j masks scored tokens j, j+m, ... (m=ceil(n/k))."""
    ids = tok(seq, return_tensors="pt")["input_ids"]
    specials = set(tok.all_special_ids)
    scored = [p for p in range(ids.shape[1]) if int(ids[0, p]) not in specials]
    if k is None:
        return _read(model, ids, scored)
    m = math.ceil(len(scored) / k)
    return sum(_read(model, ids, scored[j::m], tok.mask_token_id) for j in range(m))


@torch.no_grad()
def naive_windowed_ll(model, tok, seq, width, stride):
    """Each token i >= 1 of its window: log p(x_i | x_start..x_{i-1}), window start per the stated rule,
    one forward per token (no shared pass)."""
    ids = tok(seq, return_tensors="pt")["input_ids"][0]
    specials = set(tok.all_special_ids)
    total, start = 0.0, 0
    for i in range(1, len(ids)):
        if int(ids[i]) in specials:
            continue
        while i >= start + width:  # the token belongs to the first window that reaches it
            start += stride
        if i == start:  # cannot happen for stride < width (a window's first token was scored earlier)
            raise AssertionError
        logp = torch.log_softmax(model(ids[start:i].unsqueeze(0)).logits[0, -1].double(), -1)
        total += float(logp[ids[i]])
    return total


@pytest.mark.parametrize("name", ["bert-char", "esm-kmer"])
def test_pll_unmasked_equals_naive_and_is_pad_safe(ckpt, name):
    scorer = MaskedLMScorer("m", str(ckpt[name]), scoring="pll_unmasked", max_tokens=90)  # several passes
    model, tok = tm.load(ckpt[name], "masked")
    want = np.array([naive_masked(model, tok, s) for s in SEQS])
    got = _score(scorer, SEQS)
    assert np.abs(got - want).max() <= TOL
    alone = np.array([_score(scorer, [s])[0] for s in SEQS])  # no padding at all
    assert np.abs(got - alone).max() <= TOL
    nomask = MaskedLMScorer("m", str(ckpt[name]), scoring="pll_unmasked")
    nomask.takes_mask, nomask.body_takes_mask = False, False  # e.g. Caduceus: equal lengths per pass, no padding
    assert np.abs(_score(nomask, SEQS) - want).max() <= TOL
    assert np.abs(got - _score(MaskedLMScorer("m", str(ckpt[name])), SEQS)).max() > 1e-2  # not the exact PLL


@pytest.mark.parametrize("name,k", [("bert-char", 4), ("bert-char", 7), ("esm-kmer", 2)])
def test_pll_masked_k_equals_naive_schedule(ckpt, name, k):
    scorer = MaskedLMScorer("m", str(ckpt[name]), scoring="pll_masked_k", mask_k=k, max_tokens=120)
    model, tok = tm.load(ckpt[name], "masked")
    want = np.array([naive_masked(model, tok, s, k) for s in SEQS])
    assert np.abs(_score(scorer, SEQS) - want).max() <= TOL


def test_pll_masked_k1_and_exact_equal_naive(ckpt):
    path = str(ckpt["bert-char"])
    model, tok = tm.load(ckpt["bert-char"], "masked")
    want = np.array([tm.naive_pll(model, tok, s) for s in SEQS])
    exact = _score(MaskedLMScorer("m", path, scoring="pll_exact"), SEQS)
    k1 = _score(MaskedLMScorer("m", path, scoring="pll_masked_k", mask_k=1, max_tokens=100), SEQS)
    assert np.abs(exact - want).max() <= TOL and np.abs(k1 - want).max() <= TOL


def test_masked_k_schedule_masks_each_token_once():
    for n, k in [(1, 1), (10, 3), (100, 8), (17, 17), (5, 9)]:
        m, row = conventions.masked_k_rows(n, k)
        assert m == math.ceil(n / k) and row.tolist() == [t % m for t in range(n)]
        assert np.bincount(row.numpy()).max() <= k and sorted(set(row.tolist())) == list(range(m))


@pytest.mark.parametrize("arch", ["gpt2", "llama"])
def test_ll_and_ll_mean_equal_naive(ckpt, arch):
    path = str(ckpt[arch])
    model, tok = tm.load(ckpt[arch], "causal")
    want = np.array([tm.naive_ll(model, tok, s) for s in SEQS])
    n_terms = np.array([len(s) - (arch == "gpt2") for s in SEQS])  # GPT-2 has no BOS: first base unscored
    assert np.abs(_score(CausalLMScorer("c", path, scoring="ll"), SEQS) - want).max() <= TOL
    mean = _score(CausalLMScorer("c", path, scoring="ll_mean", max_tokens=60), SEQS)
    assert np.abs(mean - want / n_terms).max() <= TOL


@pytest.mark.parametrize("kind,scoring,kw", [("masked", "pll_unmasked", {}), ("masked", "pll_masked_k", {"mask_k": 3}),
                                             ("causal", "ll_mean", {})])
def test_rc_mean_is_mean_of_strands_under_each_convention(ckpt, kind, scoring, kw):
    path, cls = (str(ckpt["bert-char"]), MaskedLMScorer) if kind == "masked" else (str(ckpt["gpt2"]), CausalLMScorer)
    one = cls("x", path, scoring=scoring, **kw)
    both = cls("x", path, scoring=scoring, score_rc=True, **kw)
    want = (_score(one, SEQS) + _score(one, [reverse_complement(s) for s in SEQS])) / 2
    assert np.abs(_score(both, SEQS) - want).max() <= TOL
    assert both.scoring_label().endswith("+rc_mean")


@pytest.mark.parametrize("arch", ["gpt2", "llama"])
def test_sliding_windows_equal_naive_and_the_full_pass_where_it_fits(ckpt, arch):
    path = str(ckpt[arch])
    model, tok = tm.load(ckpt[arch], "causal")
    seqs = [tm.random_dna(np.random.default_rng(5), 70), SEQS[1], SEQS[0]]  # 70 > window; 17 fits
    win = CausalLMScorer("c", path, window_length=24, window_stride=10, max_tokens=100)
    want = np.array([naive_windowed_ll(model, tok, s, 24, 10) for s in seqs])
    got = _score(win, seqs)
    assert np.abs(got - want).max() <= TOL
    full = _score(CausalLMScorer("c", path), seqs)
    assert abs(got[1] - full[1]) <= TOL  # fits one window: the full pass
    assert abs(got[0] - full[0]) > 1e-3  # does not: less context, stated in the label
    wide = _score(CausalLMScorer("c", path, window_length=200, window_stride=100), seqs)
    assert np.abs(wide - full).max() <= TOL
    assert win.scoring_label() == "ll+window(W=24,S=10)" and "at least 14 tokens" in win.approximation()


def test_windows_cover_each_token_once():
    for length, width, stride in [(10, 4, 2), (100, 24, 10), (7, 7, 3), (1000, 128, 127), (3, 8, 4)]:
        seen = np.zeros(length, int)
        for start, end, first in conventions.windows(length, width, stride):
            assert end - start <= width and first >= start and (first == 0 or first - start >= width - stride)
            seen[first:end] += 1
        assert seen.tolist() == [1] * length
    with pytest.raises(ValueError, match="stride"):
        conventions.windows(10, 4, 4)


def _centre_window(t, n, width, stride):
    """Start of the window (starts 0, stride, ..., and n - width) whose centre is nearest token t
    (the earlier one on a tie), found by brute force."""
    starts = list(range(0, n - width, stride)) + [n - width]
    return min(starts, key=lambda a: (abs(t - (a + (width - 1) / 2)), a))


@torch.no_grad()
def naive_windowed_pll(model, tok, seq, width, stride, masked=True):
    """Each scored token masked (or not) alone in its centred window, one forward per token."""
    ids = tok(seq, return_tensors="pt")["input_ids"][0]
    specials = set(tok.all_special_ids)
    pos = [p for p in range(len(ids)) if int(ids[p]) not in specials]
    head, body, tail = ids[:pos[0]], ids[pos[0]:pos[-1] + 1], ids[pos[-1] + 1:]
    inner = width - len(head) - len(tail)
    total = 0.0
    for t in range(len(body)):
        a = _centre_window(t, len(body), inner, stride) if len(ids) > width else 0
        win = torch.cat([head, body[a:a + inner] if len(ids) > width else body, tail]).unsqueeze(0)
        at = len(head) + t - a
        if masked:
            win[0, at] = tok.mask_token_id
        total += float(torch.log_softmax(model(win).logits[0, at].double(), -1)[body[t]])
    return total


@pytest.mark.parametrize("name,scoring", [("bert-char", "pll_exact"), ("esm-kmer", "pll_exact"),
                                          ("bert-char", "pll_unmasked")])
def test_masked_windows_equal_naive_and_the_full_pass_where_it_fits(ckpt, name, scoring):
    path = str(ckpt[name])
    model, tok = tm.load(ckpt[name], "masked")
    seqs = [tm.random_dna(np.random.default_rng(5), 70), SEQS[3], SEQS[0]]
    width, stride = (20, 8) if name == "bert-char" else (8, 3)  # 6-mers: 70 bp = 12 tokens + CLS
    win = MaskedLMScorer("m", path, scoring=scoring, window_length=width, window_stride=stride, max_tokens=200)
    want = [naive_windowed_pll(model, tok, s, width, stride, masked=scoring == "pll_exact") for s in seqs]
    got = _score(win, seqs)
    assert np.abs(got - want).max() <= TOL
    full = _score(MaskedLMScorer("m", path, scoring=scoring), seqs)
    assert abs(got[1] - full[1]) <= TOL and abs(got[0] - full[0]) > 1e-3  # 9 bp fits; 70 bp does not
    assert np.abs(_score(MaskedLMScorer("m", path, scoring=scoring, window_length=500, window_stride=250), seqs)
                  - full).max() <= TOL
    assert "each side" in win.approximation()


def test_centred_windows_tile_and_pick_the_nearest_centre():
    for length, width, stride in [(70, 18, 8), (100, 24, 10), (7, 7, 3), (1000, 128, 64), (30, 10, 9), (11, 10, 1)]:
        owner = {}
        for start, end, lo, hi in conventions.centred_windows(length, width, stride):
            assert end - start == min(width, length) and start <= lo < hi <= end
            owner.update({t: start for t in range(lo, hi)})
        assert sorted(owner) == list(range(length))  # each token exactly once
        if length > width:
            assert all(owner[t] == _centre_window(t, length, width, stride) for t in range(length))


def test_too_long_is_refused_naming_the_option_unless_windowed(ckpt):
    path = str(ckpt["gpt2"])  # context 1100 tokens
    rec = [SequenceRecord("long", "A", "ACGT" * 300)]
    with pytest.raises(ValueError, match=r"'long'.*context of 1100.*model\.window_stride="):
        CausalLMScorer("c", path).check_records(rec)
    CausalLMScorer("c", path, window_stride=550).check_records(rec)
    with pytest.raises(ValueError, match="exceeds the model's context"):
        CausalLMScorer("c", path, window_stride=10, window_length=5000)
    with pytest.raises(ValueError, match=r"'long'.*model\.window_stride="):
        MaskedLMScorer("m", str(ckpt["bert-char"])).check_records(rec)
    MaskedLMScorer("m", str(ckpt["bert-char"]), window_stride=500).check_records(rec)


def test_unknown_or_mismatched_conventions_are_refused(ckpt):
    with pytest.raises(ValueError, match="causal model's convention"):
        MaskedLMScorer("m", str(ckpt["bert-char"]), scoring="ll")
    with pytest.raises(ValueError, match="mask_k >= 1"):
        MaskedLMScorer("m", str(ckpt["bert-char"]), scoring="pll_masked_k")
    with pytest.raises(ValueError, match="read only by model.scoring=pll_masked_k"):
        MaskedLMScorer("m", str(ckpt["bert-char"]), mask_k=4)
    with pytest.raises(ValueError, match="score_rc=true"):
        CausalLMScorer("c", str(ckpt["gpt2"]), scoring="ll_rc_mean")


def test_convention_is_in_the_cache_key_and_the_twins_identity(ckpt):
    path = str(ckpt["bert-char"])
    variants = [MaskedLMScorer("m", path), MaskedLMScorer("m", path, scoring="pll_unmasked"),
                MaskedLMScorer("m", path, scoring="pll_masked_k", mask_k=2),
                MaskedLMScorer("m", path, scoring="pll_masked_k", mask_k=3)]
    assert len({v.cache_key("ACGT") for v in variants}) == 4
    assert "scoring" not in variants[0].identity()  # the default keeps the keys of earlier caches
    twins = [v.random_init_copy(0) for v in variants]
    assert [t.scoring_label() for t in twins] == [v.scoring_label() for v in variants]
    assert len({t.cache_key("ACGT") for t in twins}) == 4
    assert twins[1].identity()["scoring"] == "pll_unmasked" and twins[1].approximation()
    ll, mean = CausalLMScorer("c", str(ckpt["gpt2"])), CausalLMScorer("c", str(ckpt["gpt2"]), scoring="ll_mean")
    win = CausalLMScorer("c", str(ckpt["gpt2"]), window_stride=500)
    assert len({s.random_init_copy(1).cache_key("ACGT") for s in (ll, mean, win)}) == 3
    assert win.random_init_copy(1).window == win.window


def test_configs_mirror_the_constructors(ckpt):
    import hydra

    node = compose(["model=hf_masked", f"model.path={ckpt['bert-char']}", "model.scoring=pll_masked_k",
                    "model.mask_k=4", "model.cache_dir=null"]).model
    scorer = hydra.utils.instantiate(node)
    assert (scorer.scoring, scorer.mask_k, scorer.scoring_label()) == ("pll_masked_k", 4, "pll_masked_k(k=4)")
    node = compose(["model=hf_causal", f"model.path={ckpt['gpt2']}", "model.scoring=ll_mean", "model.window_stride=512",
                    "model.cache_dir=null"]).model
    scorer = hydra.utils.instantiate(node)
    assert scorer.scoring_label() == "ll_mean+window(W=1100,S=512)"
    assert compose(["model=hf_masked"]).model.scoring == "pll_exact"


def test_evaluate_writes_the_convention_and_flags_the_approximation(ckpt, tmp_path):
    import json

    from mitbench.runs.evaluate import run

    fasta = tmp_path / "s.fa"
    rng = np.random.default_rng(2)
    fasta.write_text("".join(f">s{i} class={'DE'[i % 2]}\n{tm.random_dna(rng, 30)}\n" for i in range(6)))
    base = ["suite=external", f"suite.path={fasta}", "logger=none", "calibration=none", "references=none",
            "paths.cache_dir=null", "model=hf_masked", f"model.path={ckpt['bert-char']}"]
    exact = run(compose([*base, f"paths.output_dir={tmp_path / 'a'}"]))
    approx = run(compose([*base, "model.scoring=pll_unmasked", f"paths.output_dir={tmp_path / 'b'}"]))
    assert (exact["mode"], exact["scoring"], "scoring_approximation" in exact) == ("pll", "pll_exact", False)
    assert (approx["mode"], approx["scoring"]) == ("pll", "pll_unmasked")
    assert json.loads((tmp_path / "b" / "metrics.json").read_text())["scoring"] == "pll_unmasked"
    first = (tmp_path / "b" / "report.md").read_text().splitlines()[0]
    assert "APPROXIMATE scoring: pll_unmasked" in first
    assert "APPROXIMATE" not in (tmp_path / "a" / "report.md").read_text().splitlines()[0]
