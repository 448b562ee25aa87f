"""Baseline fitting data: measured promoter libraries (Urtecho 2019, Lagator 2022) and the synthetic library."""
