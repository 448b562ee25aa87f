"""Agreement of the audit's repeat and non-B finders with the reference tools they follow.

Draws the audit's windows (``audit_windows``: ``--n-windows`` x (seed + ``--gen-len``) bp of the
reference, seed ``--seed``) and an order-5 Markov continuation of each (the chain fitted on the
reference minus the windows, as ``audit.py generator=markov`` does), counts each motif family per
continuation with mitbench and with each reference tool given, and writes per-window counts
(``counts.csv``) and a table of Spearman rho, identical-output share and mean count per 20 kb
(``agreement.md``) into ``--out``. Tools (each optional; a family without its tool is skipped):

* ``--nbmst``: the non-B_gfa driver, ``scripts/nbmst_repeats.c`` compiled with the tool's own
  ``findDR.c findIR.c findMR.c findSTR.c`` (build line in that file): DR, IR, MR, STR.
* ``--zseeker``: a folder holding the ``zseeker`` package (ZSeeker 1.8, e.g. the unpacked wheel);
  its ``ZDNACalculatorSeq.subarrays_above_threshold`` is called with default ``Params()``.
  Biopython is only used there as a string wrapper; a stand-in is provided if it is missing.
* ``--g4hunter``: the authors' ``G4Hunter.py`` (Python 2), run with ``--python2`` as
  ``G4Hunter.py -i windows.fa -o DIR -w 25 -s 1.5`` (and ``-s 1.2`` for ``g4_loose``); its
  ``*-Merged.txt`` regions are counted. ``--g4hunter-pythonpath`` is prepended to its PYTHONPATH.

    PYTHONPATH=src python scripts/audit_tool_agreement.py --reference genome.fna.gz \\
        --nbmst /tmp/nbmst_repeats --zseeker /tmp/zseeker_wheel --g4hunter /tmp/G4Hunter.py --out /tmp/agree

Not imported by mitbench; nothing here is used by the audit itself.
"""
from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from mitbench.data.audit.windows import Reference, audit_windows, holdout_of
from mitbench.metrics.audit.motifs import nonb, repeats
from mitbench.models.generators.markov import MarkovGenerator


def windows_fasta(args, path: Path) -> dict[str, str]:
    wins = audit_windows(args.reference, args.n_windows, args.seed_len, args.gen_len, seed=args.seed)
    gen = MarkovGenerator(order=args.order)
    gen.fit(Reference(args.reference, holdout_of(wins)))
    markov = gen.continuations(wins, args.gen_len, seed=args.seed + 1)
    seqs = {f"natural_{i:03d}": w.continuation for i, w in enumerate(wins)}
    seqs.update({f"markov_{i:03d}": s for i, s in enumerate(markov)})
    path.write_text("".join(f">{k}\n{v}\n" for k, v in seqs.items()))
    return seqs


def run_nbmst(exe: str, fasta: Path, dr_spacer: int) -> dict[tuple[str, str], list]:
    out = subprocess.run([exe, str(fasta), str(dr_spacer)], check=True, capture_output=True, text=True).stdout
    found = collections.defaultdict(list)
    for line in out.splitlines():
        rec, fam, s, e = line.split("\t")
        found[(rec, fam)].append((int(s), int(e)))
    return found


def run_zseeker(folder: str, seqs: dict[str, str]) -> dict[str, list]:
    sys.path.insert(0, folder)
    try:
        import Bio.Seq  # noqa: F401
    except ImportError:  # ZSeeker only needs a str-like Seq; stand in for Biopython
        bio, seqmod = types.ModuleType("Bio"), types.ModuleType("Bio.Seq")

        class Seq:
            def __init__(self, data):
                self._d = str(data)

            def __len__(self):
                return len(self._d)

            def __getitem__(self, i):
                return self._d[i]

            def __str__(self):
                return self._d

        seqmod.Seq = Seq
        bio.Seq = seqmod
        sys.modules.update({"Bio": bio, "Bio.Seq": seqmod})
    from zseeker.constants import Params
    from zseeker.zdna_calculator import ZDNACalculatorSeq

    found = {}
    for rec, s in seqs.items():
        hits = ZDNACalculatorSeq(data=s, params=Params()).subarrays_above_threshold()
        found[rec] = [(int(a), int(b) + 1) for a, b, _, _ in hits]  # bases a..b inclusive
    return found


