"""The Board pack laid out as a document: a workbook's sheets (every indicator, every
column) and a committee appendix's pages (by exception, with charts). No file format here:
the shared writers render it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analytics import charts
from analytics.board import early_warnings as board_early_warnings
from analytics.formatting import format_day
from analytics.labels import STATUS
from analytics.reports import fields as f
from analytics.reports.board.data import BoardPack
from analytics.reports.document import (
    Bullets,
    Chart,
    ChartGrid,
    Column,
    Document,
    Facts,
    Heading,
    Lines,
    Paragraph,
    Part,
    Status,
    Table,
)
from analytics.reports.text import clean, is_blank
from analytics.status.spc_words import spc_assurance_text, spc_variation_text, spc_verdict
from analytics.vocabulary import STATUS_ORDER

KEY = [
    "✖ Red: target missed beyond tolerance. ◆ Amber: target missed within tolerance. "
    "? Missing: no value returned for the period. ✔ Green: target met or beaten. "
    "– No target: data only, or no target set. … No new data: survey indicator between "
    "surveys. Direction of travel compares with the previous period and the same period "
    "last year, after polarity. Actions: ✖ more than a month behind, ◆ up to a month "
    "behind, against the original due date. Is it real? Each indicator's latest point read "
    "by statistical process control against its own process limits (the mean plus and minus "
    "2.66 times the average moving range): a special cause (beyond a limit, a trend or shift "
    "of 7 points, two of three points near a limit) is a real change, not noise; common cause "
    "is the normal ups and downs. Assurance: the target outside the limits on the good side "
    "is consistently passed, on the wrong side consistently failed; within them it will be "
    "hit and missed. Limits from fewer than 12 points are trial limits. Symbols: ~ common "
    "cause; ↑ ↓ special cause improving (higher, lower); ⇑ ⇓ special cause concerning; ↥ ↧ "
    "special cause, data only; P consistently passes; F consistently fails; ? hit and miss."
]

Getter = Callable[[pd.Series], object]


def _num(column: str) -> Getter:
    return lambda r: f.figure(r.get(column), r)


def _int(column: str) -> Getter:
    return lambda r: None if is_blank(r.get(column)) else int(r[column])


# The workbook's theme sheets: every column of an exception report.
INDICATOR_COLUMNS: list[tuple[Column, Getter]] = [
    (Column("Theme"), lambda r: r["theme_short"]),
    (Column("Code"), lambda r: r["code"]),
    (Column("LAA / reward"), f.laa_flag),
    (Column("Indicator", "wrap"), lambda r: r["title"]),
    (Column("Lead", "wrap"), f.lead),
    (Column("Baseline", "number"), _num("baseline_value")),
    (Column("Baseline period"), lambda r: r.get("baseline_period")),
    (Column("Period"), lambda r: r["period"]),
    (Column("Unit", "wrap"), lambda r: r.get("unit")),
    (Column("Period target", "number"), _num("target_value")),
    (Column("Actual (period)", "number"), _num("period_value")),
    (Column("Actual (year to date)", "number"), _num("ytd_value")),
    (Column("Annual target", "number"), _num("annual_target_value")),
    (Column("Status", "status"), lambda r: Status(clean(r["rag_status"]))),
    (Column("Status reason", "wrap"), lambda r: r.get("rag_reason")),
    (Column("Direction vs previous"), lambda r: f.direction_word(r.get("dot_previous"))),
    (Column("Direction vs last year"), lambda r: f.direction_word(r.get("dot_last_year"))),
    (Column("Periods off target", "int"), lambda r: int(r.get("persistence_periods") or 0)),
    (
        Column("Is it real? (SPC)", "wrap"),
        lambda r: spc_verdict(r.get("spc_variation"), r.get("spc_assurance")),
    ),
    (Column("SPC variation"), lambda r: spc_variation_text(r.get("spc_variation"))),
    (Column("SPC assurance"), lambda r: spc_assurance_text(r.get("spc_assurance"))),
    (Column("SPC reading", "wrap"), lambda r: r.get("spc_reason")),
    (Column("County", "number"), _num("county_value")),
    (Column("England", "number"), _num("england_value")),
    (Column("Commentary", "wrap"), lambda r: r.get("commentary")),
    (Column("Remedial action", "wrap"), lambda r: r.get("remedial_action")),
    (Column("Data quality"), lambda r: f.dq_note(r.get("dq_flag"))),
]
INDICATOR_HEADERS = [c.header for c, _ in INDICATOR_COLUMNS]

ACTION_COLUMNS: list[tuple[Column, Getter]] = [
    (Column("Theme", "wrap"), lambda r: r["theme"]),
    (Column("Action"), lambda r: r["action_code"]),
    (Column("Action title", "wrap"), lambda r: r["action_title"]),
    (Column("Indicator"), lambda r: r.get("indicator_code")),
    (Column("Lead", "wrap"), f.lead),
    (Column("Action status", "status"), lambda r: Status(clean(r["action_status"]), "", "action")),
    (Column("Milestone"), lambda r: r["milestone_code"]),
    (Column("Milestone title", "wrap"), lambda r: r["milestone_title"]),
    (Column("Due date", "date"), lambda r: r.get("due_date")),
    (Column("Revised due date", "date"), lambda r: r.get("revised_due_date")),
    (Column("Days behind", "int"), _int("days_behind")),
    (
        Column("Milestone status", "status"),
        lambda r: Status(clean(r["milestone_status"]), "", "action"),
    ),
    (Column("Reason", "wrap"), lambda r: r.get("milestone_reason")),
    (Column("Progress note", "wrap"), lambda r: r.get("progress_note")),
]

ACTIVITY_COLUMNS: list[tuple[Column, Getter]] = [
    (Column("Theme", "wrap"), lambda r: r["theme"]),
    (Column("Activity", "wrap"), lambda r: r["title"]),
    (Column("Description", "wrap"), lambda r: r.get("description")),
]


def frame_table(frame: pd.DataFrame, columns: list[tuple[Column, Getter]], **kw) -> Table:
    """A table of ``frame``'s rows through ``columns`` (column, getter) pairs."""
    rows = [[get(r) for _, get in columns] for _, r in frame.iterrows()]
    return Table([c for c, _ in columns], rows, **kw)


