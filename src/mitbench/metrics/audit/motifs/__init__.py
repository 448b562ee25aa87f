"""Interval finders of the audit: non-B DNA motifs (G4Hunter, Z-DNA as ZSeeker scores it) and repeats (direct,
inverted, mirror, short tandem) as non-B_gfa defines and merges them."""
