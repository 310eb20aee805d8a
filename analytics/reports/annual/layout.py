"""The annual report laid out as a :class:`~analytics.reports.document.Document` for the
shared writers: Word reads as a Cabinet report appendix ("Appendix 1: <partnership>'s Annual
Report <year>", portrait A4, charts as images), HTML as one self-contained page."""

from __future__ import annotations

from analytics.reports.annual.charts import targets_met_spec, theme_status_spec
from analytics.reports.annual.data import AnnualReport
from analytics.reports.document import (
    Bullets,
    Chart,
    Column,
    Document,
    Facts,
    Heading,
    Paragraph,
    Part,
    Status,
    Table,
)

OUTTURN_COLUMNS = [
    Column("Indicator", "wrap"), Column("Year end", "text", "right"),
    Column("Target", "text", "right"), Column("Status", "status"),
    Column("Year before", "text", "right"), Column("Change on the year before", "text"),
]  # fmt: skip


def _paragraphs(text: str | None) -> list[Paragraph]:
    return [Paragraph(p.strip()) for p in (text or "").split("\n\n") if p.strip()]


def _status(row: dict) -> Status:
    return Status(row["status"]["code"], scheme="public")


def _change(row: dict) -> str:
    c = row["change"]
    return f"{c['symbol']} {c['words']}" if c else "–"


def _next_steps(report: AnnualReport, theme) -> list:
    """Off target at the year end, or forecast to miss next year's target: each with its
    figures and target, the forecast in words and figures, and the remedial action."""
    blocks: list = []
    if theme.next_steps:
        blocks.append(
            Bullets(tuple((f"{o['code']} {o['title']}", o['next_words'])
                          for o in theme.next_steps))
        )  # fmt: skip
    elif report.next_year_targets:
        blocks.append(Paragraph(
            "Every indicator with a target met it at the year end, and each is forecast to "
            f"meet its {report.next_year} target if nothing changes."))  # fmt: skip
    else:
        blocks.append(Paragraph("Every indicator with a target met it at the year end."))
    if not report.next_year_targets:
        blocks.append(Paragraph(
            f"No targets are set for {report.next_year} yet, so nothing is forecast against "
            "them.", style="note"))  # fmt: skip
    return blocks


def _rewards(report: AnnualReport) -> list:
    grant = report.reward_grant
    if not report.laa_reward:
        return [Paragraph("The Local Area Agreement has no reward targets.")]
    columns = [Column("Indicator", "wrap"), Column("Baseline", "text", "right"),
               Column("Target without stretch", "text", "right"),
               Column("Stretch target", "text", "right"), Column("Year end", "text", "right"),
               Column("Stretch achieved", "text", "right"),
               Column("Share of grant earned", "text", "right")]  # fmt: skip
    with_money = grant.get("total") is not None
    if with_money:
        columns.append(Column("Grant earned", "text", "right"))
    rows = []
    for o in report.laa_reward:
        row = [o["label"], o["baseline"], o["without_stretch"], o["target_figure"],
               o["outturn_figure"], o["achieved"], o["paid"]]  # fmt: skip
        if with_money:
            row.append(o["grant_earned"] or "–")
        rows.append(row)
    blocks: list = [
        Paragraph(grant["explained"]),
        Table(
            columns,
            rows,
            caption=f"Reward targets: the share of the stretch achieved in "
            f"{report.year} and of the grant it earns",
        ),
        Paragraph("What each target earns:"),
        Bullets(tuple((f"{o['code']} {o['title']}", o["reward_words"]) for o in report.laa_reward)),
    ]
    blocks.append(Paragraph(grant["total_words"], style="normal" if with_money else "note"))
    return blocks


