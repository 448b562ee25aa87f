"""train_glm end to end on a tiny synthetic genome (seconds): held-out bits/nt against a direct
calculation through ``model=hf_causal``, Markov baseline, resume, masked model, option errors."""
import json
import math

import hydra
import numpy as np
import pytest
import torch

from helpers import CONF, compose, shared_path
from mitbench.data.glm.genome_lm import GenomeLMDataModule
from mitbench.models.baselines.components.markov import markov_bits_per_nt
from mitbench.metrics.mit.verdict import VERDICTS
from mitbench.runs.train_glm import ConfigError, run

TINY = ["logger=none", "threads=1", "data.context=32", "data.batch_size=4", "data.steps_per_epoch=5",
        "data.n_val_windows=8", "trainer.max_steps=10", "trainer.max_time=null", "eval.markov_orders=[1,2,3]",
        "model.warmup_steps=2", "model.config.hidden_size=16", "model.config.num_hidden_layers=1",
        "model.config.num_attention_heads=2"]
CAUSAL = TINY + ["model.config.intermediate_size=32", "model.config.num_key_value_heads=2"]
MASKED = TINY + ["model=masked_small", "model.config.intermediate_size=32"]


def train_cfg(overrides):
    from hydra import compose as _compose, initialize_config_dir

    with initialize_config_dir(config_dir=str(CONF / "train_glm"), version_base="1.3"):
        return _compose(config_name="train_glm", overrides=overrides)


@pytest.fixture(scope="module")
def genome(tmp_path_factory):
    """20 kb with a codon-like period-3 signal, two contigs, an N run."""
    rng = np.random.default_rng(0)
    bases = np.array(list("ACGT"))
    seq = "".join(rng.choice(bases, p=[0.4, 0.1, 0.1, 0.4]) if i % 3 else rng.choice(bases[1:3]) for i in range(20_000))
    seq = seq[:7000] + "N" * 30 + seq[7030:]
    path = tmp_path_factory.mktemp("genome") / "tiny.fa.gz"
    import gzip

    with gzip.open(path, "wt") as fh:
        fh.write(f">one\n{seq[:15_000]}\n>two plasmid\n{seq[15_000:]}\n")
    return path


@pytest.fixture(scope="module")
def causal_run(genome, tmp_path_factory):
    out = tmp_path_factory.mktemp("causal")
    metrics = run(train_cfg([*CAUSAL, f"genome={genome}", f"paths.output_dir={out}"]))
    return out, metrics


def _windows(genome, part, context=32):
    dm = GenomeLMDataModule(str(genome), context=context)
    dm.setup()
    return dm, dm.windows(part)


def test_outputs_and_heldout_bits_equal_hf_causal_scores(causal_run, genome):
    out, metrics = causal_run
    for name in ("hf/config.json", "hf/model.safetensors", "hf/tokenizer.json", "fit_metrics.json",
                 "learning_curve.csv", "learning_curve.png", "report.md", "config.yaml", "checkpoints/last.ckpt"):
        assert (out / name).is_file(), name
    assert json.loads((out / "fit_metrics.json").read_text())["heldout_bits_per_nt"] == pytest.approx(
        metrics["heldout_bits_per_nt"])
    assert metrics["steps"] == 10 and metrics["tokens_seen"] == 10 * 4 * 32 and metrics["stopped_by"] == "max_steps"
    # the saved folder through the evaluate model group, exactly as `python evaluate.py model=hf_causal` builds it
    node = compose(["model=hf_causal", f"model.path={out / 'hf'}", "model.cache_dir=null"]).model
    scorer = hydra.utils.instantiate(node)
    _, test = _windows(genome, "test")
    seqs = ["".join("ACGT"[c] for c in w) for w in test]
    ll = scorer.score_batch(seqs)  # nats; every base scored (the tokenizer adds [BOS])
    direct = -float(ll.detach().sum()) / (len(seqs) * 32) / math.log(2)
    assert metrics["heldout_windows"] == len(seqs) > 10
    assert metrics["heldout_bits_per_nt"] == pytest.approx(direct, rel=1e-5)


