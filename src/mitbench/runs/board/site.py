"""``mitbench board``: a static results site (works from ``file://``, no server, no network) from run
and sweep folders.

This module collects: each run's ``metrics.json`` and ``spec.json`` (through
:func:`mitbench.runs.compare.compare_runs`, one comparison per suite and version, so the headline
metrics, their intervals, BH-adjusted p-values, random-init null or panel and composition
references are the sweep table's), its ``config.yaml`` and ``overrides.yaml``, ``report.md`` and the
figures it shows, and the SHA-256 of its scores file. With ``verify=True`` every run with a scores
table is checked by :func:`mitbench.runs.board.verify.verify_run` and marked verified or not (an audit run has
none: "not verifiable"); without it no run is called verified. :mod:`mitbench.report.board` renders the pages from the plain data built here.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
import yaml

from mitbench.engine.outputs import safe_name
from mitbench.models.glm.digests import file_sha256
from mitbench.runs.compare import compare_runs, finished_runs

IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
SEED_KEYS = ("seed", "boot_seed", "perm_seed", "panel_seed")


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Run folders named by ``paths``: a folder with ``metrics.json`` is a run; any other folder is a
    sweep, whose job folders holding ``metrics.json`` are its runs (job-number order).

    Raises
    ------
    FileNotFoundError
        Naming a path that is neither (no ``metrics.json`` in it or in any sub-folder).
    """
    runs: list[Path] = []
    for p in map(Path, paths):
        found = [p] if (p / "metrics.json").is_file() else finished_runs(p) if p.is_dir() else []
        if not found:
            raise FileNotFoundError(f"{p}: neither a run folder (metrics.json) nor a sweep folder of runs")
        runs += [r for r in found if r.resolve() not in {x.resolve() for x in runs}]
    return runs


