"""The MIT verdict's false-positive rate and power, measured (issue 21).

    python benchmarks/verdict_false_positives.py [--draws 500] [--seeds 42,43] [--power-draws 200]
        [--check-full 1] [--write] [--figure docs/figures/verdict_power.png] [--quick]

**False positives.** For every class of knows-nothing scorer (``benchmarks/knows_nothing.py``: iid
noise; random position-weight models, length scale 0/3/10/30 bp, all bases and A/T only; 5′- and
3′-weighted A/T; the UP consensus anywhere with a 5′ or 3′ preference; A/T-window heuristics;
untrained CNNs; and the four deterministic scorers of the issue's table), ``--draws`` scorers are
drawn, each scores the suite built exactly as ``evaluate.py`` builds it (the default ``suite=mit``
at each ``--seeds`` seed), and the verdict is computed by the suite's own code: ``summarize_null``
(the metrics without bootstrap intervals, which the rule does not read), ``calibrate`` against the
same untrained-CNN panel ``evaluate.py`` uses for a model without an architecture, and
``suite.verdict``. Prints P(mechanism) per class and seed with an exact (Clopper–Pearson) 95 % CI.
``--check-full K`` runs K draws per class through ``mitbench.runs.evaluate.run`` itself (``model=precomputed``
with an ``id,sequence,score`` file) and fails if any verdict differs from the fast path.

**Power.** PA-PWM, RPA-PWM, the thermodynamic model (scored by the real models, read as
``evaluate.py`` reads them) and a scorer that knows only the relative geometry (the best −35/−10 pair
at spacing 16–18 anywhere, the UP read 15 bp upstream of *that* −35, TGn before *that* −10), each plus
Gaussian noise of 0–10 SD of its own scores: P(mechanism) per noise level.

``--write`` stores the measurement in ``src/mitbench/resources/verdict_false_positives.json`` (what
``metrics.json`` quotes as ``verdict_false_positive_*``); ``--quick`` is the CI smoke mode (few draws,
one seed, nothing written).
"""
from __future__ import annotations

import argparse
import datetime
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.stats import binomtest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _paths import ROOT  # noqa: E402
from knows_nothing import CLASSES, table_scorers  # noqa: E402

from mitbench.data.core.encoding import codes  # noqa: E402
from mitbench.data.core.records import records_to_frame  # noqa: E402
from mitbench.metrics.calibration import calibrate  # noqa: E402

CONF = ROOT / "src" / "mitbench" / "conf"
RESOURCE = ROOT / "src" / "mitbench" / "resources" / "verdict_false_positives.json"
NOISE_SD = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0)
POWER_MODELS = ("pa_pwm", "rpa_pwm", "thermodynamic")


def compose(overrides: list[str]):
    from hydra import compose as _compose, initialize_config_dir

    import mitbench  # noqa: F401  (registers the resolvers)

    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return _compose(config_name="evaluate", overrides=overrides)


class Bench:
    """One suite (as ``evaluate.py`` builds it), its codes by length and its panel, for fast verdicts."""

    def __init__(self, seed: int) -> None:
        import hydra

        cfg = compose([f"suite.seed={seed}"])
        self.cfg, self.alpha = cfg, float(cfg.alpha)
        self.suite = hydra.utils.instantiate(cfg.suite)
        self.records = self.suite.records()
        self.table = records_to_frame(self.records)
        by_len: dict[int, list[int]] = {}
        for i, r in enumerate(self.records):
            by_len.setdefault(len(r.sequence), []).append(i)
        self.groups = [(np.array(idx), np.stack([codes(self.records[i].sequence) for i in idx]))
                       for idx in by_len.values()]
        self.panel = hydra.utils.instantiate(cfg.calibration).panel_metrics(self.suite, self.records)

    def _with(self, scores: np.ndarray):
        t = self.table.copy()
        t["score"] = np.asarray(scores, float)
        return t

    def scores(self, f) -> np.ndarray:
        out = np.empty(len(self.records))
        for idx, X in self.groups:
            out[idx] = f(X)
        return out

    def verdict(self, scores: np.ndarray) -> dict:
        m = self.suite.summarize_null(self._with(scores))
        m.update(calibrate(m, self.panel, self.suite.spec.panel, prefix="panel"))
        m.update(self.suite.verdict(m, self.alpha, has_null=False))
        return m


