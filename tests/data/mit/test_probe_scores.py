"""Probe score files -> score-only records of the probe's form (nested paper JSON and long CSV)."""
import json

import pytest

from mitbench.data.mit.probe_scores import (at_titration_from_scores, read_score_cells, spacing_from_scores,
                                        strand_from_scores, up_sweep_from_scores)
from mitbench.data.core.records import validate_records
from mitbench.models.precomputed import load_score_file


def _write(tmp_path, name, obj):
    path = tmp_path / name
    path.write_text(json.dumps(obj) if name.endswith(".json") else obj)
    return path


def test_nested_values_become_draws_and_means_become_one_record(tmp_path):
    path = _write(tmp_path, "at.json", {
        "30": {"intact": {"mean": 1.5, "std": 0.5, "values": [1.0, 2.0]}, "broken": {"mean": 0, "values": [0.0, 0.5]}},
        "80": {"intact": {"mean": 9.0, "values": [8.0, 10.0]}, "broken": {"mean": 3, "values": [3.0, 3.0]}},
        "correlation": 0.9})
    recs = validate_records(at_titration_from_scores(path), score_only=True)
    assert [r.id for r in recs][:3] == ["30/intact#0", "30/intact#1", "30/broken#0"] and len(recs) == 8
    r = recs[5]
    assert (r.label, r.sequence, r.meta["variant"], r.meta["at_fraction"], r.meta["group"]) == ("intact", "", "intact", 0.8, "at80_001")
    assert r.meta["probe"] == "at_titration" and r.meta["aggregate"] == "value"
    kind, scores = load_score_file(path)  # the precomputed model reads the same ids
    assert kind == "id" and scores == {c.id: c.score for c in read_score_cells(path)} and scores["80/intact#1"] == 10.0
    means = _write(tmp_path, "at_means.json", {"intact": {"0.3": {"mean": -1.0, "std": 1}, "0.8": {"mean": 2.0}},
                                               "broken": {"0.3": {"mean": -2.0}, "0.8": {"mean": 1.0}}})
    recs = at_titration_from_scores(means)
    assert {r.id: (r.meta["at_target"], r.meta["group"], r.meta["aggregate"]) for r in recs}["intact/0.8#mean"] == (0.8, "at80_mean", "mean")


def test_sweep_spacing_strand_conditions(tmp_path):
    sweep = up_sweep_from_scores(_write(tmp_path, "ps.json", {"15": {"values": [1.0]}, "45": {"values": [2.0]},
                                                              "None": {"mean": 0.0}}))
    assert [(r.meta["condition"], r.meta["up_position"], r.meta["overlaps"]) for r in sweep] == [
        ("p15", 15, "none"), ("p45", 45, "ext10+minus10"), ("none", None, "none")]
    assert [r.meta["spacing"] for r in spacing_from_scores(_write(tmp_path, "sp.json", {"17": {"values": [1.0]},
                                                                                         "s12": {"mean": 0.0}}))] == [17, 12]
    strand = strand_from_scores(_write(tmp_path, "st.json", {"forward": {"values": [1.0]},
                                                             "reverse_in_place": {"values": [2.0]},
                                                             "full_reverse": {"values": [0.0]}}))
    assert [r.meta["condition"] for r in strand] == ["forward", "rc_in_place", "full_rc"]
    with pytest.raises(ValueError, match="strand condition 'sideways'"):
        strand_from_scores(_write(tmp_path, "bad.json", {"sideways": {"values": [1.0]}}))


def test_long_csv_format(tmp_path):
    text = "id,condition,group,score,level,note\na1,intact,g1,1.5,30,x\na2,broken,g1,0.5,30,y\nb1,intact,g2,2.5,0.8,z\n"
    recs = at_titration_from_scores(_write(tmp_path, "long.csv", text))
    assert [(r.id, r.meta["variant"], r.meta["at_target"], r.meta["group"], r.meta["note"]) for r in recs] == [
        ("a1", "intact", 0.3, "at30_g1", "x"), ("a2", "broken", 0.3, "at30_g1", "y"), ("b1", "intact", 0.8, "at80_g2", "z")]
    assert load_score_file(tmp_path / "long.csv")[1] == {"a1": 1.5, "a2": 0.5, "b1": 2.5}
    st = strand_from_scores(_write(tmp_path, "s.csv", "id,condition,group,score\nf0,forward,000,1\nr0,rc_in_place,000,2\n"))
    assert [(r.meta["condition"], r.meta["group"]) for r in st] == [("forward", "000"), ("rc_in_place", "000")]


@pytest.mark.parametrize("name, content, needle", [
    ("x.csv", "id,condition,score\na,forward,1\n", "lacks the column\\(s\\) \\['group'\\]"),
    ("x.csv", "id,condition,group,score\na,forward,0,high\n", "line 2: record 'a': 'high' is not a number"),
    ("x.csv", "id,condition,group,score\na,forward,0,1\na,scrambled,0,2\n", "record 'a': duplicate id"),
    ("x.json", {"forward": {"values": [1.0, "n/a"]}}, "forward\\[1\\]: 'n/a' is not a number"),
    ("x.json", {"forward": ["1"]}, "neither an object nor a summary number"),
    ("x.json", {"correlation": 0.5}, "no scores"),
    ("x.txt", "", "must be .json"),
])
def test_bad_files_name_the_problem(tmp_path, name, content, needle):
    with pytest.raises(ValueError, match=needle):
        read_score_cells(_write(tmp_path, name, content))


def test_score_only_validation():
    from mitbench.data.core.records import SequenceRecord

    with pytest.raises(ValueError, match="score-only record has no sequence"):
        validate_records([SequenceRecord("a", "x", "ACGT")], score_only=True)
    with pytest.raises(ValueError, match="empty sequence"):
        validate_records([SequenceRecord("a", "x", "")])
