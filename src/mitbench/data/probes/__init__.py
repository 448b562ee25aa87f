"""Probe suites: one generator per probe family (see each module's docstring).

Each probe is a :class:`~mitbench.data.suite.Suite` built from ``conf/suite/<name>.yaml``;
``conf/suite/probes.yaml`` combines the 100-bp probes in one run (:class:`ProbeBattery`).
"""
from mitbench.data.probes.ablations import (BackgroundAblation, LengthAblation, MotifStrengthAblation,
                                            UPCompositionAblation)
from mitbench.data.probes.at_titration import ATTitration
from mitbench.data.probes.battery import ProbeBattery
from mitbench.data.probes.spacing import SpacingProbe
from mitbench.data.probes.strand import StrandProbe
from mitbench.data.probes.up_sweep import UPSweep

__all__ = ["ATTitration", "UPSweep", "SpacingProbe", "StrandProbe", "LengthAblation",
           "BackgroundAblation", "MotifStrengthAblation", "UPCompositionAblation", "ProbeBattery"]
