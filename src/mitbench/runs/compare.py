"""Compare runs: one row per run from each run's ``metrics.json``, with BH-FDR-adjusted p-values.

Which columns a comparison has comes from each run's metric spec (``spec.json``, written by
``evaluate`` from the suite's :class:`~mitbench.suites.spec.MetricSpec`): every headline metric
with its interval and p-value, and a Benjamini–Hochberg-adjusted p-value (``<key>_p_fdr``,
``scipy.stats.false_discovery_control``) for each metric the spec lists as ``tested``. The BH
family is the runs of one suite (same ``suite`` and ``suite_version``), one family per tested
metric; runs of different suites test different hypotheses and are never pooled.

Usable directly (:func:`compare_runs`, :func:`write_comparison`) or as a Hydra callback
(:class:`CompareCallback`, registered under ``hydra.callbacks`` in ``conf/evaluate.yaml``) that
writes ``<sweep dir>/comparison.csv`` and ``comparison.md`` when a ``-m`` sweep ends.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
from hydra.experimental.callback import Callback

from mitbench.metrics.stats import bh_adjust
from mitbench.engine.outputs import SPEC_FILE
from mitbench.report.common import fmt, fmt_ci, fmt_p, markdown_table
from mitbench.suites.spec import TIE_RULE, Metric
from mitbench.runs.sweeps import ENV, sweep_id_of

log = logging.getLogger(__name__)

BASE = ["run", "overrides", "model", "mode", "scoring", "suite", "suite_version", "n_sequences", "verdict"]
REFERENCES = ("composition", "kmer")


def read_spec(run_dir: Path) -> tuple[list[Metric], list[str]]:
    """Headline metrics and tested keys of a run (its ``spec.json``).

    Raises
    ------
    FileNotFoundError
        If the run has no ``spec.json`` (not written by ``evaluate``).
    """
    path = run_dir / SPEC_FILE
    if not path.is_file():
        raise FileNotFoundError(f"run {run_dir}: no {SPEC_FILE} (was it written by mitbench evaluate?)")
    spec = json.loads(path.read_text())
    return [Metric.from_config(m) for m in spec.get("headline", [])], list(spec.get("tested", []))


def _columns(metric: Metric, tested: bool) -> list[str]:
    cols = [metric.key] + (list(metric.ci) if metric.ci else []) + ([metric.pvalue] if metric.pvalue else [])
    return cols + ([f"{metric.key}_p_fdr"] if tested else [])


def _context_columns(metric: Metric, present: set[str]) -> list[str]:
    """The random-init null and the composition references of a metric, where any run has them."""
    cols = [f"{metric.key}_{prefix}_{stat}" for prefix in ("null", "panel") for stat in ("mean", "sd", "p")]
    cols += [f"ref_{r}_{metric.key}" for r in REFERENCES]
    return [c for c in cols if c in present]


def compare_runs(dirs: Iterable[str | Path]) -> pd.DataFrame:
    """Comparison table of finished runs.

    Parameters
    ----------
    dirs : iterable of path
        Run output directories, each holding ``metrics.json`` and ``spec.json`` (as written by
        :func:`mitbench.runs.evaluate.run`).

    Returns
    -------
    pandas.DataFrame
        One row per run in the given order; columns :data:`BASE` then, for every headline metric
        of the runs' specs (first seen first), its value, interval bounds, p-value and (for tested
        metrics) ``<key>_p_fdr``. A metric a run's suite does not define is NaN.
        ``table.attrs["headline"]`` (list of Metric) and ``table.attrs["tested"]`` ({key: bool})
        carry the spec the columns came from.

    Raises
    ------
    FileNotFoundError
        If a directory has no ``metrics.json`` or ``spec.json``.
    """
    rows, headline, tested = [], {}, {}
    for d in map(Path, dirs):
        path = d / "metrics.json"
        if not path.is_file():
            raise FileNotFoundError(f"run {d}: no metrics.json (did the run fail?)")
        metrics: dict[str, Any] = json.loads(path.read_text())
        metrics_spec, tested_keys = read_spec(d)
        for m in metrics_spec:
            headline.setdefault(m.key, m)
            tested[m.key] = tested.get(m.key, False) or m.key in tested_keys
        rows.append((d, metrics, set(tested_keys)))
    present = {k for _, metrics, _ in rows for k in metrics}
    metric_cols = [c for key, m in headline.items() for c in _columns(m, tested[key]) + _context_columns(m, present)]
    table = pd.DataFrame([{**{c: metrics.get(c) for c in BASE + metric_cols},
                           "run": d.name, "overrides": _overrides(d)} for d, metrics, _ in rows],
                         columns=BASE + metric_cols)
    numeric = ["n_sequences"] + [c for c in metric_cols if not c.endswith("_p_fdr")]
    table["verdict"] = table["verdict"].fillna("")
    table[numeric] = table[numeric].apply(pd.to_numeric, errors="coerce").astype(float)
    for key, m in headline.items():
        if not tested[key]:
            continue
        table[f"{key}_p_fdr"] = np.nan
        for _, idx in table.groupby(["suite", "suite_version"], dropna=False, sort=False).groups.items():
            member = [i for i in idx if key in rows[i][2]]
            table.loc[member, f"{key}_p_fdr"] = bh_adjust(table.loc[member, m.pvalue].to_numpy(float))
    table["n_sequences"] = table["n_sequences"].astype("Int64")
    table = table.replace({np.inf: np.nan, -np.inf: np.nan})
    table.attrs["headline"], table.attrs["tested"] = list(headline.values()), tested
    return table


def _overrides(run_dir: Path) -> str:
    """The job's command-line overrides (``overrides.yaml`` written by evaluate), space-joined; "" if none.

    The file is data: read as plain YAML, so ``${oc.env:...}`` or any other interpolation in an
    override stays the text the user typed (resolving it put an environment variable's value into
    the comparison).

    Raises
    ------
    ValueError
        Naming the file, if it is not a YAML list of strings.
    """
    path = next((p for p in (run_dir / "overrides.yaml", run_dir / ".hydra" / "overrides.yaml") if p.is_file()), None)
    if path is None:
        return ""
    import yaml

    try:
        items = yaml.safe_load(path.read_text())
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: not a YAML list of overrides ({type(err).__name__})") from None
    if items is None:
        return ""
    if not isinstance(items, list) or not all(isinstance(o, str) for o in items):
        raise ValueError(f"{path}: expected a YAML list of override strings, got {type(items).__name__}")
    return " ".join(items)


def comparison_markdown(table: pd.DataFrame) -> str:
    """Markdown version of a :func:`compare_runs` table (intervals as ``[low, high]``)."""
    headline, tested = table.attrs["headline"], table.attrs["tested"]
    header = ["run", "overrides", "model", "suite"]
    for m in headline:
        header += [m.label] + ([f"{m.label} 95% CI"] if m.ci else []) + ([f"{m.label} p"] if m.pvalue else [])
        header += [f"{m.label} p (BH)"] if tested[m.key] else []
    header.append("verdict")
    rows = []
    for r in table.to_dict("records"):
        convention = r.get("scoring")  # named when it says more than the mode (e.g. an approximation)
        model = str(r["model"]) + (f" [{convention}]" if isinstance(convention, str) and convention != r["mode"] else "")
        row = [str(r["run"]), f"`{r['overrides']}`" if r["overrides"] else "", model,
               f"{r['suite']} v{r['suite_version']}"]
        for m in headline:
            row.append(fmt(r[m.key]))
            row += [fmt_ci(r[m.ci[0]], r[m.ci[1]])] if m.ci else []
            row += [fmt_p(r[m.pvalue])] if m.pvalue else []
            row += [fmt_p(r[f"{m.key}_p_fdr"])] if tested[m.key] else []
        rows.append(row + [str(r["verdict"] or "")])
    note = (f"\np: each metric's own one-sided test (see a run's report.md); BH: Benjamini–Hochberg over the "
            f"runs of the same suite and version, per tested metric. {TIE_RULE}\n")
    return "# mitbench comparison\n\n" + markdown_table(header, rows) + note


def write_comparison(table: pd.DataFrame, outdir: str | Path, stem: str = "comparison") -> tuple[Path, Path]:
    """Write ``<stem>.csv`` and ``<stem>.md`` of a :func:`compare_runs` table into ``outdir``."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    csv_path, md_path = outdir / f"{stem}.csv", outdir / f"{stem}.md"
    table.to_csv(csv_path, index=False, float_format="%.10g", lineterminator="\n")
    md_path.write_text(comparison_markdown(table))
    comparison_figure(table, outdir / f"{stem}.png")
    return csv_path, md_path


