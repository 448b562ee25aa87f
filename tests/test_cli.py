"""The ``mitbench`` command: dispatch, ``list``, the version, one-paragraph errors, a quiet console."""
import subprocess

import pytest

from helpers import PYTHON, ROOT
from mitbench import cli
from mitbench.runs import listing


def _mitbench(*args, timeout=300):
    return subprocess.run([PYTHON, "-m", "mitbench", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "WANDB_MODE": "disabled",
                                                "HF_HUB_OFFLINE": "1", "MITBENCH_CACHE_DIR": ""})


def test_list_names_every_model_and_suite_config(capsys):
    cli.main(["list", "models"])
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == listing.options("model")
    assert any(line.startswith("hf_masked") and "gLM" in line and "pll" in line and "path=" in line for line in out)
    cli.main(["list", "suites"])
    assert len(capsys.readouterr().out.splitlines()) == len(listing.options("suite"))
    cli.main(["list", "datasets"])
    assert "urtecho2019" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="usage: mitbench list"):
        cli.main(["list", "nothing"])


def test_version_help_and_unknown_command(capsys):
    import mitbench

    cli.main(["--version"])
    assert capsys.readouterr().out.strip() == f"mitbench {mitbench.__version__}" and mitbench.__version__ == "0.1.0"
    cli.main([])
    assert "commands:" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="unknown command 'evaluat'"):
        cli.main(["evaluat"])


def test_missing_required_values_give_one_paragraph(tmp_path):
    res = _mitbench("evaluate", "suite=urtecho2019", f"hydra.run.dir={tmp_path / 'a'}")
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "suite=urtecho2019 needs suite.root" in res.stderr and "KosuriLab/ecoli_minimal_promoter" in res.stderr
    res = _mitbench("evaluate", "model=hf_masked", f"hydra.run.dir={tmp_path / 'b'}")
    assert "model=hf_masked needs model.path" in res.stderr and len(res.stderr.strip().splitlines()) <= 3
    res = _mitbench("fit", "model=hf_masked", f"hydra.run.dir={tmp_path / 'c'}")
    assert res.returncode != 0 and "model=pa_pwm|rpa_pwm|thermodynamic" in res.stderr


@pytest.mark.slow
def test_default_run_prints_a_short_summary(tmp_path):
    res = _mitbench("evaluate", f"hydra.run.dir={tmp_path}", "logger=csv")
    lines = (res.stdout + res.stderr).strip().splitlines()
    assert res.returncode == 0 and len(lines) <= 25, lines
    assert any(line.startswith("verdict: mechanism") for line in lines) and "Tip" not in res.stdout + res.stderr
