"""Cassette grammar: each term's hand-computed value, windows, batching, gradients, toy cassettes."""
import numpy as np
import pytest
import torch
from torch.func import functional_call

from mitbench.data.core.encoding import one_hot
from mitbench.data.core.grammar import background
from mitbench.data.nullsettes.build import build_nullsettes
from mitbench.models.baselines.biophysical import BiophysicalScorer
from mitbench.models.baselines.components.cassette import CassetteGrammar
from mitbench.models.baselines.components.tracks import FLOOR, hairpin_track, next_in_frame, window_max
from nullsettes_toy import make_root

PROK_OFF = {"w_orf": 0.0, "w_promoter": 0.0, "w_sd": 0.0, "w_terminator": 0.0}
EUK_OFF = {"w_orf": 0.0, "w_tata": 0.0, "w_kozak": 0.0, "w_pas": 0.0, "w_uatg": 0.0}


def _score(model, seqs):
    with torch.no_grad():
        return model(one_hot(seqs)).tolist()


def _prok(**on):
    return CassetteGrammar("prokaryotic", **{**PROK_OFF, **on})


def _euk(**on):
    return CassetteGrammar("eukaryotic", **{**EUK_OFF, **on})


def test_orf_term_counts_codons_to_the_first_in_frame_stop():
    m = _prok(w_orf=10.0)
    assert _score(m, ["CC" + "ATG" + "GCT" * 50 + "TAA" + "CC"]) == pytest.approx([10 * 51 / 200])
    assert _score(m, ["ATG" + "GCT" * 300 + "TAA"]) == pytest.approx([10.0])  # saturates at orf_codons
    assert _score(m, ["ATG" + "GCT" * 10]) == pytest.approx([10 * 11 / 200])  # no stop: to the end
    assert _score(m, ["CCCCCCCCC"]) == [FLOOR]  # no ATG


def test_shine_dalgarno_at_its_spacing_only():
    m = _prok(w_sd=1.0)
    assert _score(m, ["CCCC" + "AGGAGG" + "TTTTTTT" + "ATG" + "CCC" * 5]) == pytest.approx([6.0])
    assert _score(m, ["AGGAGG" + "C" * 20 + "ATG" + "CCC"]) == pytest.approx([-6.0])  # too far: only C's


def test_sigma70_promoter_upstream_with_spacer_penalty():
    m = _prok(w_promoter=0.5)
    tail = "C" * 30 + "ATG" + "C" * 9
    assert _score(m, ["TTGACA" + "C" * 17 + "TATAAT" + tail]) == pytest.approx([0.5 * 18.5])
    assert _score(m, ["TTGACA" + "C" * 19 + "TATAAT" + tail]) == pytest.approx([0.5 * 17.5])


def test_terminator_hairpin_after_the_stop_codon():
    m = _prok(w_terminator=0.3)
    hairpin = "GCGCGCGC" + "AAAA" + "GCGCGCGC" + "TTTTTTTT"
    assert _score(m, ["ATG" + "TAA" + "CC" + hairpin + "CC"]) == pytest.approx([0.3 * (24 + 0.5 * 8)])
    before, after = _score(m, [hairpin + "CCATGTAACC" + "C" * 20, "CCATGTAACC" + "C" * 20 + hairpin])
    assert after == pytest.approx(0.3 * 28) and before < 0.3 * 5  # upstream of the stop it does not count


def test_hairpin_track_position_and_value():
    x = one_hot(["AA" + "GCGCGCGC" + "AAAA" + "GCGCGCGC" + "TTTTTTTT"])
    pairs = CassetteGrammar().pairs
    with torch.no_grad():
        track = hairpin_track(x, pairs, 8, range(3, 10), 8, torch.tensor(0.5, dtype=torch.float64))
    assert int(track[0].argmax()) == 22 and track[0, 22].item() == pytest.approx(28.0)