def test_markov_baseline_is_fitted_on_training_bases_and_scored_on_the_same_windows(causal_run, genome):
    _, metrics = causal_run
    dm, test = _windows(genome, "test")
    direct = markov_bits_per_nt(dm.train_tracks(), {"val": dm.windows("val"), "test": test}, [1, 2, 3])
    for k in (1, 2, 3):
        assert metrics["markov_by_order"][str(k)]["test"] == pytest.approx(direct[k]["test"], rel=1e-12)
    best = min((1, 2, 3), key=lambda k: direct[k]["val"])
    assert metrics["markov_order"] == best and metrics["markov_bits_per_nt"] == pytest.approx(direct[best]["test"])
    assert metrics["train_bp"] + metrics["val_bp"] + metrics["test_bp"] == metrics["genome_bp"] == 20_000


def test_rerun_resumes_from_the_last_checkpoint(causal_run, genome, tmp_path):
    import shutil

    out = shutil.copytree(causal_run[0], tmp_path / "run", symlinks=True)  # the shared run stays as it was
    curve_before = (out / "learning_curve.csv").read_text().splitlines()
    second = run(train_cfg([*CAUSAL, f"genome={genome}", f"paths.output_dir={out}", "trainer.max_steps=15"]))
    assert second["resumed"] and second["steps"] == 15 and second["tokens_seen"] == 15 * 4 * 32
    curve_after = (out / "learning_curve.csv").read_text().splitlines()
    assert curve_after[: len(curve_before)] == curve_before and len(curve_after) == len(curve_before) + 1


def test_masked_model_trains_and_loads_through_hf_masked(genome, tmp_path):
    metrics = run(train_cfg([*MASKED, f"genome={genome}", f"paths.output_dir={tmp_path}"]))
    assert metrics["heldout_bits_per_nt"] is None and "masked LM" in metrics["notes"]
    assert 0 < metrics["heldout_masked_bits_per_nt"] < 4
    node = compose(["model=hf_masked", f"model.path={tmp_path / 'hf'}", "model.cache_dir=null"]).model
    scores = hydra.utils.instantiate(node).score_batch(["ACGTACGTTTGACA", "TTTTAAAACCCCGGGG"])
    assert scores.dtype == torch.float64 and torch.isfinite(scores).all()
    # the saved masked model through evaluate with the calibrated verdict (random-init twins of its config)
    from mitbench.runs.evaluate import run as evaluate

    rng = np.random.default_rng(3)
    fasta = tmp_path / "mit_like.fa"
    fasta.write_text("".join(f">{c}{i} class={c} group={i:03d}\n{''.join(rng.choice(list('ACGT'), 40))}\n"
                             for i in range(4) for c in "DEH"))
    m = evaluate(compose(["model=hf_masked", f"model.path={tmp_path / 'hf'}", "model.cache_dir=null", "logger=none",
                          "suite=external", f"suite.path={fasta}", "suite.n_boot=10", "calibration.n_null=2",
                          "alpha=0.34", f"paths.output_dir={tmp_path / 'eval'}", "trainer.enable_progress_bar=false"]))
    assert m["n_null"] == 2 and len(m["css_null_values"]) == 2 and m["css_null_p"] in (1 / 3, 2 / 3, 1.0)
    assert m["verdict"] in VERDICTS and m["calibration"].startswith("random_init (n_null=2")


def test_options_that_are_not_trainable_stop_with_one_line(genome, tmp_path):
    with pytest.raises(ConfigError, match="model=hf_causal is not a trainable architecture.*causal_small"):
        run(train_cfg(["model=hf_causal", f"genome={genome}", f"paths.output_dir={tmp_path}"]))
    with pytest.raises(ConfigError, match="task=contrastive"):
        run(train_cfg([*CAUSAL, f"genome={genome}", f"paths.output_dir={tmp_path}", "init=/x"]))


@pytest.mark.shared
def test_contrastive_fine_tuning_runs_on_urtecho(causal_run, genome, tmp_path):
    out, pre = causal_run
    root = shared_path("urtecho2019")
    metrics = run(train_cfg([*TINY[:7], "task=contrastive", f"init={out / 'hf'}", f"data.root={root}",
                             f"genome={genome}", f"paths.output_dir={tmp_path}", "trainer.max_steps=4",
                             "trainer.max_time=null", "data.pair_batch_size=4", "data.steps_per_epoch=2",
                             "model.warmup_steps=1", "eval.markov_orders=[2]"]))
    assert metrics["task"] == "contrastive" and metrics["steps"] == 4 and metrics["val_pairs"] > 100
    assert metrics["init_heldout_bits_per_nt"] == pytest.approx(pre["heldout_bits_per_nt"], rel=1e-6)
    rise = 100 * (metrics["heldout_bits_per_nt"] - pre["heldout_bits_per_nt"]) / pre["heldout_bits_per_nt"]
    assert metrics["heldout_bits_rise_pct"] == pytest.approx(rise, rel=1e-6)
    for key in ("val_win_rate_moved_before", "val_win_rate_scrambled_after"):
        assert 0 <= metrics[key] <= 1
    assert "Positional-contrastive" in (tmp_path / "report.md").read_text()


