"""Faults of :mod:`faults` that need no kill: the score cache, a malicious checkpoint, path-like
names, truncated/garbled inputs of every reader, an over-long record. ``run_all(tmp, row, cli)``."""
from __future__ import annotations

import logging
import os
import sqlite3
import struct
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from _paths import ROOT, SHARED  # SHARED: $MITBENCH_SHARED or ../shared/data


def compose(overrides: list[str], config_name: str = "evaluate"):
    from hydra import compose as _compose
    from hydra import initialize_config_dir

    import mitbench  # noqa: F401  (registers the resolvers)

    with initialize_config_dir(config_dir=str(ROOT / "src" / "mitbench" / "conf"), version_base="1.3"):
        return _compose(config_name=config_name, overrides=overrides)


class Warnings(logging.Handler):
    """Collect WARNING records of a logger while in a ``with`` block."""

    def __init__(self, name: str) -> None:
        super().__init__(logging.WARNING)
        self.logger, self.messages = logging.getLogger(name), []

    def emit(self, record) -> None:
        self.messages.append(record.getMessage())

    def __enter__(self):
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self)


def cache_faults(tmp: Path, row) -> None:
    from mitbench.runs.evaluate import run
    from mitbench.models.glm import tiny as tm
    from mitbench.models.glm.dna_tokenizers import random_dna

    rng = np.random.default_rng(0)
    fasta = tmp / "cache.fa"
    fasta.write_text("".join(f">s{i:03d} class={'DE'[i % 2]}\n{random_dna(rng, 100)}\n" for i in range(60)))
    cache = tmp / "cache"
    over = ["model=hf_causal", f"model.path={tm.causal(tmp / 'gpt2')}", "suite=external", f"suite.path={fasta}",
            "logger=none", f"paths.cache_dir={cache}", "calibration=none", "references=none", "suite.n_boot=20"]
    run(compose([*over, f"paths.output_dir={tmp / 'c1'}"]))
    ref = pd.read_csv(tmp / "c1" / "scores.csv")["score"].to_numpy()
    db = cache / "scores.sqlite"
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = [s for (s,) in con.execute("SELECT score FROM scores_v2")]
    con.close()
    data, flipped = bytearray(db.read_bytes()), 0
    for score in stored[:20]:
        at = data.find(struct.pack(">d", score))
        if at >= 0:
            data[at + 2] ^= 0x08  # a mantissa bit: the value changes, the page stays valid
            flipped += 1
    db.write_bytes(bytes(data))
    con = sqlite3.connect(db)
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    with Warnings("mitbench.models.cache") as w:
        m2 = run(compose([*over, f"paths.output_dir={tmp / 'c2'}"]))
    got = pd.read_csv(tmp / "c2" / "scores.csv")["score"].to_numpy()
    wrong = int((np.abs(got - ref) > 1e-9 * np.maximum(1, np.abs(ref))).sum())
    m3 = run(compose([*over, f"paths.output_dir={tmp / 'c3'}"]))
    row(f"score cache: {flipped} stored scores with a flipped bit (SQLite integrity_check: {integrity})",
        f"warning ({w.messages[0][:60]}...); {m2['n_scored']} re-scored, {wrong} wrong served; "
        f"next run {m3['n_scored']} scored (repaired)", wrong > 0 or not w.messages, False)

    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every row in the main file, none in the WAL
    con.close()
    data = bytearray(db.read_bytes())
    data[4096:] = os.urandom(len(data) - 4096)  # every page but the header page
    db.write_bytes(bytes(data))
    with Warnings("mitbench.models.cache") as w:
        m4 = run(compose([*over, f"paths.output_dir={tmp / 'c4'}"]))
    got = pd.read_csv(tmp / "c4" / "scores.csv")["score"].to_numpy()
    wrong = int((np.abs(got - ref) > 1e-9 * np.maximum(1, np.abs(ref))).sum())
    row("score cache: random bytes over every page but the header", f"warning ({w.messages[0][:50]}...); "
        f"{m4['n_scored']} scored without the cache, {wrong} wrong served", wrong > 0 or not w.messages, False)

    from mitbench.models.base import Scorer
    from mitbench.models.cache import ScoreCache

    class NaNScorer(Scorer):
        def score_batch(self, sequences):
            return torch.tensor([float("nan") if s.startswith("G") else 1.0 for s in sequences], dtype=torch.float64)

    scorer = NaNScorer("nan_model")
    scorer.cache = ScoreCache(tmp / "nan-cache")
    try:
        scorer.predict_step({"ids": ["a", "b"], "sequences": ["ACGT", "GGGG"]})
        outcome = "NO ERROR"
    except Exception as err:  # noqa: BLE001  (the type is what is measured)
        outcome = f"{type(err).__name__}: {str(err)[:70]}"
    row("score cache on, model returns NaN", f"{outcome}; {len(scorer.cache)} rows cached",
        "non-finite score for record 'b'" not in outcome, False)


