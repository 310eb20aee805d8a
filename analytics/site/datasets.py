"""The public site's open data: one CSV per table, and every column explained (pure).

Column names are spelled out and every column says its unit or form, so a download explains
itself. Rows come from the gathered site (:mod:`analytics.site.model`): only published figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.reports.writers.csv_file import rows_to_csv
from analytics.vocabulary import POLARITY_TABLE


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    unit: str


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    where: str
    columns: tuple[Column, ...]


_FIGURE_COLUMNS = (
    Column("indicator_code", "The indicator's code: NI and a number for a National Indicator, "
           "else the partnership's own code.", "text, e.g. NI 191"),
    Column("indicator_title", "What the indicator measures.", "text"),
    Column("theme_group", "The theme group responsible for the indicator.", "text"),
    Column("period", "The period the figure is for: a financial year (April to March) or a "
           "quarter of one (Q1 April to June, Q2 July to September, Q3 October to December, Q4 "
           "January to March).", "text: YYYY/YY for a financial year, YYYY/YY Qn for a quarter"),
    Column("value", "The figure reported for the period. For indicators counted up through "
           "the year it is the total for the year so far. Empty when no figure was reported.",
           "number, in the unit in the unit column"),
    Column("unit", "The unit of value and target_value.", "text: % (per cent), £ (pounds), "
           "a rate, days, or empty for a count"),
    Column("target_value", "The target for the period (for figures counted through the year, "
           "the part of the year's target due by the end of the period).",
           "number, in the unit in the unit column; empty when there is no target"),
    Column("annual_target_value", "The target for the whole financial year.",
           "number, in the unit in the unit column"),
    Column("status", "How the figure compares with its target: on target, just off target, "
           "off target, no figure yet, no target set, or no new data.", "text"),
    Column("direction_since_previous_period", "Whether the figure got better, got worse or "
           "did not really change since the period before, taking into account which way is "
           "better.", "text"),
    Column("higher_or_lower_is_better", "Which way is better for this indicator.",
           "text: higher, lower or neither"),
    Column("first_published_on", "The date the figure was first published.", "date, YYYY-MM-DD"),
    Column("revised_on", "The date the figure was last revised after it was first published; "
           "empty if it never was.", "date, YYYY-MM-DD"),
    Column("value_before_revision", "The figure as published before its latest revision.",
           "number, in the unit in the unit column"),
)  # fmt: skip

DATASETS = (
    Dataset(
        "latest-figures",
        "Latest figures",
        "Every indicator's latest published figure, its target and its status.",
        "One file for the partnership, linked from the home page.",
        _FIGURE_COLUMNS,
    ),
    Dataset(
        "theme-indicators",
        "Theme group indicators",
        "A theme group's indicators with their latest published figure, target and status: "
        "the table on each theme group's page.",
        "One file per theme group, linked from the theme group's page.",
        _FIGURE_COLUMNS,
    ),
    Dataset(
        "indicator-history",
        "Indicator history",
        "Every published figure of one indicator, period by period: the history table on each "
        "indicator's page.",
        "One file per indicator, linked from the indicator's page.",
        _FIGURE_COLUMNS,
    ),
    Dataset(
        "indicator-comparators",
        "County and England comparisons",
        "The same indicator measured for the county and for England, for comparison.",
        "One file per indicator that has comparisons, linked from the indicator's page.",
        (
            Column("indicator_code", "The indicator's code.", "text, e.g. NI 191"),
            Column("indicator_title", "What the indicator measures.", "text"),
            Column(
                "period",
                "The period the figure is for (financial year or quarter).",
                "text: YYYY/YY for a financial year, YYYY/YY Qn for a quarter",
            ),  # fmt: skip
            Column("area", "Which area the figure is for: the county or England.", "text"),
            Column("value", "The figure for that area.", "number, in the unit in the unit column"),
            Column("unit", "The unit of value.", "text"),
            Column("source", "Where the figure comes from.", "text"),
        ),
    ),
    Dataset(
        "all-figures",
        "All published figures",
        "Every figure the partnership has published, for every indicator and period.",
        "One file for the partnership, linked from this open data page.",
        _FIGURE_COLUMNS,
    ),
)
BY_SLUG = {d.slug: d for d in DATASETS}

_POLARITY = {p.code: p.open_data_word for p in POLARITY_TABLE}


def figure_rows(items: list[dict], latest_only: bool) -> list[list]:
    rows = []
    for item in items:
        history = [item["latest"]] if latest_only else item["history"]
        for h in history:
            rows.append(
                [
                    item["code"],
                    item["title"],
                    item["theme"]["name"],
                    h["period"],
                    _num(h["actual_value"]),
                    item["unit"],
                    _num(h["target_value"]),
                    _num(h["annual_target_value"]),
                    h["status"]["words"].lower(),
                    h["direction"]["words"].lower() if h["direction"] else "",
                    _POLARITY.get(item["polarity"], ""),
                    h["first_published_on"].isoformat(),
                    h["revised_on"].isoformat() if h["revised_on"] else "",
                    _num(h["revised_from_value"]),
                ]
            )
    return rows


def comparator_rows(item: dict) -> list[list]:
    return [
        [item["code"], item["title"], c["period"], c["comparator"], c["comparator_value"],
         item["unit"], c["source"] or ""]
        for c in item["comparators"]
    ]  # fmt: skip


def _num(value):
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else float(value)


def to_csv(dataset: Dataset, rows: list[list]) -> str:
    return rows_to_csv([c.name for c in dataset.columns], rows)
