"""Command line: ``mitbench evaluate|fit|audit|train-glm|list|board|bundle|verify ...`` (also ``python -m mitbench``), and
the Hydra entry points behind it. Configs live in the package (``mitbench/conf``), so an installed
wheel runs outside a clone; ``evaluate.py``, ``train_baselines.py``, ``audit.py`` and ``train_glm.py``
at the top of the repository are aliases.

Each entry point composes its config and calls an importable ``run(cfg)`` that returns the metrics;
what the function returns is the value Hydra sweepers optimise. Mistakes a user makes (a required
value left out, a dataset folder that is not there) end in one paragraph, not a traceback.
"""
from __future__ import annotations

import sys
from typing import Any, Callable

import hydra
from omegaconf import DictConfig
from omegaconf.errors import MissingMandatoryValue

from mitbench.engine.loggers import quiet_wandb_defaults

USAGE = """usage: mitbench <command> [hydra overrides ...]

commands:
  evaluate   score a suite with a model (python evaluate.py): mitbench evaluate model=kmer suite=probes
  fit        fit a biophysical baseline to measured expression (python train_baselines.py)
  audit      is a generator's DNA distinguishable from the genome it continues? (python audit.py)
  train-glm  pretrain a small DNA language model on a genome (python train_glm.py)
  list       mitbench list models|suites|datasets
  board      static results site from run or sweep folders: mitbench board RUN_OR_SWEEP... --out site [--verify]
  bundle     pack a run into a verifiable bundle: mitbench bundle RUN --out run.tar.gz
  verify     recompute a bundle's (or run's) metrics from its scores and suite: mitbench verify run.tar.gz
  --version  print the version

Overrides are Hydra's: key=value, -m for sweeps (mitbench evaluate -m model=pa_pwm,kmer), --help for the
composed config's groups."""


def _missing_value_help(cfg: DictConfig, key: str) -> str:
    from mitbench.data.core.datasets import hint

    group, _, field = key.partition(".")
    choice = cfg.get(group, {}).get("name", group) if isinstance(cfg.get(group), DictConfig) else group
    what = {
        "root": f"the folder of the {choice} dataset. {hint(choice)}",
        "path": ("a score file (JSON keyed by id or by class, CSV id,score)" if choice == "precomputed" else
                 "a directory of class_*.json or a FASTA file" if group == "suite" else
                 "a Hugging Face hub id (org/name, pin it with model.revision=<commit>) or a local folder holding "
                 "config.json, the weights and the tokenizer files (README 'Weights offline')"),
    }.get(field, "a value")
    return (f"mitbench: {group}={choice} needs {key}: {what}\n"
            f"Example: mitbench evaluate {group}={choice} {key}=/path/to/it")


def _run_user_facing(fn: Callable[[DictConfig], Any], cfg: DictConfig) -> Any:
    """Run, turning a missing required value, a missing dataset folder or a refused run folder into
    one paragraph; SIGTERM ends the process with the status a shell reports for it (143)."""
    from mitbench.engine.console import configure
    from mitbench.data.core.datasets import DATASETS
    from mitbench.engine.rundir import RunDirRefused
    from mitbench.engine.terminate import EXIT_CODE, Terminated

    configure(bool(cfg.get("verbose")))
    try:
        return fn(cfg)
    except Terminated as err:
        print(f"mitbench: {err}", file=sys.stderr)
        raise SystemExit(EXIT_CODE) from None
    except RunDirRefused as err:
        raise SystemExit(f"mitbench: {err}") from None
    except MissingMandatoryValue as err:
        raise SystemExit(_missing_value_help(cfg, err.full_key)) from None
    except FileNotFoundError as err:
        names = {str(n) for n in (cfg.get("suite", {}) or {}).values()} | {str(n) for n in (cfg.get("data", {}) or {}).values()}
        known = [d for d in DATASETS if any(d.name in n for n in names)]
        more = "".join(f"\n{d.name}: it holds {d.files}; get it from {d.source}." for d in known)
        raise SystemExit(f"mitbench: {err}{more}") from None


