"""Compare runs: one row per run from each run's ``metrics.json``, with BH-FDR-adjusted p-values.

Usable directly (:func:`compare_runs`, :func:`write_comparison`) or as a Hydra callback
(:class:`CompareCallback`, registered under ``hydra.callbacks`` in ``conf/evaluate.yaml``) that
writes ``<sweep dir>/comparison.csv`` and ``comparison.md`` when a ``-m`` sweep ends.

Multiple testing: Benjamini–Hochberg (``scipy.stats.false_discovery_control``) over the runs
of one suite (same ``suite`` and ``suite_version``), separately for CSS and for SCR p-values.
Runs of different suites test different hypotheses and are not pooled into one family.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Iterable

from hydra.experimental.callback import Callback

log = logging.getLogger(__name__)

COLUMNS = ["run", "overrides", "model", "mode", "suite", "suite_version", "n_sequences",
           "css", "css_ci_low", "css_ci_high", "css_pvalue", "css_p_fdr",
           "scr", "scr_ci_low", "scr_ci_high", "scr_pvalue", "scr_p_fdr",
           "mes_natural", "mes_synthetic", "cir", "cm"]


def compare_runs(dirs: Iterable[str | Path]):
    """Comparison table of finished runs.

    Parameters
    ----------
    dirs : iterable of path
        Run output directories, each holding ``metrics.json`` (as written by
        :func:`mitbench.evaluate.run`).

    Returns
    -------
    pandas.DataFrame
        One row per run in the given order, columns :data:`COLUMNS` (metrics a suite does not
        define are NaN). ``css_p_fdr``/``scr_p_fdr`` are BH-adjusted within each suite.

    Raises
    ------
    FileNotFoundError
        If a directory has no ``metrics.json``.
    """
    import numpy as np
    import pandas as pd

    from mitbench.metrics.stats import bh_adjust

    rows = []
    for d in map(Path, dirs):
        path = d / "metrics.json"
        if not path.is_file():
            raise FileNotFoundError(f"run {d}: no metrics.json (did the run fail?)")
        metrics: dict[str, Any] = json.loads(path.read_text())
        row = {c: metrics.get(c) for c in COLUMNS}
        row["run"], row["overrides"] = d.name, _overrides(d)
        rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS)
    numeric = [c for c in COLUMNS if c not in ("run", "overrides", "model", "mode", "suite", "suite_version")]
    table[numeric] = table[numeric].apply(pd.to_numeric, errors="coerce").astype(float)
    for _, idx in table.groupby(["suite", "suite_version"], dropna=False, sort=False).groups.items():
        for p in ("css", "scr"):
            table.loc[idx, f"{p}_p_fdr"] = bh_adjust(table.loc[idx, f"{p}_pvalue"].to_numpy(float))
    table["n_sequences"] = table["n_sequences"].astype("Int64")
    return table.replace({np.inf: np.nan, -np.inf: np.nan})


def _overrides(run_dir: Path) -> str:
    """The job's command-line overrides (``overrides.yaml`` written by evaluate), space-joined; "" if none."""
    path = next((p for p in (run_dir / "overrides.yaml", run_dir / ".hydra" / "overrides.yaml") if p.is_file()), None)
    if path is None:
        return ""
    from omegaconf import OmegaConf

    return " ".join(str(o) for o in OmegaConf.load(path))


def comparison_markdown(table) -> str:
    """Markdown version of a :func:`compare_runs` table (CIs as ``[low, high]``)."""
    from mitbench.report.common import fmt, fmt_ci, fmt_p, markdown_table

    header = ["run", "overrides", "model", "suite", "CSS", "CSS 95% CI", "CSS p", "CSS p (BH)", "SCR", "SCR 95% CI",
              "SCR p", "SCR p (BH)", "MES nat", "MES syn", "CIR", "CM"]
    rows = [[str(r.run), f"`{r.overrides}`" if r.overrides else "", str(r.model), f"{r.suite} v{r.suite_version}", fmt(r.css),
             fmt_ci(r.css_ci_low, r.css_ci_high), fmt_p(r.css_pvalue), fmt_p(r.css_p_fdr), fmt(r.scr),
             fmt_ci(r.scr_ci_low, r.scr_ci_high), fmt_p(r.scr_pvalue), fmt_p(r.scr_p_fdr),
             fmt(r.mes_natural), fmt(r.mes_synthetic), fmt(r.cir), fmt(r.cm)]
            for r in table.itertuples(index=False)]
    note = ("\np: exact one-sided binomial test (P(E wins) > 0.5); BH: Benjamini–Hochberg over the runs "
            "of the same suite. CIs: percentile bootstrap.\n")
    return "# mitbench comparison\n\n" + markdown_table(header, rows) + note


def write_comparison(table, outdir: str | Path, stem: str = "comparison") -> tuple[Path, Path]:
    """Write ``<stem>.csv`` and ``<stem>.md`` into ``outdir``; return their paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    csv_path, md_path = outdir / f"{stem}.csv", outdir / f"{stem}.md"
    table.to_csv(csv_path, index=False, float_format="%.10g", lineterminator="\n")
    md_path.write_text(comparison_markdown(table))
    return csv_path, md_path


def finished_runs(sweep_dir: str | Path) -> list[Path]:
    """Job directories under ``sweep_dir`` holding a ``metrics.json``, in job-number order."""
    def key(p: Path):
        head = p.name.split("_", 1)[0]
        return (int(head) if head.isdigit() else 10**9, p.name)

    return sorted((p.parent for p in Path(sweep_dir).glob("*/metrics.json")), key=key)


class CompareCallback(Callback):
    """Hydra callback: after a multirun, write the comparison of its jobs into the sweep dir.

    Parameters
    ----------
    stem : str
        File stem of the outputs (``<stem>.csv``, ``<stem>.md``).
    """

    def __init__(self, stem: str = "comparison") -> None:
        self.stem = stem

    def on_multirun_end(self, config, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        runs = finished_runs(sweep_dir)
        if not runs:
            log.warning("no finished runs (metrics.json) under %s; no comparison written", sweep_dir)
            return
        csv_path, _ = write_comparison(compare_runs(runs), sweep_dir, self.stem)
        log.info("comparison of %d run(s) written to %s", len(runs), csv_path)
