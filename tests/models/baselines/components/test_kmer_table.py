"""The shipped 6-mer table is exactly what scripts/derive_kmer_table.py derives from the genome."""
import subprocess
import sys

from helpers import ROOT, shared_path

SHIPPED = ROOT / "src" / "mitbench" / "resources" / "ecoli_6mer_counts.tsv"


def test_shipped_table_shape():
    lines = SHIPPED.read_text().splitlines()
    assert lines[0] == "kmer\tcount" and len(lines) == 4097
    counts = [int(line.split("\t")[1]) for line in lines[1:]]
    assert sum(counts) == 9_877_830 and min(counts) > 0  # both strands: every 6-mer occurs
    assert SHIPPED.stat().st_size < 100_000
    # both strands counted: a 6-mer and its reverse complement have equal counts
    table = dict(line.split("\t") for line in lines[1:])
    rc = str.maketrans("ACGT", "TGCA")
    assert all(table[k] == table[k.translate(rc)[::-1]] for k in table)


def test_script_reproduces_shipped_table_byte_identically(tmp_path):
    genome = shared_path("genomes", "ecoli_536_NC_008253.fna.gz")
    out = tmp_path / "counts.tsv"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "derive_kmer_table.py"), "--genome", str(genome),
                    "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == SHIPPED.read_bytes()
