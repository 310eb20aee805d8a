"""The county LAA pack laid out as a document: a workbook's sheets (the summary, every
indicator with every column, every district's cell, the reward) and a committee paper's
pages (the county's position per theme with its districts beside it, and the reward
forecast). No file format here: the shared writers render it."""

from __future__ import annotations

import pandas as pd

from analytics.county.present import Row, cell_marks
from analytics.county.reward import money
from analytics.formatting import format_value
from analytics.labels import DIRECTION, LAA_STATUS
from analytics.reports.board.layout import counts_table
from analytics.reports.county.data import CountyPack
from analytics.reports.document import (
    Column,
    Document,
    Facts,
    Heading,
    Lines,
    Number,
    Paragraph,
    Part,
    Status,
    Table,
)
from analytics.vocabulary import AGGREGATION_RULE_TABLE

RULE_LABEL = {r.code: r.label for r in AGGREGATION_RULE_TABLE}
KEY = [
    "✖ Red: target missed beyond tolerance. ◆ Amber: target missed within tolerance. "
    "? Missing: no value returned for the period. ✔ Green: target met or beaten. "
    "– No target. A district's status is against its contribution target (a percentage or "
    "rate without one: against the county target). Direction of travel compares with the "
    "previous period, after polarity.",
    "How a county figure is made: "
    + " ".join(f"{r.label}: {r.sentence}." for r in AGGREGATION_RULE_TABLE),
]


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _number(value, unit, decimals) -> Number:
    v = None if _blank(value) or pd.isna(value) else float(value)
    text = "–" if v is None else format_value(v, int(decimals), unit or "")
    return Number(v, int(decimals), unit or "", text)


def _pct(value) -> Number:
    v = None if _blank(value) or pd.isna(value) else 100 * float(value)
    return Number(v, 0, "%", "–" if v is None else f"{v:.0f}%")


def _money(value) -> Number:
    v = None if _blank(value) or pd.isna(value) else float(value)
    return Number(v, 0, "£", money(v))


INDICATOR_HEADERS = [
    "Theme", "Code", "LAA", "Indicator", "How the county figure is made", "Period", "Unit",
    "County figure", "Source", "Reported by the county", "Reported less computed", "Target",
    "Status", "Direction", "Contributions come to", "Contributions add up", "Short by",
    "District with the largest gap", "Its share of the gap",
]  # fmt: skip


def indicator_table(pack: CountyPack) -> Table:
    rows = []
    for r in pack.view.rows.to_dict("records"):
        unit, decimals = r["unit"], int(r["decimals"])
        adds_up = r.get("contributions_add_up")
        rows.append([
            r["theme"], r["code"], LAA_STATUS.get(r["laa_status"], ""), r["title"],
            RULE_LABEL.get(r["aggregation_rule"], "Not made from districts"),
            r["period"], unit, _number(r["county_figure"], unit, decimals),
            r["county_figure_source"], _number(r["county_reported_value"], unit, decimals),
            _number(r["reported_difference"], unit, decimals),
            _number(r["county_target"], unit, decimals),
            Status(r["county_status"] or "no_target"),
            DIRECTION.get(r.get("dot_previous") or "", ""),
            _number(r.get("contributions_total"), unit, decimals),
            "" if _blank(adds_up) or pd.isna(adds_up) else ("yes" if adds_up else "no"),
            _number(r.get("contributions_short_by"), unit, decimals),
            r.get("largest_gap_name") or "", _pct(r.get("largest_gap_share")),
        ])  # fmt: skip
    columns = [Column(h, "wrap" if h in ("Indicator", "How the county figure is made") else
                      "text") for h in INDICATOR_HEADERS]  # fmt: skip
    for i, header in enumerate(INDICATOR_HEADERS):
        if header == "Status":
            columns[i] = Column(header, "status")
        elif header in (
            "County figure",
            "Reported by the county",
            "Reported less computed",
            "Target",
            "Contributions come to",
            "Short by",
            "Its share of the gap",
        ):
            columns[i] = Column(header, "number", "right")
    return Table(columns, rows, name="county-indicators",
                 row_keys=pack.view.rows["code"].astype(str).tolist())  # fmt: skip


