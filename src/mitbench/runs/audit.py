"""``audit``: is a generator's DNA distinguishable from the genome it continues?

Steps: draw seeded, non-overlapping, N-free audit windows (seed + true continuation) from the
reference; fit the generator on the reference with those windows masked (``audit.holdout``);
generate one continuation per seed; compute every realism metric on generated and true
continuations (whole and per distance bin); test generated vs natural paired by window
(sign-flip, BH across metrics; with ``audit.mode=unprompted`` the prompts are random DNA and the
two sets are compared unpaired, :func:`mitbench.metrics.unpaired.compare_sets`); train the CNN
detector with ``Trainer.fit`` on half the windows and score the other half. Outputs
(``cfg.paths.output_dir``, all-or-nothing): ``metrics.json``, ``report.md``, ``tests.csv``,
``by_distance.csv``, ``features.csv``, ``cnn_chunks.csv``, ``windows.tsv``, ``prompts.fa``,
``generated.fa`` + ``manifest.tsv`` (re-auditable with ``generator=fasta``),
``config.yaml``/``overrides.yaml`` and PNG figures.
"""
from __future__ import annotations

import logging
import time
from importlib import resources
from pathlib import Path
from typing import Any

import hydra
import lightning as L
import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf

from mitbench.data.audit.chunks import ChunkDataModule
from mitbench.data.audit.windows import (WINDOW_ROOM, Reference, audit_windows, holdout_of, random_prompts,
                                         window_shortfall)
from mitbench.engine.session import format_metrics, write_run_config
from mitbench.engine.loggers import build_loggers, log_run
from mitbench.metrics.audit.auroc import detector_summary
from mitbench.metrics.audit.features import FeatureSpec, family_of, sequence_features
from mitbench.metrics.audit.kmers import Background, choose_k_novel
from mitbench.metrics.audit.memorisation import memo_tables
from mitbench.metrics.audit.organisation import CodingReference
from mitbench.metrics.audit import equivalence as eq
from mitbench.metrics.audit.paired import alternative_of, by_distance, compare
from mitbench.engine.outputs import SPEC_FILE, run_staged, write_json
from mitbench.metrics.audit.verdict import audit_verdict, equivalence_summary, family_verdicts
from mitbench.metrics.unpaired import compare_sets, sets_by_distance
from mitbench.runs.sweeps import job_sweep_id
from mitbench.suites import audit as audit_suite

log = logging.getLogger(__name__)
# per-metric fields of metrics.json's "tests" (tests.csv has every column); both modes write every one
TEST_FIELDS = ("mean_generated", "mean_natural", "fold", "fold_lo", "fold_hi", "alternative", "p", "q", "margin",
               "tost_p", "tost_q", "mde", "mde_fold", "status")


def default_reference() -> Path:
    """The shipped E. coli 536 excerpt (``scripts/derive_genome_excerpt.py``)."""
    return Path(str(resources.files("mitbench").joinpath("resources/ecoli536_excerpt.fna.gz")))