def layout(report: AnnualReport, draft: bool = False) -> Document:
    name = report.partnership["name"]
    chair = report.profile.get("board_chair")
    parent = report.partnership.get("parent_name")
    parts = [
        Part("Foreword", _paragraphs(report.foreword)
             or [Paragraph("No foreword has been written for this year.", style="note")]),
    ]  # fmt: skip
    about = []
    if report.profile.get("vision"):
        about.append(Paragraph(report.profile["vision"], style="lead"))
    about.append(
        Paragraph(
            f"{name} works through {len(report.themes)} theme groups"
            + (f", under a Board chaired by {chair}" if chair else "")
            + "."
            + (f" It is part of {parent}, which agrees the Local Area Agreement for the "
               "county." if parent else "")
        )
    )  # fmt: skip
    about.append(
        Table(
            [
                Column("Theme group", "wrap"),
                Column("Chair", "wrap"),
                Column("Lead officer", "wrap"),
            ],
            [[t.name, t.chair or "–", t.lead_officer or "–"] for t in report.themes],
            caption="Theme groups, their chairs and lead officers",
        )
    )
    if report.members:
        about.append(Facts(tuple((m["name"], m["sector"] or "–") for m in report.members)))
    parts.append(Part("The partnership", about))
    glance = [
        Facts(tuple((f"{c['symbol']} {c['words']}", c["count"]) for c in report.counts)),
        Chart(
            lambda: theme_status_spec(report),
            "Year-end status by theme group",
            "Year-end status of each theme group's indicators, as stacked bars; the figures "
            "are in each theme's table.",
            key="theme-status",
        ),
    ]
    parts.append(Part("The year at a glance", glance))
    for theme in report.themes:
        blocks = list(_paragraphs(theme.narrative))
        if theme.achievements:
            blocks += [Heading("What we achieved", 3),
                       Bullets(tuple((a["title"], a["description"] or "")
                                     for a in theme.achievements))]  # fmt: skip
        blocks.append(Heading("Year-end figures", 3))
        blocks.append(
            Table(
                OUTTURN_COLUMNS,
                [[o["label"] + (f", {o['laa']}" if o["laa"] else ""),
                  o["outturn_figure"], o["target_figure"], _status(o), o["last_year_figure"],
                  _change(o)]
                 for o in theme.outturns],
                caption=f"{theme.name}: year-end figures against target",
                empty_text="No year-end figures.",
            )
        )  # fmt: skip
        if theme.completed:
            blocks += [Heading("Actions completed", 3),
                       Bullets(tuple((c["action"], f"{c['milestone']} (completed "
                                      f"{c['completed_on'].day} {c['completed_on']:%B %Y})")
                                     for c in theme.completed))]  # fmt: skip
        blocks.append(Heading("What comes next", 3))
        blocks += _next_steps(report, theme)
        parts.append(Part(theme.name, blocks))
    laa_columns = [Column("Indicator", "wrap"), Column("Figure", "text", "right"),
                   Column("Target", "text", "right"), Column("Status", "status")]  # fmt: skip
    parts.append(
        Part(
            "The Local Area Agreement",
            [
                Heading("Designated and statutory targets", 3),
                Table(laa_columns,
                      [[o["label"], o["outturn_figure"], o["target_figure"], _status(o)]
                       for o in report.laa_designated],
                      caption="Designated and statutory targets: progress at the year end"),
                Heading("Reward targets and the Performance Reward Grant", 3),
                *_rewards(report),
            ],
        )
    )  # fmt: skip
    strategy = [
        Chart(
            lambda: targets_met_spec(report),
            "Targets met by year",
            "Year-end status of every indicator with a target, by year, as stacked bars; "
            "the figures are in the table that follows.",
            key="targets-met",
        ),
        Table(
            [Column("Year"), Column("On target", "int", "right"),
             Column("Just off target", "int", "right"), Column("Off target", "int", "right"),
             Column("Share on target", "text", "right")],
            [[y["year"], y["met"], y["amber"], y["red"], y["share_met"]] for y in report.by_year],
            caption="Year-end status by year over the strategy period",
        ),
    ]  # fmt: skip
    parts.append(Part("Targets met over the strategy period", strategy))
    subtitle = (
        "Draft for approval: not published until the performance officer publishes the year."
        if draft
        else f"{name}, {report.year}"
    )
    return Document(
        title=f"Appendix 1: {name}'s Annual Report {report.year}",
        subtitle=subtitle,
        parts=parts,
        footer=f"{name}: Annual Report {report.year}",
        landscape=False,
        key=[
            "Status: ✔ On target; ◆ Just off target (within the indicator's tolerance); "
            "✖ Off target; ? No figure yet; – No target set; … No new data (a survey not run "
            "this year).",
            "Change on the year before: ▲ better, ▼ worse, ► no real change.",
        ],
    )
