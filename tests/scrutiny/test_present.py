"""The review as the Six-monthly review page shows it (laid out once per data version)."""

from __future__ import annotations

import pytest

from analytics import labels
from analytics.scrutiny import present
from analytics.scrutiny.review import half_window
from analytics.warehouse.scrutiny import six_monthly_review
from tests.reports.conftest import demo_partnership_id


@pytest.fixture(scope="module")
def review(demo_warehouse):
    pid = demo_partnership_id(demo_warehouse)
    return six_monthly_review(demo_warehouse, pid, half_window("2010/11 H1"))


def test__review_tables__every_table_with_status_words(review):
    tables = present.review_tables(review)
    assert set(tables) == {"picture", "movers", "persistent", "forecast", "late", "moved",
                           "flags", "missing"}  # fmt: skip
    persistent = tables["persistent"]
    assert persistent["Code"].tolist() == review.persistent["code"].tolist()
    assert set(persistent["Status"]) <= {labels.STATUS["red"], labels.STATUS["amber"]}
    for code, since in zip(persistent["Code"], persistent["Since"], strict=True):
        run = present.run_table(review, code)  # the run starts where the table says
        assert run["Quarter"].iloc[0] == since
    assert tables["movers"].equals(present.words(present.movers_table(review)))


def test__review_facts__the_summary_lines_counts(review):
    facts = present.review_facts(review)
    assert facts["indicators"] == len(review.end_statuses) > 0
    assert facts["red"] == int((review.end_statuses["rag_status"] == "red").sum())
    assert facts["persistent"] == len(review.persistent) == len(facts["persistent_titles"]) > 0
    assert list(facts["persistent_titles"]) == review.persistent["code"].tolist()
    for name in ("received", "overdue", "implemented", "for_closure", "open"):
        assert facts[name] == len(review.tracker_summary[name])
    assert facts["title"] == review.title and facts["meeting"] == review.meeting


def test__run_tables__each_exception_as_run_table_gives_it(review):
    tables = present.run_tables(review)
    assert list(tables) == [c for c in review.persistent["code"] if c in tables]
    assert len(tables) == len(review.persistent) > 0
    for code, table in tables.items():
        one = present.run_table(review, code).reset_index(drop=True)
        assert table.astype(str).equals(one.astype(str)), code
