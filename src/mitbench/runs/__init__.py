"""The entry points' ``run(cfg)``: evaluate, audit, train_baselines, train_glm, reproduce, compare, list; and reading a finished run back."""
