"""What every run shares: the scoring engine (Trainer.predict), run folders, loggers, console, the score cache, the random-init calibration nulls."""
