"""The Board pages' figures as the pages draw them (analytics.present: worked out once per data
version by ui/data.py, so each view only draws them), on the demo partnership's latest quarter."""

from __future__ import annotations

import pytest

from analytics import board, labels, present
from analytics.warehouse import page_data, queries
from tests.reports.conftest import demo_partnership_id


@pytest.fixture(scope="module")
def quarter(demo_warehouse):
    pid = demo_partnership_id(demo_warehouse)
    return demo_warehouse, pid, queries.periods_with_data(demo_warehouse, pid)[0]


@pytest.fixture(scope="module")
def exceptions(quarter):
    return page_data.exceptions(*quarter)


ALL = ["amber", "red", "missing"]


def test__exceptions_view__every_exception_grouped_by_theme_with_the_early_warnings(exceptions):
    statuses, activities = exceptions
    view = present.exceptions_view(statuses, activities, ALL, [], False)
    assert view.indicators == len(statuses)
    assert view.table["Code"].tolist() == board.exceptions(statuses)["code"].tolist()
    assert [row["Code"] for _, rows in view.by_theme for row in rows] == view.table["Code"].tolist()
    assert all(row["Theme"] == theme for theme, rows in view.by_theme for row in rows)
    assert view.warnings["Code"].tolist() == board.early_warnings(statuses)["code"].tolist()
    assert sum(len(part) for _, part in view.activities) == len(activities) > 0


def test__exceptions_view__a_theme_a_status_and_laa_only_narrow_every_part(exceptions):
    statuses, activities = exceptions
    theme = activities["theme"].iloc[0]
    short = set(statuses.loc[statuses["theme"] == theme, "theme_short"])
    view = present.exceptions_view(statuses, activities, ["red"], [theme], True)
    picked = statuses[(statuses["theme"] == theme) & (statuses["rag_status"] == "red")
                      & statuses["is_laa"]]  # fmt: skip
    assert sorted(view.table["Code"]) == sorted(picked["code"])
    assert set(view.table["Status"]) <= {labels.STATUS["red"]}
    assert set(view.warnings["Theme"]) <= short
    assert [t for t, _ in view.activities] == [theme]
    assert view.indicators == len(statuses)  # "of N indicators": every indicator, unfiltered


def test__exceptions_view__nothing_chosen_is_an_empty_report(exceptions):
    statuses, activities = exceptions
    view = present.exceptions_view(statuses, activities, [], [], False)
    assert view.table.empty and view.by_theme == []


def test__overview_view__the_counts_tables_and_links_agree_with_the_statuses(quarter):
    data = page_data.overview(*quarter)
    view = present.overview_view(data)
    statuses = data.statuses
    assert list(view.theme_ids) == statuses.drop_duplicates("theme")["theme"].tolist()
    assert view.counts_table["Theme group"].tolist() == list(data.counts.index)
    assert len(view.by_theme) == len(data.counts)
    assert set(view.by_theme.index) <= set(statuses["theme_short"])
    assert sum(view.spc_variations.values()) == int((statuses["spc_variation"].fillna("")
                                                     .astype(str) != "").sum())  # fmt: skip
    assert view.early_warnings == list(zip(*[board.early_warnings(statuses)[c]
                                             for c in ("code", "title")], strict=True))  # fmt: skip
    assert list(view.change_labels) == view.changes["Code"].tolist()
    assert view.overdue_red + view.overdue_amber == len(data.overdue)
    assert view.missing_returns == data.missing_returns["theme"].tolist()


def test__indicator_tables__history_newest_first_targets_and_loads_in_words(quarter):
    path, pid, _ = quarter
    data = page_data.indicator(path, pid, "NI 152")
    tables = present.indicator_tables(data)
    assert len(tables["history"]) == len(data["history"]) > 0
    assert tables["history"]["Period"].iloc[0] == str(data["history"]["period"].iloc[-1])
    assert {"Year", "Version", "Annual target"} <= set(tables["targets"].columns)
    assert tables["targets"].notna().any().all()  # no column without a value
    assert {"Period", "Value", "In force", "Return"} <= set(tables["loads"].columns)
    assert len(tables["loads"]) == len(data["loads"])
