"""load_run reads a run back as evaluate wrote it: identifiers that read like missing values
(``NA``, ``null``, ``None``, ``NaN``) stay strings, so the metrics recompute exactly."""
import json

from mitbench.data.mit.designed import build_mit
from mitbench.data.core.records import records_to_frame
from mitbench.metrics.mit.summary import summarize_mit
from mitbench.engine.outputs import to_jsonable, write_json, write_scores
from mitbench.runs.results import load_run

MISSING_LOOKING = ["NA", "null", "NaN", "None", "nan", "N/A", "#N/A", "NULL", "n/a", "-nan", "<NA>"]


def test_identifiers_that_read_like_missing_values_stay_and_metrics_recompute(tmp_path):
    table = records_to_frame(build_mit(controls=False))
    table["score"] = table["sequence"].str.count("A") + 0.5 * table["sequence"].str.count("TATA")
    groups = sorted(table["group"].unique())
    table["group"] = table["group"].replace(dict(zip(groups, MISSING_LOOKING)))  # 11 groups renamed
    table.loc[:len(MISSING_LOOKING) - 1, "id"] = MISSING_LOOKING
    table["natural_name"] = table["natural_name"].where(table.index % 7 != 0, "NA")  # a metadata column too
    metrics = summarize_mit(table, n_boot=50)
    write_scores(table, tmp_path)
    write_json(tmp_path / "metrics.json", metrics)
    run = load_run(tmp_path)
    for column in ("id", "group", "class", "natural_name"):
        assert run.table[column].tolist() == table[column].tolist(), column
    assert run.table["broken_pair"].isna().sum() == table["broken_pair"].isna().sum()  # empty cells stay missing
    again = json.loads(json.dumps(to_jsonable(summarize_mit(run.table, n_boot=50))))
    assert again == run.metrics


def test_load_run_reads_text_columns_from_the_run_not_a_suite_list(tmp_path):
    """A suite's own identifier column (not in any hard-coded list) keeps its text: "007" stays "007"."""
    import pandas as pd

    from mitbench.engine.outputs import write_json, write_scores
    from mitbench.runs.results import load_run

    table = pd.DataFrame({"id": ["a", "b"], "class": ["X", "Y"], "score": [1.0, 2.0],
                          "plate_well": ["007", "NA"], "flag": [True, False], "count": [1, 2]})
    write_scores(table, tmp_path)
    write_json(tmp_path / "metrics.json", {})
    run = load_run(tmp_path)
    assert run.table["plate_well"].tolist() == ["007", "NA"]
    assert run.table["flag"].tolist() == [True, False] and run.table["count"].tolist() == [1, 2]
