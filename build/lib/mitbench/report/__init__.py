"""Reports: Markdown sections and matplotlib (Agg) figures built from scores and metrics."""