def _value(v: Any) -> Any:
    """A table cell as JSON-like data: NaN/NA -> None, numpy scalars -> Python."""
    if v is None or (not isinstance(v, (list, dict, str)) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def _cells(row: dict[str, Any], metric) -> dict[str, Any]:
    """One headline metric of one run: value, interval, p-values, null and references."""
    null = next(({"kind": kind, "mean": row.get(f"{metric.key}_{kind}_mean"), "sd": row.get(f"{metric.key}_{kind}_sd"),
                  "p": row.get(f"{metric.key}_{kind}_p")} for kind in ("null", "panel")
                 if row.get(f"{metric.key}_{kind}_mean") is not None), None)
    refs = {r: row[f"ref_{r}_{metric.key}"] for r in ("composition", "kmer") if f"ref_{r}_{metric.key}" in row}
    return {"value": row.get(metric.key), "ci": [row.get(c) for c in metric.ci] if metric.ci else None,
            "p": row.get(metric.pvalue) if metric.pvalue else None, "p_fdr": row.get(f"{metric.key}_p_fdr"),
            "null": null, "refs": refs}


def _figures(run_dir: Path, report: str) -> list[str]:
    """File names of the images report.md shows, then any other PNG of the run (no paths outside it)."""
    names = [n for n in IMAGE.findall(report) if "/" not in n and not n.startswith(".")]
    names += sorted(p.name for p in run_dir.glob("*.png") if p.name not in names)
    return [n for n in names if (run_dir / n).is_file()]


def _provenance(d: Path, m: dict[str, Any], config: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) rows: what produced the numbers."""
    model = config.get("model") or {}
    seeds = {"seed": m.get("seed")} | {f"suite.{k}": v for k, v in (config.get("suite") or {}).items() if k in SEED_KEYS}
    seeds |= {f"calibration.{k}": v for k, v in (config.get("calibration") or {}).items() if k in SEED_KEYS}
    rows = [("model", m.get("model")), ("checkpoint", m.get("checkpoint") or model.get("path")),
            ("revision", model.get("revision")), ("generator", m.get("generator_provenance")),
            ("scoring mode", m.get("mode")), ("scoring convention", m.get("scoring")),
            ("approximation", m.get("scoring_approximation")), ("suite", f"{m.get('suite')} v{m.get('suite_version')}"),
            ("records", m.get("n_sequences")), ("smoke run", f"limit={m['limit']}" if m.get("smoke") else None),
            ("seeds", ", ".join(f"{k}={v}" for k, v in seeds.items() if v is not None)),
            ("calibration", m.get("calibration")), ("sweep", m.get("sweep_id")), ("wall time (s)", m.get("wall_time_s"))]
    rows += [(f"{name} SHA-256", file_sha256(d / name)) for name in ("scores.parquet", "scores.csv") if (d / name).is_file()]
    return [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in rows if v not in (None, "")]


def _slug(taken: set[str], *parts: Any) -> str:
    base = "--".join(safe_name(p) for p in parts)
    slug, k = base, 2
    while slug in taken:
        slug, k = f"{base}-{k}", k + 1
    taken.add(slug)
    return slug


def collect(paths: Iterable[str | Path], verify: bool = False) -> dict[str, Any]:
    """The board's data: ``suites`` (one table per suite and version), ``runs`` and ``models``.

    Raises
    ------
    FileNotFoundError
        For a path that holds no run, or a run without ``spec.json`` (see :func:`compare_runs`).
    """
    dirs = expand(paths)
    groups: dict[tuple, list[Path]] = {}
    metrics = {d: json.loads((d / "metrics.json").read_text()) for d in dirs}
    for d in dirs:
        groups.setdefault((str(metrics[d].get("suite")), str(metrics[d].get("suite_version"))), []).append(d)
    taken: set[str] = set()
    runs, suites = {}, []
    for (suite, version), members in groups.items():
        table = compare_runs(members)
        headline = table.attrs["headline"]
        spec = [{"key": mm.key, "label": mm.label, "higher_is_better": mm.higher_is_better, "chance": mm.chance,
                 "description": mm.description, "tested": table.attrs["tested"].get(mm.key, False),
                 "has_ci": bool(mm.ci)} for mm in headline]
        rows = []
        for d, raw in zip(members, table.to_dict("records")):
            row = {k: _value(v) for k, v in raw.items()}
            m = metrics[d]
            slug = _slug(taken, suite, m.get("model"), d.parent.name if d.name.isdigit() else d.name)
            runs[slug] = _run(d, slug, m, row, headline, verify)
            runs[slug]["table"] = f"{safe_name(suite)}-{safe_name(version)}"
            rows.append(runs[slug])
        suites.append({"id": f"{safe_name(suite)}-{safe_name(version)}", "suite": suite, "version": version,
                       "metrics": spec, "rows": rows})
    models: dict[str, dict[str, Any]] = {}
    for r in runs.values():
        models.setdefault(r["model_slug"], {"slug": r["model_slug"], "name": r["model"], "runs": []})["runs"].append(r)
    return {"suites": suites, "runs": list(runs.values()), "models": list(models.values())}


def _run(d: Path, slug: str, m: dict[str, Any], row: dict[str, Any], headline, verify: bool) -> dict[str, Any]:
    report = (d / "report.md").read_text() if (d / "report.md").is_file() else ""
    config_text = (d / "config.yaml").read_text() if (d / "config.yaml").is_file() else ""
    try:
        config = yaml.safe_load(config_text) or {}
    except yaml.YAMLError:
        config = {}
    checked = None
    if verify and any((d / n).is_file() for n in ("scores.parquet", "scores.csv")):
        from mitbench.runs.board.verify import verify_run

        result = verify_run(d)
        checked = {"ok": result.ok, "text": result.paragraph()}
    elif verify:  # an audit run: its numbers come from generated sequences, not from a scores table
        checked = {"ok": None, "text": "not verifiable: the run has no scores table to re-summarise (an audit run)"}
    return {"slug": slug, "path": str(d), "model": str(m.get("model")), "model_slug": safe_name(m.get("model")),
            "suite": m.get("suite"), "version": m.get("suite_version"), "verdict": m.get("verdict") or "",
            "smoke": bool(m.get("smoke")), "overrides": row.get("overrides") or "", "verification": checked,
            "cells": {mm.key: _cells(row, mm) for mm in headline}, "labels": {mm.key: mm.label for mm in headline},
            "provenance": _provenance(d, m, config if isinstance(config, dict) else {}), "report": report,
            "config": config_text, "figures": _figures(d, report)}


def build_board(paths: Iterable[str | Path], out: str | Path, verify: bool = False,
                title: str = "mitbench results") -> Path:
    """Collect the runs under ``paths`` and write the site into ``out``; returns ``out/index.html``.

    Each run's page goes to ``out/runs/<slug>/index.html`` beside copies of its figures (so the
    report's relative image links work), each model's to ``out/models/<slug>.html``.
    """
    from mitbench.report.board import render_site

    data = collect(paths, verify=verify)
    out = Path(out)
    for r in data["runs"]:
        folder = out / "runs" / r["slug"]
        folder.mkdir(parents=True, exist_ok=True)
        for name in r["figures"]:
            shutil.copyfile(Path(r["path"]) / name, folder / name)
    return render_site(data, out, title=title)


def main(argv: list[str]) -> None:
    """``mitbench board RUN_OR_SWEEP... --out site [--verify] [--title T]``."""
    parser = argparse.ArgumentParser(prog="mitbench board", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="run folders, or sweep folders of job folders")
    parser.add_argument("--out", required=True, help="folder to write the site into (index.html)")
    parser.add_argument("--verify", action="store_true", help="verify every run (mitbench verify) and mark it")
    parser.add_argument("--title", default="mitbench results")
    args = parser.parse_args(argv)
    try:
        index = build_board(args.paths, args.out, verify=args.verify, title=args.title)
    except FileNotFoundError as err:
        raise SystemExit(f"mitbench board: {err}") from None
    print(f"board: {index} (open it in a browser; no server needed)")
