"""Free spellings of periods found in returns -> canonical codes."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.periods import PeriodError, looks_like_period, parse_period, strip_period_words


@pytest.mark.parametrize(
    ("text", "default_year", "code"),
    [
        ("Q1 08/09", None, "2008/09 Q1"),
        ("2008/09 Q1", None, "2008/09 Q1"),
        ("Apr-Jun 2008", None, "2008/09 Q1"),
        ("Apr-Jun 08", None, "2008/09 Q1"),
        ("Apr - Jun 2008/09", None, "2008/09 Q1"),
        ("Jan-Mar 2009", None, "2008/09 Q4"),
        ("Qtr 1", "2008/09", "2008/09 Q1"),
        ("Q1 (Apr-Jun)", "2009/10", "2009/10 Q1"),
        ("June 2008", None, "2008/09 Q1"),
        ("Jun-08", None, "2008/09 Q1"),
        ("2nd quarter 2009/10", None, "2009/10 Q2"),
        ("Quarter 3 2008-2009", None, "2008/09 Q3"),
        ("H1 2009/10", None, "2009/10 H1"),
        ("FY08/09", None, "2008/09"),
        ("2008/9", None, "2008/09"),
        ("30/06/2008", None, "2008/09 Q1"),
        ("2008-06-30", None, "2008/09 Q1"),
        (date(2009, 1, 5), None, "2008/09 Q4"),
    ],
)
def test__parse_period__reads_spellings_found_in_returns(text, default_year, code):
    assert parse_period(text, default_year=default_year) == code


@pytest.mark.parametrize(
    ("text", "says"),
    [("Q1 2008", "ambiguous"), ("Qtr 1", "no year"), ("Actual", "not a period"),
     ("31/02/2008", "not a real date"), ("Feb-Apr 2008", "not a quarter"), ("", "blank")],
)  # fmt: skip
def test__parse_period__refuses_with_what_was_found(text, says):
    with pytest.raises(PeriodError, match=says):
        parse_period(text)


def test__looks_like_period__accepts_year_less_quarters_only_as_headings():
    assert looks_like_period("Qtr 1") and not looks_like_period("Target")


@pytest.mark.parametrize(
    ("heading", "rest"),
    [("Q4 2008/09 Target", "target"), ("Q1 Actual", "actual"), ("Apr-Jun 08", ""),
     ("FY08/09", ""), ("2008/09 Q1", "")],
)  # fmt: skip
def test__strip_period_words__leaves_the_value_words(heading, rest):
    assert strip_period_words(heading) == rest