def relative_geometry(X: np.ndarray) -> np.ndarray:
    """Knows only the relative geometry: best −35/−10 consensus match pair at spacing 16–18 anywhere
    (3 per matching base), + the UP consensus match 15 bp upstream of that −35 (0.5 per base), + TG at
    −15/−14 before that −10 (1 per base), − 0.5 off the 17-bp optimum; the best parse wins."""
    n, length = X.shape

    def match(motif: str, width: int) -> np.ndarray:
        allowed = {"A": (0,), "C": (1,), "G": (2,), "T": (3,), "R": (0, 2), "N": (0, 1, 2, 3)}
        return sum(np.isin(X[:, i:length - width + 1 + i], allowed[c]) for i, c in enumerate(motif)).astype(float)

    s35, s10, up, tg = match("TTGACA", 6), match("TATAAT", 6), match("AAAAAARNR", 9), match("TG", 2)
    best = np.full(n, -np.inf)
    for spacer in (16, 17, 18):
        p = np.arange(length - 12 - spacer)
        q = p + 6 + spacer
        up_at = np.where(p >= 15, up[:, np.clip(p - 15, 0, None)], 0.0)
        total = 3 * (s35[:, p] + s10[:, q]) + 0.5 * up_at + tg[:, q - 3] - 0.5 * (spacer != 17)
        best = np.maximum(best, total.max(1))
    return best


def exact(k: int, n: int) -> tuple[float, float]:
    ci = binomtest(k, n).proportion_ci(0.95, method="exact")
    return float(ci.low), float(ci.high)


def false_positives(bench: Bench, draws: int, rng_seed: int) -> dict:
    rows = {}
    classes = {**CLASSES, **{k: (lambda f: lambda rng: f)(f) for k, f in table_scorers().items()}}
    for name, make in classes.items():
        n = 1 if name.startswith("table_") else draws
        rng = np.random.default_rng([rng_seed, sum(map(ord, name))])
        t0, hits, fam = time.perf_counter(), 0, {"up_placement": 0, "comp_placement": 0}
        verdicts: dict[str, int] = {}
        for _ in range(n):
            m = bench.verdict(bench.scores(make(rng)))
            verdicts[m["verdict"]] = verdicts.get(m["verdict"], 0) + 1
            hits += m["verdict"] == "mechanism"
            for f in fam:
                fam[f] += m[f"{f}_p_signflip"] <= bench.alpha and m[f"{f}_effect_panel_p"] <= bench.alpha
        lo, hi = exact(hits, n)
        rows[name] = {"n": n, "mechanism": hits, "rate": hits / n, "ci_low": lo, "ci_high": hi,
                      "up_passes": fam["up_placement"] / n, "comp_passes": fam["comp_placement"] / n,
                      "verdicts": verdicts, "seconds": round(time.perf_counter() - t0, 1)}
        print(f"  {name:<28} n={n:<4} P(mechanism)={hits / n:.3f} [{lo:.3f}, {hi:.3f}]  P(up family)="
              f"{fam['up_placement'] / n:.3f} P(comp family)={fam['comp_placement'] / n:.3f}  {verdicts}  "
              f"[{time.perf_counter() - t0:.0f} s]", flush=True)
    return rows


def power(bench: Bench, draws: int, levels, rng_seed: int) -> dict:
    import hydra

    base = {"relative_geometry": bench.scores(relative_geometry)}
    for name in POWER_MODELS:
        model = hydra.utils.instantiate(compose([f"model={name}", f"suite.seed={bench.suite.seed}"]).model)
        model.check_records(bench.records)  # binds the layout windows, as evaluate.py does
        base[name] = model.score_batch([r.sequence for r in bench.records]).numpy()
    out = {}
    for name, clean in base.items():
        rng, sd, curve = np.random.default_rng([rng_seed, 7]), float(np.std(clean)), []
        for level in levels:
            n = 1 if level == 0 else draws
            hits = sum(bench.verdict(clean + rng.normal(0, level * sd, clean.size))["verdict"] == "mechanism"
                       for _ in range(n))
            curve.append({"noise_sd": level, "n": n, "p_mechanism": hits / n, "ci": exact(hits, n)})
        out[name] = curve
        print(f"  {name:<18} " + "  ".join(f"{c['noise_sd']:g}SD:{c['p_mechanism']:.2f}" for c in curve), flush=True)
    return out


