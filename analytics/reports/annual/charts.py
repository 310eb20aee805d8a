"""The annual report's charts as Vega-Lite specs (the shared writers render them: an image
in Word, SVG in HTML): targets met by year, and year-end status by theme group."""

from __future__ import annotations

import pandas as pd

from analytics import charts, labels
from analytics.reports.annual.data import AnnualReport
from analytics.vocabulary import STATUSES


def targets_met_spec(report: AnnualReport) -> dict:
    """Stacked bars per year: on target, just off target, off target."""
    counts = pd.DataFrame(
        {"green": [y["met"] for y in report.by_year], "amber": [y["amber"] for y in report.by_year],
         "red": [y["red"] for y in report.by_year]},
        index=[y["year"] for y in report.by_year],
    )  # fmt: skip
    return charts.status_by_theme(counts, title="Year-end status by year",
                                  status_words=labels.PUBLIC_STATUS)  # fmt: skip


def theme_status_spec(report: AnnualReport) -> dict:
    rows = {}
    for theme in report.themes:
        found = {c["code"]: c["count"] for c in theme.counts}
        rows[theme.name] = {s: found.get(s, 0) for s in STATUSES}
    return charts.status_by_theme(pd.DataFrame.from_dict(rows, orient="index"),
                                  title="Year-end status by theme group",
                                  status_words=labels.PUBLIC_STATUS)  # fmt: skip