def comparison_figure(table: pd.DataFrame, path: Path) -> Path | None:
    """One panel per tested headline metric (at most four): each run's value with its interval, the
    random-init null (mean ± sd, grey) and the composition references (markers). PNG and SVG."""
    from mitbench.report.common import pyplot, save_figure

    metrics = [m for m in table.attrs["headline"] if table.attrs["tested"].get(m.key)][:4] or table.attrs["headline"][:2]
    metrics = [m for m in metrics if table[m.key].notna().any()]
    if not metrics:
        return None
    plt = pyplot()
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.2 * len(metrics), 0.45 * len(table) + 1.6), squeeze=False,
                             sharey=True)
    y = np.arange(len(table))
    labels = [f"{r.model} ({r.verdict})" if r.verdict else str(r.model) for r in table.itertuples()]
    for ax, m in zip(axes[0], metrics):
        v = table[m.key].to_numpy(float)
        if m.ci:
            lo, hi = table[m.ci[0]].to_numpy(float), table[m.ci[1]].to_numpy(float)
            ax.errorbar(v, y, xerr=[np.nan_to_num(v - lo), np.nan_to_num(hi - v)], fmt="o", color="tab:red",
                        capsize=2, label="model (95% CI)")
        else:
            ax.plot(v, y, "o", color="tab:red", label="model")
        if f"{m.key}_null_mean" in table:
            mu, sd = table[f"{m.key}_null_mean"].to_numpy(float), table[f"{m.key}_null_sd"].to_numpy(float)
            ok = np.isfinite(mu)
            ax.errorbar(mu[ok], y[ok] + 0.2, xerr=np.nan_to_num(sd[ok]), fmt="s", color="0.55", ms=4, capsize=2,
                        label="random-init null (mean ± sd)")
        for r, marker in zip(REFERENCES, ("^", "v")):
            if f"ref_{r}_{m.key}" in table:
                ax.plot(table[f"ref_{r}_{m.key}"].to_numpy(float), y - 0.2, marker, color="tab:blue", ms=4,
                        ls="none", label=r)
        if m.chance is not None:
            ax.axvline(m.chance, color="k", lw=0.6, ls=":", label="chance")
        ax.set_title(m.label + ("" if m.higher_is_better is not False else " (lower is better)"), fontsize=9)
        ax.tick_params(labelsize=7)
    axes[0][0].set_yticks(y, labels, fontsize=7)
    axes[0][0].invert_yaxis()
    axes[0][-1].legend(fontsize=6, loc="best")
    return save_figure(fig, path)


