"""Biophysical baselines: a scorer wrapping differentiable components (PWM, PA-PWM, thermodynamic, k-mer, ...)."""
