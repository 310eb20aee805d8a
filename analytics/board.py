"""Board meetings and the exception report: which quarter a Board sees, what changed since
the last one, what is an exception (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from analytics import periods
from analytics.vocabulary import EXCEPTION_STATUSES, STATUS_ORDER

REPORTING_LAG_DAYS = 42  # returns arrive weeks after a quarter ends


def board_for_period(
    meetings: list[date], period: str, lag_days: int = REPORTING_LAG_DAYS
) -> date | None:
    """The first Board that can consider ``period``: on or after its end plus the lag."""
    ready = periods.parse_code(period).end + timedelta(days=lag_days)
    later = [m for m in sorted(meetings) if m >= ready]
    return later[0] if later else None


def period_seen_at(
    meetings: list[date], meeting: date, lag_days: int = REPORTING_LAG_DAYS
) -> str | None:
    """The latest quarter whose figures were ready for the Board on ``meeting``."""
    quarter = periods.period_containing(meeting - timedelta(days=lag_days), "quarter")
    if periods.parse_code(quarter).end + timedelta(days=lag_days) > meeting:
        quarter = periods.previous_period(quarter)
    return quarter


def last_board(
    meetings: list[date], period: str, lag_days: int = REPORTING_LAG_DAYS
) -> tuple[date | None, str | None]:
    """The Board before the one that sees ``period``, and the quarter it saw.

    With no meeting dates, the previous quarter stands in for "the last Board".
    """
    this = board_for_period(meetings, period, lag_days)
    earlier = [m for m in sorted(meetings) if this is None or m < this]
    for meeting in reversed(earlier):
        seen = period_seen_at(meetings, meeting, lag_days)
        if periods.sort_key(seen) < periods.sort_key(period):
            return meeting, seen
    return None, periods.previous_period(period)


def exceptions(statuses: pd.DataFrame) -> pd.DataFrame:
    """Amber, red and missing only: worst first within each theme."""
    out = statuses[statuses["rag_status"].isin(EXCEPTION_STATUSES)]
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    return (
        out.assign(_order=out["rag_status"].map(order))
        .sort_values(["theme_order", "_order", "code"])
        .drop(columns="_order")
    )


def status_counts(statuses: pd.DataFrame, by: str = "theme") -> pd.DataFrame:
    """One row per ``by`` value, a column per status (in report order), and a total."""
    counts = pd.crosstab(statuses[by], statuses["rag_status"])
    counts = counts.reindex(columns=list(STATUS_ORDER), fill_value=0)
    if "theme_order" in statuses and by == "theme":
        order = statuses.drop_duplicates("theme").set_index("theme")["theme_order"]
        counts = counts.loc[order.sort_values().index.intersection(counts.index)]
    counts["total"] = counts.sum(axis=1)
    return counts


def early_warnings(statuses: pd.DataFrame) -> pd.DataFrame:
    """Green indicators whose latest point is a special cause of concern: on target today,
    but the process has changed for the worse (listed beside the exceptions)."""
    if statuses.empty or "spc_variation" not in statuses:
        return statuses.iloc[0:0]
    concern = statuses["spc_variation"].fillna("").astype(str).str.startswith("concern")
    return statuses[(statuses["rag_status"].astype(str) == "green") & concern]