def finished_runs(sweep_dir: str | Path, sweep_id: str | None = None) -> list[Path]:
    """Job directories under ``sweep_dir`` holding a ``metrics.json``, in job-number order; with
    ``sweep_id``, only the jobs of that sweep (their ``metrics.json`` records it, see
    :mod:`mitbench.runs.sweeps`): the finished jobs of an earlier sweep into the same folder are left out."""
    def key(p: Path):
        head = p.name.split("_", 1)[0]
        return (int(head) if head.isdigit() else 10**9, p.name)

    runs = sorted((p.parent for p in Path(sweep_dir).glob("*/metrics.json")), key=key)
    if sweep_id is None:
        return runs
    return [d for d in runs if _sweep_of(d) == sweep_id]


def _sweep_of(run_dir: Path) -> str | None:
    try:
        return json.loads((run_dir / "metrics.json").read_text()).get("sweep_id")
    except (OSError, ValueError, AttributeError):  # unreadable: not a job of this sweep
        return None


class CompareCallback(Callback):
    """Hydra callback: after a multirun, write the comparison of its jobs into the sweep dir.

    Parameters
    ----------
    stem : str
        File stem of the outputs (``<stem>.csv``, ``<stem>.md``).
    """

    def __init__(self, stem: str = "comparison") -> None:
        self.stem = stem

    def on_multirun_start(self, config, **kwargs: Any) -> None:
        sweep_id_of(config)  # resolved here, before any job's config is made, so all jobs share it

    def on_multirun_end(self, config, **kwargs: Any) -> None:
        sweep_dir, sweep = Path(str(config.hydra.sweep.dir)), sweep_id_of(config)
        if sweep is None:
            log.warning("the config sets no hydra.job.env_set.%s: pooling every finished run under %s", ENV, sweep_dir)
        runs = finished_runs(sweep_dir, sweep)
        others = len(finished_runs(sweep_dir)) - len(runs)
        if others:
            log.warning("%s: %d finished run(s) of other sweeps left out of this sweep's comparison", sweep_dir, others)
        if not runs:
            log.warning("no finished runs (metrics.json) of this sweep under %s; no comparison written", sweep_dir)
            return
        csv_path, _ = write_comparison(compare_runs(runs), sweep_dir, self.stem)
        log.info("comparison of %d run(s) written to %s", len(runs), csv_path)
