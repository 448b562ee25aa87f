"""Biophysical and simple baseline components: hand-set answers, gradients, symmetries."""
import numpy as np
import pytest
import torch
from torch.func import functional_call

from mitbench.data.core import grammar as g
from mitbench.data.core.records import reverse_complement
from mitbench.models.baselines.components.kmer import KmerMarkov
from mitbench.models.baselines.components.pa_pwm import PAPWM
from mitbench.data.core.encoding import one_hot
from mitbench.models.baselines.components.pwm import PAPER_EXT10, PAPER_MINUS10, PAPER_MINUS35, PAPER_UP
from mitbench.models.baselines.components.rpa_pwm import RPAPWM
from mitbench.models.baselines.components.scan import PositionScan
from mitbench.models.baselines.components.simple import PWMOnly, RandomScore


def _construct(up="CCCCCCCCC", m35="TTGACA", ext="CCC", m10="TATAAT", fill="C"):
    seq = fill * 100
    for start, motif in ((15, up), (30, m35), (50, ext), (53, m10)):
        seq = g.place(seq, start, motif)
    return seq


def _score(model, seqs):
    with torch.no_grad():
        return model(one_hot(seqs))


def _random_seqs(n, length, seed=0):
    rng = np.random.default_rng(seed)
    return [g.background(rng, length, at=0.55) for _ in range(n)]


def test_pa_pwm_hand_set_answers():
    m = PAPWM()
    full = _construct(up="AAAAAAAAA", ext="TGT")
    # -35 9.0 + -10 9.5 + 0.5 * UP 7.0 + ext 3.3 * 0.5 (strong -10)
    assert _score(m, [full]).item() == pytest.approx(9.0 + 9.5 + 3.5 + 1.65, abs=1e-9)
    # broken -10 (5.0), poor UP (-7.0), no ext: 9 + 5 - 3.5
    assert _score(m, [_construct(m10="TGTAAT")]).item() == pytest.approx(10.5, abs=1e-9)
    # TGTAAT is exactly 5.0: the paper's "< 5.0" is false, so ext gets ~x0.5 (gate sigmoid(-5))
    e = _score(m, [_construct(up="AAAAAAAAA", ext="TGT", m10="TGTAAT")]).item()
    weak_gate = 1 / (1 + np.exp(5.0))
    assert e == pytest.approx(9 + 5 + 3.5 + 3.3 * (0.5 + weak_gate), abs=1e-9)
    assert abs(e - (9 + 5 + 3.5 + 3.3 * 0.5)) < 0.03
    # a really weak -10 (TGTAAA = 3.2) gets the x1.5 compensation bonus
    assert _score(m, [_construct(up="AAAAAAAAA", ext="TGT", m10="TGTAAA")]).item() == \
        pytest.approx(9 + 3.2 + 3.5 + 3.3 * 1.5, abs=1e-9)
    nocomp = PAPWM(compensation=False)
    assert _score(nocomp, [full]).item() == pytest.approx(18.5, abs=1e-12)
    assert _score(PWMOnly(), [full]).item() == pytest.approx(18.5, abs=1e-12)
    # spacing penalty 0.5/bp when the layout's spacer is not 17
    shifted = PAPWM(compensation=False, minus10_start=55)
    assert _score(shifted, [g.place("C" * 100, 55, "TATAAT")]).item() == \
        pytest.approx(-6.0 + 9.5 - 1.0, abs=1e-12)  # CCCCCC: -6.0


def _brute_best(seq, pwm):
    idx = {b: i for i, b in enumerate("ACGT")}
    return max(sum(pwm[j][idx[seq[p + j]]] for j in range(len(pwm)))
               for p in range(len(seq) - len(pwm) + 1))


