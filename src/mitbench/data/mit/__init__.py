"""MIT data: the 650 designed promoters, placement controls, natural promoters, probes, external suites, the paper's files."""
