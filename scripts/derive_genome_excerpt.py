#!/usr/bin/env python3
"""Derive the reference excerpt shipped as ``src/mitbench/resources/ecoli536_excerpt.fna.gz``.

What it is: the first ``--length`` bp (default 1,000,000) of the chromosome of *Escherichia coli*
536 (NCBI RefSeq NC_008253.1), the genome in ``../shared/data/genomes/``. NCBI RefSeq sequence
is in the public domain (a work of the U.S. government), so it can be shipped. The excerpt is
the offline default reference of ``python audit.py``; it is small enough to keep in the package
(gzip level 9, ~0.3 MB) and long enough for the default audit's windows.

Output: one FASTA record, header ``NC_008253.1_1-<length> Escherichia coli 536 chromosome,
excerpt <1>-<length> (RefSeq, public domain)``, 80-column lines, gzip with mtime 0 so the same
genome gives the same bytes.

    python scripts/derive_genome_excerpt.py \\
        --genome ../shared/data/genomes/ecoli_536_NC_008253.fna.gz \\
        --out src/mitbench/resources/ecoli536_excerpt.fna.gz
"""
from __future__ import annotations

import argparse
import gzip
from pathlib import Path

from mitbench.data.core.genome import iter_contigs


def excerpt(genome: Path, length: int) -> str:
    """The first ``length`` bp of the first record (upper case, ACGTN)."""
    contig = next(iter(iter_contigs(genome)))
    if len(contig) < length:
        raise ValueError(f"{genome}: record {contig.name!r} has {len(contig)} bp, {length} requested")
    return contig.sequence[:length]


def write_fasta_gz(header: str, sequence: str, out: Path, width: int = 80) -> None:
    lines = [">" + header] + [sequence[i:i + width] for i in range(0, len(sequence), width)]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(("\n".join(lines) + "\n").encode())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--genome", type=Path, required=True, help="FASTA(.gz) of E. coli 536 (NC_008253)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--length", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    seq = excerpt(args.genome, args.length)
    header = (f"NC_008253.1_1-{args.length} Escherichia coli 536 chromosome, excerpt 1-{args.length} "
              "(RefSeq, public domain)")
    write_fasta_gz(header, seq, args.out)
    print(f"wrote {args.out}: {len(seq)} bp, {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