def run_g4hunter(args, fasta: Path, threshold: float, out: Path) -> dict[str, list]:
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if args.g4hunter_pythonpath:
        env["PYTHONPATH"] = args.g4hunter_pythonpath
    subprocess.run([*args.python2.split(), args.g4hunter, "-i", str(fasta), "-o", str(out), "-w", "25",
                    "-s", str(threshold)], check=True, capture_output=True, env=env)
    merged = next(out.glob(f"Results_{fasta.stem}/{fasta.stem}-Merged.txt"))
    found, rec = collections.defaultdict(list), None
    for line in merged.read_text().splitlines():
        if line.startswith(">"):
            rec = line[1:].strip()
        elif line.strip() and not line.startswith("Start"):
            f = line.split("\t")
            found[rec].append((int(f[0]), int(f[1])))
    return found


def main(argv=None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", required=True)
    ap.add_argument("--n-windows", type=int, default=80)
    ap.add_argument("--seed-len", type=int, default=1000)
    ap.add_argument("--gen-len", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--order", type=int, default=5)
    ap.add_argument("--nbmst")
    ap.add_argument("--dr-spacers", default="10,100", help="DR spacer limits to compare (the tool's default first)")
    ap.add_argument("--zseeker")
    ap.add_argument("--g4hunter")
    ap.add_argument("--python2", default="python2")
    ap.add_argument("--g4hunter-pythonpath")
    ap.add_argument("--out", default="tool_agreement")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fasta = out / "windows.fa"
    seqs = windows_fasta(args, fasta)

    ours = {}  # family -> (mitbench finder, tool's regions per record)
    if args.nbmst:
        for sp in (int(x) for x in args.dr_spacers.split(",")):
            t = time.perf_counter()
            found = run_nbmst(args.nbmst, fasta, sp)
            print(f"non-B_gfa (DR spacer <= {sp}): {time.perf_counter() - t:.0f} s", file=sys.stderr)
            ours[f"DR (spacer <= {sp})"] = (lambda s, sp=sp: repeats.direct_repeats(s, spacer_max=sp),
                                            {r: found[(r, "DR")] for r in seqs})
            if "IR" not in ours:
                for fam, fn in (("IR", repeats.inverted_repeats), ("MR", repeats.mirror_repeats),
                                ("STR", repeats.short_tandem_repeats)):
                    ours[fam] = (fn, {r: found[(r, fam)] for r in seqs})
    if args.zseeker:
        ours["Z-DNA"] = (nonb.zdna_regions, run_zseeker(args.zseeker, seqs))
    if args.g4hunter:
        for name, thr in (("G4 (1.5)", 1.5), ("G4 (1.2, g4_loose)", 1.2)):
            ref = run_g4hunter(args, fasta, thr, out / f"g4hunter_{thr}")
            ours[name] = (lambda s, thr=thr: nonb.g4hunter_regions(s, threshold=thr), {r: ref.get(r, []) for r in seqs})

    rows = []
    for fam, (fn, tool) in ours.items():
        for rec, s in seqs.items():
            mine = [tuple(x) for x in fn(s).tolist()]
            rows.append({"family": fam, "window": rec, "source": rec.split("_")[0], "mitbench": len(mine),
                         "tool": len(tool[rec]), "identical": sorted(mine) == sorted(tool[rec])})
    counts = pd.DataFrame(rows)
    counts.to_csv(out / "counts.csv", index=False)
    per20 = 20000 / args.gen_len
    lines = ["| family | Spearman ρ (all windows) | identical output | natural: mitbench / tool per 20 kb | "
             "Markov-5: mitbench / tool per 20 kb |", "|---|---|---|---|---|"]
    for fam, g in counts.groupby("family", sort=False):
        rho = spearmanr(g["mitbench"], g["tool"]).statistic
        nat, mk = g[g.source == "natural"], g[g.source == "markov"]
        lines.append(f"| {fam} | {rho:.3f} | {int(g.identical.sum())}/{len(g)} | "
                     f"{nat.mitbench.mean() * per20:.2f} / {nat.tool.mean() * per20:.2f} | "
                     f"{mk.mitbench.mean() * per20:.2f} / {mk.tool.mean() * per20:.2f} |")
    table = "\n".join(lines)
    (out / "agreement.md").write_text(table + "\n")
    print(table)
    return counts


if __name__ == "__main__":
    main()
