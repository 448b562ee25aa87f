"""report.md and figures of the generation-realism audit.

Figures (PNG, :func:`mitbench.report.common.save_figure`): ``kmer_spectrum.png`` (mean k-mer
spectrum of generated vs true continuations at each spectrum k), ``auroc_by_distance.png`` (CNN
AUROC per chunk distance from the seed, 95% window-bootstrap CIs), ``fold_changes.png``
(generated / natural per metric with 95% CIs, flagged metrics in red, equivalent ones in green) and
``by_distance.png`` (generated − natural per distance bin for the count metrics).

The first line of ``report.md`` (:func:`headline`) states the verdict, that the reference held fewer
windows than requested when it did (:func:`window_shortfall`) and what the run could not rule out:
for ``not distinguished (underpowered)`` the metrics without enough data, the median minimum detectable
effect and the detector's AUROC interval; for ``distinguishable`` on fewer windows than requested, the
median minimum detectable effect.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mitbench.data.audit.windows import window_shortfall as shortfall_of_windows
from mitbench.metrics.audit.equivalence import EQUIVALENT
from mitbench.metrics.audit.kmers import spectrum_histogram
from mitbench.metrics.audit.verdict import AUROC_BOUND, DISTINGUISHABLE, INDISTINGUISHABLE, shortfalls
from mitbench.report.common import fmt, fmt_ci, fmt_p, markdown_table, pyplot, save_figure


def kmer_spectrum_figure(natural: list[str], generated: list[str], ks: list[int], path: Path) -> Path:
    plt = pyplot()
    fig, axes = plt.subplots(1, len(ks), figsize=(4.0 * len(ks), 3.4), squeeze=False)
    for ax, k in zip(axes[0], ks):
        # up to 3x the mean count, so short k (every k-mer frequent) is not all in the last bin
        top = max(20, int(3 * len(natural[0]) / 4 ** k)) if natural else 20
        hn, hg = spectrum_histogram(natural, k, top), spectrum_histogram(generated, k, top)
        x = np.arange(hn.size)
        ax.plot(x, hn, "o-", ms=3, label="natural (true continuation)")
        ax.plot(x, hg, "s--", ms=3, label="generated")
        ax.set_yscale("symlog", linthresh=1.0)
        ax.set_xlabel(f"occurrences of a {k}-mer (last bin: >= {x[-1]})")
        ax.set_ylabel("k-mers per sequence")
        ax.set_title(f"k = {k}")
    axes[0][0].legend(fontsize=7)
    return save_figure(fig, path)


def auroc_figure(metrics: dict, path: Path) -> Path:
    plt = pyplot()
    by = np.asarray(metrics["cnn_auroc_by_distance"], float).reshape(-1, 2)
    ci = np.asarray(metrics["cnn_auroc_by_distance_ci"], float).reshape(-1, 3)
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    x = by[:, 0] / 1000.0
    ax.fill_between(x, ci[:, 1], ci[:, 2], alpha=0.25, label="95% CI (windows resampled)")
    ax.plot(x, by[:, 1], "o-", label="AUROC")
    ax.axhline(0.5, color="grey", lw=0.8, ls="--")
    ax.set_ylim(0.0, 1.02)
    ax.set_xlabel("chunk start, kb from the seed")
    ax.set_ylabel("AUROC (generated vs natural)")
    ax.set_title(f"CNN detector, {metrics['generator']}")
    ax.legend(fontsize=7)
    return save_figure(fig, path)


def fold_figure(tests: pd.DataFrame, path: Path) -> Path:
    plt = pyplot()
    t = tests[np.isfinite(tests["fold"].astype(float))].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(6.0, 0.22 * max(len(t), 4) + 1.0))
    y = np.arange(len(t))
    lo = (t["fold"] - t["fold_lo"]).clip(lower=0).fillna(0)
    hi = (t["fold_hi"] - t["fold"]).clip(lower=0).fillna(0)
    colors = np.where(t["flagged"], "tab:red", np.where(t["status"] == EQUIVALENT, "tab:green", "tab:blue"))
    for i in range(len(t)):
        ax.errorbar(t["fold"][i], y[i], xerr=[[lo[i]], [hi[i]]], fmt="o", ms=3, color=colors[i], capsize=2)
    ax.axvline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_yticks(y, t["metric"], fontsize=6)
    ax.set_xscale("log")
    ax.set_xlabel("fold change, generated / natural (95% CI); red = flagged, green = equivalent")
    return save_figure(fig, path)


def distance_figure(dist: pd.DataFrame, path: Path) -> Path:
    plt = pyplot()
    shown = [m for m in ("direct_repeat_count", "inverted_repeat_count", "g4_count", "gene_count",
                         "minus10_per_kb", "nullomer_fraction") if m in set(dist["metric"])]
    fig, axes = plt.subplots(1, len(shown), figsize=(2.8 * len(shown), 3.0), squeeze=False)
    for ax, m in zip(axes[0], shown):
        part = dist[dist["metric"] == m].sort_values("distance_bp")
        x = part["distance_bp"] / 1000.0
        ax.fill_between(x, part["diff_lo"], part["diff_hi"], alpha=0.25)
        ax.plot(x, part["diff"], "o-", ms=3)
        ax.axhline(0.0, color="grey", lw=0.8, ls="--")
        ax.set_title(m, fontsize=8)
        ax.set_xlabel("kb from the seed")
    axes[0][0].set_ylabel("generated − natural (95% CI)")
    return save_figure(fig, path)


def window_shortfall(metrics: dict) -> str | None:
    """:func:`mitbench.data.audit.windows.window_shortfall` of a run's ``metrics.json`` (None for a run
    without ``n_windows`` / ``n_windows_requested``)."""
    n, wanted = metrics.get("n_windows"), metrics.get("n_windows_requested")
    if n is None or wanted is None:
        return None
    return shortfall_of_windows(n, wanted, metrics["seed_len"], metrics["gen_len"])


def _missed(metrics: dict) -> str:
    """``"would miss mean shifts below a median MDE of X natural SD (×f)"``: the run's detectable effect."""
    if not np.isfinite(metrics["mde_median_sd"]):  # unprompted mode: unpaired sets, no MDE computed
        return "has no minimum detectable effect (unpaired sets: no equivalence test)"
    return (f"would miss mean shifts below a median MDE of {fmt(metrics['mde_median_sd'])} natural SD "
            f"(×{fmt(metrics['mde_median_fold'])})")