def counts_table(counts: pd.DataFrame, name: str, caption: str | None = None) -> Table:
    """Status counts per theme (a column per status, shaded and worded) and the total."""
    columns = [Column("Theme")]
    columns += [Column(STATUS[s], "int", "center", status=s) for s in STATUS_ORDER]
    columns.append(Column("Total", "int", "center", status=None))
    rows = [
        [str(theme), *(int(row[s]) for s in STATUS_ORDER), int(row["total"])]
        for theme, row in counts.iterrows()
    ]
    return Table(
        columns,
        rows,
        name=name,
        row_keys=[str(t) for t in counts.index],
        row_key_attr="theme",
        total_last="Total" in counts.index,
        caption=caption,
    )


def changes_table(changes: pd.DataFrame) -> Table:
    columns = [Column("Theme", "wrap"), Column("Code"), Column("Indicator", "wrap")]
    columns += [Column("Then"), Column("Status then", "status"), Column("Now")]
    columns += [Column("Status now", "status"), Column("Change"), Column("Why", "wrap")]
    rows = [
        [
            c["theme"],
            c["code"],
            c["title"],
            c["period_before"],
            Status(clean(c["rag_status_before"])),
            c["period_after"],
            Status(clean(c["rag_status_after"])),
            f.change_word(c["change"]),
            c["rag_reason"],
        ]
        for _, c in changes.iterrows()
    ]
    return Table(columns, rows, empty_text="No indicator changed status since the last Board.")


# The appendix's exception table: the columns of a real exception report, in 11 cells.
EXCEPTION_COLUMNS = [
    Column("Indicator", "lines"),
    Column("Baseline"),
    Column("Period target", align="right"),
    Column("Actual: period / year to date", "lines", "right"),
    Column("Annual target", align="right"),
    Column("Status", "status"),
    Column("Is it real?", "lines"),
    Column("Direction of travel", "lines"),
    Column("County / England", "lines"),
    Column("Commentary", "wrap"),
    Column("Remedial action", "wrap"),
    Column("Data quality"),
]


