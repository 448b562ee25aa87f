"""Strand/orientation: are the motifs read in their orientation, or as composition?

Each ``group`` has one 100-bp background. Conditions:

- ``forward``: −35 TTGACA at 30, −10 TATAAT at 53;
- ``rc_in_place``: the reverse complements (TGTCAA, ATTATA) at the same positions;
- ``full_rc``: the reverse complement of the whole forward sequence (a correct promoter on the
  other strand);
- ``scrambled``: shuffles of the two hexamers (never the hexamer or its reverse complement).

All four have identical A/T content (reverse complementing and shuffling preserve it).
"""
from __future__ import annotations

from mitbench.data.core.grammar import CONSENSUS_10, CONSENSUS_35, STANDARD, background, place
from mitbench.data.mit.probes.common import probe_record, probe_seed
from mitbench.data.core.records import Element, SequenceRecord, reverse_complement

PROBE = "strand"
CONDITIONS = ("forward", "rc_in_place", "full_rc", "scrambled")


def shuffle_motif(rng, motif: str) -> str:
    """A permutation of ``motif`` that is neither ``motif`` nor its reverse complement.

    A single-letter motif (e.g. ``AAAAAAAAA``) has no other permutation and is returned as is.
    """
    if len(set(motif)) < 2:
        return motif
    avoid = {motif, reverse_complement(motif)}
    while True:
        out = "".join(rng.permutation(list(motif)).tolist())
        if out not in avoid:
            return out


def strand_records(seed: int, n_per_condition: int, background_at: float) -> list[SequenceRecord]:
    """Strand-orientation probe.

    Parameters
    ----------
    seed, background_at
        Generation seed and background A/T fraction (see :mod:`mitbench.data.mit.probes.common`).
    n_per_condition : int
        Groups (shared backgrounds); each gives one sequence per condition.

    Returns
    -------
    list of SequenceRecord
        id ``strand_<condition>_<###>``, label = condition, meta ``probe``, ``group``, ``condition``.
    """
    lay, n = STANDARD, STANDARD.length
    (a35, b35), (a10, b10) = lay.minus35, lay.minus10
    records = []
    for g in range(int(n_per_condition)):
        rng = probe_seed(seed, g)
        bg = background(rng, n, background_at)

        def build(x35: str, x10: str) -> str:
            return place(place(bg, a35, x35), a10, x10)

        fwd = build(CONSENSUS_35, CONSENSUS_10)
        seqs = {"forward": fwd,
                "rc_in_place": build(reverse_complement(CONSENSUS_35), reverse_complement(CONSENSUS_10)),
                "full_rc": reverse_complement(fwd),
                "scrambled": build(shuffle_motif(rng, CONSENSUS_35), shuffle_motif(rng, CONSENSUS_10))}
        els = {"forward": (Element("minus35", a35, b35), Element("minus10", a10, b10)),
               "rc_in_place": (Element("minus35", a35, b35, "-"), Element("minus10", a10, b10, "-")),
               "full_rc": (Element("minus10", n - b10, n - a10, "-"), Element("minus35", n - b35, n - a35, "-")),
               "scrambled": (Element("minus35_scrambled", a35, b35), Element("minus10_scrambled", a10, b10))}
        for c in CONDITIONS:
            records.append(probe_record(PROBE, f"strand_{c}_{g:03d}", c, seqs[c], els[c], group=f"{g:03d}", condition=c))
    return records
