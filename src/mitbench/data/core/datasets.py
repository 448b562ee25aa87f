"""Where every external dataset comes from: one registry for ``mitbench list datasets``, the README
and the one-paragraph errors a user gets when a dataset folder is missing. Nothing here is shipped."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    name: str
    used_by: str          # the overrides that read it
    files: str            # what the folder must hold
    source: str           # where to download it
    licence: str = ""


DATASETS = (
    Dataset("urtecho2019", "data=urtecho2019 data.root=DIR; suite=urtecho2019 suite.root=DIR",
            "min_promoter_lib_up_20161118_controls_clean.txt, revLP5_Min_MOPS_glu_expression.txt",
            "GitHub KosuriLab/ecoli_minimal_promoter, processed_data/ (also GEO GSE108535)"),
    Dataset("lagator2022", "data=lagator2022 data.root=DIR data.library=Pr|Pl|36N",
            "Pr_constitutive.csv, Pl_constitutive.csv, 36N_constitutive.csv",
            "Lagator et al. 2022 eLife, data repository linked in its data-availability statement"),
    Dataset("mit_reference", "suite=external suite.path=DIR/sequences; model=precomputed model.path=DIR/scores/<file>",
            "sequences/class_*.json, scores/*_results.json",
            "GitHub bryanc5864/MechanisticInvarianceTesting_GLMs, data/sequences/ and data/results/"),
    Dataset("nullsettes", "suite=nullsettes suite.root=DIR (holding nullsettes/ and kosuri2013/)",
            "nullsettes/{cassette_parts.json,translocations.tsv,*_promoters.tsv}, kosuri2013/promoter_rbs_pairs.tsv",
            "GitHub cellethology/GLM-Nullsette-Benchmark (MIT licence), database/", "MIT"),
    Dataset("regulondb", "suite.natural_source=regulondb suite.regulondb_path=FILE", "PromoterSet.txt",
            "RegulonDB downloads (release 10.6.3 tested)", "academic: read by path, never shipped"),
    Dataset("genomes", "audit.py reference=FILE; train_glm.py genome=FILE; scripts/derive_*.py",
            "ecoli_536_NC_008253.fna.gz", "NCBI RefSeq NC_008253 (E. coli 536; public domain)"),
)


def find(name: str) -> Dataset | None:
    return next((d for d in DATASETS if d.name == name), None)


def hint(name: str) -> str:
    """One sentence: what the dataset folder holds and where to get it."""
    d = find(name)
    if d is None:
        return ""
    return f"{d.name} holds {d.files}; get it from {d.source}" + (f" (licence: {d.licence})" if d.licence else "") + "."
