"""mitbench board: the site from three runs of two systems (MIT smoke run + pre-move full MIT run,
Nullsettes toy run) holds their numbers, pages and figures; in headless Chromium the index loads
without JavaScript errors and sorts from the address (skipped when chromium is not installed)."""
from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mitbench.report.board.cells import refs_text, sort_key
from mitbench.report.common import fmt
from mitbench.runs.board.site import build_board, collect, expand

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(three_runs, tmp_path_factory) -> Path:
    # kmer first, so a descending sort on MES synthetic must move the pre-move PA-PWM run (3.6) above it
    return build_board([three_runs["kmer"], three_runs["premove"], three_runs["nullsettes"]],
                       tmp_path_factory.mktemp("site") / "site", verify=True).parent


def metrics(run: Path) -> dict:
    return json.loads((run / "metrics.json").read_text())


def test_collect_groups_by_suite_and_carries_the_numbers(three_runs):
    data = collect([three_runs["kmer"], three_runs["premove"], three_runs["nullsettes"]])
    assert [(s["suite"], s["version"], len(s["rows"])) for s in data["suites"]] == [
        ("mit", "3.0", 2), ("nullsettes_kosuri", "1.0", 1)]
    assert [m["key"] for m in data["suites"][1]["metrics"]] == ["success_rate", "mean_accuracy"]
    kmer, premove, ns = data["runs"]
    pm = metrics(three_runs["premove"])
    css = premove["cells"]["css"]
    assert css["value"] == pm["css"] and css["ci"] == [pm["css_ci_low"], pm["css_ci_high"]] and css["p"] == pm["css_pvalue"]
    up = premove["cells"]["up_placement_effect"]
    assert up["null"] == {"kind": "panel", "mean": pm["up_placement_effect_panel_mean"],
                          "sd": pm["up_placement_effect_panel_sd"], "p": pm["up_placement_effect_panel_p"]}
    assert css["refs"] == {"composition": pm["ref_composition_css"], "kmer": pm["ref_kmer_css"]}
    assert ns["cells"]["mean_accuracy"]["value"] == metrics(three_runs["nullsettes"])["mean_accuracy"]
    assert kmer["smoke"] and not premove["smoke"] and premove["verdict"] == "mechanism"
    assert [m["name"] for m in data["models"]] == ["kmer", "pa_pwm"] and len(data["models"][0]["runs"]) == 2
    sha = dict(premove["provenance"])["scores.csv SHA-256"]
    assert sha == hashlib.sha256((three_runs["premove"] / "scores.csv").read_bytes()).hexdigest()
    assert dict(premove["provenance"])["seeds"].startswith("seed=42, suite.seed=42, suite.boot_seed=0")
    assert kmer["verification"] is None  # verified only when asked


def test_a_sweep_folder_is_its_job_folders(three_runs, tmp_path):
    for k, name in enumerate(("kmer", "nullsettes")):
        shutil.copytree(three_runs[name], tmp_path / "sweep" / str(k), symlinks=True)
    assert [p.name for p in expand([tmp_path / "sweep"])] == ["0", "1"]
    with pytest.raises(FileNotFoundError, match="neither a run folder"):
        expand([tmp_path / "nothing"])


def test_pages_numbers_and_figures(site, three_runs):
    index = (site / "index.html").read_text()
    pm = metrics(three_runs["premove"])
    for key in ("css", "mes_synthetic", "cm"):
        assert f'data-sort="{sort_key(pm[key])}"' in index and f"<span class=\"v\">{fmt(pm[key])}</span>" in index
    assert f"<span class=\"v\">{fmt(metrics(three_runs['nullsettes'])['mean_accuracy'])}</span>" in index
    assert "untrained-CNN panel -0.227 ± 0.314 (p 0.05)" in index  # up_placement_effect beside its panel
    assert html.escape(refs_text({"refs": {"composition": pm["ref_composition_css"], "kmer": pm["ref_kmer_css"]}})) in index
    assert index.count('class="badge verified"') == 3 and "http" not in re.sub(r'href="[^"]*"', "", index).split("<style>")[0]
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', index)  # nothing from the network
    runs = sorted(p.name for p in (site / "runs").iterdir())
    assert runs == ["mit--kmer--kmer", "mit--pa_pwm--premove", "nullsettes_kosuri--kmer--nullsettes"]
    page = (site / "runs" / "mit--kmer--kmer" / "index.html").read_text()
    assert '<img src="mit_class_scores.png"' in page and (site / "runs" / "mit--kmer--kmer" / "mit_class_scores.png").is_file()
    assert "<h2>Verdict: <strong>inconclusive</strong></h2>" in page  # report.md rendered
    assert "limit=40" in page and "seed=42" in page and "suite: &#39;" not in page
    assert (site / "models" / "pa_pwm.html").is_file() and "mit--pa_pwm--premove" in (site / "models" / "pa_pwm.html").read_text()


