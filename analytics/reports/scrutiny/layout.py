"""The six-monthly review laid out as a committee report, in the form of a scrutiny report
(seed 004): summary, what the committee is asked to note and recommend, then the evidence.
No file format here: the shared writers render it."""

from __future__ import annotations

from datetime import datetime

from analytics import charts, labels
from analytics import vocabulary as V
from analytics.formatting import format_day
from analytics.reports.document import (
    Bullets,
    Chart,
    ChartGrid,
    Document,
    Paragraph,
    Part,
)
from analytics.reports.tables import frame_table
from analytics.scrutiny import present
from analytics.scrutiny.review import Review

TREND_CHARTS = 6  # trend charts for the longest-running exceptions


def _count(review: Review, status: str, label: str) -> int:
    pic = review.picture
    row = pic[(pic["theme"] == "Total") & (pic["snapshot"] == label)]
    return int(row[status].iloc[0]) if len(row) else 0


def summary(review: Review) -> list[str]:
    end, start, year = review.snapshot_labels
    w = review.window
    lines = [
        f"This report sets out the performance of the {review.partnership} over "
        f"{w.label} ({', '.join(w.quarters)}), by exception, for the Committee's six-monthly "
        "monitoring of the partnership.",
        f"At {w.end_quarter}, {_count(review, 'red', end)} indicators of "
        f"{len(review.end_statuses)} were red and {_count(review, 'amber', end)} amber "
        f"(at {w.baseline_quarter}: {_count(review, 'red', start)} red and "
        f"{_count(review, 'amber', start)} amber; a year earlier, at {w.last_year_quarter}: "
        f"{_count(review, 'red', year)} red and {_count(review, 'amber', year)} amber).",
    ]
    worse = int((review.movers["direction"] == "worsened").sum())
    better = int((review.movers["direction"] == "improved").sum())
    lines.append(f"{worse} indicators worsened and {better} improved over the period.")
    lines.append(
        f"{len(review.persistent)} indicators have been red or amber for {review.threshold} "
        f"quarters or more; {len(review.forecast_misses)} are forecast to miss their year-end "
        f"target; {len(review.late_milestones)} milestones were overdue at "
        f"{format_day(w.end, 'long')}."
    )
    flags = int(review.red_flags["in_force_at_end"].sum()) if len(review.red_flags) else 0
    s = review.tracker_summary
    lines.append(
        f"{flags} red flags are in force. Of the Committee's recommendations, "
        f"{len(s['received'])} responses were received since the last review, "
        f"{len(s['overdue'])} are overdue, {len(s['implemented'])} were implemented and "
        f"{len(s['for_closure'])} are proposed for closure."
    )
    return lines