def exception_table(rows: pd.DataFrame, period: str) -> Table:
    body = []
    for _, r in rows.iterrows():
        flag = f.laa_flag(r)
        code = clean(r["code"]) + (f" ({flag})" if flag else "")
        lead = f.lead(r)
        actual = [f.table_number(r["period_value"], r)]
        if not pd.isna(r.get("ytd_value")):
            actual.append(f"YTD {f.table_number(r['ytd_value'], r)}")
        if clean(r["period"]) != period:
            actual.append(f"({clean(r['period'])})")
        persistence = int(r.get("persistence_periods") or 0)
        body.append(
            [
                Lines(
                    (code, clean(r["title"]), f.unit_note(r), f"Lead: {lead}" if lead else ""),
                    bold_first=True,
                ),  # fmt: skip
                f.baseline(r),
                f.table_number(r["target_value"], r),
                Lines(tuple(actual)),
                f.table_number(r["annual_target_value"], r),
                Status(clean(r["rag_status"]), clean(r.get("rag_reason"))),
                spc_cell(r),
                Lines(
                    (
                        f"{f.direction_word(r.get('dot_previous'))} on previous",
                        f"{f.direction_word(r.get('dot_last_year'))} on last year",
                        f"Off target {persistence} periods running" if persistence > 1 else "",
                    )
                ),
                Lines(tuple(f.comparators(r)) or ("–",)),
                r.get("commentary"),
                r.get("remedial_action"),
                f.dq_note(r.get("dq_flag")),
            ]
        )
    return Table(EXCEPTION_COLUMNS, body, row_keys=rows["code"].astype(str).tolist())


def spc_cell(r: pd.Series) -> Lines:
    """Is the change real: the variation's and assurance's symbols (the key says them in
    words), then the verdict in words."""
    verdict = spc_verdict(r.get("spc_variation"), r.get("spc_assurance"))
    if not verdict:
        return Lines(("–",))
    signs = [spc_variation_text(r.get("spc_variation")),
             spc_assurance_text(r.get("spc_assurance"))]  # fmt: skip
    symbols = " ".join(t.split(" ", 1)[0] for t in signs if t)
    return Lines((f"{symbols} {verdict}",))


WARNING_COLUMNS = [
    Column("Theme", "wrap"),
    Column("Indicator", "lines"),
    Column("Actual", align="right"),
    Column("Target", align="right"),
    Column("Status", "status"),
    Column("Statistical process control", "wrap"),
]


def early_warning_table(warnings: pd.DataFrame) -> Table:
    """Green indicators with a special cause of concern."""
    rows = [
        [
            r["theme_short"],
            Lines((clean(r["code"]), clean(r["title"])), bold_first=True),
            f.table_number(r["period_value"], r),
            f.table_number(r["target_value"], r),
            Status(clean(r["rag_status"]), clean(r.get("rag_reason"))),
            " ".join(t for t in (spc_variation_text(r.get("spc_variation")),
                                 clean(r.get("spc_reason"))) if t),
        ]
        for _, r in warnings.iterrows()
    ]  # fmt: skip
    return Table(WARNING_COLUMNS, rows, name="Early warnings",
                 empty_text="No green indicator shows a special cause of concern.")  # fmt: skip


def action_table(late: pd.DataFrame) -> Table:
    columns = [Column("Action", "lines"), Column("Lead", "wrap"), Column("Action status", "status")]
    columns += [Column("Milestone behind schedule", "wrap"), Column("Due", "date")]
    columns += [Column("Milestone status", "status"), Column("Progress note", "wrap")]
    rows = [
        [
            Lines((m["action_code"], m["action_title"], m["theme"]), bold_first=True),
            f.lead(m),
            Status(clean(m["action_status"]), "", "action"),
            f"{clean(m['milestone_code'])}: {clean(m['milestone_title'])}",
            format_day(m.get("due_date")),
            Status(clean(m["milestone_status"]), clean(m.get("milestone_reason")), "action"),
            m.get("progress_note"),
        ]
        for _, m in late.iterrows()
    ]
    return Table(columns, rows, empty_text="No milestone is behind schedule.")


def trend_cards(pack: BoardPack, rows: pd.DataFrame) -> ChartGrid:
    cards = []
    for _, row in rows.iterrows():
        code = clean(row["code"])
        history = pack.trends[pack.trends["code"] == code]
        cards.append(
            Chart(
                lambda history=history: charts.card(charts.trend(history, height=170)),
                title=f"{code}: {clean(row['title'])}",
                description=charts.trend_description(history),
                key=code,
                width_px=330,
            )
        )
    return ChartGrid(tuple(cards), columns=3)


def status_chart(pack: BoardPack) -> Chart:
    counts = pack.counts.drop(index="Total", errors="ignore")
    counts = counts.rename(index={t: pack.theme_short(t) for t in counts.index})
    described = "; ".join(
        f"{theme}: " + ", ".join(f"{int(row[s])} {STATUS[s]}" for s in STATUS_ORDER if row[s])
        for theme, row in counts.iterrows()
    )
    return Chart(
        lambda: charts.status_by_theme(counts), "Status by theme", described, "status-by-theme"
    )


