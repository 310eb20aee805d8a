"""The Returns page's preview table: change words, blanks, column order, the commit label."""

import math

import pandas as pd

from analytics import labels
from analytics.ingest import view


def _preview(**overrides) -> pd.DataFrame:
    row = {
        "file": "safer.csv", "theme": "Safer", "indicator_code": "NI 32",
        "title": "Repeat incidents", "period": "2011/12 Q1", "change": "new",
        "old_value": None, "actual_value": 14.5, "status_now": None, "status": "green",
        "status_reason": "On or better than target", "dq_flag": "ok", "commentary": "",
    }  # fmt: skip
    return pd.DataFrame([{**row, **overrides}])


def test__preview__blank_old_value_reads_as_a_dash_not_none():
    table = view.preview_table(_preview(old_value=None))
    assert table.loc[0, "old value"] == "–"
    assert view.preview_table(_preview(old_value=math.nan)).loc[0, "old value"] == "–"
    assert view.preview_table(_preview(old_value=1234.0)).loc[0, "old value"] == "1,234"


def test__preview__change_words_are_the_one_map_and_use_plain_glyphs():
    assert view.CHANGE is labels.RETURN_CHANGE
    for word in labels.RETURN_CHANGE.values():
        assert "\uff0b" not in word  # the full-width plus is missing from the table's font
    assert view.preview_table(_preview(change="new")).loc[0, "change"] == "+ new"
    assert view.preview_table(_preview(change="changed")).loc[0, "change"] == "✎ changed"


def test__preview__status_after_commit_comes_before_the_long_columns():
    columns = list(view.preview_table(_preview()).columns)
    assert columns.index("status after commit") < columns.index("why")
    assert columns.index("status after commit") < columns.index("title")
    assert list(view.preview_table(_preview().iloc[0:0]).columns) == columns


def test__commit_label__one_return_is_singular():
    assert view.commit_label(1) == "Commit 1 return"
    assert view.commit_label(0) == "Commit 0 returns"
    assert view.commit_label(3) == "Commit 3 returns"