DISTRICT_HEADERS = [
    "Code", "Indicator", "District", "Period", "Value", "Numerator", "Denominator",
    "Contribution target", "Status", "Status against", "Direction", "Marks",
    "Share of the gap",
]  # fmt: skip


def district_table(pack: CountyPack) -> Table:
    meta = pack.view.rows.set_index("code")
    rows = []
    for c in pack.view.cells.to_dict("records"):
        m = meta.loc[c["code"]]
        unit, decimals = m["unit"], int(m["decimals"])
        marks = cell_marks(c)
        rows.append([
            c["code"], m["title"], c["district_name"], c["period"],
            _number(c.get("actual_value"), unit, decimals),
            _number(c.get("numerator"), "", 1), _number(c.get("denominator"), "", 1),
            _number(c.get("contribution_target"), unit, decimals),
            Status(c["status"]) if isinstance(c.get("status"), str) else None,
            c.get("status_against") or "", DIRECTION.get(c.get("dot_previous") or "", ""),
            "; ".join(marks), _pct(c.get("gap_share")),
        ])  # fmt: skip
    columns = [Column(h) for h in DISTRICT_HEADERS]
    columns[1] = Column("Indicator", "wrap")
    for i in (4, 5, 6, 7, 12):
        columns[i] = Column(DISTRICT_HEADERS[i], "number", "right")
    columns[8] = Column("Status", "status")
    return Table(columns, rows, name="county-districts")


def _county_cell(r: Row) -> Lines:
    lines = [r.county_value, r.county_source, r.reported, f"target {r.target}", r.direction]
    return Lines(tuple(x for x in lines if x), bold_first=True)


def _district_cell(c) -> Lines:
    lines = [c.value, c.contribution, c.status_label, c.direction, *c.marks, c.gap]
    return Lines(tuple(x for x in lines if x), bold_first=True)


def theme_table(pack: CountyPack, theme: str) -> Table:
    districts = pack.view.districts
    columns = [Column("Indicator", "lines"), Column(pack.county, "lines"),
               Column("County status", "status")]  # fmt: skip
    columns += [Column(str(n), "lines") for n in districts["name"]]
    columns.append(Column("Contributions and the gap", "wrap"))
    body = []
    for r in pack.rows:
        if r.theme != theme:
            continue
        flag = f" ({r.flag})" if r.flag else ""
        cells = {c.district_code: c for c in r.cells}
        body.append([
            Lines(tuple(x for x in (f"{r.code}{flag}", r.title, f"{r.rule} · {r.period}",
                                    r.unit) if x), bold_first=True),
            _county_cell(r), Status(r.status or "no_target"),
            *(_district_cell(cells[d]) if d in cells else "–"
              for d in districts["district_code"]),
            " ".join(x for x in (r.contributions, r.gap) if x),
        ])  # fmt: skip
    return Table(columns, body, row_keys=[r.code for r in pack.rows if r.theme == theme])


REWARD_HEADERS = [
    "Code", "Indicator", "Baseline", "Without the stretch (W)", "Stretch target (S)",
    "Forecast outturn", "Share of the stretch", "Share of its grant paid", "At stake",
    "Forecast grant", "What it would take",
]  # fmt: skip


def reward_table(pack: CountyPack) -> Table:
    reward = pack.view.reward
    rows = []
    for t in reward.targets.to_dict("records"):
        unit, decimals = t["unit"], t["decimals"]
        achieved = t["achieved"]
        rows.append([
            t["code"], t["title"], _number(t["baseline_value"], unit, decimals),
            _number(t["without_stretch"], unit, decimals),
            _number(t["stretch_target"], unit, decimals),
            _number(t["forecast_value"], unit, decimals),
            _pct(None if achieved is None else max(achieved, 0.0)), _pct(t["paid"]),
            _money(t["pot"]), _money(t["grant_forecast"]), t["to_threshold"],
        ])  # fmt: skip
    columns = [Column(h) for h in REWARD_HEADERS]
    columns[1] = Column("Indicator", "wrap")
    columns[-1] = Column("What it would take", "wrap")
    for i in range(2, 10):
        columns[i] = Column(REWARD_HEADERS[i], "number", "right")
    return Table(columns, rows, name="reward", empty_text="No reward targets.")


