"""model=precomputed reads the Nullsettes reference code's output: tab-separated `seqs  scores` tables, one
per mutant type (nonmutant.csv, mutant_translocation<N>.csv), as one file or a folder tree."""
import json

import numpy as np
import pandas as pd
import pytest

from helpers import compose
from mitbench.data.core.textio import InputError
from mitbench.models.precomputed import PrecomputedScorer, load_score_file
from mitbench.runs.evaluate import run
from mitbench.suites.nullsettes import NullsettesSuite
from nullsettes_toy import make_root


@pytest.fixture(scope="module")
def peer_tree(tmp_path_factory):
    """The toy kosuri records written as the reference code writes its scores (scores drawn at random)."""
    base = tmp_path_factory.mktemp("peer")
    root = make_root(base / "data")
    records = NullsettesSuite(root=str(root)).records()
    rng = np.random.default_rng(0)
    truth = {r.id: float(rng.normal(-600, 30)) for r in records}
    out = base / "inference_out_csv" / "SomeModel" / "kosuri"
    out.mkdir(parents=True)
    by_type: dict[str, list] = {}
    for r in records:
        by_type.setdefault(r.meta["type"], []).append(r)
    for t, recs in by_type.items():
        name = "nonmutant" if t == "nonmutant" else f"mutant_translocation{int(t[1:])}"
        pd.DataFrame({"seqs": [r.sequence for r in recs], "scores": [truth[r.id] for r in recs]}).to_csv(
            out / f"{name}.csv", sep="\t", index=False)
    return root, out.parent, records, truth


def test_a_folder_of_per_type_tables_binds_every_record_by_sequence(peer_tree, tmp_path):
    root, folder, records, truth = peer_tree
    assert len({r.meta["type"] for r in records}) == 20  # nonmutant + T01..T19
    metrics = run(compose(["logger=none", "suite=nullsettes", f"suite.root={root}", "model=precomputed",
                           f"model.path={folder}", f"paths.output_dir={tmp_path}", "suite.n_perm=99"]))
    scores = pd.read_csv(tmp_path / "scores.csv").set_index("id")["score"]
    assert len(scores) == len(records) == metrics["n_sequences"]
    assert max(abs(scores[k] - v) for k, v in truth.items()) < 1e-9
    assert json.loads((tmp_path / "metrics.json").read_text())["n_pairs"] == 19 * 3


def test_one_table_reads_alone_and_identity_follows_the_files(peer_tree, tmp_path):
    root, folder, records, truth = peer_tree
    kind, data = load_score_file(folder / "kosuri" / "nonmutant.csv")
    nonmutants = [r for r in records if r.meta["type"] == "nonmutant"]
    assert kind == "sequence" and data == {r.sequence: truth[r.id] for r in nonmutants}
    before = PrecomputedScorer(str(folder)).identity()["file_sha256"]
    extra = folder / "kosuri" / "copy"
    extra.mkdir()
    (extra / "nonmutant.csv").write_text((folder / "kosuri" / "nonmutant.csv").read_text())
    try:
        assert PrecomputedScorer(str(folder)).identity()["file_sha256"] != before  # same scores, another file set
    finally:
        (extra / "nonmutant.csv").unlink()
        extra.rmdir()


def test_a_sequence_scored_twice_differently_names_both_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "nonmutant.csv").write_text("seqs\tscores\nACGT\t-1.5\nGGGG\t-2\n")
    (tmp_path / "a" / "mutant_translocation3.csv").write_text("seqs\tscores\nacgt\t-1.25\n")
    with pytest.raises(InputError, match=r"nonmutant.csv, line 2: sequence .ACGT.*-1.5 here and -1.25 in .*mutant_translocation3.csv, line 2"):
        load_score_file(tmp_path)
    (tmp_path / "a" / "mutant_translocation3.csv").write_text("seqs\tscores\nTTTT\tnot-a-number\n")
    with pytest.raises(InputError, match="mutant_translocation3.csv, line 2"):
        load_score_file(tmp_path)
    (tmp_path / "a" / "mutant_translocation3.csv").unlink()
    (tmp_path / "a" / "nonmutant.csv").unlink()
    with pytest.raises(InputError, match="no score tables"):
        load_score_file(tmp_path)