def test_pa_pwm_follows_the_length():
    """follow_length: a sequence of L bp is read at the 100-bp layout resized to L (every element shifted
    by the -35's move), i.e. exactly what fixed positions shifted by hand give; 100 bp is unchanged."""
    follow, fixed = PAPWM(follow_length=True), PAPWM()
    seqs100 = _random_seqs(4, 100, seed=3)
    assert torch.equal(_score(follow, seqs100), _score(fixed, seqs100))
    for length, shift in ((150, 15), (50, -15), (200, 30)):
        lay = g.STANDARD.resized(length)
        assert lay.minus35_start - 30 == shift == follow.shift(length)
        moved = PAPWM(minus35_start=30 + shift, minus10_start=53 + shift, up_start=15 + shift, ext10_start=50 + shift)
        seqs = _random_seqs(4, length, seed=length)
        assert torch.allclose(_score(follow, seqs), _score(moved, seqs), rtol=0, atol=1e-12)
    assert follow.min_length == 49 and fixed.min_length == 59 and PAPWM(positional=False, follow_length=True).shift(150) == 0


def test_pa_pwm_nopos_equals_brute_force_scan():
    seqs = _random_seqs(5, 100, seed=3)
    got = _score(PAPWM(positional=False), seqs)
    for s, v in zip(seqs, got.tolist()):
        s10, ext = _brute_best(s, PAPER_MINUS10), _brute_best(s, PAPER_EXT10)
        want = _brute_best(s, PAPER_MINUS35) + s10 + 0.5 * _brute_best(s, PAPER_UP)
        if ext > 1.0:
            want += ext * (1.5 if s10 < 5.0 else 0.5)
        assert v == pytest.approx(want, abs=0.05)  # gates are within 0.7 % of the hard rule


def test_rpa_pwm_hand_set_answers_and_relative_positions():
    m = RPAPWM()
    # parse (-35 at 30, spacer 17): 9 + 9.5 + spacing 2.0 + 0.5 * best UP (-7, all C) + strand 1
    assert _score(m, [_construct()]).item() == pytest.approx(18.0, abs=1e-9)
    comp = _construct(up="AAAAAAAAA", ext="TGT")
    assert _score(m, [comp]).item() == pytest.approx(18.0 + 7.0 + 3.3, abs=1e-9)
    # no absolute positions: the same promoter shifted by 7 bp scores the same
    assert _score(m, [comp[7:] + "C" * 7]).item() == pytest.approx(28.3, abs=1e-9)
    # UP moved downstream of -35 no longer counts
    moved = comp[:15] + "C" * 9 + comp[24:40] + "AAAAAAAAA" + comp[49:]
    assert _score(m, [moved]).item() < 28.3 - 6.9


def test_rpa_pwm_reverse_complement():
    seqs = _random_seqs(6, 100, seed=5) + [_construct(up="AAAAAAAAA", ext="TGT")]
    rcs = [reverse_complement(s) for s in seqs]
    sym = RPAPWM(strand_bonus=0.0)  # both strands scanned, no strand preference: exact symmetry
    assert torch.equal(_score(sym, seqs), _score(sym, rcs))
    m = RPAPWM()  # forward-strand bonus 1.0: S(x) = max(P(x) + 1, P(rc x)), so |S(x) - S(rc x)| <= 1
    diff = (_score(m, seqs) - _score(m, rcs)).abs()
    assert diff.max().item() <= 1.0 + 1e-12
    assert _score(m, seqs[-1:]).item() - _score(m, rcs[-1:]).item() == pytest.approx(1.0, abs=1e-12)


def test_scan_hand_set_answer():
    # best -35 at 30 (9.0), best -10 at 53 (9.5), no penalties, best ext 0.8 < 1.0, no AT-rich UP
    assert _score(PositionScan(), [_construct()]).item() == pytest.approx(18.5, abs=1e-9)