def test_kozak_tata_pas_and_upstream_atg():
    assert _score(_euk(w_kozak=1.0), ["CCC" + "GCCACC" + "ATG" + "G" + "CC"]) == pytest.approx([5.0])
    assert _score(_euk(w_tata=1.0), ["TATAAAAG" + "C" * 40 + "ATG"]) == pytest.approx([8.0])
    assert _score(_euk(w_pas=1.0), ["ATG" + "TAA" + "C" * 20 + "AATAAA" + "C" * 5]) == pytest.approx([6.0])
    m = _euk(w_kozak=1.0, w_uatg=2.0)
    main = "GCCACCATGG"
    clean, with_uatg = _score(m, ["C" * 40 + main + "C" * 5, "C" * 10 + "TTTATGTC" + "C" * 22 + main + "C" * 5])
    assert clean == pytest.approx(5.0) and with_uatg == pytest.approx(3.0)


def test_window_max_and_next_in_frame_by_hand():
    t = torch.tensor([[1.0, 5.0, 2.0, 0.0, 3.0]], dtype=torch.float64)
    assert window_max(t, -2, -1).tolist() == [[FLOOR, 1.0, 5.0, 5.0, 2.0]]
    assert window_max(t, 0, 1).tolist() == [[5.0, 5.0, 2.0, 3.0, 3.0]]
    mask = torch.tensor([[False, False, False, True, False, False, False]])
    assert next_in_frame(mask, 99).tolist() == [[3, 99, 99, 3, 99, 99, 99]]


def test_batched_equals_unbatched_and_scorer_mixes_lengths():
    rng = np.random.default_rng(4)
    seqs = [background(rng, 300, at=0.5) for _ in range(6)]
    for kingdom in ("prokaryotic", "eukaryotic"):
        m = CassetteGrammar(kingdom)
        assert _score(m, seqs) == pytest.approx([_score(m, [s])[0] for s in seqs], abs=1e-12)
    scorer = BiophysicalScorer("cassette", CassetteGrammar(), exact_length=None)
    mixed = seqs[:3] + [s[:250] for s in seqs[3:]]
    assert scorer.score_batch(mixed).tolist() == pytest.approx([_score(scorer.component, [s])[0] for s in mixed])


@pytest.mark.parametrize("kingdom, n_params", [("prokaryotic", 6 * 4 * 3 + 16 + 6), ("eukaryotic", 24 * 4 + 5)])
def test_gradcheck_parameters(kingdom, n_params):
    torch.manual_seed(0)
    m = CassetteGrammar(kingdom, orf_codons=30)
    names = [n for n, _ in m.named_parameters()]
    assert sum(p.numel() for p in m.parameters()) == n_params
    rng = np.random.default_rng(1)
    x = one_hot([background(rng, 160, at=0.6) for _ in range(2)])
    # jitter every weight so that no two windows tie for a maximum (a kink of the max)
    values = tuple((p.detach() + 0.01 * torch.randn_like(p)).requires_grad_(True) for p in m.parameters())
    f = lambda *v: functional_call(m, dict(zip(names, v)), (x,))  # noqa: E731
    assert torch.autograd.gradcheck(f, values, eps=1e-6, atol=1e-5, rtol=1e-4)


def test_rejects_bad_arguments():
    with pytest.raises(ValueError, match="kingdom"):
        CassetteGrammar("archaeal")
    with pytest.raises(ValueError, match="sd_spacing"):
        CassetteGrammar(sd_spacing=(5, 2))


def test_toy_cassettes_score_above_most_mutants(tmp_path):
    records, _ = build_nullsettes(make_root(tmp_path), "kosuri")
    scorer = BiophysicalScorer("cassette", CassetteGrammar(), exact_length=None)
    scores = dict(zip([r.id for r in records], scorer.score_batch([r.sequence for r in records]).tolist()))
    wins = [scores[r.id] < scores[f"{r.meta['group']}_nonmutant"] for r in records if r.label != "nonmutant"]
    assert np.mean(wins) >= 0.9
