"""Real-size architectures (resources/architectures.json) build from their config with random weights, offline,
at the published parameter count, and score through the evaluate scorers; each names a configured model."""
import pytest
import torch
import yaml

from helpers import CONF
from mitbench.models.glm import tiny
from mitbench.models.glm.causal import CausalLMScorer
from mitbench.models.glm.masked import MaskedLMScorer

SIZES = {"nt_500m": (480e6, 500e6), "grover": (80e6, 95e6), "generator_1b": (1.10e9, 1.25e9)}
SEQS = ["TTGACAATTAATCATCGGCTCGTATAATGTGTGGAATTGTGAGCGGATAACAATTTCACACAGGAAACAGCTATGACCATGATTACGGATTCACTGGCC",
        "ACGT" * 25]


def _count(folder, kind):
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForMaskedLM

    with torch.device("meta"):  # shapes only: no memory, no weights drawn
        model = (AutoModelForMaskedLM if kind == "masked" else AutoModelForCausalLM).from_config(
            AutoConfig.from_pretrained(folder))
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("name", sorted(SIZES))
def test_architecture_has_its_published_size_and_names_a_configured_model(name, tmp_path):
    entry = tiny.architectures()[name]
    low, high = SIZES[name]
    assert low <= _count(tiny.architecture(name, tmp_path / name), entry["kind"]) <= high
    conf = yaml.safe_load((CONF / "model" / f"{entry['model_config']}.yaml").read_text())
    assert conf["path"] == entry["hub"] and len(conf["revision"]) == 40
    assert conf["defaults"][0] == ("hf_masked" if entry["kind"] == "masked" else "hf_causal")


def _scores(name, folder, seed=0):
    cls = MaskedLMScorer if tiny.architectures()[name]["kind"] == "masked" else CausalLMScorer
    return cls(name, str(folder), init="random", init_seed=seed).score_batch(SEQS)


@pytest.mark.parametrize("name", sorted(SIZES))
def test_two_layer_cut_scores_two_sequences_reproducibly(name, tmp_path):
    folder = tiny.architecture(name, tmp_path / name, layers=1)
    a, b, c = _scores(name, folder), _scores(name, folder), _scores(name, folder, seed=1)
    assert a.shape == (2,) and torch.isfinite(a).all() and torch.equal(a, b) and not torch.equal(a, c)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SIZES))
def test_real_size_scores_two_sequences(name, tmp_path):
    scores = _scores(name, tiny.architecture(name, tmp_path / name))
    assert scores.shape == (2,) and torch.isfinite(scores).all()