def headline(metrics: dict, tests: pd.DataFrame) -> str:
    """The report's first line: generator, verdict, and what the run could and could not detect."""
    n, verdict = len(tests), metrics["verdict"]
    counts = (f"{metrics['n_flagged']} of {n} metrics different (BH q < 0.05), {metrics['n_equivalent']} "
              f"equivalent within ±{fmt(metrics['equivalence_delta'])} natural SD, "
              f"{metrics['n_not_enough_data']} not enough data")
    ci = metrics.get("cnn_auroc_ci")
    cnn = (f"CNN AUROC {fmt(metrics['cnn_auroc'])} {fmt_ci(*ci)}" if ci else "CNN detector not run")
    line = f"# Audit of `{metrics['generator']}`: **{verdict}**"
    few = window_shortfall(metrics)
    if few:
        line += f" ({few})"
    if verdict == DISTINGUISHABLE:
        # too few windows: what the unflagged metrics could not show is stated, not left to a bare AUROC
        return f"{line}: {counts}; {cnn}" + (f"; it {_missed(metrics)}" if few else "")
    if verdict == INDISTINGUISHABLE:
        return f"{line}: nothing flagged, {counts}; {cnn}, below {AUROC_BOUND}"
    ned = metrics["not_enough_data"]
    names = ", ".join(ned) if len(ned) <= 5 else f"{len(ned)} metrics, see the status column below"
    line += f": nothing flagged, but {'; '.join(shortfalls(tests, ci))}. It {_missed(metrics)}"
    if ned:
        line += f"; it cannot rule out effects beyond the margin on {names}"
    return line + (f"; nor a detector AUROC up to {fmt(ci[1])} (CI {fmt_ci(*ci)})" if ci else "; no detector was run")


