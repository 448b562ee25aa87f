"""Hydra configs of mitbench (found by Hydra as the package ``mitbench.conf``)."""
