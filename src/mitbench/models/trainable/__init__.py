"""Trainable LightningModules: the genome LM, the positional-contrastive fine-tune, the fitting regressor."""
