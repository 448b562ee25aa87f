"""Probe generators: one pure function per probe family (see each module's docstring).

Each returns validated-ready :class:`~mitbench.data.core.records.SequenceRecord` lists tagged with
``meta["probe"]``; the probe suites of the task layer pair them with metric and report
functions from ``conf/suite/<name>.yaml``.
"""
from mitbench.data.mit.probes.ablations import background_records, length_records, motif_records, upcomp_records
from mitbench.data.mit.probes.at_titration import at_titration_records
from mitbench.data.mit.probes.spacing import spacing_records
from mitbench.data.mit.probes.strand import strand_records
from mitbench.data.mit.probes.up_sweep import up_sweep_records

__all__ = ["at_titration_records", "up_sweep_records", "spacing_records", "strand_records", "length_records",
           "background_records", "motif_records", "upcomp_records"]
