"""The partnership's annual report: gathered once (``data.annual_report``), laid out once
(``layout.layout``) and written by the shared writers as Word (a Cabinet report appendix) or
HTML. The public site shows the same gathered report through its own templates."""

from __future__ import annotations

from analytics.reports.writers import PROSE_FORMATS as FORMATS
from analytics.reports.writers import check_format


def render(report, fmt: str, draft: bool = False) -> bytes:
    from analytics.reports.annual.layout import layout
    from analytics.reports.writers import render as _render

    check_format(fmt, FORMATS)
    return _render(layout(report, draft=draft), fmt)


def draft_files(path, partnership_id: int, year: str, published_only: bool = False) -> dict:
    """The year's report as Word and HTML: from the warehouse's current figures and latest
    words (the draft for Cabinet), or from what has been published."""
    from analytics import periods
    from analytics.reports.annual.data import annual_report
    from analytics.warehouse import published

    if published_only:
        source = published.published(path, partnership_id)
    else:
        source = published.current(path, partnership_id, periods.parse_code(year).end)
    report = annual_report(source, year)
    return {fmt: render(report, fmt, draft=not published_only) for fmt in FORMATS}