def check_full(bench: Bench, k: int, rng_seed: int) -> int:
    """K draws per class through mitbench.runs.evaluate.run (model=precomputed); returns the mismatches."""
    from mitbench.runs.evaluate import run

    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in CLASSES.items():
            rng = np.random.default_rng([rng_seed, 99, sum(map(ord, name))])
            for i in range(k):
                scores = bench.scores(make(rng))
                fast = bench.verdict(scores)["verdict"]
                path = Path(tmp, f"{name}_{i}.csv")
                lines = ["id,sequence,score"] + [f"{r.id},{r.sequence},{float(s)!r}" for r, s in zip(bench.records, scores)]
                path.write_text("\n".join(lines) + "\n")
                cfg = compose(["model=precomputed", f"model.path={path}", f"model.name={name}", "logger=none",
                               f"suite.seed={bench.suite.seed}", f"paths.output_dir={tmp}/run_{name}_{i}",
                               "trainer.enable_progress_bar=false", "references=none"])
                full = run(cfg)["verdict"]
                bad += full != fast
                print(f"  full path {name} #{i}: evaluate {full}, fast {fast}{'' if full == fast else '  MISMATCH'}",
                      flush=True)
    return bad


def figure(curves: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    for name, curve in curves.items():
        x = [c["noise_sd"] for c in curve]
        ax.plot(x, [c["p_mechanism"] for c in curve], marker="o", label=name)
        noisy = [c for c in curve if c["noise_sd"] > 0]  # without noise a scorer is one fixed verdict: no interval
        ax.fill_between([c["noise_sd"] for c in noisy], [c["ci"][0] for c in noisy], [c["ci"][1] for c in noisy],
                        alpha=0.15)
    ax.set_xlabel("Gaussian noise added (SD of the scorer's own scores)")
    ax.set_ylabel("P(verdict = mechanism)")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=7, frameon=False)
    ax.set_title("MIT v3 verdict: power (benchmarks/verdict_false_positives.py)", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=500)
    ap.add_argument("--seeds", default="42,43")
    ap.add_argument("--power-draws", type=int, default=200)
    ap.add_argument("--check-full", type=int, default=0)
    ap.add_argument("--write", action="store_true", help=f"store the measurement in {RESOURCE.relative_to(ROOT)}")
    ap.add_argument("--figure", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None, help="write every figure of the run here")
    ap.add_argument("--quick", action="store_true", help="CI smoke mode: 20 draws, one seed, nothing written")
    args = ap.parse_args(argv)
    if args.quick:
        args.draws, args.seeds, args.power_draws, args.write = 20, args.seeds.split(",")[0], 5, False
    levels = (0.0, 2.0) if args.quick else NOISE_SD
    t0, result = time.perf_counter(), {"seeds": {}, "draws": args.draws}
    for seed in (int(s) for s in args.seeds.split(",")):
        print(f"suite seed {seed}: building the suite and the panel ...", flush=True)
        bench = Bench(seed)
        result["suite_version"] = bench.suite.version
        print(" false positives (knows-nothing scorers):", flush=True)
        fp = false_positives(bench, args.draws, seed)
        print(" power (P(mechanism) vs noise):", flush=True)
        result["seeds"][seed] = {"false_positives": fp, "power": power(bench, args.power_draws, levels, seed)}
        if args.check_full:
            result["seeds"][seed]["full_path_mismatches"] = check_full(bench, args.check_full, seed)
            args.check_full = 0  # one seed is enough
    drawn = [(name, seed, row) for seed, r in result["seeds"].items() for name, row in r["false_positives"].items()
             if not name.startswith("table_")]
    worst = max(drawn, key=lambda x: (x[2]["ci_high"], x[2]["rate"]))
    result.update(worst_class=f"{worst[0]} (suite seed {worst[1]})", worst_rate=worst[2]["rate"],
                  worst_upper=worst[2]["ci_high"], table_mechanism=sum(
                      row["mechanism"] for r in result["seeds"].values() for k, row in r["false_positives"].items()
                      if k.startswith("table_")), seconds=round(time.perf_counter() - t0, 1))
    result["source"] = (f"benchmarks/verdict_false_positives.py: MIT v{result['suite_version']}, suite seeds "
                        f"{args.seeds}, {args.draws} draws per knows-nothing class; worst class "
                        f"{result['worst_class']}")
    print(json.dumps({k: result[k] for k in ("suite_version", "worst_class", "worst_rate", "worst_upper",
                                             "table_mechanism", "seconds")}))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str) + "\n")
    if args.figure:
        figure(result["seeds"][next(iter(result["seeds"]))]["power"], args.figure)
    if args.write:
        summary = {k: result[k] for k in ("suite_version", "worst_class", "worst_rate", "worst_upper", "source")}
        summary["measured"] = datetime.date.today().isoformat()
        summary["classes"] = {f"{name}@{seed}": {k: row[k] for k in ("n", "mechanism", "rate", "ci_high")}
                              for name, seed, row in drawn}
        RESOURCE.write_text(json.dumps(summary, indent=1) + "\n")
        print(f"wrote {RESOURCE}")
    return result


if __name__ == "__main__":
    main()
