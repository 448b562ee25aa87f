"""The contract every baseline component declares (plain ``nn.Module`` subclasses of :class:`Component`).

A component maps one-hot ``(B, L, 4)`` float64 (A, C, G, T channels) to a ``(B,)`` float64 score,
higher = more active / more likely. Besides ``forward`` it declares, as instance or class
attributes:

* ``min_length`` (int, bp): the shortest sequence it can score (its motif span or layout);
  :class:`~mitbench.models.baselines.biophysical.BiophysicalScorer` rejects shorter records by name.
* ``max_length`` (int or None, bp): the longest sequence it can score, for components whose
  memory or exactness limits the length (the position scan builds ``(B, L, L)`` tensors: a
  100-kb record would need ~80 GB); ``BiophysicalScorer`` rejects longer records by name before
  anything is scored. None: no limit (memory linear in the length).
* ``output_scale`` (``"unbounded"`` or ``"log2_activity"``): what the score is. When fitted to
  measured expression (:class:`~mitbench.models.trainable.regressor.Regressor`), an unbounded score gets a
  monotone saturating head (occupancy → expression); a score that is already log2 activity
  (the thermodynamic model's saturating output) gets an affine head.
"""
from __future__ import annotations

from torch import nn

OUTPUT_SCALES = ("unbounded", "log2_activity")


class Component(nn.Module):
    """Base class of baseline components (see the module docstring for the contract)."""

    min_length: int = 1
    max_length: int | None = None
    output_scale: str = "unbounded"
