"""The six-monthly scrutiny review (pure: frames in, frames out).

A review looks at a :class:`Window`: a half-year (``2010/11 H1`` = Q1 and Q2) or the
quarters since a review meeting. It compares the position at the window's last quarter with
the position at its start (the previous half's end, or the quarter the last review saw) and
with the same quarter last year, and lists what councillors ask about: movers, persistent
exceptions with their commentary and remedial action quarter by quarter, forecast misses,
late and reprogrammed milestones, red flags and missing returns.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from analytics import board, periods
from analytics.status import milestone_statuses, status_changes
from analytics.vocabulary import LATE_ACTION_STATUSES, OFF_TARGET_STATUSES, STATUS_ORDER

PERSISTENCE_THRESHOLD = 2  # quarters red or amber in a row
REPORTING_LAG_DAYS = board.REPORTING_LAG_DAYS


@dataclass(frozen=True)
class Window:
    """What a review covers. ``baseline_quarter``: the position it is compared with;
    ``end_quarter``: the position reviewed; ``quarters``: the quarters in between (the
    window's own); ``since``: the review meeting it follows, for a since-window."""

    label: str
    kind: str  # half | since
    start: date
    end: date
    baseline_quarter: str
    end_quarter: str
    quarters: tuple[str, ...]
    since: date | None = None

    @property
    def last_year_quarter(self) -> str:
        return periods.same_period_last_year(self.end_quarter)

    @property
    def is_empty(self) -> bool:
        return not self.quarters


def half_window(code: str) -> Window:
    """The window of a half-year code such as ``2010/11 H1``."""
    half = periods.parse_code(code)
    if half.grain != "half":
        raise periods.PeriodError(f"not a half-year such as '2010/11 H1': {code!r}")
    first = 1 if half.number == 1 else 3
    quarters = tuple(periods.make_code(half.start_year, "quarter", q) for q in (first, first + 1))
    return Window(
        label=half.code,
        kind="half",
        start=half.start,
        end=half.end,
        baseline_quarter=periods.previous_period(quarters[0]),
        end_quarter=quarters[-1],
        quarters=quarters,
    )


def since_window(meeting: date, latest_quarter: str) -> Window:
    """The quarters whose figures came after the review meeting of ``meeting``, up to the
    latest quarter with data."""
    seen = board.period_seen_at([], meeting, REPORTING_LAG_DAYS)
    after = periods.shift(seen, 1)
    quarters: tuple[str, ...] = ()
    if periods.sort_key(after) <= periods.sort_key(latest_quarter):
        quarters = tuple(periods.quarter_range(after, latest_quarter))
    end_quarter = quarters[-1] if quarters else seen
    return Window(
        label=f"since the review of {meeting:%-d %b %Y}",
        kind="since",
        start=periods.parse_code(after).start,
        end=periods.parse_code(end_quarter).end,
        baseline_quarter=seen,
        end_quarter=end_quarter,
        quarters=quarters,
        since=meeting,
    )


def half_of(quarter: str) -> str:
    """The half-year a quarter belongs to."""
    q = periods.parse_code(quarter)
    return periods.make_code(q.start_year, "half", 1 if q.number <= 2 else 2)


def review_meeting_for(meetings: list[date], window: Window) -> date | None:
    """The first review meeting that can consider the window (its end plus the lag)."""
    ready = window.end + timedelta(days=REPORTING_LAG_DAYS)
    later = [m for m in sorted(meetings) if m >= ready]
    return later[0] if later else None


def previous_meeting(meetings: list[date], before: date) -> date | None:
    earlier = [m for m in sorted(meetings) if m < before]
    return earlier[-1] if earlier else None


# --- the half-year picture -----------------------------------------------------------------


def picture(snapshots: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Status counts per theme at each snapshot (label -> statuses as at a quarter): one row
    per theme and snapshot, a column per status and the total, themes in order, a Total row
    per snapshot."""
    rows = []
    order = {}
    for label, statuses in snapshots.items():
        if statuses.empty:
            continue
        for theme, part in statuses.groupby("theme", sort=False):
            order.setdefault(theme, int(part["theme_order"].iloc[0]))
            counts = part["rag_status"].astype(str).value_counts()
            rows.append({"theme": theme, "snapshot": label,
                         **{s: int(counts.get(s, 0)) for s in STATUS_ORDER},
                         "total": len(part)})  # fmt: skip
    frame = pd.DataFrame(rows, columns=["theme", "snapshot", *STATUS_ORDER, "total"])
    if frame.empty:
        return frame
    labels = list(snapshots)
    frame["_t"] = frame["theme"].map(order)
    frame["_s"] = frame["snapshot"].map(labels.index)
    totals = frame.groupby("snapshot", sort=False)[[*STATUS_ORDER, "total"]].sum().reset_index()
    totals["theme"], totals["_t"] = "Total", len(order) + 1
    totals["_s"] = totals["snapshot"].map(labels.index)
    out = pd.concat([frame, totals], ignore_index=True).sort_values(["_t", "_s"])
    return out.drop(columns=["_t", "_s"]).reset_index(drop=True)


# --- movers ------------------------------------------------------------------------------


def movers(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Indicators whose status improved or worsened between the two positions, each with
    its status then and now and the reasons: ``direction`` is 'improved' (recovered, or a
    less severe exception) or 'worsened' (a new exception, or more severe)."""
    cols = ["theme", "theme_order", "code", "title", "period_before", "rag_status_before",
            "reason_before", "period_after", "rag_status_after", "rag_reason", "change",
            "direction", "spc_point", "spc_variation", "spc_reason"]  # fmt: skip
    if after.empty:
        return pd.DataFrame(columns=cols)
    changed = status_changes(before, after)
    if changed.empty:
        return pd.DataFrame(columns=cols)
    spc = [c for c in ("spc_point", "spc_variation", "spc_reason") if c in after]
    info = after[["indicator_id", "theme", "theme_order", "code", "title", *spc]]
    reasons = before[["indicator_id", "rag_reason"]].rename(columns={"rag_reason": "reason_before"})
    out = changed.merge(info, on="indicator_id", how="left").merge(
        reasons, on="indicator_id", how="left"
    )
    out["change"] = out["change"].astype(object)
    out["direction"] = out["change"].map(
        {"recovered": "improved", "improved": "improved", "new_exception": "worsened",
         "worsened": "worsened"}
    )  # fmt: skip
    out = out.sort_values(["direction", "theme_order", "code"], ascending=[False, True, True])
    return out.reindex(columns=cols).reset_index(drop=True)


def beyond_normal_variation(point: object, variation: object) -> str:
    """Whether a move is beyond normal variation, from the statistical process control
    reading of the latest point: 'yes: a special cause of concern ...', 'no: within normal
    variation', or '' without a reading."""
    if not isinstance(point, str) or not point:
        return ""
    if point == "common_cause":
        return "No: within normal variation (common cause)"
    kind = str(variation).split("_")[0]
    words = {"concern": "a special cause of concern", "improvement": "a special cause of "
             "improvement"}.get(kind, "a special cause")  # fmt: skip
    return f"Yes: {words}"


# --- persistent exceptions -------------------------------------------------------------------


def persistent(
    end_statuses: pd.DataFrame, history: pd.DataFrame, threshold: int = PERSISTENCE_THRESHOLD
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicators red or amber for ``threshold`` or more periods running at the end, longest
    first; and their history over that run (period, status, value, target, commentary,
    remedial action), quarter by quarter, oldest first.

    ``history``: stored statuses of the partnership's indicators up to the end, with
    commentary and remedial action (``code``, ``period``, ``period_end``...)."""
    if threshold < 1:
        raise ValueError("the persistence threshold is at least one period")
    on = end_statuses[
        end_statuses["rag_status"].astype(str).isin(OFF_TARGET_STATUSES)
        & (end_statuses["persistence_periods"].fillna(0) >= threshold)
    ]
    on = on.sort_values(["persistence_periods", "theme_order", "code"],
                        ascending=[False, True, True]).reset_index(drop=True)  # fmt: skip
    runs = []
    wanted = history[history["code"].isin(on["code"])]
    # the periods that count (no-new-data years do not break a run), split once by code
    wanted = wanted[wanted["rag_status"].astype(str) != "no_new_data"].assign(
        _end=pd.to_datetime(wanted["period_end"])
    )
    ordered = wanted.sort_values(["period_end", "period"])
    by_code = {code: part for code, part in ordered.groupby("code", sort=False)}
    for row in on.itertuples(index=False):
        mine = by_code.get(row.code)
        if mine is None:
            continue
        mine = mine[mine["_end"] <= pd.Timestamp(row.period_end)]
        run = mine.tail(int(row.persistence_periods)).drop(columns="_end")
        runs.append(run.assign(code=row.code))
    columns = ["code", "period", "rag_status", "actual_value", "target_value", "rag_reason",
               "commentary", "remedial_action"]  # fmt: skip
    runs_frame = (
        pd.concat(runs, ignore_index=True).reindex(columns=columns)
        if runs
        else pd.DataFrame(columns=columns)
    )
    return on, runs_frame


def remedial_action_followed(run: pd.DataFrame) -> str:
    """Whether the remedial action promised was reported on: 'action reported every
    quarter', 'no remedial action reported in N of M quarters'."""
    actions = run["remedial_action"].fillna("").astype(str).str.strip()
    missing = int((actions == "").sum())
    if missing == 0:
        return f"remedial action reported in each of the {len(run)} quarters"
    return f"no remedial action reported in {missing} of {len(run)} quarters"


# --- forecasts, actions, flags, returns ----------------------------------------------------


def forecast_misses(end_statuses: pd.DataFrame) -> pd.DataFrame:
    """Indicators whose year-end forecast misses the annual target (forecast red or amber)."""
    out = end_statuses[end_statuses["forecast_status"].astype(str).isin(OFF_TARGET_STATUSES)]
    order = {"red": 0, "amber": 1}
    out = out.assign(_o=out["forecast_status"].astype(str).map(order))
    return out.sort_values(["_o", "theme_order", "code"]).drop(columns="_o").reset_index(drop=True)


def action_exceptions(
    milestones: pd.DataFrame, window: Window
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(milestones overdue at the window's end, milestones reprogrammed in the window: those
    reprogrammed with approval whose original due date fell in the window)."""
    if milestones.empty:
        empty = milestones.assign(milestone_status=[], days_behind=[], milestone_reason=[])
        return empty, empty
    judged = milestone_statuses(milestones, window.end)
    late = judged[judged["milestone_status"].astype(str).isin(LATE_ACTION_STATUSES)]
    late = late.sort_values(["theme_order", "action_code", "due_date"]).reset_index(drop=True)
    due = pd.to_datetime(judged["due_date"])
    moved = judged[
        judged["is_reprogrammed"].fillna(False).astype(bool)
        & (due >= pd.Timestamp(window.start))
        & (due <= pd.Timestamp(window.end))
    ].reset_index(drop=True)
    return late, moved


def flags_in_window(flags: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Red flags in force at any time in the window (raised by its end and not lifted before
    its start), with ``in_force_at_end``."""
    if flags.empty:
        return flags.assign(in_force_at_end=[])
    raised = pd.to_datetime(flags["flagged_on"])
    lifted = pd.to_datetime(flags["lifted_on"])
    keep = (raised <= pd.Timestamp(window.end)) & (
        lifted.isna() | (lifted >= pd.Timestamp(window.start))
    )
    out = flags[keep].copy()
    out["in_force_at_end"] = lifted[keep].isna() | (lifted[keep] > pd.Timestamp(window.end))
    return out.sort_values(["in_force_at_end", "flagged_on"], ascending=[False, True]).reset_index(
        drop=True
    )


def missing_returns(loaded: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Theme groups with no return loaded, per quarter (quarter -> returns_for_period)."""
    rows = []
    for quarter, frame in loaded.items():
        if frame.empty:
            continue
        by_theme = frame.groupby("theme", sort=False)["file_name"].count()
        rows += [{"period": quarter, "theme": t} for t, n in by_theme.items() if n == 0]
    return pd.DataFrame(rows, columns=["period", "theme"])


@dataclass
class Review:
    """A six-monthly review, gathered once (frames, no formatting)."""

    partnership_id: int
    partnership: str
    window: Window
    threshold: int
    meeting: date | None  # the review meeting that considers it
    last_meeting: date | None  # the review before that
    tracker_as_of: date
    end_statuses: pd.DataFrame  # statuses as at the window's last quarter
    picture: pd.DataFrame  # counts per theme: end, baseline, same quarter last year
    snapshot_labels: tuple[str, str, str]
    movers: pd.DataFrame
    persistent: pd.DataFrame
    persistent_history: pd.DataFrame
    forecast_misses: pd.DataFrame
    late_milestones: pd.DataFrame
    reprogrammed: pd.DataFrame
    red_flags: pd.DataFrame
    missing_returns: pd.DataFrame
    tracker: pd.DataFrame  # every recommendation as at tracker_as_of
    tracker_summary: dict[str, pd.DataFrame]
    progress: pd.DataFrame  # every dated progress update

    @functools.cached_property
    def runs(self) -> dict[str, pd.DataFrame]:
        """Each persistent exception's run, quarter by quarter (``persistent_history`` split
        once by code: filtering it once per exception cost seconds at national scale)."""
        return {str(code): part for code, part in
                self.persistent_history.groupby("code", sort=False)}  # fmt: skip

    @functools.cached_property
    def end_by_code(self) -> pd.DataFrame:
        """``end_statuses`` indexed by indicator code."""
        return self.end_statuses.set_index("code")

    @property
    def title(self) -> str:
        if self.window.kind == "half":
            return f"Six-monthly performance review, {self.window.label}"
        return f"Performance review {self.window.label}"