def checkpoint_fault(tmp: Path, row, visible) -> None:
    from mitbench.runs.evaluate import run

    marker = tmp / "PAYLOAD_RAN"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    evil = tmp / "evil.ckpt"
    torch.save({"state_dict": {}, "hyper_parameters": Payload()}, evil)
    over = ["model=pa_pwm", "logger=csv", "calibration=none", "references=none", "suite.n_boot=20",
            "suite.controls=false", f"paths.output_dir={tmp / 'ck'}"]
    run(compose(over))
    before = visible(tmp / "ck", "")
    try:
        run(compose([*over, f"model.checkpoint={evil}"]))
        outcome = "LOADED"
    except Exception as err:  # noqa: BLE001  (Hydra wraps the ValueError)
        message = str(err.__cause__ or err)
        outcome = f"refused: {message[message.find('was refused'):][:90]}..."
    after = visible(tmp / "ck", "")
    row("model.checkpoint=<pickle that runs a shell command>",
        f"{outcome}; payload ran: {marker.exists()}; previous results "
        + ("byte-identical" if after == before else "CHANGED"), after != before, False, executed=marker.exists())


def name_faults(tmp: Path, row, cli) -> None:
    cwd = tmp / "names" / "a" / "b" / "c" / "d"
    cwd.mkdir(parents=True)
    common = ["calibration=none", "references=none", "logger=csv", "suite.n_boot=20", "suite.controls=false"]
    rc, out = cli("evaluate.py", ["model=pa_pwm", "model.name=../../../escaped", "suite.name=../../escaped2", *common],
                  tmp / "names", cwd=cwd)
    rc2, out2 = cli("evaluate.py", ["suite=spacing", "suite.probe=../../../escaped3", "model=pa_pwm",
                                    "calibration=none", "references=none", "logger=csv"], tmp / "names", cwd=cwd)
    outside = [p for p in (tmp / "names").rglob("*") if p.is_file()
               and not p.is_relative_to(cwd / "outputs") and "escaped" in str(p)]
    written = [p.relative_to(cwd).parts[:4] for p in (cwd / "outputs").rglob("metrics.json")]
    row("model.name=../../../escaped suite.name=../../escaped2; suite.probe=../../../escaped3",
        f"exit {rc}, results under {'/'.join(written[0]) if written else '?'}/...; probe: exit {rc2} "
        f"({'refused' if 'must be a plain name' in out2 else 'NOT refused'}); files outside outputs/: {len(outside)}",
        bool(outside) or rc != 0, False)


def length_fault(row) -> None:
    from mitbench.data.core.records import SequenceRecord
    from mitbench.models.baselines.biophysical import BiophysicalScorer
    from mitbench.models.baselines.components.scan import PositionScan

    scan = BiophysicalScorer("scan", PositionScan(), exact_length=None)
    t0 = time.perf_counter()
    try:
        scan.check_records([SequenceRecord("ok", "A", "A" * 100), SequenceRecord("chr_100kb", "A", "A" * 100_000)])
        outcome = "ACCEPTED"
    except ValueError as err:
        outcome = f"refused before scoring in {time.perf_counter() - t0:.3f} s: {str(err)[:60]}..."
    row("model=scan on a 100-kb record (would allocate ~80 GB)", outcome, "refused" not in outcome, False)


def run_all(tmp: Path, row, cli, visible) -> None:
    from faults_readers import reader_faults

    print("cache, checkpoint, names, lengths", flush=True)
    cache_faults(tmp, row)
    checkpoint_fault(tmp, row, visible)
    name_faults(tmp, row, cli)
    length_fault(row)
    print("readers", flush=True)
    reader_faults(tmp, row, SHARED)
