import gzip
import math

import numpy as np
import pytest
import torch

from mitbench.data.audit.windows import AuditWindow, Reference, audit_windows, holdout_of
from mitbench.models.generators.markov import (CopyDriftGenerator, MarkovGenerator, fit_chain, run_chain)
from mitbench.models.generators.natural import NaturalGenerator


def _genome(tmp_path, seq, name="g.fa.gz"):
    path = tmp_path / name
    with gzip.open(path, "wt") as fh:
        fh.write(">chr1\n" + seq + "\n")
    return path


def test_chain_counts_both_strands_and_masks_the_holdout(tmp_path):
    path = _genome(tmp_path, "ACGTTT" + "N" * 5 + "AAAA")
    cum = fit_chain(Reference(path), order=1, pseudocount=1e-9)
    # forward AC CG GT TT TT + AA AA AA; reverse complement TTTT: TT x3; AAACGT: AA AA AC CG GT
    # after A: A x5, C x2 -> P(A|A) = 5/7
    assert cum[0, 0] == pytest.approx(5 / 7)
    masked = fit_chain(Reference(path, {"chr1": [(11, 15)]}), order=1, pseudocount=1e-9)
    # the A-run held out: ACGTTT and its reverse complement AAACGT remain; after A: A x2, C x2
    assert masked[0, 0] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="no 2-mer outside the held-out windows"):
        fit_chain(Reference(path, {"chr1": [(0, 15)]}), order=1)


def test_run_chain_deterministic_chain_and_forcing():
    cum = np.array([[0.0, 1.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]])
    rng = np.random.default_rng(0)  # A -> C -> G -> T -> A with probability 1
    assert run_chain(cum, ["GA"], 6, rng) == ["CGTACG"]
    forced = np.array([[-1, 0, -1, -1]])  # position 1 forced to A; the chain continues from it
    assert run_chain(cum, ["A"], 4, rng, forced) == ["CACG"]


def test_markov_generator_seeded(tmp_path):
    rng = np.random.default_rng(0)
    path = _genome(tmp_path, "".join(rng.choice(list("ACGT"), 30000)))
    wins = audit_windows(path, 5, 50, 500, seed=0)
    gen = MarkovGenerator(order=3)
    gen.fit(Reference(path, holdout_of(wins)))
    a = gen.continuations(wins, 500, seed=1)
    assert a == gen.continuations(wins, 500, seed=1) and a != gen.continuations(wins, 500, seed=2)
    assert gen.provenance()["holdout_bp_masked"] == 5 * 550
    with pytest.raises(RuntimeError, match="must be fit"):
        MarkovGenerator().generate(wins, 10, 0)


def test_copy_drift_copy_probability_decays_exponentially():
    """P(base d copied) = exp(-d / λ): measured over many windows with a chain that never emits
    the true base (all-A truth, chain always emits C)."""
    cum = np.tile([0.0, 1.0, 1.0, 1.0], (4, 1))  # order 1: always C
    gen = CopyDriftGenerator(decay_bp=50.0, order=1)
    gen.cum = cum
    wins = [AuditWindow(f"w{i}", "c", 0, "A", "A" * 200) for i in range(4000)]
    out = gen.continuations(wins, 200, seed=0)
    copied = np.array([[c == "A" for c in s] for s in out]).mean(0)
    for d in (0, 25, 50, 100):
        assert copied[d] == pytest.approx(math.exp(-d / 50.0) if d else 1.0, abs=0.03)


def test_stratified_switch_points_realise_the_stated_decay_within_one_window():
    """Stratified: the share of n windows still copying at d is within 1/n of exp(-d/λ) at every
    d; independent draws (stratified=False) miss by more on the same seed."""
    cum = np.tile([0.0, 1.0, 1.0, 1.0], (4, 1))  # order 1: always C, so a copied base is an A
    n, lam, length = 40, 50.0, 300
    wins = [AuditWindow(f"w{i}", "c", 0, "A", "A" * length) for i in range(n)]
    expected = np.exp(-np.arange(length) / lam)
    worst = {}
    for stratified in (True, False):
        gen = CopyDriftGenerator(decay_bp=lam, order=1, stratified=stratified)
        gen.cum = cum
        out = gen.continuations(wins, length, seed=0)
        copied = np.array([[c == "A" for c in s] for s in out]).mean(0)
        worst[stratified] = float(np.abs(copied - expected).max())
    assert worst[True] <= 1 / n + 1e-12
    assert worst[False] > 1 / n
    assert CopyDriftGenerator(stratified=True).provenance()["stratified"] is True


def test_natural_generator_draws_disjoint_natural_windows(tmp_path):
    rng = np.random.default_rng(3)
    seq = "".join(rng.choice(list("ACGT"), 40000))
    path = _genome(tmp_path, seq)
    wins = audit_windows(path, 6, 100, 900, seed=0)
    gen = NaturalGenerator()
    gen.fit(Reference(path, holdout_of(wins)))
    out = gen.continuations(wins, 900, seed=5)
    srcs = gen.provenance()["source_windows"]
    spans = [tuple(int(x) for x in s.split(":")[1].split("-")) for s in srcs]
    for (s, e), o in zip(spans, out):
        assert seq[s:e] == o  # real genome sequence
        assert all(e <= w.start or s >= w.end for w in wins)  # never an audit window
    assert len(set(spans)) == len(spans)
    assert gen.reference_used() == {"chr1": sorted(spans)}  # masked from the metrics' background


def test_hf_causal_generates_seeded_dna(tmp_path):
    from mitbench.models.glm import tiny
    from mitbench.models.generators.hf_causal import HFCausalGenerator

    wins = [AuditWindow(f"w{i}", "c", 0, "ACGTACGTAC"[i:] + "ACGT" * 5, "") for i in range(3)]
    for arch in ("gpt2", "llama"):
        path = tiny.causal(tmp_path / arch, arch=arch)
        gen = HFCausalGenerator(str(path), batch_size=2, chunk_tokens=40, max_context=64)
        a = gen.continuations(wins, 100, seed=0)  # 3 chunks of 40 new tokens, context rolled
        assert a == gen.continuations(wins, 100, seed=0) and a != gen.continuations(wins, 100, seed=1)
        prov = gen.provenance()
        assert prov["fingerprint"].startswith("sha256:") and prov["temperature"] == 1.0


def test_evo2_clear_error_without_package_or_cuda():
    from mitbench.models.generators.evo2 import Evo2Generator

    try:
        import evo2  # noqa: F401
        has = True
    except ImportError:
        has = False
    if has and torch.cuda.is_available():
        pytest.skip("evo2 and CUDA present")
    with pytest.raises((ImportError, RuntimeError), match="needs the `evo2` package"):
        Evo2Generator()


def test_evo2_generator_through_a_fake_package(monkeypatch):
    import sys
    import types

    class FakeEvo2:
        def __init__(self, checkpoint, local_path=None):
            self.checkpoint = checkpoint

        def generate(self, prompt_seqs, n_tokens, temperature, top_k, top_p):
            return types.SimpleNamespace(sequences=[("acgt" * n_tokens)[:n_tokens] for _ in prompt_seqs])

    monkeypatch.setitem(sys.modules, "evo2", types.SimpleNamespace(Evo2=FakeEvo2))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    from mitbench.models.generators.evo2 import Evo2Generator

    gen = Evo2Generator(batch_size=2)
    wins = [AuditWindow(f"w{i}", "c", 0, "ACGT", "") for i in range(3)]
    assert gen.continuations(wins, 6, seed=0) == ["ACGTAC"] * 3  # upper-cased, checked
    assert gen.provenance()["top_k"] == 4
