"""audit.run end to end on the shipped excerpt with small settings: outputs, the fasta round
trip, a tiny Hugging Face causal LM, and bad input (clear errors, nothing half-written)."""
import gzip
import json

import numpy as np
import pandas as pd
import pytest

from helpers import compose
from mitbench.metrics.audit.verdict import VERDICTS
from mitbench.runs.audit import run

SMALL = ["logger=none", "audit.n_windows=6", "audit.seed_len=200", "audit.gen_len=2000", "audit.bin_bp=1000",
         "audit.n_perm=199", "audit.n_boot=50", "detector.chunk_bp=500", "detector.model.channels=8",
         "detector.model.n_blocks=2", "trainer.max_epochs=1"]


def _run(tmp_path, *overrides):
    return run(compose([*SMALL, f"paths.output_dir={tmp_path}", *overrides], config_name="audit"))


def test_markov_audit_outputs_and_fasta_round_trip(tmp_path):
    m = _run(tmp_path / "markov")
    out = tmp_path / "markov"
    on_disk = json.loads((out / "metrics.json").read_text())
    assert on_disk["generator"] == "markov" and on_disk["generator_provenance"]["order"] == 5
    assert isinstance(on_disk["flagged"], list) and set(on_disk["flagged"]) <= set(on_disk["tests"])
    assert [d for d, _ in on_disk["cnn_auroc_by_distance"]] == [0, 500, 1000, 1500]
    assert 0.0 <= on_disk["cnn_auroc"] <= 1.0 and on_disk["cnn_test_windows"] == 3
    assert on_disk["kmer_ks"] == [1, 3, 5] and on_disk["kmer_space"] == "strand-specific"
    for name in ("report.md", "tests.csv", "by_distance.csv", "features.csv", "cnn_chunks.csv", "windows.tsv",
                 "prompts.fa", "generated.fa", "manifest.tsv", "config.yaml", "kmer_spectrum.png",
                 "auroc_by_distance.png", "fold_changes.png", "by_distance.png"):
        assert (out / name).exists(), name
    assert not list(out.glob(".staging-*"))
    tests = pd.read_csv(out / "tests.csv")
    assert "cnn_score" in set(tests["metric"]) and (tests["q"] >= tests["p"] - 1e-12).all()
    assert {"margin", "tost_p", "tost_q", "mde", "mde_fold", "status"} <= set(tests.columns)
    assert set(tests["status"]) <= {"different", "equivalent", "not enough data"}
    assert (tests["status"] == "different").tolist() == tests["flagged"].tolist()
    assert on_disk["n_equivalent"] + on_disk["n_not_enough_data"] + on_disk["n_flagged"] == on_disk["n_metrics_tested"]
    assert on_disk["tests"]["gene_count"]["status"] in {"different", "equivalent", "not enough data"}
    dist = pd.read_csv(out / "by_distance.csv")
    assert sorted(dist["distance_bp"].unique()) == [0, 1000]
    report = (out / "report.md").read_text()
    assert "Verdict per metric family" in report
    first = report.splitlines()[0]
    assert on_disk["verdict"] in VERDICTS and first.startswith(f"# Audit of `markov`: **{on_disk['verdict']}**")
    if on_disk["verdict"] != "distinguishable":  # 6 windows: underpowered, and the line says what it missed
        assert "It would miss mean shifts below a median MDE" in first and "detector AUROC up to" in first

    # the run's own continuations, re-read through generator=fasta, give the same features
    again = _run(tmp_path / "fasta", "generator=fasta", f"generator.path={out / 'generated.fa'}",
                 f"generator.manifest={out / 'manifest.tsv'}", "detector.enabled=false")
    f1, f2 = pd.read_csv(out / "features.csv"), pd.read_csv(tmp_path / "fasta" / "features.csv")
    pd.testing.assert_frame_equal(f1, f2)
    assert again["generator_provenance"]["settings"] == {"seed_len": {"200": 6}, "generator": {"markov": 6}}
    assert m["tests"]["direct_repeat_count"]["p"] == again["tests"]["direct_repeat_count"]["p"]


def test_hf_causal_generates_and_audits(tmp_path):
    from mitbench.models.glm import tiny

    path = tiny.causal(tmp_path / "gpt2")
    m = _run(tmp_path / "out", "generator=hf_causal", f"generator.path={path}", "generator.chunk_tokens=500",
             "generator.batch_size=6", "detector.enabled=false", "audit.gen_len=1000", "audit.bin_bp=500")
    assert m["generator"] == "hf_causal" and m["generator_provenance"]["fingerprint"].startswith("sha256:")
    gen = (tmp_path / "out" / "generated.fa").read_text().split("\n")[1::2]
    assert len(gen) == 6 and all(len(s) == 1200 and set(s) <= set("ACGT") for s in gen if s)


