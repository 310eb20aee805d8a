"""The partnership's annual report: gathered once (``data.annual_report``), then written as
Word (``docx.to_docx``) or HTML (``html.to_html``, the public site's templates)."""

from __future__ import annotations


def draft_files(path, partnership_id: int, year: str, published_only: bool = False) -> dict:
    """The year's report as Word and HTML: from the warehouse's current figures and latest
    words (the draft for Cabinet), or from what has been published."""
    from analytics import periods
    from analytics.reports.annual.data import annual_report
    from analytics.reports.annual.docx import to_docx
    from analytics.reports.annual.html import to_html
    from analytics.warehouse import published

    if published_only:
        source = published.published(path, partnership_id)
    else:
        source = published.current(path, partnership_id, periods.parse_code(year).end)
    report = annual_report(source, year)
    return {
        "docx": to_docx(report),
        "html": to_html(report, draft=not published_only).encode("utf-8"),
    }
