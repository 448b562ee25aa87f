"""The Python API: evaluate a model on a suite, or score sequences, from a notebook or a script
(no Hydra run directory, no command line).

>>> import mitbench
>>> metrics = mitbench.evaluate(model="pa_pwm", suite="mit", output_dir="runs/pa_pwm")
>>> metrics["css"], metrics["verdict"]
>>> mitbench.score(["ACGT" * 25], model="kmer")          # -> numpy array, one float64 per sequence
>>> run = mitbench.load_run("runs/pa_pwm")               # scores table + metrics, re-analysable

Overrides are the command line's: keyword arguments with dots written as ``__``
(``model__path="/ckpt"`` is ``model.path=/ckpt``), or a list of override strings.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import torch

from mitbench.engine.config import _value, compose, overrides_from, quoted  # noqa: F401  (re-exported)


def evaluate(model: str = "pa_pwm", suite: str = "mit", output_dir: str | Path | None = None,
             overrides: Sequence[str] = (), **kwargs: Any) -> dict[str, Any]:
    """Score ``suite`` with ``model`` and write the run's outputs; returns its metrics.

    Parameters
    ----------
    model, suite : str
        Config names (``mitbench list models``, ``mitbench list suites``).
    output_dir : path, optional
        Run directory, taken literally (commas, brackets, quotes and ``${...}`` are characters of the
        path, never override syntax); default ``outputs/api/<suite>/<model>/<time>`` under the
        working directory.
    overrides : sequence of str
        Command-line style overrides (``"calibration=none"``).
    **kwargs
        More overrides, ``__`` for dots (``model__path=...``, ``limit=40``).
    """
    from mitbench.runs.evaluate import run

    from mitbench.engine.outputs import safe_name

    out = Path(output_dir) if output_dir else (Path("outputs/api") / safe_name(suite) / safe_name(model)
                                               / time.strftime("%Y-%m-%d_%H-%M-%S"))
    # a path is data, never an override expression: quoted exactly (commas, brackets, ${...} stay as typed)
    cfg = compose("evaluate", [f"model={_value(model)}", f"suite={_value(suite)}", f"paths.output_dir={quoted(str(out))}",
                               *overrides_from(kwargs, overrides)])
    return run(cfg)


def score(sequences: Sequence[str], model: str = "kmer", overrides: Sequence[str] = (), batch_size: int = 256,
          **kwargs: Any) -> np.ndarray:
    """Scores of ``sequences`` under ``model``: a float64 array (higher = more likely / active), no
    autograd, through the model's own ``predict_step`` (its checks and score cache included).

    Raises
    ------
    ValueError
        On a non-ACGT sequence (naming its index and position) or one the model cannot read.
    """
    import hydra

    from mitbench.data.core.records import SequenceRecord, validate_records

    if isinstance(sequences, str):
        raise TypeError("score() takes a list of sequences, not one string")
    records = validate_records(SequenceRecord(f"seq{i}", "input", s) for i, s in enumerate(sequences))
    scorer = hydra.utils.instantiate(compose("evaluate", [f"model={model}", *overrides_from(kwargs, overrides)]).model)
    scorer.check_records(records)
    scorer.eval()
    out = np.empty(len(records), dtype=np.float64)
    with torch.inference_mode():
        for start in range(0, len(records), batch_size):
            part = records[start:start + batch_size]
            pred = scorer.predict_step({"ids": [r.id for r in part], "sequences": [r.sequence for r in part]})
            out[start:start + len(part)] = pred["scores"].to(torch.float64).numpy()
    return out
