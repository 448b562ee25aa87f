"""Bad input through the real entry point (``python evaluate.py`` as a subprocess): a non-zero
exit with a message naming the record, and an existing output directory left untouched."""
import os
import subprocess

import pytest

from helpers import ROOT

from helpers import PYTHON  # noqa: E402
GOOD = ">d0 class=D group=0\nacgtacgtac\n>e0 class=E group=0\nACGTACGTAA\n"
OUTPUTS = ("scores.csv", "metrics.json", "report.md", "mit_class_scores.png", "mit_css_vs_mes.png")


def _evaluate(tmp_path, fasta_text: str, out, model: tuple[str, ...] | None = None):
    fa = tmp_path / "in.fasta"
    fa.write_text(fasta_text)
    scores = tmp_path / "scores.csv"
    if not scores.exists():
        scores.write_text("id,score\nd0,-1.5\ne0,2.0\n")
    model = model or ("model=precomputed", f"model.path={scores}")
    cmd = [PYTHON, "evaluate.py", "logger=none", "suite=external", f"suite.path={fa}", "suite.n_boot=50",
           *model, f"hydra.run.dir={out}"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "WANDB_MODE": "disabled", "HYDRA_FULL_ERROR": "1"})


def test_bad_record_fails_naming_it_and_keeps_previous_outputs(tmp_path):
    out = tmp_path / "run"
    good = _evaluate(tmp_path, GOOD, out)
    assert good.returncode == 0, good.stderr[-2000:]
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    assert b'"css": 1.0' in before["metrics.json"]
    bad = _evaluate(tmp_path, GOOD.replace("ACGTACGTAA", "ACGTNCGTAA"), out)
    assert bad.returncode != 0
    assert "record 'e0'" in bad.stderr and "'N' at position 4" in bad.stderr
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert not list(out.glob(".staging-*")) and not (out / ".shards").exists()


@pytest.mark.slow
@pytest.mark.parametrize("text, needle", [
    (GOOD.replace("ACGTACGTAA", "ACGTRCGTAA"), "record 'e0': character 'R' at position 4"),
    (GOOD.replace("ACGTACGTAA", "ACGT-CGT1A"), "record 'e0': character '-' at position 4"),
    (">d0 class=D\n>e0 class=E\nACGT\n", "record 'd0': empty sequence"),
    (GOOD + ">d0 class=D\nACGT\n", "record 'd0': duplicate id"),
])
def test_bad_fasta_exits_nonzero_naming_record(tmp_path, text, needle):
    res = _evaluate(tmp_path, text, tmp_path / "run")
    assert res.returncode != 0 and needle in res.stderr, res.stderr[-2000:]
    assert not (tmp_path / "run" / "metrics.json").exists()


@pytest.mark.slow
def test_short_sequence_rejected_by_layout_bound_model(tmp_path):
    """PA-PWM reads the 100-bp layout resized to each length (>= 49 bp): a 40-bp record must be refused by name."""
    text = ">d0 class=D\n" + "A" * 100 + "\n>e0 class=E\n" + "ACGT" * 10 + "\n"
    res = _evaluate(tmp_path, text, tmp_path / "run", model=("model=pa_pwm",))
    assert res.returncode != 0 and "record 'e0'" in res.stderr, res.stderr[-2000:]
    assert not (tmp_path / "run" / "metrics.json").exists()
