"""Reproduce the paper in one command: ``python evaluate.py experiment=reproduce_paper reference=<dir>``.

``<dir>`` is the paper's released ``mit_reference`` folder (``sequences/class_*.json``,
``scores/*_results.json``). Every released score file is replayed through mitbench's own readers,
suites and metric functions (the MIT files through ``suite=external`` + ``model=precomputed``, the
probe files through the probe suites' score-file readers, :mod:`mitbench.data.mit.probe_scores`), each
number computed by the definition the paper evidently used (:mod:`mitbench.metrics.mit.paper`,
``stats=paper``), and set beside the value the paper prints (``resources/paper_values.csv``, each
with its source). Outputs, written all-or-nothing into the run directory:

* ``reproduction.csv`` — ``quantity, model, paper, mitbench, abs_diff, match, note``; ``match`` is
  ``|paper - mitbench| <= tolerance`` (empty where the paper prints no value or the files do not
  allow the number);
* ``reproduction.md`` — the same side by side in the paper's layout, the discrepancies explained,
  the unpaired statistics beside the index pairing, and the design statistics of the released
  sequences beside fresh builds of the paper's and mitbench's designs.
"""
from __future__ import annotations

import csv
import json
import logging
import math
import time
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
from omegaconf import DictConfig

from mitbench.data.mit.design_stats import motif_checks, region_at, shared_background
from mitbench.data.mit.designed import build_mit
from mitbench.data.core.records import records_to_frame
from mitbench.data.core.textio import read_json
from mitbench.metrics.mit.paper import at_delta, paper_hierarchy
from mitbench.metrics.stats import bh_adjust
from mitbench.metrics.win_tests import ExactWinTest
from mitbench.models.precomputed import PrecomputedScorer
from mitbench.report.reproduce import COLUMNS, reproduction_markdown, reproduction_rows
from mitbench.suites.external import ExternalSuite

__all__ = ["COLUMNS", "Reproduction", "paper_values", "run"]

log = logging.getLogger(__name__)

GLMS = ("hyenadna", "evo2_1b", "nt_500m", "grover", "caduceus")
FAMILY = GLMS + ("random", "kmer", "pwm")  # the paper's BH family of 8
PROBE_MODELS = {"hyenadna": "", "evo2_1b": "_evo2_1b", "caduceus": "_caduceus"}  # probe file suffixes
PROBE_FILES = {"at_titration": "at_titration", "up_sweep": "positional_sweep", "spacing": "spacing", "strand": "strand"}
BIOPHYSICAL_NAMES = {"PA-PWM": "pa_pwm", "PA-PWM-NoComp": "pa_pwm_nocomp", "PA-PWM-NoPos": "pa_pwm_nopos",
                     "Thermo": "thermodynamic", "Scan": "scan"}  # biophysical_comparison.json -> mitbench models


def paper_values(path: str | Path | None = None) -> pd.DataFrame:
    """The paper's printed values (``quantity, model, paper, tolerance, source, note``)."""
    text = (Path(path).read_text() if path else
            resources.files("mitbench").joinpath("resources", "paper_values.csv").read_text())
    return pd.DataFrame(list(csv.DictReader(text.splitlines()))).astype({"paper": float, "tolerance": float})


