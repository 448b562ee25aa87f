"""The random-init architecture null through evaluate: copies are the architecture's own random
initialisations, scored through the same engine and cache, and feed the verdict."""
import json

import numpy as np
import pandas as pd
import pytest

import tiny_models as tm
from helpers import compose
from mitbench.engine.calibration import RandomInitNull
from mitbench.runs.evaluate import run
from mitbench.metrics.mit.summary import summarize_mit
from mitbench.models.glm.causal import CausalLMScorer


def test_n_null_must_reach_alpha():
    RandomInitNull(n_null=19).check_level(0.05)
    with pytest.raises(ValueError, match="n_null=5.*use calibration.n_null >= 19"):
        RandomInitNull(n_null=5).check_level(0.05)


def test_random_init_copies_are_seeded_architecture_copies(tmp_path):
    path = tm.causal(tmp_path / "gpt", "gpt2", seed=0)
    model = CausalLMScorer("g", str(path), cache_dir=None)
    a, b, c = model.random_init_copy(3), model.random_init_copy(3), model.random_init_copy(4)
    assert a.tok is model.tok and a.source.startswith("random:") and a.source != c.source
    sa, sb, sc = (dict(x.model.state_dict()) for x in (a, b, c))
    assert all(torch_equal(sa[k], sb[k]) for k in sa) and not all(torch_equal(sa[k], sc[k]) for k in sa)
    assert a.cache_key("ACGT") != model.cache_key("ACGT") != c.cache_key("ACGT")


def torch_equal(x, y) -> bool:
    return bool((x == y).all())


def _fasta(path, n=12, seed=3):
    rng = np.random.default_rng(seed)
    path.write_text("".join(f">{c}{i} class={c} group={i:03d}\n{tm.random_dna(rng, 100)}\n"
                            for i in range(n) for c in "DEH"))
    return path


def test_null_copies_score_like_direct_random_inits(tmp_path):
    path = tm.causal(tmp_path / "gpt", "gpt2", seed=0)
    fasta = _fasta(tmp_path / "s.fa")
    over = ["model=hf_causal", f"model.path={path}", "logger=none", "calibration.n_null=3", "alpha=0.25",
            "suite=external", f"suite.path={fasta}", "suite.n_boot=20", f"paths.cache_dir={tmp_path / 'cache'}",
            "trainer.enable_progress_bar=false"]
    m = run(compose([*over, f"paths.output_dir={tmp_path / 'a'}"]))
    assert m["n_null"] == 3 and len(m["css_null_values"]) == 3 and m["css_null_p"] in (0.25, 0.5, 0.75, 1.0)
    table = pd.read_csv(tmp_path / "a" / "scores.csv")
    table["group"] = table["id"].str[1:].astype(int).map("{:03d}".format)
    for k in (0, 2):
        copy = CausalLMScorer("g", str(path), cache_dir=None).random_init_copy(k)
        table["score"] = copy.score_batch(table["sequence"].tolist()).detach().numpy()
        assert summarize_mit(table, n_boot=0)["css"] == pytest.approx(m["css_null_values"][k])
    assert m["verdict"] == "untrained-like" or m["verdict_beats_null"]  # the rule was applied
    again = run(compose([*over, f"paths.output_dir={tmp_path / 'b'}"]))
    assert again["n_scored"] == 0 and again["css_null_values"] == m["css_null_values"]  # all from the cache


@pytest.mark.slow
def test_null_and_references_through_evaluate(tmp_path):
    path = tm.causal(tmp_path / "gpt", "gpt2", seed=0)
    over = ["model=hf_causal", f"model.path={path}", "logger=none", "calibration.n_null=3", "alpha=0.25",
            f"paths.cache_dir={tmp_path / 'cache'}", "suite.n_boot=50", "trainer.enable_progress_bar=false"]
    m = run(compose([*over, f"paths.output_dir={tmp_path / 'a'}"]))
    assert m["calibration"].startswith("random_init (n_null=3") and m["n_null"] == 3
    assert len(m["css_null_values"]) == 3 and m["css_null_p"] in (0.25, 0.5, 0.75, 1.0)
    # the first null copy's CSS equals scoring that random initialisation directly
    table = pd.read_csv(tmp_path / "a" / "scores.csv")
    copy = CausalLMScorer("g", str(path), cache_dir=None).random_init_copy(0)
    meta = compose(over).suite
    import hydra

    recs = hydra.utils.instantiate(meta).records()
    frame = pd.DataFrame({"id": [r.id for r in recs], "class": [r.label for r in recs],
                          "group": [r.meta.get("group") for r in recs],
                          "placement": [r.meta.get("placement") for r in recs]})
    frame["score"] = copy.score_batch([r.sequence for r in recs]).detach().numpy()
    assert summarize_mit(frame, n_boot=0)["css"] == pytest.approx(m["css_null_values"][0])
    assert m["ref_kmer_css"] == pytest.approx(0.9) and m["verdict"] in ("untrained-like", "inconclusive", "composition")
    on_disk = json.loads((tmp_path / "a" / "metrics.json").read_text())
    assert on_disk["verdict"] == m["verdict"] and isinstance(on_disk["verdict_evidence"], list)
    assert (tmp_path / "a" / "mit_calibration.png").stat().st_size > 5000
    assert (tmp_path / "a" / "report.md").read_text().startswith("# mitbench report")
    assert "## Verdict: **" in (tmp_path / "a" / "report.md").read_text()
    # a rerun is served from the cache: the model, the references and the null copies
    again = run(compose([*over, f"paths.output_dir={tmp_path / 'b'}"]))
    assert again["n_scored"] == 0 and again["css_null_values"] == m["css_null_values"]
    assert np.array_equal(pd.read_csv(tmp_path / "b" / "scores.csv")["score"], table["score"])


def test_a_second_checkpoint_of_one_architecture_reuses_the_twins(tmp_path):
    """The null is paid once per architecture: twins depend on the config, tokenizer, seed and scoring
    settings, not on the parent's weights, path or name (issue 26 item 5)."""
    first, second = tm.causal(tmp_path / "a" / "ckpt", "gpt2", seed=0), tm.causal(tmp_path / "b" / "other", "gpt2", seed=7)
    one = CausalLMScorer("one", str(first), cache_dir=None)
    two = CausalLMScorer("two", str(second), cache_dir=None)
    assert one.cache_key("ACGT") != two.cache_key("ACGT")  # different weights, different scores
    assert one.random_init_copy(3).cache_key("ACGT") == two.random_init_copy(3).cache_key("ACGT")
    assert one.random_init_copy(3).cache_key("ACGT") != one.random_init_copy(4).cache_key("ACGT")
    fasta = _fasta(tmp_path / "s.fa")
    over = ["model=hf_causal", "logger=none", "calibration.n_null=3", "alpha=0.25", "suite=external",
            f"suite.path={fasta}", "suite.n_boot=20", f"paths.cache_dir={tmp_path / 'cache'}",
            "trainer.enable_progress_bar=false", "references=none"]
    a = run(compose([*over, f"model.path={first}", f"paths.output_dir={tmp_path / 'ra'}"]))
    b = run(compose([*over, f"model.path={second}", "model.name=two", f"paths.output_dir={tmp_path / 'rb'}"]))
    assert a["n_scored"] == b["n_scored"] == 36 and b["css_null_values"] == a["css_null_values"]
    assert b["n_null_scored"] == 0 and a["n_null_scored"] == 3 * 36
