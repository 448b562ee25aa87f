"""Loading rules (remote code, offline help, configs), tokenization checks, cache keys."""
import json
import subprocess
import sys

import numpy as np
import pytest
import torch

import tiny_models as tm
from helpers import compose
from mitbench.models.cache import ScoreCache
from mitbench.models.glm.causal import CausalLMScorer
from mitbench.models.glm.masked import MaskedLMScorer

MODELS = ["hyenadna_small", "hyenadna_medium", "nt_500m", "nt_v2_500m", "grover", "caduceus", "dnabert2"]


@pytest.fixture(scope="module")
def bert(tmp_path_factory):
    return tm.masked(tmp_path_factory.mktemp("bert") / "m", "bert", "char")


@pytest.mark.parametrize("name", MODELS + ["evo2_1b"])
def test_model_configs_compose_with_pinned_fields(name):
    node = compose([f"model={name}", "paths.cache_dir=/tmp/c"]).model
    assert node.name == name and node.cache_dir == "/tmp/c"
    if name != "evo2_1b":
        assert node.path and node.revision and node.trust_remote_code is False


def test_remote_code_needs_explicit_opt_in(bert, tmp_path):
    cfg = json.loads((bert / "config.json").read_text())
    cfg["auto_map"] = {"AutoModelForMaskedLM": "modeling_x.XForMaskedLM"}
    remote = tmp_path / "remote"
    remote.mkdir()
    for f in bert.iterdir():
        (remote / f.name).write_bytes(f.read_bytes())
    (remote / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ValueError, match="trust_remote_code=true"):
        MaskedLMScorer("x", str(remote))


def test_offline_without_weights_says_how_to_supply_them(monkeypatch):
    import huggingface_hub.constants as hub

    monkeypatch.setattr(hub, "HF_HUB_OFFLINE", True)  # the env var is read at import time
    with pytest.raises(OSError, match="model.path=") as err:
        MaskedLMScorer("x", "no-such-org/no-such-model", revision="main")
    assert "HF_HUB_OFFLINE" in str(err.value)


def test_unknown_token_and_context_limit_name_the_record(bert):
    from mitbench.data.core.records import SequenceRecord

    scorer = MaskedLMScorer("m", str(bert))
    with pytest.raises(ValueError, match="'r1'"):
        scorer.tok("ACGTNACGT", "r1")
    scorer.max_length = 50
    with pytest.raises(ValueError, match="'long'.*context of 50"):
        scorer.check_records([SequenceRecord("ok", "A", "ACGT" * 10), SequenceRecord("long", "A", "A" * 60)])


def test_cache_key_changes_with_weights_and_mode(tmp_path):
    a = tm.causal(tmp_path / "a", "gpt2", seed=0)
    keys = [CausalLMScorer("c", str(a)).cache_key("ACGT")]
    keys.append(CausalLMScorer("c", str(a), score_rc=True).cache_key("ACGT"))
    tm.causal(tmp_path / "a", "gpt2", seed=1)  # re-saved in place with other weights
    keys.append(CausalLMScorer("c", str(a)).cache_key("ACGT"))
    keys.append(CausalLMScorer("c", str(a)).cache_key("ACGG"))
    assert len(set(keys)) == 4
    assert CausalLMScorer("other_name", str(a)).cache_key("ACGG") != keys[3]  # name is in the identity


def test_scorer_cache_serves_hits_and_counts_only_computed(bert, tmp_path):
    seqs = [tm.random_dna(np.random.default_rng(i), 30) for i in range(5)]
    first = MaskedLMScorer("m", str(bert), cache_dir=str(tmp_path))
    out1 = first.predict_step({"ids": list("abc"), "sequences": seqs[:3]})
    second = MaskedLMScorer("m", str(bert), cache_dir=str(tmp_path))
    out2 = second.predict_step({"ids": list("abcde"), "sequences": seqs})
    assert first.n_scored == 3 and second.n_scored == 2
    assert torch.equal(out2["scores"][:3], out1["scores"]) and out2["mode"] == "pll"
    assert len(ScoreCache(tmp_path)) == 5


_WRITER = """
import sys
from mitbench.models.cache import ScoreCache
c = ScoreCache(sys.argv[1])
for i in range(50):
    c.put_many({f"{sys.argv[2]}-{i}-{j}": float(i * 10 + j) for j in range(10)})
"""


def test_cache_survives_concurrent_writers(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), f"w{k}"]) for k in range(3)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    cache = ScoreCache(tmp_path)
    assert len(cache) == 1500
    assert cache.get_many(["w2-49-9", "w0-0-0", "missing"]) == {"w2-49-9": 499.0, "w0-0-0": 0.0}


def test_weights_hint_names_a_command_that_exists_and_no_none_revision(monkeypatch, tmp_path):
    import huggingface_hub.constants as hub

    monkeypatch.setattr(hub, "HF_HUB_OFFLINE", True)
    with pytest.raises(OSError) as err:
        MaskedLMScorer("x", "no-such-org/no-such-model")  # no revision pinned
    assert "`hf download no-such-org/no-such-model`" in str(err.value) and "None" not in str(err.value)
    with pytest.raises(OSError, match="local folder .*no such folder"):
        MaskedLMScorer("x", str(tmp_path / "missing"))
