"""Fit a biophysical baseline: ``python train_baselines.py [model=...] [data=...] [-m sweeps]``.

Thin alias of :func:`mitbench.cli.fit_main`; the work is in :func:`mitbench.runs.train_baselines.run`.
"""
from mitbench.cli import main_fit

if __name__ == "__main__":
    main_fit()
