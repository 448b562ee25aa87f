"""Generation-realism metrics (pure functions of sequences and per-window feature tables).

One module per family: :mod:`.kmers` (spectra, nullomers), :mod:`.nonb` (G4, Z-DNA),
:mod:`.repeats` (direct, inverted, mirror, short tandem), :mod:`.organisation` (σ70/TFBS motif
density and clustering, ORFs), :mod:`.features` (one feature row per sequence and distance bin),
:mod:`.paired` (generated vs natural, sign-flip test, BH), :mod:`.auroc` (AUROC with CIs).
"""