def allocation_table(pack: CountyPack) -> Table:
    shared = pack.view.reward.allocations
    rows = [[a["code"], a["partner"], _pct(a["share_pct"] / 100), _money(a["grant_forecast"])]
            for a in shared.to_dict("records")]  # fmt: skip
    columns = [
        Column("Code"),
        Column("Partner", "wrap"),
        Column("Share", "number", "right"),
        Column("Forecast grant", "number", "right"),
    ]
    return Table(columns, rows, name="reward-allocations",
                 empty_text="No partner allocations recorded.")  # fmt: skip


def _reward_blocks(pack: CountyPack) -> list:
    reward = pack.view.reward
    blocks: list = [Paragraph(reward.summary)]
    blocks += [Paragraph(w, bold=True) for w in reward.adjustment_words]
    blocks += [reward_table(pack), Paragraph("Partner allocation of each target's grant",
                                             bold=True), allocation_table(pack)]  # fmt: skip
    return blocks


def layout(pack: CountyPack) -> Document:
    """The county LAA pack as a document."""
    view = pack.view
    names = ", ".join(view.districts["name"])
    withheld = view.districts[view.districts["access"] != "full"]
    meta = [
        ("County", pack.county),
        ("Period", pack.period),
        ("Districts", names),
        ("LAA indicators", len(view.rows)),
        ("Produced", pack.generated_at.strftime("%-d %b %Y %H:%M")),
    ]
    intro = (
        f"{pack.county}'s Local Area Agreement as at {pack.period}: each designated and "
        "statutory indicator's county figure, made from its districts' figures by the "
        "indicator's rule (or as the county measures it), against the target agreed with "
        "government; beside it each district's figure, its contribution target, its status "
        "and direction, and which district holds the largest share of any gap. Where the "
        "county reports a figure of its own as well, both are shown with the difference."
    )
    notes = []
    if len(withheld):
        notes.append(Paragraph(
            "Other districts' figures are shown only as published: "
            + ", ".join(withheld["name"]) + ".", style="note"))  # fmt: skip
    summary_sheet = Part(
        None,
        [
            Heading(f"{pack.county}: county LAA pack, {pack.period}", 1),
            Facts(tuple(meta)),
            counts_table(pack.counts, "County status", "County status by theme"),
            Paragraph(view.reward.summary),
        ],
        sheet="Summary",
        media="sheet",
    )
    summary_page = Part(
        "The county's position",
        [Paragraph(intro), *notes, counts_table(pack.counts, "County status")],
        media="page",
    )
    parts = [summary_sheet, summary_page]
    parts.append(Part(None, [indicator_table(pack)], sheet="LAA indicators", media="sheet",
                      freeze="C2"))  # fmt: skip
    parts.append(Part(None, [district_table(pack)], sheet="Districts", media="sheet",
                      freeze="D2"))  # fmt: skip
    themes = list(dict.fromkeys(r.theme for r in pack.rows))
    for theme in themes:
        parts.append(Part(theme, [theme_table(pack, theme)], media="page"))
    parts.append(Part("Performance Reward Grant forecast", _reward_blocks(pack), sheet="Reward"))
    return Document(
        title=pack.title,
        subtitle=(
            f"{pack.county} · {len(view.districts)} districts · {len(view.rows)} LAA indicators"
        ),  # fmt: skip
        parts=parts,
        footer="County LAA pack",
        produced=f"Produced {pack.generated_at.strftime('%-d %b %Y %H:%M')}",
        key=KEY,
    )