@pytest.mark.parametrize("name, kind, low, high", [("causal_small", "causal", 0.75e6, 0.85e6),
                                                   ("masked_small", "masked", 0.75e6, 0.9e6),
                                                   ("masked_tiny", "masked", 0.08e6, 0.12e6),
                                                   ("causal_base", "causal", 24e6, 27e6),
                                                   ("masked_base", "masked", 24e6, 27e6)])
def test_shipped_architectures_build_at_their_documented_size(name, kind, low, high):
    model = hydra.utils.instantiate(train_cfg([f"model={name}", "genome=x.fa"]).model)
    n = sum(p.numel() for p in model.parameters())
    assert model.kind == kind and low < n < high, (name, n)


def _visible_copy(causal_run, tmp_path):
    import shutil

    from helpers import visible_files

    out = shutil.copytree(causal_run[0], tmp_path / "run", symlinks=True)  # the shared run stays as it was
    return out, visible_files(out), (out / "checkpoints" / "last.ckpt").read_bytes()


@pytest.mark.parametrize("change", [["seed=1"], ["model.lr=0.001", "data.context=16"], ["genome=GENOME2"]])
def test_resume_with_other_training_settings_is_refused_naming_them(causal_run, genome, tmp_path, change):
    from helpers import visible_files
    from mitbench.runs.resume import ResumeRefused

    out, before, ckpt = _visible_copy(causal_run, tmp_path)
    other = tmp_path / "other.fa"
    other.write_text(">x\n" + "ACGT" * 2000 + "\n")
    change = [c.replace("GENOME2", str(other)) for c in change]
    keys = [c.split("=")[0] for c in change]
    with pytest.raises(ResumeRefused, match="trained with other settings than this run: ") as err:
        run(train_cfg([*CAUSAL, f"genome={genome}", f"paths.output_dir={out}", *change]))
    named = str(err.value).split("this run: ")[1].split(". Resuming")[0]
    assert all(f"{k}: " in named for k in keys) and "\n" not in str(err.value)
    assert visible_files(out) == before and (out / "checkpoints" / "last.ckpt").read_bytes() == ckpt


class _Planted:
    """Unpickling this calls ``Path.write_text`` (what a crafted checkpoint does with ``os.system``)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import pathlib

        return pathlib.Path.write_text, (pathlib.Path(self.marker), "code ran")


def test_a_pickled_resume_checkpoint_is_refused_and_never_runs(genome, tmp_path, monkeypatch):
    from mitbench.runs.resume import ResumeRefused

    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")  # turns torch's default into unpickling
    out, marker = tmp_path / "run", tmp_path / "ran"
    (out / "checkpoints").mkdir(parents=True)
    torch.save({"state_dict": {}, "epoch": 0, "global_step": 0, "payload": _Planted(marker)},
               out / "checkpoints" / "last.ckpt")
    with pytest.raises(ResumeRefused, match="was refused: it holds pickled Python objects"):
        run(train_cfg([*CAUSAL, f"genome={genome}", f"paths.output_dir={out}"]))
    assert not marker.exists() and not (out / "hf").exists()


def test_lightning_resume_reads_the_checkpoint_with_weights_only(causal_run, genome, tmp_path, monkeypatch):
    """Lightning's own torch.load of the resume checkpoint is restricted too (not only mitbench's check)."""
    import lightning.pytorch.trainer.connectors.checkpoint_connector as connector

    calls = []
    load = connector._CheckpointConnector.resume_start

    def spy(self, checkpoint_path=None, weights_only=None):
        calls.append(weights_only)
        return load(self, checkpoint_path, weights_only=weights_only)

    monkeypatch.setattr(connector._CheckpointConnector, "resume_start", spy)
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    out, _, _ = _visible_copy(causal_run, tmp_path)
    metrics = run(train_cfg([*CAUSAL, f"genome={genome}", f"paths.output_dir={out}", "trainer.max_steps=11"]))
    assert metrics["resumed"] and metrics["steps"] == 11 and calls and all(w is True for w in calls)
