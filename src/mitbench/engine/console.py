"""What a run prints: quiet by default (a short summary), everything with ``verbose=true``.

Quiet mode keeps the console for what a user acts on: warnings, errors and the summary table at
the end. Library chatter (Lightning's accelerator lines and tips, Hugging Face weight-loading bars,
W&B notices, known deprecation warnings of dependencies) is silenced; the run's log file
(``<run dir>/<job>.log``) still gets every INFO line. Progress bars count sequences while scoring
and show epochs and loss while fitting, and only on a terminal.
"""
from __future__ import annotations

import logging
import sys
import warnings
from typing import Any

from lightning.pytorch.callbacks import TQDMProgressBar

_LIBRARY_LOGGERS = ("lightning", "lightning.pytorch", "lightning.fabric", "lightning_fabric", "pytorch_lightning",
                    "transformers", "huggingface_hub", "wandb")


def configure(verbose: bool = False) -> None:
    """Quiet (default) or verbose console for this process (idempotent)."""
    level = logging.INFO if verbose else logging.WARNING
    for name in _LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(level)
    for handler in logging.getLogger().handlers:  # Hydra's console handler; its file handler keeps INFO
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            handler.setLevel(level)
    if not verbose:
        warnings.filterwarnings("ignore", message=r".*isinstance\(treespec, LeafSpec\).*")
        warnings.filterwarnings("ignore", message=r".*does not have many workers.*")
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
        except ImportError:  # pragma: no cover - transformers is a dependency
            pass


class SequenceProgressBar(TQDMProgressBar):
    """Progress in sequences (not batches) while predicting; Lightning's epoch/loss bar while fitting.

    Bars are drawn only on a terminal and vanish when a scoring ends (a run scores the model, its
    references and its null copies: one transient bar each).
    """

    def __init__(self) -> None:
        super().__init__(leave=False)
        self._total = 0
        if not sys.stdout.isatty():  # a log file or a pipe: no bars at all
            self.disable()

    def init_predict_tqdm(self):
        bar = super().init_predict_tqdm()
        bar.unit = "seq"
        return bar

    def on_predict_start(self, trainer, pl_module) -> None:
        super().on_predict_start(trainer, pl_module)
        records = getattr(trainer.datamodule, "records", None)
        self._total = len(records) if records is not None else 0

    def on_predict_batch_start(self, trainer, pl_module, batch: Any, batch_idx: int, dataloader_idx: int = 0) -> None:
        if not self.has_dataloader_changed(dataloader_idx):
            return
        self.predict_progress_bar.reset(self._total or None)
        self.predict_progress_bar.initial = 0
        self.predict_progress_bar.set_description(f"{self.predict_description} {pl_module.name}")

    def on_predict_batch_end(self, trainer, pl_module, outputs: Any, batch: Any, batch_idx: int,
                             dataloader_idx: int = 0) -> None:
        self.predict_progress_bar.update(len(batch["ids"]))

    def init_validation_tqdm(self):
        bar = super().init_validation_tqdm()
        bar.disable = True  # the epoch bar shows val_loss; a second bar per epoch is noise
        return bar


def _cell(value: Any, digits: int = 3) -> str:
    from mitbench.report.common import fmt

    return fmt(value, digits)


def _null_cell(metrics: dict[str, Any], key: str) -> str:
    from mitbench.metrics.calibration import null_prefix
    from mitbench.report.common import fmt_p

    prefix = null_prefix(metrics, key)
    return "" if prefix is None else fmt_p(metrics.get(f"{key}_{prefix}_p")) + (" (panel)" if prefix == "panel" else "")


def summary(metrics: dict[str, Any], headline: Any, out_dir: Any, width: int = 110) -> str:
    """A short table for the console: what was scored, the verdict, the headline metrics (value,
    interval, p, null p (random-init twins, or the untrained-CNN panel), composition references) and where the outputs are."""
    from rich.console import Console
    from rich.table import Table

    from mitbench.report.common import fmt_ci, fmt_p

    head = (f"mitbench · {metrics.get('checkpoint', metrics.get('model'))} on {metrics.get('suite')} "
            f"v{metrics.get('suite_version')} · {metrics.get('n_sequences')} sequences · mode {metrics.get('mode')}"
            + (" · SMOKE RUN (limit)" if metrics.get("smoke") else ""))
    refs = [r for r in ("composition", "kmer") if any(f"ref_{r}_{m.key}" in metrics for m in headline)]
    table = Table(title=head, title_justify="left", show_edge=False, pad_edge=False, box=None)
    for col in ("metric", "value", "95% CI", "p", "null p", *refs):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for m in headline:
        if metrics.get(m.key) is None and m.key not in metrics:
            continue
        ci = fmt_ci(metrics.get(m.ci[0]), metrics.get(m.ci[1])) if m.ci else ""
        table.add_row(m.label, _cell(metrics.get(m.key)), ci, fmt_p(metrics.get(m.pvalue)) if m.pvalue else "",
                      _null_cell(metrics, m.key),
                      *[_cell(metrics.get(f"ref_{r}_{m.key}")) for r in refs])
    console = Console(width=width, record=True, file=open("/dev/null", "w"), color_system=None)
    console.print(table)
    lines = [console.export_text().rstrip()]
    if "verdict" in metrics:
        lines.append(f"verdict: {metrics['verdict']}  ({metrics.get('verdict_basis', '')}; alpha {metrics.get('verdict_alpha')})")
    lines.append(f"outputs: {out_dir}  (report.md, metrics.json, scores.csv, figures)")
    return "\n".join(lines)
