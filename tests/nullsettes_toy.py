"""A hand-made Nullsettes source folder (same file formats as ../shared/data) for tests that must
not depend on the shared data: three cassettes per dataset, short parts, known defects planted."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd

NAMES = {"promoter": "Promoter", "rbs": "RBS", "start_codon": "Start codon", "cds": "CDS",
         "stop_codon": "Stop codon", "terminator": "Terminator"}
PROK = ("promoter", "rbs", "start_codon", "cds", "stop_codon", "terminator")
EUK = ("promoter", "start_codon", "cds", "stop_codon", "terminator")

# 573-bp CDS reading GCT... GCA GAC CAT TCT GCT...; the Lagator copy lacks the A at offset 535
CDS = "GCT" * 177 + "GCAGACCATT" + "CT" + "GCT" * 10
LAGATOR_CDS = CDS[:535] + CDS[536:]
DISTAL, PROXIMAL = "GGGCCCAAATTTGCATCACATC", "GGTTACGGCTGTTTCTTAAT"  # de Boer-like: library repeats 12 + 10 bp
TERM = "AAAAGCGCGCGCAAAAGCGCGCGCTTTTTTTT"


def translocation_table() -> pd.DataFrame:
    rows = []
    for kingdom, parts, n in (("prokaryotic", PROK, 19), ("eukaryotic", EUK, 11)):
        perms = [p for p in itertools.permutations(parts) if p != parts][:n]
        rows += [{"kingdom": kingdom, "type": k + 1, "order": " - ".join(NAMES[x] for x in p)}
                 for k, p in enumerate(perms)]
    return pd.DataFrame(rows)


def make_root(tmp: Path) -> Path:
    """Write the toy source folder under ``tmp`` and return it (the ``suite.root``)."""
    ns, ko = tmp / "nullsettes", tmp / "kosuri2013"
    ns.mkdir(parents=True)
    ko.mkdir(parents=True)
    euk_tail = {"start_codon": "ATG", "kozak+4": "T", "cds": CDS[1:], "stop_codon": "TAA", "linker2": "CCGGAA",
                "terminator": "TTTATAAATAAAGGCC"}
    parts = {
        "kosuri": {"promoter": "pair with kosuri_promoter_rbs_dict", "rbs": "pair with kosuri_promoter_rbs_dict",
                   "start_codon": "ATG", "cds": CDS, "stop_codon": "TAA",
                   "linker_between_stopcodon_and_terminator": "CCGGTT", "terminator": TERM},
        "lagator": {"promoter": "lagator_dict", "link1": "TAGATTT", "rbs": "AAGGAGG", "link2": "ATACAT",
                    "start_codon": "ATG", "cds": LAGATOR_CDS, "stop_codon": "TAG", "link3": "ACCTGC",
                    "terminator": TERM},
        "deboer_pTpA": {"distal_promoter": DISTAL, "promoter": "pair with deBoer_promoter_dict",
                        "proximal_promoter": PROXIMAL, "linker1": "AG", "kozak_part1": "GCAAAG", **euk_tail},
        "zahm_minCMV": {"tre_unit": "", "promoter": "GTCTATATAAGCAGAGC", "linker1": "CA", "kozak_part1": "GCCACC",
                        "start_codon": "ATG", "cds": CDS, "stop_codon": "TAA", "linker2": "TAATCGBDHVBDHVACTAG",
                        "terminator1": "CTGTGCCTTC", "terminator_conservative": "AATAAA", "terminator2": "ATGAGGAAAT"},
    }
    (ns / "cassette_parts.json").write_text(json.dumps(parts, indent=1))
    translocation_table().to_csv(ns / "translocations.tsv", sep="\t", index=False)
    pd.DataFrame({"name": ["p1_r1", "p2_r1", "p1_r2"], "promoter_name": ["p1", "p2", "p1"],
                  "promoter_seq": ["TTGACAATTAATCATCCGGCTCGTATAATGTGTGG", "TTTACAGCTAGCTCAGTCCTAGGTATAATGCTAGC",
                                   "TTGACAATTAATCATCCGGCTCGTATAATGTGTGG"],
                  "rbs_name": ["r1", "r1", "r2"], "rbs_seq": ["AAAGAGGAGAAATTA", "AAAGAGGAGAAATTA", "TCACACAGGAAACC"]}
                 ).to_csv(ko / "promoter_rbs_pairs.tsv", sep="\t", index=False)
    pd.DataFrame({"index": [0, 1, 2], "promoter_seq": ["ACCTCGAGTTGACATATAATGCATACAGATTG" + s for s in "ACG"],
                  "estimate_bin": [3.0, 2.0, 1.0]}).to_csv(ns / "lagator_promoters.tsv", sep="\t", index=False)
    lib = [DISTAL[-12:] + core + PROXIMAL[:10] for core in ("ACGTACGTTATAAAAG", "TTTTACGCGCGTATAA", "GATTACAGATTACA")]
    pd.DataFrame({"library": ["pTpA"] * 3, "index": [0, 1, 2], "promoter_seq": lib,
                  "expression": [10.0, 11.0, 12.0]}).to_csv(ns / "deboer_promoters.tsv", sep="\t", index=False)
    pd.DataFrame({"name": ["minCMV_a", "minCMV_b", "minCMV_c"], "index": [0, 1, 2], "promoter": ["minCMV"] * 3,
                  "tre_seq": ["ACGCGTATGACTCAT", "ACGCGTTGACTCATT", "ACGCGTCCGGTGACTCA"],
                  "expression": [1.0, 2.0, 3.0]}).to_csv(ns / "zahm_promoters.tsv", sep="\t", index=False)
    return tmp
