"""Score a suite with a model: ``python evaluate.py [model=...] [suite=...] [-m sweeps]``.

Thin alias of :func:`mitbench.cli.evaluate_main`; the work is in :func:`mitbench.runs.evaluate.run`.
"""
from mitbench.cli import main_evaluate

if __name__ == "__main__":
    main_evaluate()
