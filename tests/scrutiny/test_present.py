"""The review's tables as the Six-monthly review page shows them (laid out once)."""

from __future__ import annotations

from analytics import labels
from analytics.scrutiny import present
from analytics.scrutiny.review import half_window
from analytics.warehouse.scrutiny import six_monthly_review
from tests.reports.conftest import demo_partnership_id


def test__review_tables__every_table_in_words_and_a_run_per_persistent_exception(
    demo_warehouse,
):
    review = six_monthly_review(
        demo_warehouse, demo_partnership_id(demo_warehouse), half_window("2010/11 H1")
    )
    tables = present.review_tables(review)
    assert set(tables) == {"picture", "movers", "persistent", "forecast", "late", "moved",
                           "flags", "missing", "runs"}  # fmt: skip
    persistent = tables["persistent"]
    codes = review.persistent["code"].tolist()
    assert codes and persistent["Code"].tolist() == codes
    assert set(persistent["Status"]) <= {labels.STATUS["red"], labels.STATUS["amber"]}
    assert list(tables["runs"]) == codes
    for code, since in zip(codes, persistent["Since"], strict=True):
        run = tables["runs"][code]
        # the same table the pack prints (present.run_table), with its status words
        expected = present.words(present.run_table(review, code))
        assert run.reset_index(drop=True).equals(expected.reset_index(drop=True))
        assert run["Quarter"].iloc[0] == since
        assert len(run) == int(review.persistent.set_index("code").at[code, "persistence_periods"])
