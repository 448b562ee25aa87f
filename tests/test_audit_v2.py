"""audit.run's memorisation metrics end to end on the shipped excerpt: a generator that emits other
stretches of the reference is flagged, the natural control's sources are masked, a training genome
adds its own columns."""
import numpy as np
import pandas as pd
import pytest

from helpers import compose
from mitbench.data.audit.windows import Reference, audit_windows, holdout_of, random_prompts, sample_tiles
from mitbench.runs.audit import default_reference, run

SMALL = ["logger=none", "audit.n_windows=12", "audit.seed_len=200", "audit.gen_len=1000", "audit.bin_bp=500",
         "audit.n_perm=999", "audit.n_boot=50", "detector.enabled=false"]


def _run(out, *overrides):
    return run(compose([*SMALL, f"paths.output_dir={out}", *overrides], config_name="audit"))


def _copier(tmp_path, n=12, seed_len=200, gen_len=1000, unprompted=False):
    """generated.fa + manifest.tsv whose continuations are other (non-audit) stretches of the reference
    (after the audit's random prompts when ``unprompted``)."""
    windows = audit_windows(default_reference(), n, seed_len, gen_len, seed=0)
    prompts = random_prompts(windows, seed=2) if unprompted else windows
    ref = Reference(default_reference(), holdout_of(windows))
    tiles = sample_tiles(ref.contigs, n, gen_len, seed=5)
    fa, man = tmp_path / "copies.fa", tmp_path / "copies.tsv"
    fa.write_text("".join(f">g{i}\n{w.seed}{t[2]}\n" for i, (w, t) in enumerate(zip(prompts, tiles))))
    rows = "".join(f"g{i}\t{w.id}\t{seed_len}\n" for i, w in enumerate(windows))
    man.write_text("id\tsource_window\tseed_len\n" + rows)
    return fa, man


def test_copies_of_the_reference_are_flagged_as_memorised(tmp_path):
    fa, man = _copier(tmp_path)
    m = _run(tmp_path / "out", "generator=fasta", f"generator.path={fa}", f"generator.manifest={man}")
    t = m["tests"]
    assert t["memo_longest_bp"]["mean_generated"] == 1000 and t["memo_frac_ge50"]["mean_generated"] == 1.0
    assert t["memo_longest_bp"]["mean_natural"] < 1000 and t["memo_frac_ge50"]["mean_natural"] < 0.5
    assert {"memo_longest_bp", "memo_frac_ge50"} <= set(m["flagged"])
    assert m["verdicts"]["memorisation"] == "distinguishable"
    dist = pd.read_csv(tmp_path / "out" / "by_distance.csv")
    assert set(dist.loc[dist["metric"] == "memo_frac_ge50", "mean_generated"]) == {1.0}
    feats = pd.read_csv(tmp_path / "out" / "features.csv")
    assert {"memo_longest_bp", "memo_frac_ge50"} <= set(feats.columns)


def test_natural_control_sources_are_masked_and_a_training_genome_adds_columns(tmp_path):
    m = _run(tmp_path / "out", "generator=natural", f"audit.training_genome={default_reference()}")
    t = m["tests"]
    # the control's continuations are reference stretches, masked like the audit windows: no trivial match
    assert t["memo_longest_bp"]["mean_generated"] < 1000 and "memo_longest_bp" not in m["flagged"]
    # the training genome is not masked: both sides match themselves in full
    assert t["memo_train_longest_bp"]["mean_generated"] == t["memo_train_longest_bp"]["mean_natural"] == 1000
    assert np.isclose(t["memo_train_frac_ge50"]["mean_natural"], 1.0)


def test_manifest_generator_audits_the_pairs_layout(tmp_path):
    from pairs_layout import GEN, SEED, write_layout

    ref, manifest, truth = write_layout(tmp_path, n=4)
    out = tmp_path / "out"
    m = _run(out, f"reference={ref}", "generator=manifest", f"generator.manifest={manifest}",
             f"audit.seed_len={SEED}", f"audit.gen_len={GEN}", "audit.bin_bp=200")
    assert m["n_windows"] == 4 and m["generator"] == "manifest"
    assert m["generator_provenance"]["pairs"] == {p: f"{c}:{s}-{s + SEED + GEN}" for p, (c, s, _, _) in truth.items()}
    wins = pd.read_csv(out / "windows.tsv", sep="\t")
    assert sorted(zip(wins["contig"], wins["start"])) == sorted((c, s) for c, s, _, _ in truth.values())
    gen = dict(zip(*[iter((out / "generated.fa").read_text().split())] * 2))
    by_start = {s: syn for c, s, _, syn in truth.values()}
    for i, s in enumerate(wins["start"]):  # the run's own generated.fa is the synthetic windows' prompt + continuation
        assert gen[f">gen{i}"] == by_start[s][:SEED + GEN]
    assert m["holdout_bp"] == 4 * (SEED + GEN)


def test_unprompted_mode_compares_unpaired_sets(tmp_path):
    fa, man = _copier(tmp_path, unprompted=True)
    out = tmp_path / "out"
    m = _run(out, "audit.mode=unprompted", "generator=fasta", f"generator.path={fa}", f"generator.manifest={man}")
    assert m["audit_mode"] == "unprompted"
    tests = pd.read_csv(out / "tests.csv")
    assert {"auc", "n_generated", "n_natural"} <= set(tests.columns)
    memo = tests.set_index("metric").loc["memo_longest_bp"]
    assert memo["auc"] == 1.0 and memo["flagged"]  # every copy beats every natural window
    alt = tests.set_index("metric")["alternative"]  # memorisation one-sided in both modes
    assert set(alt[alt.index.str.startswith("memo_")]) == {"greater"} and alt["gc_fraction"] == "two-sided"
    # the natural set's margin, no TOST: undefined only where the natural windows have no spread (here, on 12
    # windows of 1 kb: no tRNA, no direct repeat, ...), not for every metric
    assert m["equivalence_delta"] == 0.5 and 0 < len(m["margin_undefined"]) < len(tests) // 4
    assert {"trna_count", "direct_repeat_count"} <= set(m["margin_undefined"]) and memo["margin"] > 0
    assert tests["tost_q"].isna().all() and set(tests["status"]) <= {"different", "not enough data"}
    assert "nan" not in (out / "report.md").read_text().splitlines()[0]
    prompts = (out / "prompts.fa").read_text().split()[1::2]
    windows = audit_windows(default_reference(), 12, 200, 1000, seed=0)
    assert prompts == [w.seed for w in random_prompts(windows, seed=2)] and prompts[0] != windows[0].seed
    assert "n_generated" in pd.read_csv(out / "by_distance.csv").columns
    with pytest.raises(ValueError, match="audit.mode must be 'prompted' or 'unprompted', got 'paired'"):
        _run(tmp_path / "bad", "audit.mode=paired")
