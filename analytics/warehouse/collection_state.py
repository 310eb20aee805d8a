"""What the collection's settings and locks say, read by any module that writes returns
(no import of the queries or the returns modules, so they can all import it).

- :class:`Settings`: a partnership's due and reminder working days, a theme group's own due
  date, the Board's accepted-only view and the escalations' address (``collection_setting``,
  ``collection_theme_setting``; the defaults when none are saved).
- :func:`refuse_locked`: inside a write, refuse a change to values of a quarter that has
  locked (``period_lock``), unless it is reopened for the theme group (``period_reopening``).
- :func:`is_locked`, :func:`awaiting_sign_off`: what publication asks first.

The writes that set them are :mod:`analytics.warehouse.collection`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from analytics import periods
from analytics.collection import calendar
from analytics.messages import FileRejected, Message
from analytics.warehouse.connection import first_row, reader


class PeriodLocked(FileRejected):
    """A change to a locked quarter that has not been reopened for its theme group."""


@dataclass(frozen=True)
class Settings:
    """A partnership's collection settings (the defaults when none are saved)."""

    due_working_days: int = calendar.DEFAULT_DUE_WORKING_DAYS
    reminder_working_days: int = calendar.DEFAULT_REMINDER_WORKING_DAYS
    board_accepted_only: bool = False
    officer_email: str | None = None
    theme_due_working_days: dict[int, int] = field(default_factory=dict)

    def due_days_for(self, theme_id: int) -> int:
        return int(self.theme_due_working_days.get(int(theme_id), self.due_working_days))

    def dates(self, period: str, theme_id: int | None = None) -> calendar.QuarterDates:
        due = self.due_working_days if theme_id is None else self.due_days_for(theme_id)
        return calendar.quarter_dates(period, due, min(self.reminder_working_days, due - 1))


def settings_from(con, partnership_id: int) -> Settings:
    row = first_row(
        con.execute(
            "SELECT due_working_days, reminder_working_days, board_accepted_only, officer_email"
            " FROM collection_setting WHERE partnership_id = ?",
            [partnership_id],
        )
    )
    themes = dict(
        con.execute(
            "SELECT theme_id, due_working_days FROM collection_theme_setting"
            " WHERE partnership_id = ? AND due_working_days IS NOT NULL",
            [partnership_id],
        ).fetchall()
    )
    if row is None:
        return Settings(theme_due_working_days=themes)
    return Settings(int(row[0]), int(row[1]), bool(row[2]), row[3], themes)


def settings(path, partnership_id: int) -> Settings:
    cur = reader(path)
    try:
        return settings_from(cur, partnership_id)
    finally:
        cur.close()


# --- locks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Locks:
    """A partnership's quarters locked by a day, and those reopened for a theme group: read
    once (two small tables) for every check one write makes, such as a quarter's returns
    committed together."""

    locks_on: dict[str, date]  # quarter -> the day it locked, for quarters locked by then
    reopened: frozenset[tuple[int, str]]  # (theme_id, quarter) reopened and not closed

    @classmethod
    def read(cls, con, partnership_id: int, today: date) -> Locks:
        locks_on = dict(
            con.execute(
                "SELECT period, locks_on FROM period_lock WHERE partnership_id = ?"
                " AND locks_on <= ?",
                [partnership_id, today],
            ).fetchall()
        )
        reopened = frozenset(
            con.execute(
                "SELECT theme_id, period FROM period_reopening WHERE partnership_id = ?"
                " AND closed_at IS NULL",
                [partnership_id],
            ).fetchall()
        )
        return cls(locks_on, reopened)

    def of(self, theme_id: int | None, quarters: list[str]) -> list[tuple[str, date]]:
        """[(quarter, locks_on)] of ``quarters`` locked and not reopened for ``theme_id``
        (``None``: locked, reopened or not), earliest lock first."""
        found = [(q, self.locks_on[q]) for q in set(quarters) if q in self.locks_on]
        if theme_id is not None:
            found = [(q, on) for q, on in found if (theme_id, q) not in self.reopened]
        return sorted(found, key=lambda qd: (qd[1], qd[0]))


def locked_quarters(
    con, partnership_id: int, theme_id: int | None, quarters: list[str], today: date
):
    """[(quarter, locks_on)] of ``quarters`` locked by ``today`` and not reopened for
    ``theme_id``."""
    return Locks.read(con, partnership_id, today).of(theme_id, quarters)


def refuse_locked(
    con: duckdb.DuckDBPyConnection,
    partnership_id: int,
    theme_id: int | None,
    value_periods: list[str],
    *,
    what: str,
    theme: str | None = None,
    today: date | None = None,
    locks: Locks | None = None,
) -> None:
    """Inside a write: refuse (:class:`PeriodLocked`, the transaction rolls back) a change
    to values of a quarter that has locked, unless it is reopened for ``theme_id``. Value
    periods are quarters or years (a year's values are the year's Q4 return's). ``what``
    names what was refused (a file, a return) in the message. ``locks``: the partnership's
    :class:`Locks` as at ``today``, read already by the caller."""
    quarters = sorted({calendar.quarter_of_value(p) for p in value_periods if p})
    if locks is None:
        locks = Locks.read(con, partnership_id, today or calendar.today())
    locked = locks.of(theme_id, quarters)
    if not locked:
        return
    whose = f" for {theme}" if theme else " for the theme group"
    raise PeriodLocked(
        [
            Message(
                "error",
                what,
                None,
                None,
                period,
                f"{period} is locked (since {pd.Timestamp(locks_on):%d %B %Y}): its values can "
                "no longer be changed",
                f"the performance officer can reopen {period}{whose}, with a reason (Sign-off "
                "page); then send it again",
            )
            for period, locks_on in locked
        ]
    )


def awaiting_sign_off(con, partnership_id: int, period_end: date) -> list[tuple[str, str]]:
    """Inside a read or write: [(quarter, theme)] of returns in force, for quarters ending by
    ``period_end``, that have not been accepted."""
    rows = con.execute(
        "SELECT r.period, t.name FROM return_file r JOIN theme t USING (theme_id)"
        " WHERE r.partnership_id = ? AND r.state = 'loaded' AND r.review_state <> 'accepted'",
        [partnership_id],
    ).fetchall()
    return sorted(
        ((p, t) for p, t in rows if periods.parse_code(p).end <= period_end),
        key=lambda pt: (periods.sort_key(pt[0]), pt[1]),
    )


def is_locked(con, partnership_id: int, period: str, today: date | None = None) -> date | None:
    """Inside a read or write: the date ``period`` (a quarter) locked, or None if it has not."""
    found = locked_quarters(con, partnership_id, None, [period], today or calendar.today())
    return found[0][1] if found else None
