"""The collection calendar (pure): working days, due dates and the dates a reminder goes.

For a quarter:

- the **window opens** the day after the quarter ends (the opening notice goes that day);
- the return is **due** ``due_working_days`` working days after the quarter ends (default 20);
  a working day is Monday to Friday and not a bank holiday of England and Wales;
- a **reminder** goes ``reminder_working_days`` working days before the due date (default 5);
- another goes **on the due date**, and an **escalation** the first day after it;
- the quarter **locks** on the date the officer sets (after the Board has seen it): from that
  day on its values change only through a recorded reopening.

Bank holidays come from the maintained ``holidays`` package (``GB``, subdivision ``ENG``:
England and Wales share theirs), which knows the one-off ones too (29 April 2011, the royal
wedding; 5 June 2012, the Diamond Jubilee).

``today()`` is the date the collection works to: ``$LSP_TODAY`` (an ISO date, to rehearse a
quarter on the demo or catch up by hand) or the real date.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from analytics import periods

TODAY_ENV_VAR = "LSP_TODAY"
DEFAULT_DUE_WORKING_DAYS = 20
DEFAULT_REMINDER_WORKING_DAYS = 5

# The messages a theme group can be sent about one quarter, in the order they fall due.
STAGES = ("opening", "reminder", "due", "overdue")


class CalendarError(ValueError):
    """A setting the calendar cannot work with (the message says which and what to do)."""


def today() -> date:
    """The date the collection works to: ``$LSP_TODAY`` when set, else the real date."""
    raw = os.environ.get(TODAY_ENV_VAR, "").strip()
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CalendarError(
            f"{TODAY_ENV_VAR}={raw!r} is not a date such as 2011-07-20. Set it to the date to "
            f"work as on, or unset it to use today's date."
        ) from None


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in a calendar year."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: date) -> str | None:
    """The bank holiday's name, if ``day`` is one."""
    return holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (``n`` < 0: before it; 0: ``day`` itself)."""
    step = 1 if n >= 0 else -1
    left = abs(n)
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(first: date, last: date) -> int:
    """Working days after ``first`` up to and including ``last`` (negative if ``last`` is
    before ``first``)."""
    if last < first:
        return -working_days_between(last, first)
    return sum(is_working_day(first + timedelta(days=k)) for k in range(1, (last - first).days + 1))


@dataclass(frozen=True)
class QuarterDates:
    """When a quarter's return is asked for, due and chased."""

    period: str
    quarter_end: date
    opens_on: date
    reminder_on: date
    due_on: date
    overdue_on: date

    def stage_on(self, day: date) -> str | None:
        """The latest message due by ``day`` (None: the window has not opened)."""
        if day >= self.overdue_on:
            return "overdue"
        if day >= self.due_on:
            return "due"
        if day >= self.reminder_on:
            return "reminder"
        if day >= self.opens_on:
            return "opening"
        return None

    def stage_dates(self) -> dict[str, date]:
        return {
            "opening": self.opens_on,
            "reminder": self.reminder_on,
            "due": self.due_on,
            "overdue": self.overdue_on,
        }


def check_days(due_working_days: int, reminder_working_days: int) -> None:
    """Refuse settings the calendar cannot use, saying which and what to do."""
    if not 1 <= int(due_working_days) <= 130:
        raise CalendarError(
            f"A return cannot be due {due_working_days} working days after the quarter ends: "
            "choose a number from 1 to 130 (about six months)."
        )
    if not 0 <= int(reminder_working_days) < int(due_working_days):
        raise CalendarError(
            f"The reminder cannot go {reminder_working_days} working days before a due date "
            f"{due_working_days} working days after the quarter ends: choose a number from 0 "
            f"to {int(due_working_days) - 1}."
        )


def quarter_dates(
    period: str,
    due_working_days: int = DEFAULT_DUE_WORKING_DAYS,
    reminder_working_days: int = DEFAULT_REMINDER_WORKING_DAYS,
) -> QuarterDates:
    """The collection dates of a quarter (``2011/12 Q1``)."""
    check_days(due_working_days, reminder_working_days)
    p = periods.parse_code(period)
    if p.grain != "quarter":
        raise CalendarError(f"{p.code} is not a quarter: returns are collected per quarter.")
    due = add_working_days(p.end, int(due_working_days))
    reminder = add_working_days(due, -int(reminder_working_days))
    opens = p.end + timedelta(days=1)
    return QuarterDates(p.code, p.end, opens, max(reminder, opens), due, due + timedelta(days=1))


def collection_quarter(day: date) -> str:
    """The quarter whose window opened most recently by ``day`` (the one just ended)."""
    return periods.previous_period(periods.period_containing(day))


def quarter_of_value(period: str) -> str:
    """The quarter whose return carries a value for ``period``: the quarter itself, or Q4 of
    a year (annual and survey indicators report in the year's last return)."""
    p = periods.parse_code(period)
    if p.grain == "quarter":
        return p.code
    if p.grain == "year":
        return periods.quarters_of_year(p.code)[-1]
    return periods.period_containing(p.end)
