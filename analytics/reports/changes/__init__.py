"""What changed since a date: the Leader's regular update to full Council (seed 004,
recommendation 5). New exceptions, recovered indicators, achievements (indicators now on
target and the theme groups' positive activities), new recommendations and responses.

    report = changes_data(path, partnership_id, date(2010, 11, 16))
    data = render(report, "docx")   # or "html"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from analytics import board, periods
from analytics.reports.document import Bullets, Document, Paragraph, Part
from analytics.reports.tables import frame_table
from analytics.reports.writers import PROSE_FORMATS as FORMATS
from analytics.reports.writers import check_format
from analytics.reports.writers import render as _render
from analytics.scrutiny import present


@dataclass
class Changes:
    partnership: str
    since: date
    before_quarter: str  # the latest quarter whose figures were out on ``since``
    after_quarter: str  # the latest quarter with data
    changes: pd.DataFrame  # status_changes between the two, with theme and title
    activities: pd.DataFrame  # positive activities of the quarters after before_quarter
    new_recommendations: pd.DataFrame
    responses: pd.DataFrame
    generated_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def of(self, change: str) -> pd.DataFrame:
        return self.changes[self.changes["change"] == change]


def changes_data(path, partnership_id: int, since: date) -> Changes:
    from analytics.status import status_changes
    from analytics.warehouse import queries, scrutiny, views

    pid = int(partnership_id)
    known = queries.partnerships(path)
    name = str(known.loc[known["partnership_id"] == pid, "name"].iloc[0])
    available = queries.periods_with_data(path, pid)
    after = available[0] if available else periods.period_containing(since)
    before = board.period_seen_at([], since)
    old = views.statuses_as_at(path, pid, before)
    new = views.statuses_as_at(path, pid, after)
    changed = status_changes(old, new) if len(new) else pd.DataFrame(columns=["indicator_id"])
    info = new[["indicator_id", "theme", "theme_order", "code", "title"]]
    changed = changed.merge(info, on="indicator_id", how="left")
    if len(changed):
        changed["change"] = changed["change"].astype(object)
        changed = changed.sort_values(["theme_order", "code"])
    quarters = []
    if periods.sort_key(before) < periods.sort_key(after):
        quarters = periods.quarter_range(periods.shift(before, 1), after)
    acts = [views.activities(path, pid, q).assign(period=q) for q in quarters]
    activities = (
        pd.concat(acts, ignore_index=True)
        if acts
        else pd.DataFrame(columns=["theme", "title", "description", "period"])
    )
    recs = scrutiny.recommendations(path, pid)
    made = pd.to_datetime(recs["made_on"]) > pd.Timestamp(since)
    answered = pd.to_datetime(recs["response_on"]) > pd.Timestamp(since)
    return Changes(
        name,
        since,
        before,
        after,
        changed.reset_index(drop=True),
        activities,
        recs[made].reset_index(drop=True),
        recs[answered].reset_index(drop=True),
    )


def _changes_table(frame: pd.DataFrame, empty: str):
    table = pd.DataFrame(
        {
            "Theme group": frame["theme"],
            "Code": frame["code"],
            "Indicator": frame["title"],
            "Status then": frame["rag_status_before"].astype(object),
            "Status now": frame["rag_status_after"].astype(object),
            "Why now": frame["rag_reason"],
        }
    )
    return frame_table(table, present.STATUS_COLUMNS, empty)


def layout(report: Changes) -> Document:
    since = f"{report.since:%-d %B %Y}"
    new = report.of("new_exception")
    worse = report.of("worsened")
    recovered = report.of("recovered")
    recs = report.new_recommendations
    responses = report.responses
    lead = (
        f"Since {since} ({report.before_quarter} figures then; {report.after_quarter} now): "
        f"{len(new)} new exceptions, {len(worse)} worsened, {len(recovered)} recovered, "
        f"{len(report.activities)} achievements reported by theme groups, {len(recs)} new "
        f"recommendations from the Overview and Scrutiny Committee and {len(responses)} "
        "responses to its recommendations."
    )
    rec_table = pd.DataFrame(
        {
            "Reference": recs["reference"],
            "Made": recs["made_on"].astype(str),
            "Review": recs["review"],
            "Addressed to": recs["addressed_to"],
            "Recommendation": recs["text"],
        }
    )
    resp_table = pd.DataFrame(
        {
            "Reference": responses["reference"],
            "Response": responses["response"].astype(object),
            "Dated": responses["response_on"].astype(str),
            "By": responses["response_by"],
            "Response text": responses["response_text"],
        }
    )
    achievements = tuple(
        (f"{a['theme']}, {a['period']}: {a['title']}", str(a.get("description") or ""))
        for _, a in report.activities.iterrows()
    )
    parts = [
        Part("Summary", [Paragraph(lead)]),
        Part("New exceptions", [_changes_table(pd.concat([new, worse]), "No new exception.")]),
        Part("Recovered: back on target", [_changes_table(recovered, "None recovered.")]),
        Part(
            "Achievements",
            [
                Bullets(achievements)
                if achievements
                else Paragraph("No positive activity was reported.")
            ],
        ),
        Part("New recommendations", [frame_table(rec_table, {}, "No new recommendation.")]),
        Part(
            "Responses to recommendations",
            [frame_table(resp_table, present.STATUS_COLUMNS, "No response since then.")],
        ),
    ]
    return Document(
        title=f"{report.partnership}: what changed since {since}",
        subtitle="The Leader's update to full Council on the work of the partnership",
        parts=parts,
        footer=f"Partnership update: changes since {since}",
        produced=f"Produced {report.generated_at:%-d %b %Y %H:%M}",
        landscape=False,
    )


def render(report: Changes, fmt: str) -> bytes:
    check_format(fmt, FORMATS)
    return _render(layout(report), fmt)
