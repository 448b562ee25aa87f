"""Train a DNA language model: ``python train_glm.py genome=<FASTA> [model=...] [task=...]``.

Thin alias of :func:`mitbench.cli.train_glm_main`; the work is in :func:`mitbench.runs.train_glm.run`.
"""
from mitbench.cli import main_train_glm

if __name__ == "__main__":
    main_train_glm()