@hydra.main(version_base="1.3", config_path="conf", config_name="evaluate")
def evaluate_main(cfg: DictConfig) -> float | None:
    """``mitbench evaluate`` / ``python evaluate.py [model=...] [suite=...] [-m sweeps]``; with
    ``experiment=reproduce_paper`` the reproduction of the paper (:func:`mitbench.runs.reproduce.run`)."""
    from mitbench.runs.evaluate import run, sweep_objective

    if cfg.get("reproduce") is not None:
        from mitbench.runs.reproduce import run as reproduce

        _run_user_facing(reproduce, cfg)
        return None
    metrics = _run_user_facing(run, cfg)
    return sweep_objective(metrics, hydra.utils.instantiate(cfg.suite).spec) if metrics else None


@hydra.main(version_base="1.3", config_path="conf", config_name="train_baselines")
def fit_main(cfg: DictConfig) -> float | None:
    """``mitbench fit`` / ``python train_baselines.py [model=...] [data=...] [-m sweeps]``: validation Pearson r."""
    from mitbench.runs.train_baselines import run

    value = _run_user_facing(run, cfg).get("val_pearson")
    return float(value) if isinstance(value, (int, float)) else None


@hydra.main(version_base="1.3", config_path="conf", config_name="audit")
def audit_main(cfg: DictConfig) -> float | None:
    """``python audit.py [generator=...] [reference=...] [-m sweeps]``: the CNN detector's AUROC."""
    from mitbench.runs.audit import run

    value = _run_user_facing(run, cfg).get("cnn_auroc")
    return float(value) if isinstance(value, (int, float)) else None


@hydra.main(version_base="1.3", config_path="conf/train_glm", config_name="train_glm")
def train_glm_main(cfg: DictConfig) -> float | None:
    """``python train_glm.py genome=<FASTA> [model=...] [task=pretrain|contrastive]``: held-out bits/nt."""
    from mitbench.runs.resume import ResumeRefused
    from mitbench.runs.train_glm import ConfigError, run

    try:
        value = _run_user_facing(run, cfg).get("heldout_bits_per_nt")
    except (ConfigError, ResumeRefused) as err:  # a wrong option or checkpoint: one paragraph, no traceback
        raise SystemExit(f"train_glm: {err}") from None
    return float(value) if isinstance(value, (int, float)) else None


def main_evaluate() -> None:
    quiet_wandb_defaults()
    evaluate_main()


def main_fit() -> None:
    quiet_wandb_defaults()
    fit_main()


def main_audit() -> None:
    quiet_wandb_defaults()
    audit_main()


def main_train_glm() -> None:
    quiet_wandb_defaults()
    train_glm_main()


COMMANDS: dict[str, Callable[[], None]] = {"evaluate": main_evaluate, "fit": main_fit, "audit": main_audit,
                                           "train-glm": main_train_glm}

# commands with their own argparse (no Hydra): command -> module whose main(argv) runs it
TOOLS = {"list": "mitbench.runs.listing", "board": "mitbench.runs.board.site", "bundle": "mitbench.runs.board.bundle",
         "verify": "mitbench.runs.board.verify"}


def main(argv: list[str] | None = None) -> None:
    """``mitbench <command> ...``: dispatch to the entry point, which reads the rest of the arguments."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return
    if argv[0] == "--version":
        import mitbench

        print(f"mitbench {mitbench.__version__}")
        return
    command, rest = argv[0], argv[1:]
    if command in TOOLS:
        import importlib

        importlib.import_module(TOOLS[command]).main(rest)
        return
    if command not in COMMANDS:
        raise SystemExit(f"mitbench: unknown command {command!r}\n\n{USAGE}")
    sys.argv = [f"mitbench {command}", *rest]
    COMMANDS[command]()
