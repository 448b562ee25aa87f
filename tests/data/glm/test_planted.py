"""Planted-mechanism corpus: seeded and byte-reproducible; the twin keeps every sequence's composition;
no MIT suite sequence (or a near copy) survives; the sampler's element statistics follow the energy."""
from importlib import resources

import numpy as np
import pytest

from mitbench.data.glm.planted import EXT_LEN, PlantedCorpus, _all_kmers, overlaps
from mitbench.data.mit.designed import build_mit
from mitbench.models.baselines.components.pwm import PAPER_EXT10, PAPER_MINUS10, PAPER_MINUS35, PAPER_UP

MATRICES = {"minus35": PAPER_MINUS35, "minus10": PAPER_MINUS10, "up": PAPER_UP, "ext10": PAPER_EXT10}
EXCERPT = str(resources.files("mitbench").joinpath("resources", "ecoli536_excerpt.fna.gz"))
T = 0.5  # conf/train_glm/corpus/planted.yaml


def _read(path):
    lines = path.read_text().split("\n")
    return dict(zip((x[1:] for x in lines[0::2]), lines[1::2]))


def _sites(path):
    rows = path.with_suffix(".sites.tsv").read_text().strip().split("\n")
    cols = rows[0].split("\t")
    return [dict(zip(cols, (r.split("\t")[0], *map(int, r.split("\t")[1:])))) for r in rows[1:]]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """The excerpt (1 Mb, 2,500 contigs) as planted corpus and twin, half the contigs planted."""
    out = tmp_path_factory.mktemp("planted")
    paths = {}
    for twin in (False, True):
        paths[twin] = out / f"corpus_{int(twin)}.fa"
        PlantedCorpus(twin=twin, temperature=T, share=0.5, seed=3).write(EXCERPT, paths[twin], MATRICES)
    return paths


def test_corpus_is_seeded_and_byte_reproducible(corpora, tmp_path):
    for twin, path in corpora.items():
        again = tmp_path / f"again_{int(twin)}.fa"
        PlantedCorpus(twin=twin, temperature=T, share=0.5, seed=3).write(EXCERPT, again, MATRICES)
        assert again.read_bytes() == path.read_bytes()
        assert again.with_suffix(".sites.tsv").read_bytes() == path.with_suffix(".sites.tsv").read_bytes()
    other = tmp_path / "other.fa"
    PlantedCorpus(temperature=T, share=0.5, seed=4).write(EXCERPT, other, MATRICES)
    assert other.read_bytes() != corpora[False].read_bytes()


def test_twin_has_the_planted_corpus_composition_per_sequence(corpora):
    planted, twin = _read(corpora[False]), _read(corpora[True])
    assert list(planted) == list(twin) and len(planted) == 2500
    assert all(sorted(planted[n]) == sorted(twin[n]) for n in planted)  # exact composition, every sequence
    names = {s["name"] for s in _sites(corpora[False])}
    assert 1150 < len(names) < 1350  # share 0.5 of 2,500
    assert all(planted[n] != twin[n] for n in names)
    assert all(planted[n] == twin[n] for n in planted if n not in names)  # unplanted contigs untouched
    # the twin keeps the core where it was; only the UP and the extended −10 moved
    p_sites = {s["name"]: s for s in _sites(corpora[False])}
    for s in _sites(corpora[True]):
        p = p_sites[s["name"]]
        assert (s["minus35"], s["minus10"], s["spacer"]) == (p["minus35"], p["minus10"], p["spacer"])
        assert s["up"] != p["up"] and s["ext10"] != p["ext10"]
        a, b = p["up"], p["minus10"] + 6
        assert s["up"] + 9 <= a - 20 or s["up"] >= b + 20
        assert s["ext10"] + 3 <= a - 20 or s["ext10"] >= b + 20


def _window_stats(path, sites_from):
    """Per planted contig: A/T count of the 9 bp 15 bp upstream of the −35, TG at −15/−14, −10 score."""
    seqs = _read(path)
    m10 = np.asarray(PAPER_MINUS10)
    rows = []
    for s in _sites(sites_from):
        x = seqs[s["name"]]
        up = x[s["minus35"] - 15:s["minus35"] - 6]
        ten = x[s["minus10"]:s["minus10"] + 6]
        score = sum(m10[i, "ACGT".index(c)] for i, c in enumerate(ten))
        rows.append((sum(c in "AT" for c in up), x[s["minus10"] - 3:s["minus10"] - 1] == "TG", score))
    return np.array(rows, dtype=float)


def test_up_sits_upstream_of_the_35_in_planted_not_in_twin(corpora):
    # read both corpora at the planted corpus's sites: the twin's core is where the planted one's is
    planted, twin = _window_stats(corpora[False], corpora[False]), _window_stats(corpora[True], corpora[False])
    at_p, at_t = planted[:, 0].mean() / 9, twin[:, 0].mean() / 9
    # the sampler's exact expectation: sum over positions of P(A) + P(T) at T = 0.5
    expected = PlantedCorpus(temperature=T).tables(MATRICES)["up"][:, [0, 3]].sum(axis=1).mean()
    assert expected == pytest.approx(0.7490, abs=1e-4)
    assert at_p == pytest.approx(expected, abs=0.015)
    assert 0.45 < at_t < 0.58  # genomic background (the excerpt is ~49 % A/T)
    rich_p, rich_t = (planted[:, 0] >= 8).mean(), (twin[:, 0] >= 8).mean()  # >= 8 of 9 bases A/T
    assert rich_p > 0.24 and rich_t < 0.05, (rich_p, rich_t)


