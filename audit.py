"""Audit a generator's DNA against the genome it continues: ``python audit.py [generator=...]``.

Thin alias of :func:`mitbench.cli.audit_main`; the work is in :func:`mitbench.runs.audit.run`.
"""
from mitbench.cli import main_audit

if __name__ == "__main__":
    main_audit()
