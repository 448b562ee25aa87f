"""A tiny pairs layout (Synthetic Genomes Benchmark generation pipeline) written by the tests."""
import gzip

import numpy as np

SEED, GEN = 100, 400


def _wrap(seq):
    return "\n".join(seq[i:i + 80] for i in range(0, len(seq), 80))


def write_layout(tmp_path, n=3, window_len=600, columns="full", rng_seed=0):
    """A reference with two contigs, and ``n`` pairs in the generation layout: natural windows
    ``orig.<contig>.<start>.<len>.fa`` (header ``contig:start+1-end``), synthetic windows
    ``syn_<contig>:<start+1>-<end>.fasta`` (prompt + generated), manifest ``pairs.<TAG>.csv``."""
    rng = np.random.default_rng(rng_seed)
    contigs = {"chrA": "".join(rng.choice(list("ACGT"), 5000)), "chrB": "".join(rng.choice(list("acgt"), 4000))}
    ref = tmp_path / "ref.fa.gz"
    with gzip.open(ref, "wt") as fh:
        fh.write("".join(f">{c} test contig\n{_wrap(s)}\n" for c, s in contigs.items()))
    data = tmp_path / "Tag"
    data.mkdir()
    placed = [("chrA", 100), ("chrB", 1000), ("chrA", 2500), ("chrB", 3000)][:n]
    rows, truth = [], {}
    for i, (c, s) in enumerate(placed, start=1):
        nat = contigs[c][s:s + window_len].upper()
        syn = nat[:SEED] + "".join(rng.choice(list("ACGT"), window_len - SEED))
        orig = data / f"orig.{c}.{s}.{window_len}.fa"
        orig.write_text(f">{c}:{s + 1}-{s + window_len}\n{_wrap(nat)}\n")
        synf = data / f"syn_{c}:{s + 1}-{s + window_len}.fasta"
        synf.write_text(f">synthetic_1 model=toy source={orig.name}\n{_wrap(syn)}\n")
        rel = f"Tag/{orig.name},Tag/{synf.name}"
        rows.append(f"pair_{i:03d},{rel},{c},{s},{window_len},1337" if columns == "full" else
                    f"pair_{i:03d},{rel},{window_len},{window_len},{SEED}")
        truth[f"pair_{i:03d}"] = (c, s, nat, syn)
    head = "id,orig,syn,contig,start,len,seed" if columns == "full" else "id,orig,syn,orig_len,syn_len,seed_len"
    manifest = tmp_path / "pairs.Tag.csv"
    manifest.write_text(head + "\n" + "\n".join(rows) + "\n")
    return ref, manifest, truth
