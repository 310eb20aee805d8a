"""Everything one Board page shows, read in one call (the pages cache these results)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import board, periods
from analytics.status import milestone_statuses, status_changes
from analytics.status.ratios import interval_table
from analytics.status.spc_readings import chart_points, partnership_settings, settings_for
from analytics.warehouse import views


@dataclass
class Overview:
    period: str
    statuses: pd.DataFrame
    counts: pd.DataFrame
    laa_counts: pd.DataFrame
    board_date: date | None
    last_board_date: date | None
    last_board_period: str | None
    changes: pd.DataFrame
    missing_returns: pd.DataFrame
    overdue: pd.DataFrame


def action_status_as_at(
    path, partnership_id: int, period: str, rule: str = "days_behind"
) -> pd.DataFrame:
    """Every milestone judged at the end of ``period`` (the date the report speaks for),
    by days behind (default) or by percent complete against percent expected."""
    frame = views.milestones(path, partnership_id)
    if frame.empty:
        return frame.assign(milestone_status=pd.Series(dtype=str), milestone_reason="")
    return milestone_statuses(frame, periods.parse_code(period).end, rule=rule)


def overview(path, partnership_id: int, period: str) -> Overview:
    statuses = views.statuses_as_at(path, partnership_id, period)
    meetings = views.board_dates(path, partnership_id)
    last_date, last_period = board.last_board(meetings, period)
    before = views.statuses_as_at(path, partnership_id, last_period) if last_period else None
    changes = (
        status_changes(before, statuses)
        if before is not None and not before.empty
        else pd.DataFrame(columns=["indicator_id", "change"])
    )
    returns = views.returns_for_period(path, partnership_id, period)
    actions = action_status_as_at(path, partnership_id, period)
    overdue = actions[actions["milestone_status"].astype(str).isin(["red", "amber"])]
    laa = statuses[statuses["is_laa"]]
    return Overview(
        period=period,
        statuses=statuses,
        counts=board.status_counts(statuses),
        laa_counts=board.status_counts(laa) if not laa.empty else laa,
        board_date=board.board_for_period(meetings, period),
        last_board_date=last_date,
        last_board_period=last_period,
        changes=changes,
        missing_returns=returns[returns["file_name"].isna()],
        overdue=overdue,
    )


def exceptions(path, partnership_id: int, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every indicator's status as at ``period``, positive activities of the period)."""
    statuses = views.statuses_as_at(path, partnership_id, period)
    return statuses, views.activities(path, partnership_id, period)


def theme(path, partnership_id: int, period: str, theme_id: int) -> dict[str, pd.DataFrame]:
    statuses = views.statuses_as_at(path, partnership_id, period)
    statuses = statuses[statuses["theme_id"] == theme_id]
    actions = action_status_as_at(path, partnership_id, period)
    activities = views.activities(path, partnership_id, period)
    codes = statuses["code"].tolist()
    return {
        "statuses": statuses,
        "actions": actions[actions["theme_id"] == theme_id],
        "activities": activities[activities["theme_id"] == theme_id],
        "values": views.indicator_values(path, partnership_id, codes),
    }


def indicator(path, partnership_id: int, code: str) -> dict[str, pd.DataFrame]:
    values = views.indicator_values(path, partnership_id, [code])
    settings = views.spc_settings(path, partnership_id, [code])
    spc = pd.DataFrame()
    defaults = partnership_settings(settings["defaults"])
    chosen = defaults
    if not values.empty:
        rebases = settings["rebases"].assign(indicator_id=0)
        chosen = settings_for(values.iloc[0].to_dict(), defaults)
        spc = chart_points(values, values.iloc[0].to_dict(), rebases, defaults)
    detail = views.indicator_detail(path, partnership_id, code)
    history = views.indicator_history(path, partnership_id, code)
    comparators = views.comparators_for(path, partnership_id, [code])
    intervals = pd.DataFrame()
    if len(detail):
        intervals = interval_table(history, detail.iloc[0].to_dict(), comparators)
    return {
        "detail": detail,
        "targets": views.indicator_targets(path, partnership_id, code),
        "history": history,
        "values": values,
        "comparators": comparators,
        "intervals": intervals,
        "loads": views.indicator_value_history(path, partnership_id, code),
        "spc": spc,
        "spc_settings": chosen,
        "rebases": settings["rebases"],
    }


def trends(path, partnership_id: int, codes: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    return {
        "values": views.indicator_values(path, partnership_id, list(codes)),
        "comparators": views.comparators_for(path, partnership_id, list(codes)),
    }
