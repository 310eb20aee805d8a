"""Changes since the last Board, roll-ups, and action milestones."""

from __future__ import annotations

import pandas as pd
import pytest
from status_frames import actuals, indicators, targets

from analytics.status import (
    action_statuses,
    compute_statuses,
    milestone_statuses,
    rollup_statuses,
    status_changes,
)


def _frame(statuses: dict[int, str], period: str = "2009/10 Q2") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": list(statuses),
            "period": period,
            "rag_status": list(statuses.values()),
            "rag_reason": "why",
            "persistence_periods": 1,
        }
    )


def test__changes__each_category():
    before = _frame(
        {1: "green", 2: "amber", 3: "amber", 4: "red", 5: "red", 6: "no_target", 7: "missing"},
        "2009/10 Q1",
    )
    after = _frame(
        {
            1: "red",
            2: "green",
            3: "red",
            4: "amber",
            5: "red",
            6: "missing",
            7: "amber",
            8: "missing",
        }
    )
    got = status_changes(before, after).set_index("indicator_id")["change"].astype(str)
    assert got.to_dict() == {
        1: "new_exception",
        2: "recovered",
        3: "worsened",
        4: "improved",
        6: "new_exception",
        7: "improved",
        8: "new_exception",
    }


def test__changes__latest_period_per_indicator_is_compared():
    before = pd.concat([_frame({1: "red"}, "2009/10 Q1"), _frame({1: "green"}, "2009/10 Q2")])
    after = _frame({1: "amber"}, "2009/10 Q3")
    got = status_changes(before, after)
    assert got[["period_before", "change"]].astype(str).values.tolist() == [
        ["2009/10 Q2", "new_exception"]
    ]


def test__changes__empty_after_gives_empty():
    assert status_changes(_frame({1: "red"}), _frame({}).iloc[0:0]).empty


def test__rollup__counts_per_theme_and_total():
    ind = indicators(
        {"indicator_id": 1, "theme_id": 10},
        {"indicator_id": 2, "theme_id": 10},
        {"indicator_id": 3, "theme_id": 20},
    )
    tg = pd.concat([targets({"indicator_id": i}) for i in (1, 2, 3)])
    ac = pd.concat([actuals({"2009/10 Q2": v}, i) for i, v in ((1, 50.0), (2, 30.0))])
    out = compute_statuses(ind, tg, ac, ["2009/10 Q2"])
    roll = rollup_statuses(out, ind)
    rows = roll.set_index(roll["theme_id"].fillna(-1).astype(int))
    assert rows.loc[10, ["green", "red", "missing", "exceptions", "indicators"]].tolist() == [
        1,
        1,
        0,
        1,
        2,
    ]
    assert rows.loc[-1, ["green", "red", "missing", "exceptions", "indicators"]].tolist() == [
        1,
        1,
        1,
        2,
        3,
    ]


AS_OF = pd.Timestamp("2010-05-01")


def _milestone(**kw) -> dict:
    base = dict(
        milestone_id=1,
        action_id=1,
        due_date=pd.Timestamp("2010-04-30"),
        revised_due_date=pd.NaT,
        completed_on=pd.NaT,
        percent_complete=None,
        is_reprogrammed=False,
        start_date=pd.NaT,
    )
    return base | kw


@pytest.mark.parametrize(
    ("milestone", "status", "words"),
    [
        (_milestone(completed_on=pd.Timestamp("2010-04-01")), "completed", "completed"),
        (
            _milestone(
                completed_on=pd.Timestamp("2010-06-01"), due_date=pd.Timestamp("2010-01-01")
            ),
            "red",
            "120 days behind",
        ),  # completed after the date asked about: not yet
        (
            _milestone(is_reprogrammed=True, due_date=pd.Timestamp("2009-01-01")),
            "reprogrammed",
            "reprogrammed or suspended with approval",
        ),
        (_milestone(due_date=pd.Timestamp("2010-05-01")), "green", "on schedule"),
        (_milestone(due_date=pd.Timestamp("2010-03-31")), "amber", "31 days behind"),
        (_milestone(due_date=pd.Timestamp("2010-03-30")), "red", "32 days behind"),
        (
            _milestone(
                due_date=pd.Timestamp("2010-03-30"), revised_due_date=pd.Timestamp("2010-06-30")
            ),
            "red",
            "(revised date 30 Jun 2010 not approved)",
        ),
    ],
)
def test__milestones__days_behind_categories(milestone, status, words):
    row = milestone_statuses(pd.DataFrame([milestone]), AS_OF).iloc[0]
    assert row["milestone_status"] == status
    assert words in row["milestone_reason"]


@pytest.mark.parametrize(("done", "status"), [(40.0, "green"), (35.0, "amber"), (20.0, "red")])
def test__milestones__percent_rule(done, status):
    m = _milestone(
        start_date=pd.Timestamp("2010-01-01"),
        due_date=pd.Timestamp("2010-08-30"),
        percent_complete=done,
    )  # 120 of 241 days gone: 49.8% expected
    row = milestone_statuses(pd.DataFrame([m]), AS_OF, rule="percent").iloc[0]
    assert row["milestone_status"] == status


def test__actions__worst_milestone_and_completed_only_when_all_are():
    ms = pd.DataFrame(
        [
            _milestone(milestone_id=1, action_id=1, completed_on=pd.Timestamp("2010-01-01")),
            _milestone(milestone_id=2, action_id=1, due_date=pd.Timestamp("2010-03-31")),
            _milestone(milestone_id=3, action_id=2, completed_on=pd.Timestamp("2010-01-01")),
            _milestone(milestone_id=4, action_id=2, completed_on=pd.Timestamp("2010-02-01")),
            _milestone(milestone_id=5, action_id=3, completed_on=pd.Timestamp("2010-02-01")),
            _milestone(milestone_id=6, action_id=3, is_reprogrammed=True),
        ]
    )
    got = action_statuses(milestone_statuses(ms, AS_OF)).set_index("action_id")
    assert got["action_status"].astype(str).to_dict() == {
        1: "amber",
        2: "completed",
        3: "reprogrammed",
    }
    assert got.loc[1, "action_reason"] == "1 of 2 milestones behind schedule"
