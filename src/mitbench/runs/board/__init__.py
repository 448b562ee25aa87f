"""The results board (a static site of every run) and verifiable result bundles: ``mitbench board|bundle|verify``."""