def write_report(outdir: Path, metrics: dict, tests: pd.DataFrame, dist: pd.DataFrame,
                 natural: list[str], generated: list[str], spec) -> list[Path]:
    """Write ``report.md`` and the figures into ``outdir``; return the figure paths."""
    figs = [kmer_spectrum_figure(natural, generated, spec.ks, outdir / "kmer_spectrum.png"),
            fold_figure(tests, outdir / "fold_changes.png")]
    if not dist.empty:
        figs.append(distance_figure(dist, outdir / "by_distance.png"))
    if metrics.get("cnn_auroc_by_distance"):
        figs.append(auroc_figure(metrics, outdir / "auroc_by_distance.png"))
    prov = metrics["generator_provenance"]
    lines = [headline(metrics, tests) + "\n",
             f"Reference `{metrics['reference']}`; {metrics['n_windows']} windows of {metrics['seed_len']} bp seed + "
             f"{metrics['gen_len']} bp continuation (seed {metrics['seed']}); held-out windows masked from "
             f"generator fitting: {metrics['holdout']} ({metrics['holdout_bp']} bp). k-mer space: "
             f"{metrics['kmer_space']}; spectrum k = {metrics['kmer_ks']}, nullomer k = {metrics['kmer_k_null']}, "
             f"genome-nullomer k = {metrics['kmer_k_novel']}.\n",
             f"Generator provenance: `{ {k: v for k, v in prov.items() if k != 'source_windows'} }`\n",
             "Each metric compares the generated continuation with the true continuation of the same seed, "
             "paired by window; p-values are sign-flip permutation tests (the natural-vs-natural null), two-sided "
             "except memorisation (`memo_*`: one-sided, only longer matches than natural DNA's count), q-values "
             "Benjamini–Hochberg across all metrics; flagged = q < 0.05. Equivalence: margin = "
             f"{fmt(metrics['equivalence_delta'])} × the natural windows' between-window SD of the metric; "
             "TOST = two one-sided sign-flip tests of the mean difference against ±margin, Benjamini–Hochberg "
             "across all metrics; equivalent = TOST q < 0.05 and not flagged. MDE: the mean difference the "
             "paired test detects with 80% power at α = 0.05 (per metric) from the SD of the differences. "
             f"Verdict: distinguishable if anything is flagged; indistinguishable if nothing is, ≥ "
             f"{metrics['equivalent_share_required']:.0%} of the metrics are equivalent and the CNN AUROC CI "
             f"lies below {metrics['auroc_bound']}; otherwise not distinguished (underpowered).\n",
             "## Verdict per metric family\n"]
    vrows = []
    for fam, part in tests.groupby("family", sort=False):
        fl = part.loc[part["flagged"], "metric"].tolist()
        n_eq = int((part["status"] == EQUIVALENT).sum())
        vrows.append([fam, metrics["verdicts"][fam], f"{len(fl)} / {len(part)}", f"{n_eq} / {len(part)}",
                      ", ".join(fl) or "—"])
    lines.append(markdown_table(["family", "verdict", "flagged", "equivalent", "flagged metrics"], vrows))
    if "cnn_auroc" in metrics:
        lines.append(f"\n**CNN detector** (held-out windows: {metrics['cnn_test_windows']}): AUROC per chunk "
                     f"{fmt(metrics['cnn_auroc'])} {fmt_ci(*metrics['cnn_auroc_ci'])}, per window "
                     f"{fmt(metrics['cnn_auroc_window'])} {fmt_ci(*metrics['cnn_auroc_window_ci'])}.\n")
        lines.append(markdown_table(["distance from seed (bp)", "AUROC", "95% CI"],
                                    [[int(d), a, fmt_ci(lo, hi)] for (d, a), (_, lo, hi) in
                                     zip(metrics["cnn_auroc_by_distance"], metrics["cnn_auroc_by_distance_ci"])]))
    lines.append("\n## All metrics (whole continuation)\n")
    rows = [[r.metric, r.family, r.n, r.mean_generated, r.mean_natural, fmt(r.fold), fmt_ci(r.fold_lo, r.fold_hi),
             fmt_p(r.p), fmt_p(r.q), r.margin, fmt_p(r.tost_q), r.mde, fmt(r.mde_fold), r.status]
            for r in tests.itertuples()]
    lines.append(markdown_table(["metric", "family", "n", "generated", "natural", "fold", "95% CI", "p", "q",
                                 "margin", "TOST q", "MDE", "MDE fold", "status"], rows))
    notes = list(metrics.get("notes") or []) + [
        f"{m}: equivalence margin undefined (no spread among the natural windows), never equivalent"
        for m in metrics.get("margin_undefined", [])]
    if notes:
        lines.append("\nNotes:\n" + "".join(f"- {n}\n" for n in notes))
    lines.append("\nDistance-stratified effects (every metric, every bin, bootstrap CIs, the same sign-flip test "
                 "per bin with Benjamini–Hochberg within each metric across its bins): `by_distance.csv`.\n")
    lines.append("\n## Figures\n" + "".join(f"\n![{f.stem}]({f.name})\n" for f in figs))
    (outdir / "report.md").write_text("\n".join(lines))
    return figs
