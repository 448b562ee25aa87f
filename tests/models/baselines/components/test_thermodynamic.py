"""Thermodynamic component: hand-set values reproduce the paper's rules, gradients, batching."""
import json

import pytest
import torch

from helpers import shared_path
from mitbench.data.core.encoding import one_hot
from mitbench.models.baselines.components.thermodynamic import ThermodynamicModel

BG = "GCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGCGC"


def _seq(up="", ext="", m10="TATAAT", bg=BG):
    s = list(bg)
    s[30:36] = "TTGACA"
    s[53:59] = m10
    if up:
        s[15:15 + len(up)] = up
    if ext:
        s[50:50 + len(ext)] = ext
    return "".join(s)


def _energy(seqs):
    return ThermodynamicModel(output="energy").energy(one_hot(seqs)).detach()


def test_handset_energy_terms_match_paper_rules():
    # GC background: the other spacer configurations add < 0.02 kT to the logsumexp.
    base = _energy([_seq()])[0]
    assert base == pytest.approx(12 + 13 + 1.0, abs=1e-3)  # -35 (6 x 2.0) + -10 (13) + spacing 17
    broken = _energy([_seq(m10="TGTAAT")])[0]
    assert base - broken == pytest.approx(6.0, abs=0.02)  # A->G at the critical -10 position
    # Extended -10 "TG": +2.0 on an intact -10, doubled (compensation) on the broken one.
    assert _energy([_seq(ext="TGT")])[0] - base == pytest.approx(2.0, abs=0.02)
    assert _energy([_seq(ext="TGT", m10="TGTAAT")])[0] - broken == pytest.approx(4.0, abs=0.02)
    # UP: the 20-bp window 15-34 holds 3 A/T of the -35 box (TTGAC); 10 A + 3 = 13/20 > 60 % AT.
    assert _energy([_seq(up="A" * 10)])[0] - base == pytest.approx(0.5, abs=0.01)
    assert _energy([_seq(up="A" * 12)])[0] - base == pytest.approx(1.5, abs=0.01)  # 15/20 > 70 %
    assert _energy([_seq(up="A" * 14)])[0] - base == pytest.approx(2.5, abs=0.01)  # 17/20 > 80 %


def test_log_activity_is_monotone_in_energy_and_batch_invariant():
    g = torch.Generator().manual_seed(0)
    seqs = ["".join("ACGT"[i] for i in torch.randint(0, 4, (100,), generator=g)) for _ in range(40)]
    m = ThermodynamicModel()
    x = one_hot(seqs)
    e, s = m.energy(x).detach(), m(x).detach()
    order = torch.argsort(e)
    assert torch.all(torch.diff(s[order]) >= 0)
    single = torch.cat([m(one_hot([q])).detach() for q in seqs[:5]])
    assert torch.allclose(single, s[:5], rtol=0, atol=1e-12)


def test_gradcheck_parameters_and_input():
    # A compact layout (36 bp) keeps gradcheck fast; moderate gates keep finite differences accurate.
    m = ThermodynamicModel(minus35_start=5, up_start=0, up_window=20, gate_width=1.0, up_gate_width=1.0,
                           mu=-5.0, floor=-3.0)
    g = torch.Generator().manual_seed(1)
    x = torch.softmax(torch.randn(1, m.min_length, 4, generator=g, dtype=torch.float64), dim=2).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda inp: m(inp), (x,), eps=1e-6, atol=1e-5)
    names = [n for n, _ in m.named_parameters()]
    params = tuple(p.detach().clone().requires_grad_(True) for p in m.parameters())
    fn = lambda *ps: torch.func.functional_call(m, dict(zip(names, ps)), (x.detach(),))
    assert torch.autograd.gradcheck(fn, params, eps=1e-6, atol=1e-5)


def test_rejects_short_input():
    with pytest.raises(ValueError, match="length 50"):
        ThermodynamicModel()(one_hot(["A" * 50]))


def test_handset_css_on_reference_mit_sequences():
    folder = shared_path("mit_reference", "sequences")
    m = ThermodynamicModel()
    score = {c: m(one_hot([r["sequence"] for r in json.loads((folder / f"class_{c}.json").read_text())])).detach()
             for c in "DE"}
    css = float((score["E"] > score["D"]).double().mean())
    assert css >= 0.90  # measured 0.98 on the reference repo's 100 D/E pairs