def test_tgn_is_enriched_before_weak_10s_in_planted_only(corpora):
    planted, twin = _window_stats(corpora[False], corpora[False]), _window_stats(corpora[True], corpora[False])
    weak = planted[:, 2] < 4.95
    assert 0.4 < weak.mean() < 0.55  # exact: 0.469 (below)
    tg_weak, tg_strong = planted[weak, 1].mean(), planted[~weak, 1].mean()
    assert tg_weak > 0.98 and 0.55 < tg_strong < 0.66  # exact 0.997 and 0.605 (below)
    assert twin[weak, 1].mean() < 0.15 and abs(twin[weak, 1].mean() - twin[~weak, 1].mean()) < 0.06


def test_sampler_tables_are_the_boltzmann_distribution_of_the_energy():
    pc = PlantedCorpus(temperature=T)
    t = pc.tables(MATRICES)
    joint = t["core10"].reshape(4 ** 6, 4 ** EXT_LEN)
    s10 = pc.score(np.asarray(PAPER_MINUS10), _all_kmers(6))
    ext = pc.score(np.asarray(PAPER_EXT10), _all_kmers(3))
    weak = s10 < 4.95
    tg = (_all_kmers(3)[:, 0] == 3) & (_all_kmers(3)[:, 1] == 2)
    assert joint[weak].sum() == pytest.approx(0.4693, abs=1e-4)
    assert joint[weak][:, tg].sum() / joint[weak].sum() == pytest.approx(0.997, abs=1e-3)
    assert joint[~weak][:, tg].sum() / joint[~weak].sum() == pytest.approx(0.605, abs=1e-3)
    # ratio of two states = exp(energy difference / T): TATAAT + TGT vs TATAAT + AAA (ext below the gate)
    i, j, k = int("303003", 4), int("323", 4), 0
    assert joint[i, j] / joint[i, k] == pytest.approx(np.exp((0.5 * ext[j]) / T))
    assert t["spacer"] == pytest.approx(np.exp(-np.abs(np.arange(15, 20) - 17)) / np.exp(-np.abs(np.arange(15, 20) - 17)).sum())
    assert t["up"][0, 0] == pytest.approx(np.exp(1.0) / (np.exp(1.0) + np.exp(0.5) + 2 * np.exp(-1.0)))


def test_no_suite_sequence_or_near_copy_survives(tmp_path):
    suite = [r.sequence for r in build_mit(seed=42)]
    rng = np.random.default_rng(0)
    bg = "".join(rng.choice(list("ACGT"), size=400 * 6).tolist())
    contigs = [bg[i:i + 400] for i in range(0, len(bg), 400)]
    copy = suite[250]  # a class-C sequence, whole, on the reverse strand of contig 1
    contigs[1] = contigs[1][:50] + copy.translate(str.maketrans("ACGT", "TGCA"))[::-1] + contigs[1][150:]
    near = list(suite[700])  # a 200-bp placement cell with 4 substitutions, in contig 3
    for p in (20, 70, 120, 170):
        near[p] = "A" if near[p] != "A" else "C"
    contigs[3] = contigs[3][:100] + "".join(near) + contigs[3][300:]
    genome = tmp_path / "g.fa"
    genome.write_text(">g\n" + "".join(contigs) + "\n")
    assert overlaps(contigs, suite) == ({1}, {1, 3})
    for twin, share in ((False, 0.0), (False, 1.0), (True, 1.0)):
        out = tmp_path / f"c{int(twin)}{share}.fa"
        summary = PlantedCorpus(twin=twin, temperature=T, share=share).write(genome, out, MATRICES, suite)
        if share == 0:  # nothing planted: the copy and the near copy are found and dropped
            assert summary == {"n_contigs": 4, "n_planted": 0, "dropped_exact": 1, "dropped_near": 1,
                               "exact_matches": 0, "near_copies": 0, "n_excluded_sequences": len(suite)}
            assert list(_read(out)) == ["c0", "c2", "c4", "c5"]
        else:  # a promoter planted over a copy may break it: whatever is left is checked again
            assert summary["exact_matches"] == summary["near_copies"] == 0 and summary["dropped_exact"] <= 1
        kept = list(_read(out).values())
        assert overlaps(kept, suite) == (set(), set())
        assert not any(s in k for s in suite for k in kept)


def test_bad_arguments_fail():
    with pytest.raises(ValueError, match="temperature"):
        PlantedCorpus(temperature=0)
    with pytest.raises(ValueError, match="share"):
        PlantedCorpus(share=1.5)
    with pytest.raises(ValueError, match="contig_length"):
        PlantedCorpus(contig_length=60)
    with pytest.raises(ValueError, match="shape"):
        PlantedCorpus().tables({**MATRICES, "up": PAPER_UP[:5]})
