#!/usr/bin/env python3
"""Derive the 6-mer count table shipped as ``src/mitbench/resources/ecoli_6mer_counts.tsv``.

Counts every overlapping 6-mer of every record in a (gzipped) FASTA genome on both strands
(the sequence and its reverse complement), skipping windows that contain a non-ACGT base.
Output: a header ``kmer<TAB>count`` then 4096 rows in lexicographic ACGT order, ``\\n`` line
ends. Deterministic: the same genome gives the same bytes.

    python scripts/derive_kmer_table.py \\
        --genome ../shared/data/genomes/ecoli_536_NC_008253.fna.gz \\
        --out src/mitbench/resources/ecoli_6mer_counts.tsv
"""
from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np

from mitbench.data.core.fasta import iter_fasta

K = 6
_CODE = np.full(256, -1, dtype=np.int64)
for _i, _b in enumerate(b"ACGT"):
    _CODE[_b] = _i
    _CODE[ord(chr(_b).lower())] = _i


def read_fasta(path: Path) -> list[bytes]:
    """Sequences of a plain or gzipped FASTA file, as bytes (headers dropped)."""
    return [seq.encode() for _, _, seq in iter_fasta(path)]


def count_kmers(seq: bytes, k: int = K) -> np.ndarray:
    """Counts ``(4**k,)`` int64 of the k-mers of ``seq`` and of its reverse complement."""
    codes = _CODE[np.frombuffer(seq, dtype=np.uint8)]
    counts = np.zeros(4 ** k, dtype=np.int64)
    for strand in (codes, np.where(codes < 0, -1, 3 - codes)[::-1]):
        if len(strand) < k:
            continue
        windows = np.lib.stride_tricks.sliding_window_view(strand, k)
        ok = (windows >= 0).all(axis=1)
        index = (windows[ok] * (4 ** np.arange(k - 1, -1, -1))).sum(axis=1)
        counts += np.bincount(index, minlength=4 ** k)
    return counts


def write_table(counts: np.ndarray, out: Path, k: int = K) -> None:
    lines = ["kmer\tcount"]
    for kmer, n in zip(("".join(p) for p in itertools.product("ACGT", repeat=k)), counts.tolist()):
        lines.append(f"{kmer}\t{n}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(("\n".join(lines) + "\n").encode())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--genome", type=Path, required=True, help="FASTA(.gz) genome")
    parser.add_argument("--out", type=Path, required=True, help="output TSV")
    args = parser.parse_args(argv)
    counts = np.zeros(4 ** K, dtype=np.int64)
    for seq in read_fasta(args.genome):
        counts += count_kmers(seq)
    write_table(counts, args.out)
    print(f"wrote {args.out}: {int(counts.sum())} {K}-mers (both strands)")


if __name__ == "__main__":
    main()