def asks(review: Review) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(what the committee is asked to NOTE, to RECOMMEND), from the evidence."""
    note = [("", f"the half-year picture of performance for {review.window.label}")]
    if len(review.persistent):
        codes = ", ".join(review.persistent["code"].head(6))
        note.append(
            (
                "",
                f"the persistent exceptions, longest first ({codes}), and the remedial "
                "action reported for each quarter by quarter",
            )
        )
    if len(review.red_flags):
        note.append(("", "the red flags in force and any lifted in the period"))
    recommend = []
    titles = review.persistent.set_index("code")["title"]
    for code in review.persistent["code"]:
        run = review.runs.get(code, review.persistent_history.head(0))
        gaps = int((run["remedial_action"].fillna("").astype(str).str.strip() == "").sum())
        if gaps:
            title = titles[code]
            recommend.append(
                (
                    "",
                    f"the lead partner for {code} ({title}) report to the "
                    "Committee the remedial action taken, as none was reported "
                    f"in {gaps} of the last {len(run)} quarters",
                )
            )
    for _, rec in review.tracker_summary["overdue"].iterrows():
        recommend.append(
            (
                "",
                f"{rec['addressed_to']} be asked to give its response to "
                f"recommendation {rec['reference']}, due on "
                f"{format_day(rec['response_due_on'], 'long')}, and to attend the next meeting "
                "if it has not",
            )
        )
    closing = review.tracker_summary["for_closure"]
    if len(closing):
        refs = ", ".join(closing["reference"])
        recommend.append(
            ("", f"recommendations {refs} be closed, as implemented, superseded or rejected")
        )
    if not recommend:
        recommend.append(("", "no further action be taken this period"))
    return note, recommend


def layout(review: Review) -> Document:
    w = review.window
    meeting = format_day(review.meeting, "long") if review.meeting else "its next meeting"
    note, recommend = asks(review)
    sw = present.STATUS_COLUMNS
    end_counts = review.picture[
        (review.picture["snapshot"] == review.snapshot_labels[0])
        & (review.picture["theme"] != "Total")
    ].set_index("theme")
    chart = Chart(
        lambda: charts.status_by_theme(end_counts, f"Status by theme group, {w.end_quarter}"),
        f"Status by theme group at {w.end_quarter}",
        "; ".join(
            f"{t}: " + ", ".join(f"{int(r[s])} {labels.STATUS[s]}" for s in V.STATUS_ORDER if r[s])
            for t, r in end_counts.iterrows()
        ),
        key="status-by-theme",
    )
    persistent_blocks: list = [
        frame_table(present.persistent_table(review), sw, "No persistent exception.")
    ]
    trends = []
    for code in review.persistent["code"].head(TREND_CHARTS):
        row = review.end_by_code.loc[code]
        values = review.runs.get(code, review.persistent_history.head(0))
        trend_values = values.assign(
            unit=row["unit"],
            decimals=row["decimals"],
            measure_type=row["measure_type"],
            polarity=row["polarity"],
            status_rule=None,
            baseline_value=row["baseline_value"],
        )
        trends.append(
            Chart(
                lambda v=trend_values: charts.card(charts.trend(v, height=160)),
                f"{code}: {row['title']}",
                charts.trend_description(trend_values),
                key=code,
                width_px=330,
            )
        )
    if trends:
        persistent_blocks.append(ChartGrid(tuple(trends)))
    titles = review.persistent.set_index("code")["title"]
    runs = present.run_tables(review)
    for code in review.persistent["code"]:
        run = runs[code] if code in runs else present.run_table(review, code)
        persistent_blocks.append(frame_table(run, sw, caption=f"{code}: {titles[code]}"))
    s = review.tracker_summary
    tracker_blocks = [
        Paragraph(
            f"As at {format_day(review.tracker_as_of, 'long')}; the last review was "
            f"{format_day(review.last_meeting, 'long')}. A response is due two months after a "
            "recommendation is sent."
        ),
        frame_table(
            present.tracker_table(s["received"]),
            sw,
            "None received.",
            caption="Responses received since the last review",
        ),
        frame_table(
            present.tracker_table(s["overdue"]),
            sw,
            "No response is overdue.",
            caption="Responses overdue",
        ),
        frame_table(
            present.tracker_table(s["implemented"]),
            sw,
            "None.",
            caption="Implemented since the last review",
        ),
        frame_table(
            present.tracker_table(s["for_closure"]), sw, "None.", caption="Proposed for closure"
        ),
        frame_table(
            present.tracker_table(review.tracker),
            sw,
            "No recommendation yet.",
            caption="Every recommendation",
        ),
    ]
    parts = [
        Part("1. Summary", [Paragraph(line) for line in summary(review)], sheet="Summary"),
        Part(
            "2. Recommendations",
            [
                Paragraph("The Committee is asked to NOTE", bold=True),
                Bullets(tuple(note)),
                Paragraph("and to RECOMMEND that", bold=True),
                Bullets(tuple(recommend)),
            ],
            sheet="Recommendations to make",
        ),
        Part(
            "3. The half-year picture",
            [
                Paragraph(
                    "Indicators by status per theme group at the end of the period ('now'), "
                    "at its start, and a year earlier."
                ),
                frame_table(present.picture_table(review), {}, "No statuses."),
                chart,
            ],
            sheet="Picture",
        ),
        Part(
            "4. What moved",
            [frame_table(present.movers_table(review), sw, "No indicator changed status.")],
            sheet="Movers",
        ),
        Part(
            f"5. Persistent exceptions (red or amber for {review.threshold} quarters or more)",
            persistent_blocks,
            sheet="Persistent",
        ),
        Part(
            "6. Forecast to miss the year-end target",
            [frame_table(present.forecast_table(review), sw, "Every forecast meets its target.")],
            sheet="Forecasts",
        ),
        Part(
            "7. Red flags",
            [frame_table(present.flags_table(review.red_flags), {}, "No red flag.")],
            sheet="Red flags",
        ),
        Part(
            "8. Action exceptions",
            [
                frame_table(
                    present.milestones_table(review.late_milestones),
                    sw,
                    "No milestone is overdue.",
                    caption=f"Milestones overdue at {format_day(w.end, 'long')}",
                ),
                frame_table(
                    present.milestones_table(review.reprogrammed),
                    sw,
                    "None was reprogrammed.",
                    caption="Milestones reprogrammed in the period",
                ),
            ],
            sheet="Actions",
        ),
        Part(
            "9. Missing returns",
            [frame_table(present.missing_table(review), {}, "Every return came in.")],
            sheet="Missing returns",
        ),
        Part("10. The recommendation tracker", tracker_blocks, sheet="Tracker"),
    ]
    return Document(
        title=f"{review.partnership}: {review.title}",
        subtitle=f"Report to the Overview and Scrutiny Committee, {meeting}",
        parts=parts,
        footer=f"Six-monthly performance review, {w.label}",
        produced=f"Produced {datetime.now():%-d %b %Y %H:%M}",
        key=[
            "Status: ✖ Red, target missed beyond tolerance; ◆ Amber, missed within tolerance; "
            "? Missing, no value returned; ✔ Green, met or beaten. Recommendations: ✔ Green, "
            "implemented and closed by the committee; ◆ Amber, progress acceptable; ✖ Red, "
            "overdue or progress unacceptable; … awaiting response."
        ],
    )