def _write_fa(path, records):
    with gzip.open(path, "wt") as fh:
        for name, seq in records:
            fh.write(f">{name}\n{seq}\n")
    return path


def test_reference_with_n_runs_lowercase_and_records_audits(tmp_path):
    rng = np.random.default_rng(0)
    a = "".join(rng.choice(list("ACGT"), 30000))
    b = "".join(rng.choice(list("acgt"), 20000))
    ref = _write_fa(tmp_path / "ref.fa.gz", [("chrA", a[:9000] + "N" * 500 + a[9500:]), ("chrB", b)])
    m = _run(tmp_path / "out", f"reference={ref}", "audit.n_windows=4", "audit.gen_len=1000",
             "audit.bin_bp=500", "detector.enabled=false")
    wins = pd.read_csv(tmp_path / "out" / "windows.tsv", sep="\t")
    assert set(wins["contig"]) <= {"chrA", "chrB"} and len(wins) == 4
    assert m["n_windows"] == 4


def test_a_reference_too_short_for_the_request_gives_fewer_windows_and_says_so(tmp_path):
    """40 tiles of 1,200 bp (chrA: 7 + 17 around its N run, chrB: 16) hold 20 audit windows with room for the
    natural control's stretches: 30 requested -> 20, in metrics.json and on report.md's first line."""
    rng = np.random.default_rng(0)
    a = "".join(rng.choice(list("ACGT"), 30000))
    b = "".join(rng.choice(list("ACGT"), 20000))
    ref = _write_fa(tmp_path / "ref.fa.gz", [("chrA", a[:9000] + "N" * 500 + a[9500:]), ("chrB", b)])
    m = _run(tmp_path / "out", f"reference={ref}", "generator=natural", "audit.n_windows=30", "audit.gen_len=1000",
             "audit.bin_bp=500", "detector.enabled=false")
    assert (m["n_windows_requested"], m["n_windows"], m["window_room"]) == (30, 20, 2)
    assert len(m["generator_provenance"]["source_windows"]) == 20
    first = (tmp_path / "out" / "report.md").read_text().splitlines()[0]
    assert first.startswith(f"# Audit of `natural`: **{m['verdict']}** (underpowered: the reference holds only "
                            "20 windows of 200 + 1,000 bp, 30 requested)")
    assert any(n.startswith("underpowered: the reference holds only 20 windows") for n in m["notes"])
    full = _run(tmp_path / "full", f"reference={ref}", "audit.n_windows=4", "audit.gen_len=1000", "audit.bin_bp=500",
                "detector.enabled=false")
    assert (full["n_windows_requested"], full["n_windows"]) == (4, 4)
    assert "holds only" not in (tmp_path / "full" / "report.md").read_text().splitlines()[0]


def test_bad_inputs_fail_clearly_and_write_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "metrics.json").write_text("{}")  # a previous run's result must survive a failed rerun
    short = _write_fa(tmp_path / "short.fa.gz", [("tiny", "ACGT" * 100)])
    with pytest.raises(ValueError, match=r"short\.fa\.gz: only 0 non-overlapping N-free stretches of 2200 bp"):
        _run(out, f"reference={short}")
    fa = tmp_path / "gen.fa"
    fa.write_text(">x1\nACGT\n")
    man = tmp_path / "man.tsv"
    man.write_text("id\tsource_window\tseed_len\nx2\tw\t200\n")
    with pytest.raises(ValueError, match=r"record 'x1' \(#0\) is not in the manifest"):
        _run(out, "generator=fasta", f"generator.path={fa}", f"generator.manifest={man}")
    # only the folder's private state (.lock, an empty .versions) is added; results are untouched
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["metrics.json"]
    assert not any((out / ".versions").iterdir()) and (out / "metrics.json").read_text() == "{}"


def test_default_config_composes_with_every_logger(tmp_path):
    from mitbench.engine.loggers import build_loggers

    cfg = compose([f"paths.output_dir={tmp_path}"], config_name="audit")
    assert cfg.generator.name == "markov" and cfg.reference is None and cfg.audit.holdout
    names = sorted(type(lg).__name__ for lg in build_loggers(cfg, tmp_path))
    assert names == ["CSVLogger", "WandbLogger"]
    a = cfg.audit  # the defaults the acceptance figures were measured at (docs/audit.md)
    assert (a.n_windows, a.seed_len, a.gen_len, a.bin_bp) == (100, 1000, 20000, 2000)
    assert cfg.logger.wandb.name == "audit-markov"
    for g in ("natural", "markov", "copy_drift", "fasta", "hf_causal", "evo2"):
        node = compose([f"generator={g}", f"paths.output_dir={tmp_path}"], config_name="audit").generator
        assert node._target_.startswith("mitbench.models.generators.")
