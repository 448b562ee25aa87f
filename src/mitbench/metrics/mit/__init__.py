"""MIT metrics: CSS/SCR/MES and class statistics, placement controls, the calibrated verdict, probes, the paper's tests."""
