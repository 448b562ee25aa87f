"""Planted-mechanism corpus: σ70 promoters sampled from a mechanistic energy, planted into genome contigs.

The positive control of the MIT verdict (issue 22): a language model trained on this corpus has seen
sequences whose distribution obeys the σ70 rules, and nothing else distinguishes it from its twin.

**Energy** (the PA-PWM's, :mod:`mitbench.models.baselines.components.pa_pwm`, with its hard rule; PWM
units, higher = more active). For a promoter whose −35 hexamer starts at ``c`` and whose spacer is ``s``
bp, the UP element (9 bp) lies at ``c - 15``, the extended −10 window (3 bp, TGn at −15..−13) at
``c + 6 + s - 3`` and the −10 hexamer at ``c + 6 + s``::

    S = PWM35 + PWM10 - spacing_penalty * |s - 17| + up_weight * PWM_UP
        + [EXT > ext10_threshold] * EXT * (weak_weight if PWM10 < weak10_threshold else strong_weight)

**Sampling**: Boltzmann at temperature ``T`` over the element windows with a uniform base prior,
``P(x, s) ∝ exp(S(x, s) / T)``. Given ``s``, ``S`` is a sum of three independent blocks (−35, UP, and
the extended −10 with the −10, which interact through the gate), so the draw is exact: ``s`` from its
marginal ``∝ exp(-spacing_penalty |s - 17| / T)``, the −35 and UP base by base, and the (−10, extended
−10) pair from its enumerated joint (4⁶ × 4³ states). So the UP is always 15 bp upstream of the −35 and
a TGn is enriched before weak −10s (it rescues them). Only the element windows are written; spacer and
flanks stay genomic.

**Corpus**: the genome is cut into non-overlapping ``contig_length``-bp N-free contigs; a seeded share
of them gets one promoter (forward strand of the contig; training crops take either strand) with the
−35 start uniform over the positions that keep the promoter ``margin`` bp from both ends.

**Twin** (``twin=True``): the same contigs and draws, then in every planted contig the UP window and the
extended −10 window are each *exchanged* with a window of the same width at a random inert place (at
least ``inert_gap`` bp from the promoter span): a permutation of the bases, so every sequence keeps its
exact composition while the relative geometry of UP, TGn and core is broken (the core keeps its).

**Exclusion**: contigs holding a copy or a near copy of any ``exclude`` sequence (the MIT suite, passed
in by the caller: ``data`` does not import suites) are dropped from both corpora (see :func:`overlaps`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from mitbench.data.core.genome import read_genome

BASES = "ACGT"
UP_TO_35, UP_LEN, EXT_LEN = 15, 9, 3
COMPLEMENT = str.maketrans("ACGT", "TGCA")


def _rc(seq: str) -> str:
    return seq.translate(COMPLEMENT)[::-1]


def _all_kmers(k: int) -> np.ndarray:
    """int ``(4**k, k)`` codes of every k-mer, lexicographic (A < C < G < T)."""
    return np.stack(np.unravel_index(np.arange(4 ** k), (4,) * k), axis=1)


@dataclass(frozen=True)
class PlantedCorpus:
    """How a planted-mechanism corpus is drawn (see the module docstring).

    Parameters
    ----------
    twin : bool
        Build the composition twin (UP and extended −10 moved to inert places).
    temperature : float
        Boltzmann temperature ``T`` (PWM units; > 0).
    share : float
        Fraction of contigs that get a promoter, in [0, 1].
    contig_length : int
        bp per contig (the genome is cut into non-overlapping pieces; shorter tails are dropped).
    margin : int
        Minimum bp between the promoter span (UP start .. −10 end) and a contig end.
    inert_gap : int
        Minimum bp between the promoter span and the place an element is moved to (twin).
    spacings : sequence of int
        Spacer lengths drawn (bp).
    optimal_spacing, spacing_penalty, up_weight, ext10_threshold, weak10_threshold, ext10_weak_weight,
    ext10_strong_weight : float
        The PA-PWM's energy terms (its defaults).
    near_copy_k : int
        k of the near-copy check (:func:`overlaps`).
    near_copy_fraction : float
        A contig is a near copy of an excluded sequence when it holds at least this fraction of that
        sequence's distinct k-mers (either strand).
    seed : int
        Seed of the contig choice, the draws and the twin's moves.
    """

    twin: bool = False
    temperature: float = 1.0
    share: float = 1.0
    contig_length: int = 400
    margin: int = 20
    inert_gap: int = 20
    spacings: Sequence[int] = (15, 16, 17, 18, 19)
    optimal_spacing: int = 17
    spacing_penalty: float = 0.5
    up_weight: float = 0.5
    ext10_threshold: float = 1.05
    weak10_threshold: float = 4.95
    ext10_weak_weight: float = 1.5
    ext10_strong_weight: float = 0.5
    near_copy_k: int = 20
    near_copy_fraction: float = 0.5
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "spacings", tuple(int(x) for x in self.spacings))  # a Hydra ListConfig too
        if self.temperature <= 0:
            raise ValueError(f"temperature must be > 0, got {self.temperature}")
        if not 0.0 <= self.share <= 1.0:
            raise ValueError(f"share must be in [0, 1], got {self.share}")
        span = UP_TO_35 + 6 + max(self.spacings) + 6
        if self.contig_length < span + 2 * self.margin:
            raise ValueError(f"contig_length={self.contig_length} cannot hold a {span}-bp promoter with margins "
                             f"of {self.margin} bp")

    # -- the energy ---------------------------------------------------------------------------------------
    def tables(self, matrices: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Sampling tables from the PWMs ``matrices`` (``minus35`` (6, 4), ``minus10`` (6, 4), ``up`` (9, 4),
        ``ext10`` (3, 4); float, ACGT columns): per-base probabilities of the −35 and UP, the spacer
        marginal, and the joint of (−10, extended −10) as flat probabilities over ``4**6 * 4**3`` states."""
        t = float(self.temperature)
        m = {k: np.asarray(matrices[k], dtype=np.float64) for k in ("minus35", "minus10", "up", "ext10")}
        for name, width in (("minus35", 6), ("minus10", 6), ("up", UP_LEN), ("ext10", EXT_LEN)):
            if m[name].shape != (width, 4):
                raise ValueError(f"matrix {name!r} has shape {m[name].shape}, expected ({width}, 4)")

        def per_base(w):
            p = np.exp((w - w.max(axis=1, keepdims=True)) / t)
            return p / p.sum(axis=1, keepdims=True)

        s10 = self.score(m["minus10"], _all_kmers(6))  # (4096,)
        ext = self.score(m["ext10"], _all_kmers(3))  # (64,)
        joint = s10[:, None] + self.ext_term(ext[None, :], s10[:, None])
        joint = np.exp((joint - joint.max()) / t).ravel()
        sp = np.array(self.spacings)
        spacer = np.exp(-self.spacing_penalty * np.abs(sp - self.optimal_spacing) / t)
        return {"minus35": per_base(m["minus35"]), "up": per_base(self.up_weight * m["up"]),
                "core10": joint / joint.sum(), "core10_cdf": np.cumsum(joint / joint.sum()),
                "spacer": spacer / spacer.sum()}

    @staticmethod
    def score(matrix: np.ndarray, kmers: np.ndarray) -> np.ndarray:
        """PWM score of each row of int codes ``kmers`` ``(N, W)``: ``(N,)`` float64."""
        return np.asarray(matrix, dtype=np.float64)[np.arange(kmers.shape[1]), kmers].sum(axis=1)

    def ext_term(self, ext: np.ndarray, s10: np.ndarray) -> np.ndarray:
        """The extended −10 term of the energy (hard gates), broadcast over ``ext`` and ``s10``."""
        mult = np.where(s10 < self.weak10_threshold, self.ext10_weak_weight, self.ext10_strong_weight)
        return np.where(ext > self.ext10_threshold, ext * mult, 0.0)

    def draw(self, rng: np.random.Generator, tables: Mapping[str, np.ndarray]) -> dict[str, object]:
        """One promoter: ``spacer`` (bp) and the element strings ``up``, ``minus35``, ``ext10``, ``minus10``
        (inverse-CDF draws, one uniform each, in that order)."""
        pick = lambda p: min(int(np.searchsorted(np.cumsum(p), rng.random(), side="right")), len(p) - 1)  # noqa: E731
        spacer = int(self.spacings[pick(tables["spacer"])])
        up = "".join(BASES[pick(row)] for row in tables["up"])
        m35 = "".join(BASES[pick(row)] for row in tables["minus35"])
        cdf = tables["core10_cdf"]
        state = min(int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right")), cdf.size - 1)
        m10, ext = divmod(state, 4 ** EXT_LEN)
        to_str = lambda code, w: "".join(BASES[int(b)] for b in np.unravel_index(code, (4,) * w))  # noqa: E731
        return {"spacer": spacer, "up": up, "minus35": m35, "ext10": to_str(ext, EXT_LEN), "minus10": to_str(m10, 6)}

    # -- the corpus ---------------------------------------------------------------------------------------
    def contigs(self, genome: str | Path) -> list[str]:
        """The N-free ``contig_length``-bp pieces of ``genome`` (FASTA[.gz]), in genome order."""
        n = self.contig_length
        return [c.sequence[i:i + n] for c in read_genome(genome) for i in range(0, len(c) - n + 1, n)
                if "N" not in c.sequence[i:i + n]]

    def plant(self, contig: str, index: int, tables: Mapping[str, np.ndarray]) -> tuple[str, dict[str, int] | None]:
        """Contig ``index`` with its promoter (or as it is, outside the planted share), and the sites
        (``minus35``, ``spacer``, ``up``, ``ext10``, ``minus10`` starts after any twin move; None if unplanted)."""
        rng = np.random.default_rng([self.seed, int(index)])
        if rng.random() >= self.share:
            return contig, None
        p = self.draw(rng, tables)
        span = UP_TO_35 + 6 + p["spacer"] + 6
        lo = self.margin + UP_TO_35
        c = int(rng.integers(lo, self.contig_length - self.margin - (span - UP_TO_35) + 1))
        m10 = c + 6 + p["spacer"]
        sites = {"minus35": c, "spacer": p["spacer"], "up": c - UP_TO_35, "ext10": m10 - EXT_LEN, "minus10": m10}
        s = list(contig)
        for name in ("up", "minus35", "ext10", "minus10"):
            s[sites[name]:sites[name] + len(p[name])] = p[name]
        if self.twin:  # a stream of its own: the twin's draws above are the planted corpus's, byte for byte
            move = np.random.default_rng([self.seed, int(index), 1])
            a, b = c - UP_TO_35, m10 + 6  # promoter span
            used: list[tuple[int, int]] = []  # the second move must not take the first one's bases back
            for name, width in (("up", UP_LEN), ("ext10", EXT_LEN)):
                ok = [d for d in range(self.contig_length - width + 1)
                      if (d + width <= a - self.inert_gap or d >= b + self.inert_gap)
                      and all(d + width <= u or d >= v for u, v in used)]
                d = int(ok[int(move.integers(len(ok)))])
                src = sites[name]
                s[src:src + width], s[d:d + width] = s[d:d + width], s[src:src + width]
                sites[name] = d
                used.append((d, d + width))
        return "".join(s), sites

    def build(self, genome: str | Path, matrices: Mapping[str, np.ndarray],
              exclude: Sequence[str] = ()) -> tuple[list[tuple[str, str]], list[dict], dict[str, int]]:
        """Draw the corpus.

        Returns
        -------
        records : list of (name, sequence)
            Contig names ``c<index>`` (index into :meth:`contigs`), sequences.
        sites : list of dict
            Per planted contig: ``name`` and the element starts (see :meth:`plant`).
        summary : dict
            ``n_contigs``, ``n_planted``, ``dropped_exact``/``dropped_near`` (contigs removed for
            holding an excluded sequence), and after removal ``exact_matches``/``near_copies`` (0).
        """
        tables = self.tables(matrices)
        records, sites = [], []
        for i, contig in enumerate(self.contigs(genome)):
            seq, site = self.plant(contig, i, tables)
            records.append((f"c{i}", seq))
            if site is not None:
                sites.append({"name": f"c{i}", **site})
        exact, near = overlaps([s for _, s in records], exclude, self.near_copy_k, self.near_copy_fraction)
        bad = exact | near
        kept = [r for k, r in enumerate(records) if k not in bad]
        names = {n for n, _ in kept}
        after = overlaps([s for _, s in kept], exclude, self.near_copy_k, self.near_copy_fraction)
        summary = {"n_contigs": len(kept), "n_planted": sum(s["name"] in names for s in sites),
                   "dropped_exact": len(exact), "dropped_near": len(near - exact),
                   "exact_matches": len(after[0]), "near_copies": len(after[1]), "n_excluded_sequences": len(exclude)}
        return kept, [s for s in sites if s["name"] in names], summary

    def write(self, genome: str | Path, out: str | Path, matrices: Mapping[str, np.ndarray],
              exclude: Sequence[str] = ()) -> dict[str, int]:
        """:meth:`build` and write the corpus as plain FASTA (one record per contig, 80 bp per line is not
        used: one line per sequence); byte-identical for the same arguments. Returns the summary."""
        records, sites, summary = self.build(genome, matrices, exclude)
        out = Path(out)
        out.write_text("".join(f">{n}\n{s}\n" for n, s in records))
        cols = ("name", "minus35", "spacer", "up", "ext10", "minus10")
        out.with_suffix(".sites.tsv").write_text(
            "\t".join(cols) + "\n" + "".join("\t".join(str(s[c]) for c in cols) + "\n" for s in sites))
        return summary


def overlaps(corpus: Sequence[str], exclude: Sequence[str], k: int = 20, fraction: float = 0.5,
             window: int = 100) -> tuple[set[int], set[int]]:
    """Indices of corpus sequences that hold an excluded sequence.

    Parameters
    ----------
    corpus, exclude : sequence of str
        Upper-case ACGT(N) strings.
    k, fraction : int, float
        Near copy: the corpus sequence (either strand) holds at least ``fraction`` of the distinct
        ``k``-mers of one excluded sequence.
    window : int
        Exact match: a ``window``-bp stretch of the corpus sequence (either strand) equals one of an
        excluded sequence (an excluded sequence shorter than ``window`` must occur whole).

    Returns
    -------
    (exact, near) : tuple of set of int
    """
    full = {e[i:i + window] for e in exclude if len(e) >= window for i in range(len(e) - window + 1)}
    short = [e for e in exclude if len(e) < window]
    owner: dict[str, list[int]] = {}
    need = []
    for j, e in enumerate(exclude):
        kmers = {e[i:i + k] for i in range(len(e) - k + 1)}
        need.append(len(kmers))
        for km in kmers:
            owner.setdefault(km, []).append(j)
    exact, near = set(), set()
    for i, seq in enumerate(corpus):
        hits: dict[int, set[str]] = {}
        for strand in (seq, _rc(seq)):
            if any(strand[p:p + window] in full for p in range(len(strand) - window + 1)) or any(
                    e in strand for e in short):
                exact.add(i)
            for p in range(len(strand) - k + 1):
                km = strand[p:p + k]
                for j in owner.get(km, ()):
                    hits.setdefault(j, set()).add(km)
        if any(len(v) >= fraction * need[j] for j, v in hits.items()):
            near.add(i)
    return exact, near
