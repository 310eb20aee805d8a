"""The county LAA pack's data: the county view as at a quarter (every figure from
:func:`analytics.warehouse.county.county_view_for`, so the pack matches the County page and
``lsp status``), gathered once into a :class:`CountyPack`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from analytics import board, periods
from analytics.access import User, cli_user
from analytics.county.present import Row, view_rows
from analytics.county.view import CountyView
from analytics.reports.fields import slug
from analytics.vocabulary import STATUS_ORDER
from analytics.warehouse.county import county_view_for


@dataclass
class CountyPack:
    view: CountyView
    rows: list[Row]  # the indicators in words, theme order
    counts: pd.DataFrame  # county statuses per theme, a column per status and a total
    generated_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @property
    def county(self) -> str:
        return str(self.view.county["name"])

    @property
    def period(self) -> str:
        return self.view.period

    @property
    def title(self) -> str:
        return f"Local Area Agreement: the county and its districts, {self.period}"

    def file_name(self, fmt: str) -> str:
        when = self.period.replace("/", "-").replace(" ", "-")
        return f"county-pack-{slug(self.county)}-{when}.{fmt}"


def county_pack_data(path, county_id: int, period: str, user: User | None = None) -> CountyPack:
    """Gather the pack for ``period`` (a quarter), as ``user`` may see it (default: ``lsp``
    on the server, who sees everything)."""
    period = periods.parse_code(period).code
    view = county_view_for(path, user or cli_user(), int(county_id), period)
    return CountyPack(view, view_rows(view), _counts(view.rows))


def _counts(rows: pd.DataFrame) -> pd.DataFrame:
    columns = [*STATUS_ORDER, "total"]
    if rows.empty:
        return pd.DataFrame([[0] * len(columns)], index=["Total"], columns=columns)
    frame = rows.assign(rag_status=rows["county_status"].fillna("no_target"))
    counts = board.status_counts(frame)
    counts.loc["Total"] = counts.sum(axis=0)
    counts.index.name = "theme"
    return counts.astype("int64")
