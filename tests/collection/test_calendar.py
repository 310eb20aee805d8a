"""The collection calendar: working days skip weekends and the bank holidays of England and
Wales (from the maintained `holidays` package), and each quarter's dates follow from them."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.collection import calendar


def test__bank_holidays__england_and_wales_2011_including_the_royal_wedding():
    days = calendar.bank_holidays(2011)
    assert date(2011, 4, 29) in days  # the wedding of William and Catherine, a one-off
    assert {date(2011, 4, 22), date(2011, 4, 25), date(2011, 5, 2), date(2011, 5, 30)} <= days
    assert date(2011, 8, 29) in days and date(2011, 12, 27) in days  # Christmas observed
    assert date(2011, 3, 17) not in days  # St Patrick's Day is Northern Ireland's only
    assert calendar.bank_holiday_name(date(2012, 6, 5)).startswith("Diamond Jubilee")


def test__due_date__twenty_working_days_after_2010_11_q4_skips_easter_and_the_wedding():
    dates = calendar.quarter_dates("2010/11 Q4")
    # 31 March 2011; April has Good Friday 22, Easter Monday 25, the wedding 29; May Day 2
    assert dates.opens_on == date(2011, 4, 1)
    assert dates.due_on == date(2011, 5, 4)
    assert dates.reminder_on == date(2011, 4, 21)  # five working days before, over Easter
    assert dates.overdue_on == date(2011, 5, 5)


def test__due_date__a_quarter_without_holidays_is_four_weeks_on():
    dates = calendar.quarter_dates("2011/12 Q1", 20, 5)
    assert (dates.due_on, dates.reminder_on) == (date(2011, 7, 28), date(2011, 7, 21))


def test__stage_on__the_latest_message_due_on_each_day():
    dates = calendar.quarter_dates("2011/12 Q1")
    assert dates.stage_on(date(2011, 6, 30)) is None  # the quarter has not ended
    assert dates.stage_on(date(2011, 7, 1)) == "opening"
    assert dates.stage_on(date(2011, 7, 20)) == "opening"
    assert dates.stage_on(date(2011, 7, 21)) == "reminder"
    assert dates.stage_on(date(2011, 7, 28)) == "due"
    assert dates.stage_on(date(2011, 7, 29)) == "overdue"


def test__settings__refused_with_what_to_choose():
    with pytest.raises(calendar.CalendarError, match="from 1 to 130"):
        calendar.quarter_dates("2011/12 Q1", 0)
    with pytest.raises(calendar.CalendarError, match="from 0 to 9"):
        calendar.quarter_dates("2011/12 Q1", 10, 10)
    with pytest.raises(calendar.CalendarError, match="not a quarter"):
        calendar.quarter_dates("2011/12")


def test__today__from_lsp_today_or_the_clock(monkeypatch):
    monkeypatch.setenv(calendar.TODAY_ENV_VAR, "2011-07-20")
    assert calendar.today() == date(2011, 7, 20)
    monkeypatch.setenv(calendar.TODAY_ENV_VAR, "20/07/2011")
    with pytest.raises(calendar.CalendarError, match="not a date such as 2011-07-20"):
        calendar.today()


def test__quarter_of_value__a_years_values_come_in_its_q4_return():
    assert calendar.quarter_of_value("2010/11") == "2010/11 Q4"
    assert calendar.quarter_of_value("2010/11 Q2") == "2010/11 Q2"
    assert calendar.collection_quarter(date(2011, 7, 1)) == "2011/12 Q1"


@given(st.dates(date(2008, 1, 1), date(2030, 12, 31)), st.integers(0, 40))
def test__add_working_days__lands_on_a_working_day_and_back_again(day, n):
    later = calendar.add_working_days(day, n)
    assert calendar.working_days_between(day, later) == n
    if n:
        assert calendar.is_working_day(later)
        back = calendar.add_working_days(later, -n)
        assert back <= day and (back == day or not calendar.is_working_day(day))


@given(st.sampled_from(["2010/11 Q4", "2011/12 Q1", "2011/12 Q3", "2012/13 Q1"]),
       st.integers(1, 60), st.integers(0, 59))  # fmt: skip
def test__quarter_dates__in_order_opening_reminder_due_overdue(period, due, reminder):
    if reminder >= due:
        return
    d = calendar.quarter_dates(period, due, reminder)
    assert d.quarter_end < d.opens_on <= d.reminder_on <= d.due_on < d.overdue_on
    assert calendar.working_days_between(d.quarter_end, d.due_on) == due
