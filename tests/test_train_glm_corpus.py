"""train_glm's `corpus` group: `none` is the default and changes nothing; `planted` / `planted_twin` write
the corpus into the run folder and the model trains on it (a tiny run, seconds)."""
import gzip
import json

import numpy as np
from hydra import compose as _compose, initialize_config_dir
from omegaconf import OmegaConf

from helpers import CONF
from mitbench.runs.train_glm import run

TINY = ["logger=none", "threads=1", "data.context=32", "data.batch_size=4", "data.steps_per_epoch=5",
        "data.n_val_windows=8", "trainer.max_steps=5", "trainer.max_time=null", "eval.markov_orders=[1,2]",
        "model.warmup_steps=2", "model.config.hidden_size=16", "model.config.num_hidden_layers=1",
        "model.config.num_attention_heads=2", "model.config.intermediate_size=32", "model.config.num_key_value_heads=2"]


def train_cfg(overrides):
    with initialize_config_dir(config_dir=str(CONF / "train_glm"), version_base="1.3"):
        return _compose(config_name="train_glm", overrides=overrides)


def test_corpus_none_is_the_default_and_the_twin_differs_from_planted_only_by_twin():
    assert train_cfg(["genome=x"]).corpus is None
    assert OmegaConf.to_container(train_cfg(["genome=x"])) == OmegaConf.to_container(train_cfg(["genome=x", "corpus=none"]))
    planted = OmegaConf.to_container(train_cfg(["genome=x", "corpus=planted"]).corpus, resolve=True)
    twin = OmegaConf.to_container(train_cfg(["genome=x", "corpus=planted_twin"]).corpus, resolve=True)
    assert planted["twin"] is False and twin == {**planted, "twin": True}
    assert planted["temperature"] == 0.5 and planted["share"] == 1.0 and planted["seed"] == 0


def test_planted_options_carry_the_measured_recipe_and_command_line_keys_still_win():
    for corpus in ("planted", "planted_twin"):
        cfg = train_cfg(["genome=x", f"corpus={corpus}"])
        assert (cfg.corpus.contig_length, cfg.model.config.num_hidden_layers, cfg.trainer.max_steps) == (256, 2, 1000)
        assert cfg.model.anneal_to_max_time is False and cfg.threads == 1
        assert list(cfg.snapshot_steps) == [125, 250, 500]
        assert cfg.model.config.hidden_size == 128  # the rest of causal_small untouched
    cfg = train_cfg(["genome=x", "corpus=planted", "trainer.max_steps=7", "model.config.num_hidden_layers=3"])
    assert (cfg.trainer.max_steps, cfg.model.config.num_hidden_layers) == (7, 3)
    assert train_cfg(["genome=x"]).snapshot_steps is None and train_cfg(["genome=x"]).trainer.max_steps == 2500


def test_planted_corpus_is_written_into_the_run_folder_and_trained_on(tmp_path):
    rng = np.random.default_rng(0)
    genome = tmp_path / "g.fa.gz"
    with gzip.open(genome, "wt") as fh:
        fh.write(">one\n" + "".join(rng.choice(list("ACGT"), size=12_000).tolist()) + "\n")
    out = {}
    for corpus in ("planted", "planted_twin"):
        out[corpus] = tmp_path / corpus
        metrics = run(train_cfg([*TINY, f"genome={genome}", f"corpus={corpus}", f"paths.output_dir={out[corpus]}",
                                 "snapshot_steps=[2,4]"]))
        assert (out[corpus] / "corpus.fa").is_file() and (out[corpus] / "corpus.sites.tsv").is_file()
        assert metrics["n_contigs"] == 46 and metrics["genome_bp"] == 46 * 256  # the corpus, not the genome
        assert metrics["corpus"]["n_planted"] == 46 and metrics["corpus"]["twin"] == (corpus == "planted_twin")
        assert metrics["corpus"]["exact_matches"] == metrics["corpus"]["near_copies"] == 0
        assert metrics["corpus"]["n_excluded_sequences"] == 1400  # the MIT v3 suite, seed 42, with controls
        assert json.loads((out[corpus] / "fit_metrics.json").read_text())["corpus"] == metrics["corpus"]
        assert metrics["heldout_bits_per_nt"] > 0
    a, b = ((out[c] / "corpus.fa").read_text().split("\n")[1::2] for c in ("planted", "planted_twin"))
    assert a != b and all(sorted(x) == sorted(y) for x, y in zip(a, b))


def test_snapshots_are_saved_at_their_steps_and_do_not_change_training(tmp_path):
    """hf/ snapshots load like the final hf/; a run with snapshots ends with the same weights as one without."""
    import torch
    from transformers import AutoModelForCausalLM

    rng = np.random.default_rng(1)
    genome = tmp_path / "g.fa.gz"
    with gzip.open(genome, "wt") as fh:
        fh.write(">one\n" + "".join(rng.choice(list("ACGT"), size=8_000).tolist()) + "\n")
    common = [*TINY, f"genome={genome}", "model.anneal_to_max_time=false"]
    with_snap = run(train_cfg([*common, f"paths.output_dir={tmp_path / 'a'}", "snapshot_steps=[1,3,99]"]))
    run(train_cfg([*common, f"paths.output_dir={tmp_path / 'b'}"]))
    assert [s["step"] for s in with_snap["snapshots"]] == [1, 3]  # 99 is past max_steps=5
    assert [s["tokens_seen"] for s in with_snap["snapshots"]] == [4 * 32, 3 * 4 * 32]
    first = AutoModelForCausalLM.from_pretrained(tmp_path / "a" / with_snap["snapshots"][0]["path"])
    a, b = (AutoModelForCausalLM.from_pretrained(tmp_path / d / "hf") for d in ("a", "b"))
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))
    assert not all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), first.state_dict().values()))