def chromium(*args: str, timeout: int = 90) -> str:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True).stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium): the board's browser test "
                                             "needs a headless browser")
def test_index_in_headless_chromium(site, three_runs, tmp_path):
    url = (site / "index.html").as_uri()
    profile = f"--user-data-dir={tmp_path / 'profile'}"
    dom = chromium(profile, "--dump-dom", url + "#sort=t-mit-3.0:mes_synthetic:desc&filter=t-nullsettes_kosuri-1.0:zzz")
    errors = re.search(r'<pre id="board-errors" hidden="" data-count="(\d+)">(.*?)</pre>', dom, re.S)
    assert errors is not None and errors.group(1) == "0", errors and errors.group(2)
    table = re.search(r'<table class="board" id="t-mit-3.0"(.*?)</table>', dom, re.S).group(0)
    assert 'data-sorted="mes_synthetic:desc"' in table and 'aria-sort="descending"' in table
    order = re.findall(r'<tr data-run="([^"]+)"', table)
    assert order == ["mit--pa_pwm--premove", "mit--kmer--kmer"]  # 3.6 before -0.672
    assert f"<span class=\"v\">{fmt(metrics(three_runs['premove'])['mes_synthetic'])}</span>" in table
    ns = re.search(r'<table class="board" id="t-nullsettes_kosuri-1.0"(.*?)</table>', dom, re.S).group(0)
    assert 'data-shown="0"' in ns and '<tr data-run="nullsettes_kosuri--kmer--nullsettes" hidden=""' in ns
    ascending = chromium(profile, "--dump-dom", url + "#sort=mes_synthetic:asc")
    table = re.search(r'<table class="board" id="t-mit-3.0"(.*?)</table>', ascending, re.S).group(0)
    assert re.findall(r'<tr data-run="([^"]+)"', table) == ["mit--kmer--kmer", "mit--pa_pwm--premove"]
    shot = tmp_path / "board.png"
    chromium(profile, "--window-size=1400,1000", f"--screenshot={shot}", url)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    # the error trap itself works: a page whose script throws reports it
    broken = site / "broken.html"
    broken.write_text((site / "index.html").read_text().replace("</body>", "<script>undefined_call();</script></body>"))
    dom = chromium(profile, "--dump-dom", broken.as_uri())
    assert re.search(r'<pre id="board-errors" hidden="" data-count="1">[^<]*undefined_call', dom)


def test_an_audit_run_is_tabulated_but_not_verifiable(tmp_path):
    """An audit run (metrics.json + spec.json, no scores table) gets its own table; --verify calls it not verifiable."""
    from mitbench.engine.outputs import write_json
    from mitbench.suites import audit

    run = tmp_path / "audit_markov"
    run.mkdir()
    write_json(run / "metrics.json", {"model": "markov", "suite": audit.NAME, "suite_version": audit.VERSION,
                                      "n_sequences": 80, "verdict": "distinguishable", "n_flagged": 27,
                                      "n_equivalent": 2, "n_metrics_tested": 34, "cnn_auroc": 0.99, "cnn_auroc_lo": 0.98,
                                      "cnn_auroc_hi": 1.0,
                                      "mode": "generate", "seed": 0})
    write_json(run / "spec.json", audit.SPEC.to_dict())
    data = collect([run], verify=True)
    (table,) = data["suites"]
    keys = ["n_flagged", "n_equivalent", "n_metrics_tested", "cnn_auroc"]
    assert (table["suite"], [m["key"] for m in table["metrics"]]) == ("audit", keys)
    (row,) = table["rows"]
    assert row["cells"]["cnn_auroc"]["ci"] == [0.98, 1.0] and row["verification"]["ok"] is None
    index = build_board([run], tmp_path / "site").read_text()
    assert 'class="badge v-distinguishable"' in index and "<span class=\"v\">0.99</span>" in index