def layout(pack: BoardPack) -> Document:
    """The Board pack as a document."""
    last_seen = pack.last_board_period or "–"
    meta = [
        ("Partnership", pack.partnership),
        ("Period", pack.period),
        ("Board meeting", format_day(pack.board_date)),
        ("Last Board", f"{format_day(pack.last_board_date)} (saw {last_seen})"),
        ("Indicators", int(len(pack.statuses))),
        ("Exceptions (red, amber, missing)", int(len(pack.exceptions))),
        ("Missing returns", ", ".join(pack.missing_returns) or "none"),
        ("Produced", pack.generated_at.strftime("%-d %b %Y %H:%M")),
    ]
    when = format_day(pack.last_board_date)
    changes_heading = (
        f"Changes since the last Board ({when}, which saw {pack.last_board_period or '–'})"
    )
    missing = (
        [Paragraph(f"Returns not received for {pack.period}: " + "; ".join(pack.missing_returns))]
        if pack.missing_returns
        else []
    )
    workbook_summary = Part(
        None,
        [
            Heading(f"{pack.partnership}: Board pack, {pack.period}", 1),
            Facts(tuple(meta)),
            counts_table(pack.counts, "All indicators", "Status by theme: all indicators"),
            counts_table(pack.laa_counts, "LAA indicators", "Status by theme: LAA indicators"),
            Heading(changes_heading, 3),
            changes_table(pack.changes),
        ],
        sheet="Summary",
        media="sheet",
    )
    intro = (
        f"{pack.partnership}. Performance as at {pack.period}, for the Board meeting of "
        f"{format_day(pack.board_date)}. By exception: indicators that are red (significantly "
        "under-performing), amber (marginally under-performing) or missing (no value "
        "returned), with commentary and remedial action from the theme groups, beside their "
        "positive activities."
    )
    page_summary = Part(
        "Summary of status by theme",
        [
            Paragraph(intro),
            Paragraph("All indicators", bold=True),
            counts_table(pack.counts, "All indicators"),
            Paragraph("LAA indicators", bold=True),
            counts_table(pack.laa_counts, "LAA indicators"),
            *missing,
            status_chart(pack),
            Heading(changes_heading, 3),
            changes_table(pack.changes),
            Heading("Early warnings: green, but a special cause of concern", 3),
            Paragraph(
                "On target this period, but statistical process control sees a real change "
                "for the worse in the latest point (see the key)."
            ),
            early_warning_table(board_early_warnings(pack.statuses)),
        ],
        media="page",
    )
    parts = [workbook_summary, page_summary]
    for theme in pack.themes:
        parts.append(
            Part(
                None,
                [frame_table(pack.theme_statuses(theme), INDICATOR_COLUMNS)],
                sheet=pack.theme_short(theme),
                media="sheet",
                freeze="C2",
            )
        )
    for theme in pack.themes:
        rows = pack.exceptions[pack.exceptions["theme"] == theme]
        blocks: list = []
        if rows.empty:
            blocks.append(
                Paragraph("No exceptions: every indicator is on target or has no target.")
            )
        else:
            blocks += [exception_table(rows, pack.period), trend_cards(pack, rows)]
        activities = pack.activities[pack.activities["theme"] == theme]
        if not activities.empty:
            blocks.append(Paragraph("Positive activities", bold=True))
            blocks.append(
                Bullets(
                    tuple(
                        (clean(a["title"]), clean(a.get("description")))
                        for _, a in activities.iterrows()
                    )
                )
            )
        parts.append(Part(theme, blocks, media="page"))
    parts.append(
        Part(
            None,
            [frame_table(pack.action_exceptions, ACTION_COLUMNS)],
            sheet="Actions",
            media="sheet",
        )
    )
    parts.append(Part("Action exceptions", [action_table(pack.action_exceptions)], media="page"))
    parts.append(
        Part(
            None,
            [frame_table(pack.activities, ACTIVITY_COLUMNS)],
            sheet="Positive activities",
            media="sheet",
        )
    )
    return Document(
        title=pack.title,
        subtitle=(
            f"{pack.partnership} · Board meeting {format_day(pack.board_date)} · "
            f"{len(pack.statuses)} indicators, {len(pack.exceptions)} exceptions "
            "(red, amber or missing)"
        ),
        parts=parts,
        footer="Partnership performance by exception",
        produced=f"Produced {pack.generated_at.strftime('%-d %b %Y %H:%M')}",
        key=KEY,
    )
