"""The tracker's rules: the two-month response date, references, the RAG."""

from datetime import date

import pandas as pd
import pytest

from analytics.scrutiny.tracker import (
    TrackerError,
    add_months,
    next_reference,
    parse_reference,
    response_due_on,
    tracker,
    tracker_rag,
)


@pytest.mark.parametrize(
    ("sent_on", "due"),
    [
        (date(2010, 3, 24), date(2010, 5, 24)),  # an ordinary day
        (date(2010, 12, 31), date(2011, 2, 28)),  # no 31 February: the month's last day
        (date(2011, 12, 31), date(2012, 2, 29)),  # a leap year
        (date(2011, 12, 29), date(2012, 2, 29)),
        (date(2011, 12, 30), date(2012, 2, 29)),
        (date(2010, 12, 29), date(2011, 2, 28)),
        (date(2012, 2, 29), date(2012, 4, 29)),  # from a leap day
        (date(2010, 11, 30), date(2011, 1, 30)),  # across the year end
        (date(2010, 11, 1), date(2011, 1, 1)),
        (date(2010, 8, 31), date(2010, 10, 31)),
        (date(2010, 7, 31), date(2010, 9, 30)),  # September has 30 days
        (date(2010, 1, 1), date(2010, 3, 1)),
    ],
)
def test__response_due_on__two_months_after_sent_clamped_to_the_month_end(sent_on, due):
    assert response_due_on(sent_on) == due


def test__response_due_on__none_when_not_sent():
    assert response_due_on(None) is None


def test__add_months__twelve_months_is_a_year_and_negative_goes_back():
    assert add_months(date(2010, 5, 31), 12) == date(2011, 5, 31)
    assert add_months(date(2010, 5, 31), -3) == date(2010, 2, 28)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("2010/11-03", ("2010/11", 3)),
        ("2009/10-12", ("2009/10", 12)),
        (" 2010/11-101 ", ("2010/11", 101)),
    ],
)
def test__parse_reference__municipal_year_and_number(text, parsed):
    assert parse_reference(text) == parsed


@pytest.mark.parametrize("text", ["2010/12-03", "2010-03", "10/11-03", "2010/11-3", "", "x"])
def test__parse_reference__refuses_what_is_not_a_reference(text):
    with pytest.raises(TrackerError, match="municipal year and number"):
        parse_reference(text)


def test__next_reference__numbers_within_the_municipal_year_of_the_date():
    existing = ["2010/11-01", "2010/11-04", "2009/10-09", "junk"]
    assert next_reference(existing, date(2010, 11, 16)) == "2010/11-05"
    assert next_reference(existing, date(2011, 4, 1)) == "2011/12-01"
    assert next_reference(existing, date(2010, 3, 31)) == "2009/10-10"


SENT = {"made_on": date(2010, 3, 16), "sent_on": date(2010, 3, 24)}
ANSWERED = {**SENT, "response": "accepted", "response_on": date(2010, 5, 11)}


@pytest.mark.parametrize(
    ("rec", "as_of", "rag", "reason"),
    [
        ({"made_on": date(2010, 3, 16)}, date(2010, 4, 1), "awaiting", "not yet sent"),
        (SENT, date(2010, 5, 23), "awaiting", "response due 24 May 2010 (1 day left)"),
        (SENT, date(2010, 5, 24), "awaiting", "response due 24 May 2010 (0 days left)"),
        (SENT, date(2010, 5, 25), "red", "response overdue: due 24 May 2010, 1 day ago"),
        # a response recorded later is not seen before its date
        (ANSWERED, date(2010, 5, 1), "awaiting", "response due 24 May 2010 (23 days left)"),
        (ANSWERED, date(2010, 6, 1), "amber", "progress acceptable"),
        ({**ANSWERED, "due_on": date(2010, 9, 30)}, date(2010, 10, 1), "red",
         "implementation overdue: due 30 Sep 2010"),
        ({**ANSWERED, "due_on": date(2010, 9, 30)}, date(2010, 9, 30), "amber",
         "progress acceptable; implementation due 30 Sep 2010"),
        ({**ANSWERED, "progress_ok": False}, date(2010, 6, 1), "red",
         "the committee judged progress unacceptable"),
        ({**ANSWERED, "status": "implemented"}, date(2010, 6, 1), "amber",
         "implemented: proposed for closure"),
        ({**ANSWERED, "status": "not_implemented"}, date(2010, 6, 1), "red", "not implemented"),
        ({**ANSWERED, "status": "implemented", "closed_on": date(2010, 11, 16)},
         date(2010, 11, 16), "green", "implemented and closed by the committee on 16 Nov 2010"),
        ({**ANSWERED, "status": "implemented", "closed_on": date(2010, 11, 16)},
         date(2010, 11, 15), "amber", "implemented: proposed for closure"),
        ({**ANSWERED, "response": "rejected", "status": "not_implemented"}, date(2010, 6, 1),
         "amber", "rejected: for the committee to note and close"),
        ({**ANSWERED, "response": "rejected", "status": "not_implemented",
          "closed_on": date(2010, 11, 16)}, date(2011, 1, 1), "closed",
         "closed by the committee on 16 Nov 2010 (not implemented)"),
    ],
)  # fmt: skip
def test__tracker_rag__by_response_progress_and_closure(rec, as_of, rag, reason):
    assert tracker_rag(rec, as_of) == (rag, reason)


def test__tracker__countdown_overdue_flag_and_only_recommendations_made_by_then():
    recs = pd.DataFrame(
        [
            {"reference": "2009/10-01", **SENT, "response": None, "response_on": None},
            {"reference": "2009/10-02", **ANSWERED},
            {"reference": "2010/11-01", "made_on": date(2010, 11, 16), "sent_on": None},
        ]
    )
    early = tracker(recs, date(2010, 5, 20))
    assert early["reference"].tolist() == ["2009/10-01", "2009/10-02"]
    assert early["days_to_response"].tolist() == [4, pd.NA]
    late = tracker(recs, date(2010, 12, 1)).set_index("reference")
    assert late.loc["2009/10-01", "response_overdue"]
    assert late.loc["2009/10-01", "days_to_response"] == -191
    assert not late.loc["2009/10-02", "response_overdue"]
    assert late.loc["2010/11-01", "rag"] == "awaiting"


def test__tracker__empty_gives_the_columns():
    out = tracker(pd.DataFrame(columns=["reference", "made_on"]), date(2010, 1, 1))
    assert {"response_due_on", "rag", "response_overdue"} <= set(out.columns)
