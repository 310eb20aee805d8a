"""Scrutiny writes: who may do what is checked where the write happens; every write is
audited with its actor; a broken rule writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.access import PermissionDenied
from analytics.scrutiny.tracker import TrackerError
from analytics.warehouse import scrutiny
from analytics.warehouse.connection import reader
from tests.conftest import ADMIN, BOARD, OFFICER, SCRUTINY, table_counts
from tests.reports.conftest import demo_partnership_id

REF = "2010/11-02"  # sent, no response yet


def writes(path, pid):
    return {
        "record": lambda user: scrutiny.record_recommendation(
            path, pid, user=user, review="Review", made_on=date(2011, 6, 14), text="Do it.",
            addressed_to="Cabinet"),
        "respond": lambda user: scrutiny.record_response(
            path, pid, REF, user=user, response="accepted", response_on=date(2011, 6, 1)),
        "progress": lambda user: scrutiny.add_progress(
            path, pid, REF, user=user, noted_on=date(2011, 6, 2), note="Started.",
            status="in_progress"),
        "judge": lambda user: scrutiny.judge_progress(path, pid, REF, user=user, acceptable=False),
        "close": lambda user: scrutiny.close_recommendation(
            path, pid, "2009/10-05", user=user, closed_on=date(2011, 6, 14), evidence="Done."),
        "flag": lambda user: scrutiny.add_red_flag(
            path, pid, user=user, title="T", reason="R", source="S", flagged_on=date(2011, 1, 1),
            indicator_codes="NI 191"),
        "review_date": lambda user: scrutiny.add_review_date(
            path, pid, user=user, meeting_date=date(2011, 11, 15)),
    }  # fmt: skip


ALLOWED = {
    "record": {ADMIN, SCRUTINY}, "respond": {ADMIN, OFFICER}, "progress": {ADMIN, OFFICER},
    "judge": {ADMIN, SCRUTINY}, "close": {ADMIN, SCRUTINY}, "flag": {ADMIN, OFFICER},
    "review_date": {ADMIN, OFFICER},
}  # fmt: skip
CASES = [(w, u) for w in ALLOWED for u in (ADMIN, OFFICER, SCRUTINY, BOARD)]


@pytest.mark.parametrize(("write", "user"), CASES, ids=[f"{w}-{u.email}" for w, u in CASES])
def test__scrutiny_writes__allowed_roles_write_and_are_audited_others_are_refused(
    demo_copy, write, user
):
    pid = demo_partnership_id(demo_copy)
    before = table_counts(demo_copy)
    action = writes(demo_copy, pid)[write]
    if user in ALLOWED[write]:
        action(user)
        cur = reader(demo_copy)
        actor = cur.execute("SELECT actor FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchone()
        assert actor == (user.email,)
        assert table_counts(demo_copy)["audit_log"] == before["audit_log"] + 1
    else:
        with pytest.raises(PermissionDenied, match="may not do this"):
            action(user)
        assert table_counts(demo_copy) == before


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p, pid: scrutiny.record_response(p, pid, REF, user=ADMIN, response="maybe",
                                                 response_on=date(2011, 6, 1)), "response must be"),
        (lambda p, pid: scrutiny.record_response(p, pid, REF, user=ADMIN, response="accepted",
                                                 response_on=date(2011, 1, 1)), "dated before"),
        (lambda p, pid: scrutiny.close_recommendation(p, pid, REF, user=ADMIN,
                                                      closed_on=date(2011, 6, 14), evidence="x"),
         "no response yet"),
        (lambda p, pid: scrutiny.close_recommendation(p, pid, "2009/10-05", user=ADMIN,
                                                      closed_on=date(2011, 6, 14), evidence=" "),
         "needs the evidence"),
        (lambda p, pid: scrutiny.add_progress(p, pid, "2009/10-01", user=ADMIN, noted_on=date(
            2011, 1, 1), note="late", status="in_progress"), "was closed by the committee"),
        (lambda p, pid: scrutiny.record_recommendation(p, pid, user=ADMIN, review="R",
                                                       made_on=date(2011, 1, 1), text="T",
                                                       addressed_to="C", reference="2009/10-01"),
         "already in the tracker"),
        (lambda p, pid: scrutiny.add_red_flag(p, pid, user=ADMIN, title="T", reason="R",
                                              source="S", flagged_on=date(2011, 1, 1)),
         "theme group or on indicators"),
        (lambda p, pid: scrutiny.lift_red_flag(p, pid, 2, user=ADMIN, lifted_on=date(2011, 1, 1),
                                               reason="again"), "was lifted on"),
        (lambda p, pid: scrutiny.record_response(p, pid, "2099/00-01", user=ADMIN,
                                                 response="accepted",
                                                 response_on=date(2011, 1, 1)), "no recommend"),
    ],
)  # fmt: skip
def test__scrutiny_writes__a_broken_rule_says_so_and_writes_nothing(demo_copy, call, message):
    pid = demo_partnership_id(demo_copy)
    before = table_counts(demo_copy)
    with pytest.raises(TrackerError, match=message):
        call(demo_copy, pid)
    assert table_counts(demo_copy) == before


def test__record_recommendation__numbers_it_in_its_municipal_year(demo_copy):
    pid = demo_partnership_id(demo_copy)
    ref = scrutiny.record_recommendation(
        demo_copy, pid, user=SCRUTINY, review="Review", made_on=date(2011, 2, 1), text="T",
        addressed_to="Cabinet", sent_on=date(2011, 2, 2))  # fmt: skip
    assert ref == "2010/11-03"


def test__red_flag__raised_then_lifted_with_its_date_and_reason(demo_copy):
    pid = demo_partnership_id(demo_copy)
    flag = scrutiny.add_red_flag(
        demo_copy, pid, user=OFFICER, title="Housing", reason="Waiting lists", source="CAA",
        flagged_on=date(2010, 12, 1), theme_id=None, indicator_codes="NI 154")  # fmt: skip
    scrutiny.lift_red_flag(demo_copy, pid, flag, user=OFFICER, lifted_on=date(2011, 5, 1),
                           reason="Improved")  # fmt: skip
    row = scrutiny.red_flags(demo_copy, pid).set_index("red_flag_id").loc[flag]
    assert (row["lifted_on"], row["lifted_reason"]) == (date(2011, 5, 1), "Improved")
    with pytest.raises(TrackerError, match="before it was raised"):
        other = scrutiny.add_red_flag(
            demo_copy, pid, user=OFFICER, title="X", reason="Y", source="Z",
            flagged_on=date(2011, 5, 1), indicator_codes="NI 1")  # fmt: skip
        scrutiny.lift_red_flag(demo_copy, pid, other, user=OFFICER, lifted_on=date(2011, 1, 1),
                               reason="r")  # fmt: skip


def test__review_dates__come_from_the_framework_workbook(demo_warehouse):
    dates = scrutiny.review_dates(demo_warehouse, demo_partnership_id(demo_warehouse))
    assert len(dates) == 6
    assert dates["meeting_date"].iloc[-1] == date(2011, 6, 14)