def feature_tables(seqs: list[str], bg: Background, spec: FeatureSpec,
                   coding: CodingReference | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(whole, bins)``: one row per sequence, and one per sequence and distance bin."""
    whole, bins = [], []
    for i, s in enumerate(seqs):
        w, b = sequence_features(s, bg, spec, coding)
        whole.append(w)
        bins.extend({"window": i, "distance_bp": j * spec.bin_bp, **row} for j, row in enumerate(b))
    return pd.DataFrame(whole), pd.DataFrame(bins)


def train_detector(cfg: DictConfig, natural: list[str], generated: list[str], loggers: list) -> tuple[dict, pd.DataFrame]:
    """Fit the CNN on the training windows, score the held-out ones; AUROC summary + chunk table."""
    d = cfg.detector
    dm = ChunkDataModule(natural, generated, chunk_bp=d.chunk_bp, test_fraction=d.test_fraction,
                         batch_size=d.batch_size, copy_identity=d.copy_identity, seed=cfg.seed)
    model = hydra.utils.instantiate(d.model)
    trainer = hydra.utils.instantiate(cfg.trainer, logger=loggers or False)
    trainer.fit(model, datamodule=dm)
    logits = np.concatenate([t.numpy() for t in trainer.predict(model, datamodule=dm)])
    idx = dm.test_index
    summary = detector_summary(logits, idx.window, idx.chunk, idx.label, d.chunk_bp,
                               n_boot=cfg.audit.n_boot, seed=cfg.seed)
    summary["cnn_test_windows"] = int(dm.test_windows.size)
    summary["cnn_train_windows"] = int(dm.train_windows.size)
    summary["cnn_train_copies_dropped"] = int(dm.n_train_copies)
    summary["cnn_epochs"] = int(trainer.current_epoch)
    chunks = pd.DataFrame({"window": dm.test_windows[np.searchsorted(dm.test_windows, idx.window)],
                           "distance_bp": idx.chunk * d.chunk_bp, "label": np.where(idx.label == 1, "generated", "natural"),
                           "logit": logits})
    return summary, chunks


def run(cfg: DictConfig) -> dict[str, Any]:
    """Audit ``cfg.generator`` against ``cfg.reference``; write the outputs; return the metrics.

    Everything (results, config, logger files) goes into the run folder's private version folder and
    is published in one rename on success (:class:`mitbench.engine.outputs.StagedOutput`), as in ``evaluate``.
    """
    return run_staged(cfg.paths.output_dir, lambda stage: _run(cfg, stage), "audit outputs")


def _run(cfg: DictConfig, stage_dir: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    L.seed_everything(cfg.seed, workers=True, verbose=False)
    a = cfg.audit
    if a.mode not in ("prompted", "unprompted"):
        raise ValueError(f"audit.mode must be 'prompted' or 'unprompted', got {a.mode!r}")
    reference = Path(cfg.reference) if cfg.reference else default_reference()
    generator = hydra.utils.instantiate(cfg.generator)
    windows = generator.own_windows(reference, a.seed_len, a.gen_len)
    # a reference too short for audit.n_windows gives as many windows as it holds (with room for the natural
    # control and for fitting), recorded as n_windows_requested / n_windows and on report.md's first line
    if windows:
        requested = len(windows)
    else:
        requested = int(a.n_windows)
        windows = audit_windows(reference, requested, a.seed_len, a.gen_len, seed=cfg.seed, room=WINDOW_ROOM)
    ref = Reference(reference, holdout_of(windows) if a.holdout else {})
    generator.fit(ref)
    # unprompted: random prompts, so generated and natural continuations are two unpaired sets
    prompts = windows if a.mode == "prompted" else random_prompts(windows, cfg.seed + 2)
    t_gen = time.perf_counter()
    generated = generator.continuations(prompts, a.gen_len, seed=cfg.seed + 1)
    t_gen = time.perf_counter() - t_gen
    natural = [w.continuation for w in windows]

    t_feat = time.perf_counter()
    spec = FeatureSpec(a.gen_len, a.bin_bp, a.canonical)
    # the background excludes the audit windows (whatever audit.holdout says) and any reference
    # stretch the generator copied, so neither side of a pair is ever part of what it is compared to
    masked = holdout_of(windows)
    for contig, spans in generator.reference_used().items():
        masked[contig] = sorted(masked.get(contig, []) + list(spans))
    bg_ref = Reference(reference, masked)
    bg_bp = sum(len(c.sequence) - c.sequence.count("N") for c in bg_ref.contigs())
    bg = Background.count((c.sequence for c in bg_ref.contigs()), spec.background_ks(), a.canonical,
                          k_novel=choose_k_novel(bg_bp))
    coding = CodingReference.count(c.sequence for c in bg_ref.contigs())  # codon tables of the reference genes
    gen_whole, gen_bins = feature_tables(generated, bg, spec, coding)
    nat_whole, nat_bins = feature_tables(natural, bg, spec, coding)
    # memorisation: exact matches to the genome without the audit windows (the k-mer background's masked reference),
    # both sides; a generated continuation also against its own window's true continuation (reproducing it is
    # memorising), so the two sides search the same genome up to that one window. A training genome: unmasked.
    indexes = [("memo", bg_ref, list(natural))]
    if a.training_genome:
        indexes.append(("memo_train", Reference(Path(a.training_genome)), [None] * len(natural)))
    n, nb = len(generated), len(generated) * spec.n_bins
    for prefix, genome, own in indexes:  # one index per genome for both sides: rows split after
        whole, bins = memo_tables(generated + natural, (c.sequence for c in genome.contigs()), spec.bin_bp,
                                  spec.n_bins, prefix, own=own + [None] * len(natural))
        gen_whole, nat_whole, gen_bins, nat_bins = (
            pd.concat([t.reset_index(drop=True), part.reset_index(drop=True)], axis=1) for t, part in
            ((gen_whole, whole[:n]), (nat_whole, whole[n:]), (gen_bins, bins[:nb]), (nat_bins, bins[nb:])))
    t_feat = time.perf_counter() - t_feat

    loggers = build_loggers(cfg, stage_dir)
    detector: dict[str, Any] = {}
    chunks = pd.DataFrame()
    extra = {}
    t_cnn = time.perf_counter()
    if cfg.detector.enabled:
        detector, chunks = train_detector(cfg, natural, generated, loggers)
        extra["cnn_score"] = detector.pop("window_scores")
    t_cnn = time.perf_counter() - t_cnn
    if a.mode == "prompted":
        tests = compare(gen_whole, nat_whole, n_perm=a.n_perm, n_boot=a.n_boot, seed=cfg.seed, extra=extra)
        dist = by_distance(gen_bins, nat_bins, n_boot=a.n_boot, seed=cfg.seed, n_perm=a.n_perm)
    else:
        tests = compare_sets(gen_whole, nat_whole, n_boot=a.n_boot, seed=cfg.seed, extra=extra, family=family_of,
                             alternative=alternative_of)  # memorisation one-sided, as in the paired mode
        # no unpaired equivalence test or MDE: nothing unflagged is claimed equivalent. The margin is the
        # natural set's, as in prompted mode (so "margin undefined" means no natural spread, here too)
        nat = {**{m: nat_whole[m].to_numpy(float) for m in nat_whole.columns}, **{m: v[1] for m, v in extra.items()}}
        sd = np.array([eq.spread(nat[m][np.isfinite(nat[m])]) for m in tests["metric"]])
        tests = tests.assign(sd_natural=sd, margin=eq.DELTA * sd,
                             **dict.fromkeys(("tost_p", "tost_q", "mde", "mde_fold"), np.nan),
                             status=eq.status(tests["flagged"], np.full(len(tests), np.nan)))
        dist = sets_by_distance(gen_bins, nat_bins, n_boot=a.n_boot, seed=cfg.seed, family=family_of)

    flagged = tests.loc[tests["flagged"], "metric"].tolist()
    few = window_shortfall(len(windows), requested, int(a.seed_len), int(a.gen_len))
    verdicts = family_verdicts(tests)
    # cnn_score is defined on the held-out windows only (the others trained the detector)
    undefined = tests.loc[(tests["n"] < len(windows)) & (tests["metric"] != "cnn_score"), ["metric", "n"]]
    metrics: dict[str, Any] = {
        "model": generator.name, "mode": "generate", "suite": audit_suite.NAME, "suite_version": audit_suite.VERSION,
        "n_sequences": len(windows), "verdict": audit_verdict(tests, detector.get("cnn_auroc_ci")),
        "generator": generator.name, "generator_provenance": generator.provenance(),
        "reference": str(reference), "n_windows_requested": requested, "n_windows": len(windows),
        "window_room": WINDOW_ROOM, "seed_len": int(a.seed_len),
        "gen_len": int(a.gen_len), "seed": int(cfg.seed), "holdout": bool(a.holdout), "audit_mode": str(a.mode),
        "holdout_bp": ref.holdout_bp(), **spec.record(bg), **coding.record(), "n_metrics_tested": int(len(tests)),
        "flagged": flagged, "n_flagged": len(flagged), **equivalence_summary(tests), "verdicts": verdicts, **detector,
        **audit_suite.spec_metrics(detector),
        "tests": {r.metric: {k: getattr(r, k) for k in TEST_FIELDS} for r in tests.itertuples()},
        "notes": [f"{r.metric}: undefined in {len(windows) - r.n} window(s) (NaN), tested on {r.n}"
                  for r in undefined.itertuples()] + ([
            f"{few} (audit.n_windows; {WINDOW_ROOM} tiles of the reference per window)"] if few else []),
        "time_generate_s": round(t_gen, 3), "time_metrics_s": round(t_feat, 3), "time_cnn_s": round(t_cnn, 3),
    }
    sweep = job_sweep_id()
    if sweep is not None:
        metrics["sweep_id"] = sweep
    metrics["wall_time_s"] = round(time.perf_counter() - t0, 3)

    from mitbench.report.audit import write_report

    p = stage_dir
    write_json(p / "metrics.json", metrics)
    write_json(p / SPEC_FILE, audit_suite.SPEC.to_dict())
    write_run_config(cfg, p)
    tests.to_csv(p / "tests.csv", index=False, float_format="%.6g")
    dist.to_csv(p / "by_distance.csv", index=False, float_format="%.6g")
    features = pd.concat([gen_whole.assign(source="generated"), nat_whole.assign(source="natural")])
    features.insert(0, "window", [w.id for w in windows] * 2)
    features.to_csv(p / "features.csv", index=False, float_format="%.6g")
    if not chunks.empty:
        chunks.assign(window=[windows[i].id for i in chunks["window"]]).to_csv(
            p / "cnn_chunks.csv", index=False, float_format="%.6g")
    _write_windows(p, prompts, generated, generator.name)
    write_report(p, metrics, tests, dist, natural, generated, spec)
    log_run(loggers, OmegaConf.to_container(cfg, resolve=False), metrics)
    print(format_metrics({k: v for k, v in metrics.items() if not isinstance(v, (dict, list))}))
    return metrics


def _write_windows(p: Path, windows, generated: list[str], name: str) -> None:
    """``windows.tsv`` + ``prompts.fa`` (for external generators) and ``generated.fa`` +
    ``manifest.tsv`` (this run's continuations, in the ``generator=fasta`` format)."""
    rows = [f"{w.id}\t{w.contig}\t{w.start}\t{len(w.seed)}\t{len(w.continuation)}" for w in windows]
    (p / "windows.tsv").write_text("id\tcontig\tstart\tseed_len\tgen_len\n" + "\n".join(rows) + "\n")
    (p / "prompts.fa").write_text("".join(f">{w.id}\n{w.seed}\n" for w in windows))
    (p / "generated.fa").write_text("".join(f">gen{i}\n{w.seed}{g}\n" for i, (w, g) in enumerate(zip(windows, generated))))
    (p / "manifest.tsv").write_text("id\tsource_window\tseed_len\tgenerator\n" + "".join(
        f"gen{i}\t{w.id}\t{len(w.seed)}\t{name}\n" for i, w in enumerate(windows)))