class Reproduction:
    """Replay the paper's released files (config: ``conf/experiment/reproduce_paper.yaml``).

    Parameters
    ----------
    reference : str
        The released ``mit_reference`` folder (``sequences/``, ``scores/``).
    stats : PaperWinTest
        The paper's statistics (``stats=paper``): t-test p-values and bootstrap intervals.
    baselines : mapping of str to Scorer
        mitbench models scored live on the released sequences where the paper released only
        summaries (``biophysical_comparison.json``), keyed by mitbench model name.
    n_boot, seed : int
        Bootstrap resamples and seed (intervals of the unpaired statistics and effects).
    n_repair : int
        Random re-pairings behind ``css_repair_*``.
    design_seed : int
        Seed of the fresh builds whose design statistics are set beside the released sequences.
    probes : mapping of str to ProbeSuite
        The probe suites (``at_titration``, ``up_sweep``, ``spacing``, ``strand``) whose readers and
        metrics replay the probe score files (:meth:`mitbench.suites.probes.ProbeSuite.replay`).
    """

    def __init__(self, reference: str, stats, baselines: Mapping[str, Any] | None = None, n_boot: int = 1000,
                 seed: int = 0, n_repair: int = 10000, design_seed: int = 42, probes: Mapping[str, Any] | None = None):
        self.reference = Path(reference)
        for sub in ("sequences", "scores"):
            if not (self.reference / sub).is_dir():
                raise FileNotFoundError(f"reference={self.reference}: no {sub}/ folder (expected the released "
                                        "mit_reference layout: sequences/class_*.json, scores/*_results.json)")
        self.stats, self.baselines, self.probes = stats, dict(baselines or {}), dict(probes or {})
        self.n_boot, self.seed, self.n_repair, self.design_seed = int(n_boot), int(seed), int(n_repair), int(design_seed)

    def _scores(self, name: str) -> Path:
        return self.reference / "scores" / f"{name}_results.json"

    def mit(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """MIT metrics per released model file (and per live baseline), with the paper's BH."""
        suite = ExternalSuite(str(self.reference / "sequences"), n_boot=self.n_boot, boot_seed=self.seed,
                              stats=self.stats, n_repair=self.n_repair)
        records = suite.records()
        frame = records_to_frame(records)
        batch = {"ids": [r.id for r in records], "sequences": [r.sequence for r in records]}
        out, missing = {}, []
        for name in FAMILY:
            if not self._scores(name).is_file():
                missing.append(f"{self._scores(name).name} absent: {name} not replayed")
                continue
            scorer = PrecomputedScorer(str(self._scores(name)), name=name)
            scorer.check_records(records)
            out[name] = self._summarize(suite, frame, scorer.predict_step(batch)["scores"].numpy())
        for name, model in self.baselines.items():
            model.check_records(records)
            out[name] = self._summarize(suite, frame, model.predict_step(batch)["scores"].numpy())
        for key, family, names in (("css_qvalue_bh8", "css_pvalue", FAMILY), ("css_auc_qvalue_bh5", "css_auc_pvalue", GLMS)):
            present = [n for n in names if n in out]
            for n, q in zip(present, bh_adjust([out[n][family] for n in present])):
                out[n][key] = float(q)
        return out, missing

    def _summarize(self, suite: ExternalSuite, frame: pd.DataFrame, scores) -> dict[str, Any]:
        table = frame.assign(score=scores)
        m = suite.summarize(table)
        exact, wins = ExactWinTest(), int(round(m["css"] * m["css_n"]))  # mitbench's default, for comparison
        by = table.groupby("class")["score"].mean()
        m.update(css_pvalue_ttest=m["css_pvalue"], css_pvalue_exact=exact.pvalue(wins, m["css_n"]),
                 css_ci_exact=exact.ci(wins, m["css_n"]),
                 mean_C_minus_D=by.get("C", math.nan) - by.get("D", math.nan),
                 mean_E_minus_H=by.get("E", math.nan) - by.get("H", math.nan))
        return m

    def probe_metrics(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """Probe numbers per model with probe files (the probe suites' metrics + the paper's definitions)."""
        out, missing = {}, []
        for model, suffix in PROBE_MODELS.items():
            tables, m = {}, {}
            for probe, stem in PROBE_FILES.items():
                path = self._scores(stem + suffix)
                if not path.is_file() or probe not in self.probes:
                    missing.append(f"{path.name} absent: {probe} of {model} not replayed")
                    continue
                suite = self.probes[probe].replay(str(path))
                records = suite.records()
                scorer = PrecomputedScorer(str(path), name=model)
                scorer.check_records(records)
                table = records_to_frame(records)
                table["score"] = scorer.predict_step({"ids": table["id"].tolist(), "sequences": [""] * len(table)})[
                    "scores"].numpy()
                tables[probe] = table
                m.update(suite.summarize(table))
            m.update(paper_hierarchy(tables.get("at_titration"), tables.get("up_sweep"), tables.get("spacing"),
                                     tables.get("strand"), self.n_boot, self.seed))
            if "at_titration" in tables:
                m["at_delta_compensated_minus_broken_30"] = at_delta(tables["at_titration"], 0.3, "compensated")
            m["means_only"] = {p: bool((t["aggregate"] == "mean").all()) for p, t in tables.items()}
            out[model] = m
        return out, missing

    def design(self) -> dict[str, pd.DataFrame]:
        """Design statistics of the released sequences and of fresh builds of both designs."""
        sets = {"released": ExternalSuite(str(self.reference / "sequences"), n_repair=0).records(),
                "paper design (fresh build)": build_mit(self.design_seed, design="paper"),
                "matched design (fresh build)": build_mit(self.design_seed, controls=False)}
        shared = pd.DataFrame([{"set": k, **{f"{a}~{b}": shared_background(v, a, b) for a, b in
                                             (("C", "D"), ("D", "E"), ("E", "H"), ("E", "F"))}} for k, v in sets.items()])
        return {"at": pd.concat([region_at(v).assign(set=k) for k, v in sets.items()]),
                "motifs": pd.concat([motif_checks(v).assign(set=k) for k, v in sets.items()]), "shared": shared}

    def biophysical_file(self) -> dict[str, dict[str, float]]:
        """CSS/SCR of ``biophysical_comparison.json`` (released summaries, no per-sequence scores)."""
        path = self.reference / "scores" / "biophysical_comparison.json"
        if not path.is_file():
            return {}
        raw = read_json(path)  # refuses a model named twice (plain json keeps the last)
        return {BIOPHYSICAL_NAMES.get(k, k): {"css": v.get("css"), "scr": v.get("scr")} for k, v in raw.items()}


def run(cfg: DictConfig) -> dict[str, Any]:
    """Compose the reproduction from ``cfg.reproduce``, compute it and write the outputs."""
    import hydra

    from mitbench.engine.outputs import StagedOutput

    t0 = time.perf_counter()
    rep: Reproduction = hydra.utils.instantiate(cfg.reproduce)
    mit, missing = rep.mit()
    probes, missing_probes = rep.probe_metrics()
    rows = reproduction_rows(mit, probes, paper_values(), rep.biophysical_file())
    design = rep.design()
    out_dir = Path(cfg.paths.output_dir)
    with StagedOutput(out_dir) as stage:
        rows.to_csv(stage.path / "reproduction.csv", index=False, float_format="%.6g")
        (stage.path / "reproduction.md").write_text(
            reproduction_markdown(rows, mit, probes, design, missing + missing_probes, str(rep.reference)))
    n = rows["match"].isin([True, False])
    summary = {"rows": len(rows), "compared": int(n.sum()), "matched": int((rows["match"] == True).sum()),  # noqa: E712
               "wall_time_s": round(time.perf_counter() - t0, 3), "output_dir": str(out_dir)}
    print(json.dumps(summary))
    log.info("reproduction written to %s", out_dir)
    return summary
