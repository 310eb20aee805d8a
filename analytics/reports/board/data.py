"""The Board pack's data: everything the Board sees for one partnership and quarter,
gathered once into a :class:`BoardPack` (frames, no formatting).

Every figure comes from :func:`analytics.warehouse.views.statuses_as_at` (the stored
statuses), so the pack matches the screen and ``lsp status``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from analytics import board, periods
from analytics.reports.fields import slug
from analytics.status import action_statuses, milestone_statuses, status_changes
from analytics.vocabulary import LATE_ACTION_STATUSES, STATUS_ORDER
from analytics.warehouse import queries, views


@dataclass
class BoardPack:
    """What one Board pack shows. Frames are in report order (theme, then worst first)."""

    partnership_id: int
    partnership: str
    period: str
    board_date: date | None  # the Board that considers ``period``
    last_board_date: date | None
    last_board_period: str | None  # the quarter the last Board saw
    statuses: pd.DataFrame  # every indicator, as at the period
    exceptions: pd.DataFrame  # amber, red and missing only
    counts: pd.DataFrame  # per theme: a column per status and a total
    laa_counts: pd.DataFrame  # the same for LAA indicators only
    changes: pd.DataFrame  # since the last Board: code, title, theme, before, after, change
    activities: pd.DataFrame  # positive activities of the period: theme, title, description
    action_exceptions: pd.DataFrame  # late milestones (amber, red) with their action
    trends: pd.DataFrame  # every stored status of the exception indicators up to the period
    missing_returns: list[str] = field(default_factory=list)  # themes with no return loaded
    generated_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @property
    def themes(self) -> list[str]:
        """Theme names in the partnership's order."""
        order = self.statuses.drop_duplicates("theme").sort_values("theme_order")
        return order["theme"].tolist()

    def theme_short(self, theme: str) -> str:
        rows = self.statuses[self.statuses["theme"] == theme]
        return str(rows["theme_short"].iloc[0]) if len(rows) else theme

    def theme_statuses(self, theme: str) -> pd.DataFrame:
        """All the theme's indicators, exceptions first (red, amber, missing, green...)."""
        return worst_first(self.statuses[self.statuses["theme"] == theme])

    @property
    def title(self) -> str:
        return f"Appendix 1: Partnership performance by exception, {self.period}"

    def file_name(self, fmt: str) -> str:
        when = self.period.replace("/", "-").replace(" ", "-")
        return f"board-pack-{slug(self.partnership)}-{when}.{fmt}"


def worst_first(frame: pd.DataFrame) -> pd.DataFrame:
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    return (
        frame.assign(_order=frame["rag_status"].map(order).fillna(len(order)))
        .sort_values(["theme_order", "_order", "code"], kind="stable")
        .drop(columns="_order")
    )


def board_pack_data(path, partnership_id: int, period: str) -> BoardPack:
    """Gather the Board pack for ``period`` (a quarter code such as ``2010/11 Q4``)."""
    partnership_id = int(partnership_id)
    period = periods.parse_code(period).code
    known = queries.partnerships(path)
    names = known.loc[known["partnership_id"] == partnership_id, "name"]
    name = str(names.iloc[0]) if len(names) else f"Partnership {partnership_id}"

    statuses = worst_first(views.statuses_as_at(path, partnership_id, period)).reset_index(
        drop=True
    )
    meetings = views.board_dates(path, partnership_id)
    last_date, last_period = board.last_board(meetings, period)
    before = views.statuses_as_at(path, partnership_id, last_period) if last_period else None
    exceptions = board.exceptions(statuses).reset_index(drop=True)
    end = periods.parse_code(period).end
    return BoardPack(
        partnership_id=partnership_id,
        partnership=name,
        period=period,
        board_date=board.board_for_period(meetings, period),
        last_board_date=last_date,
        last_board_period=last_period,
        statuses=statuses,
        exceptions=exceptions,
        counts=_counts(statuses),
        laa_counts=_counts(statuses[statuses["is_laa"].fillna(False).astype(bool)]),
        changes=_changes(before, statuses),
        activities=views.activities(path, partnership_id, period),
        action_exceptions=_action_exceptions(views.milestones(path, partnership_id), end),
        trends=_trends(path, partnership_id, exceptions["code"].tolist(), end),
        missing_returns=_missing_returns(path, partnership_id, period),
    )


def _counts(statuses: pd.DataFrame) -> pd.DataFrame:
    """Counts per theme (rows in theme order) with a final 'Total' row."""
    columns = [*STATUS_ORDER, "total"]
    if statuses.empty:
        return pd.DataFrame([[0] * len(columns)], index=["Total"], columns=columns)
    counts = board.status_counts(statuses)
    counts.loc["Total"] = counts.sum(axis=0)
    counts.index.name = "theme"
    return counts.astype("int64")


def _changes(before: pd.DataFrame | None, after: pd.DataFrame) -> pd.DataFrame:
    cols = ["theme", "code", "title", "period_before", "rag_status_before", "period_after"]
    cols += ["rag_status_after", "change", "rag_reason"]
    if before is None or after.empty:
        return pd.DataFrame(columns=cols)
    changed = status_changes(before, after)
    info = after[["indicator_id", "theme", "theme_order", "code", "title"]]
    out = changed.merge(info, on="indicator_id", how="left")
    out["change"] = out["change"].astype(object)
    out = out.sort_values(["theme_order", "code"], kind="stable")
    return out[cols].reset_index(drop=True)


def _action_exceptions(milestones: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Milestones behind schedule on ``as_of`` (amber or red), each with its action's status."""
    if milestones.empty:
        return milestones.assign(milestone_status=[], action_status=[], days_behind=[])
    judged = milestone_statuses(milestones, as_of)
    actions = action_statuses(judged)[["action_id", "action_status", "action_reason"]]
    judged = judged.merge(actions, on="action_id", how="left")
    late = judged[judged["milestone_status"].astype(object).isin(LATE_ACTION_STATUSES)]
    return late.sort_values(["theme_order", "action_code", "due_date"], kind="stable").reset_index(
        drop=True
    )


def _trends(path, partnership_id: int, codes: list[str], end: date) -> pd.DataFrame:
    if not codes:
        return pd.DataFrame(columns=["code", "period", "actual_value", "target_value"])
    values = views.indicator_values(path, partnership_id, codes)
    ends = pd.to_datetime(values["period_end"])
    return values[ends <= pd.Timestamp(end)].reset_index(drop=True)


def _missing_returns(path, partnership_id: int, period: str) -> list[str]:
    loaded = views.returns_for_period(path, partnership_id, period)
    if loaded.empty:
        return []
    by_theme = loaded.groupby("theme", sort=False)["file_name"].count()
    return [str(theme) for theme, files in by_theme.items() if files == 0]
