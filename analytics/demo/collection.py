"""The demo partnership's collection: its settings and a lock date for every quarter.

Every return the demo loads is accepted as it is loaded (the officer checked it); each quarter
locks the day after the Board that saw it, and 2010/11 Q4 on
:data:`spec.Q4_2010_LOCKS_ON`. The Board sees only accepted figures (every demo figure is).
"""

from __future__ import annotations

from datetime import date, timedelta

from analytics import board, periods
from analytics.demo import spec
from analytics.warehouse import collection, views


def lock_dates(meetings: list[date]) -> dict[str, date]:
    """The day after the Board that saw each quarter (2010/11 Q4: the set date)."""
    years = [periods.fy_code(spec.FIRST_YEAR + y) for y in range(spec.YEARS)]
    dates = {}
    for quarter in (q for fy in years for q in periods.quarters_of_year(fy)):
        seen = board.board_for_period(meetings, quarter)
        if seen is not None:
            dates[quarter] = seen + timedelta(days=1)
    dates[years[-1] + " Q4"] = date.fromisoformat(spec.Q4_2010_LOCKS_ON)
    return dates


def set_up_collection(path, partnership_id: int, user) -> dict[str, int]:
    collection.save_settings(
        path, partnership_id, user=user, due_working_days=20, reminder_working_days=5,
        board_accepted_only=spec.BOARD_ACCEPTED_ONLY,
    )  # fmt: skip
    dates = lock_dates(views.board_dates(path, partnership_id))
    # set as the officer set them at the time: each before its lock date
    collection.set_locks(path, partnership_id, dates, user=user, today=date(2011, 6, 30))
    return {"locks": len(dates)}
