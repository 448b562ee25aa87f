"""mitbench bundle / verify: a fresh bundle verifies; one changed score, one changed sequence or one edited
metric in metrics.json fails with a paragraph naming it, whether or not the manifest was rewritten to match."""
from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from mitbench.models.glm.digests import file_sha256 as sha256_file
from mitbench.runs.board.bundle import MANIFEST, manifest_text, open_bundle, write_bundle
from mitbench.runs.board.legacy import _current, translate_target, translate_targets
from mitbench.runs.board.verify import main, same, verify, verify_bundle


@pytest.fixture(scope="module")
def bundle(three_runs, tmp_path_factory) -> Path:
    return write_bundle(three_runs["kmer"], tmp_path_factory.mktemp("bundles") / "kmer.tar.gz")


def repack(bundle: Path, out: Path, edit, remanifest: bool = True) -> Path:
    """``bundle`` with ``edit(files)`` applied to its {name: bytes}; the manifest rewritten to match
    (a careful forger) unless ``remanifest`` is False."""
    work = out.parent / (out.name + ".d")
    open_bundle(bundle, work)
    files = {p.name: p.read_bytes() for p in work.iterdir()}
    edit(files)
    if remanifest:
        files[MANIFEST] = manifest_text({k: v for k, v in files.items() if k != MANIFEST}).encode()
    with tarfile.open(out, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def edit_row(files, row: int, column: str, change) -> None:
    lines = files["scores.csv"].decode().split("\n")
    header = lines[0].split(",")
    cells = lines[row].split(",")
    i = header.index(column)
    cells[i] = change(cells[i])
    lines[row] = ",".join(cells)
    files["scores.csv"] = "\n".join(lines).encode()


def test_a_fresh_bundle_verifies(bundle, three_runs):
    with tarfile.open(bundle) as tar:
        names = sorted(tar.getnames())
    assert names == sorted(["MANIFEST.sha256", "config.yaml", "metrics.json", "overrides.yaml", "report.md",
                            "scores.csv", "spec.json"])
    result = verify_bundle(bundle)
    assert result.ok, result.paragraph()
    assert result.n_records == 40 and result.n_checked > 50
    assert result.paragraph().startswith("verified: ")
    # the manifest is sha256sum's format and holds the run's own bytes
    work = bundle.parent / "plain"
    assert open_bundle(bundle, work) == []
    line = next(x for x in (work / MANIFEST).read_text().splitlines() if x.endswith("  scores.csv"))
    assert line.split("  ")[0] == sha256_file(three_runs["kmer"] / "scores.csv")


def test_one_changed_score_fails(bundle, tmp_path):
    def bump(files):  # the first (class A) record's score, changed by one part in 10^8
        edit_row(files, 1, "score", lambda s: repr(float(s) * (1 + 1e-8)))

    forged = verify_bundle(repack(bundle, tmp_path / "score.tar.gz", bump))
    assert not forged.ok
    text = forged.paragraph()
    assert text.startswith("verify FAILED: ") and "mean_A" in text and "summarize gives" in text
    assert "\n" not in text
    careless = verify_bundle(repack(bundle, tmp_path / "score_nomanifest.tar.gz", bump, remanifest=False))
    assert "scores.csv: SHA-256" in careless.problems[0] and "differs from the manifest" in careless.problems[0]


def test_one_changed_sequence_fails(bundle, tmp_path):
    def mutate(files):
        edit_row(files, 2, "sequence", lambda s: ("C" if s[10] != "C" else "G").join([s[:10], s[11:]]))

    result = verify_bundle(repack(bundle, tmp_path / "seq.tar.gz", mutate))
    assert not result.ok
    assert any(re.fullmatch(r"1 sequence\(s\) differ from the regenerated suite's \(first: record \w+\)", p)
               for p in result.problems), result.problems


def test_an_edited_metric_fails(bundle, tmp_path):
    def edit(files):
        metrics = json.loads(files["metrics.json"])
        metrics["css"] = 0.75
        files["metrics.json"] = json.dumps(metrics).encode()

    result = verify_bundle(repack(bundle, tmp_path / "metric.tar.gz", edit))
    assert result.problems == ("metrics.json css = 0.75 but summarize gives 1.0",)


def test_cli_exit_status(bundle, tmp_path, capsys):
    main([str(bundle)])
    assert capsys.readouterr().out.startswith("verified: ")
    bad = repack(bundle, tmp_path / "bad.tar.gz", lambda f: f.update({"spec.json": b"{}"}))
    with pytest.raises(SystemExit) as stop:
        main([str(bad)])
    assert stop.value.code == 1 and "spec.json differs" in capsys.readouterr().out


def test_a_run_folder_and_the_premove_run_verify(three_runs):
    """Verification of folders: the Nullsettes run, and the full MIT run written before the layout move
    (1,400 records regenerated from seed 42 and v3.0)."""
    assert verify(three_runs["nullsettes"]).ok
    premove = verify(three_runs["premove"])
    assert premove.ok and premove.n_records == 1400, premove.paragraph()


def test_old_module_paths_are_translated(three_runs):
    cfg = OmegaConf.to_container(OmegaConf.load(three_runs["premove"] / "config.yaml"))
    assert cfg["model"]["_target_"] == "mitbench.models.biophysical.BiophysicalScorer"
    new = translate_targets(cfg)
    assert new["model"]["_target_"] == "mitbench.models.baselines.biophysical.BiophysicalScorer"
    assert new["model"]["component"]["_target_"] == "mitbench.models.baselines.components.pa_pwm.PAPWM"
    assert new["calibration"]["_target_"] == "mitbench.engine.calibration.RandomInitNull"
    targets = [new[k]["_target_"] for k in ("datamodule", "suite", "model", "calibration")]
    assert all(_current(t) for t in targets), targets
    assert translate_target("mitbench.data.mit.probes.spacing_records") == "mitbench.data.mit.probes.spacing_records"
    assert translate_target("mitbench.data.probes.spacing_records") == "mitbench.data.mit.probes.spacing_records"


def test_foreign_code_and_odd_members_are_refused(bundle, tmp_path):
    def foreign(files):
        files["config.yaml"] = files["config.yaml"].replace(b"mitbench.suites.mit.MITSuite", b"os.system")

    result = verify_bundle(repack(bundle, tmp_path / "foreign.tar.gz", foreign))
    assert "names code outside mitbench (os.system)" in result.problems[0]
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../metrics.json")
        tar.addfile(info, io.BytesIO(b""))
    assert "unexpected member '../metrics.json'" in verify_bundle(evil).problems[0]
    assert not (tmp_path.parent / "metrics.json").exists()


def test_same_compares_within_1e9():
    assert same(1.0, 1.0 + 5e-10) and not same(1.0, 1.0 + 2e-9)
    assert same(1e6, 1e6 * (1 + 5e-10)) and not same(1e6, 1e6 + 0.01)
    assert same(None, None) and not same(None, 0.0) and not same(True, 1) and same([1, {"a": 2.0}], [1, {"a": 2.0}])


def test_the_command_line(three_runs, tmp_path, capsys):
    from mitbench.cli import USAGE, main as cli

    assert all(f"\n  {c} " in USAGE for c in ("board", "bundle", "verify"))
    out = tmp_path / "ns.tar.gz"
    cli(["bundle", str(three_runs["nullsettes"]), "--out", str(out)])
    assert f"SHA-256 {sha256_file(out)}" in capsys.readouterr().out
    cli(["verify", str(out)])
    assert capsys.readouterr().out.startswith(f"verified: {out}: 60 records regenerated and matched")
    scoreless = tmp_path / "scoreless"
    scoreless.mkdir()
    for name in ("metrics.json", "spec.json", "config.yaml"):
        (scoreless / name).write_text("{}")
    with pytest.raises(SystemExit, match="no scores.csv or scores.parquet"):
        cli(["bundle", str(scoreless), "--out", str(tmp_path / "x.tar.gz")])
    cli(["board", str(three_runs["nullsettes"]), "--out", str(tmp_path / "site")])
    assert (tmp_path / "site" / "index.html").is_file()
