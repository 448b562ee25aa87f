"""gLM training data: genome tiling and splits, genome LM and positional-contrastive datasets."""