def test_kmer_markov_normalised_and_known_values():
    m = KmerMarkov()
    # a proper distribution: log-probs of all 4^6 six-mers sum to 1
    import itertools
    all6 = ["".join(p) for p in itertools.product("ACGT", repeat=6)]
    assert torch.logsumexp(_score(m, all6), 0).item() == pytest.approx(0.0, abs=1e-9)
    # and of all continuations of one 6-mer by one base
    ext = [all6[123] + b for b in "ACGT"]
    assert torch.logsumexp(_score(m, ext), 0).item() == pytest.approx(_score(m, [all6[123]]).item(), abs=1e-9)
    # shipped counts: 9,877,830 six-mers of E. coli 536 on both strands
    assert int(m.log_cond.numel()) == 4096 and int(m.log_init.numel()) == 1024


def test_random_score_deterministic_per_sequence():
    seqs = _random_seqs(200, 100, seed=7)
    m = RandomScore(seed=0)
    a = _score(m, seqs)
    b = torch.cat([_score(m, [s]) for s in reversed(seqs)]).flip(0)
    assert torch.equal(a, b)
    assert not torch.equal(a, _score(RandomScore(seed=1), seqs))
    assert abs(a.mean().item()) < 0.25 and 0.75 < a.std().item() < 1.25
    assert len(set(a.tolist())) == 200


COMPONENTS = {
    "pa_pwm": lambda: PAPWM(minus35_start=10, minus10_start=33, up_start=0, ext10_start=30),
    "pa_pwm_nocomp": lambda: PAPWM(minus35_start=10, minus10_start=33, compensation=False),
    "pa_pwm_nopos": lambda: PAPWM(positional=False),
    "rpa_pwm": lambda: RPAPWM(),
    "rpa_pwm_soft": lambda: RPAPWM(pool_temperature=0.5),
    "scan": lambda: PositionScan(expected_minus35=10, expected_minus10=33),
    "pwm": lambda: PWMOnly(minus35_start=10, minus10_start=33),
}
N_PARAMS = {"pa_pwm": 102, "pa_pwm_nocomp": 49, "pa_pwm_nopos": 102, "rpa_pwm": 105,
            "rpa_pwm_soft": 105, "scan": 69, "pwm": 48}


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_gradcheck_inputs_and_parameters(name):
    torch.manual_seed(0)
    m = COMPONENTS[name]()
    params = dict(m.named_parameters())
    assert sum(p.numel() for p in params.values()) == N_PARAMS[name]
    # a "soft" one-hot input keeps every motif score off the gates' steep centre
    x = torch.softmax(torch.randn(2, 40, 4, dtype=torch.float64) * 2, -1).requires_grad_(True)
    names = list(params)

    def f(x, *values):
        return functional_call(m, dict(zip(names, values)), (x,))

    values = tuple(p.detach().clone().requires_grad_(True) for p in params.values())
    assert torch.autograd.gradcheck(f, (x, *values), eps=1e-6, atol=1e-5, rtol=1e-4,
                                    fast_mode=name == "scan")  # slow mode: 24 s for scan


@pytest.mark.parametrize("make", [PAPWM, lambda: PAPWM(positional=False), RPAPWM, PositionScan,
                                  PWMOnly, KmerMarkov, RandomScore])
def test_batched_equals_unbatched(make):
    m = make()
    seqs = _random_seqs(9, 100, seed=11)
    batched = _score(m, seqs)
    single = torch.cat([_score(m, [s]) for s in seqs])
    assert torch.allclose(batched, single, rtol=0, atol=1e-12)
    assert batched.dtype == torch.float64 and batched.shape == (9,)


@pytest.mark.slow
def test_gradcheck_scan_full_jacobian():
    """The default run checks scan with gradcheck's fast (random-projection) mode; this is the full one."""
    torch.manual_seed(1)
    m = COMPONENTS["scan"]()
    names = [n for n, _ in m.named_parameters()]
    x = torch.softmax(torch.randn(2, 40, 4, dtype=torch.float64) * 2, -1).requires_grad_(True)
    values = tuple(p.detach().clone().requires_grad_(True) for p in m.parameters())
    assert torch.autograd.gradcheck(lambda x, *v: functional_call(m, dict(zip(names, v)), (x,)),
                                    (x, *values), eps=1e-6, atol=1e-5, rtol=1e-4)
