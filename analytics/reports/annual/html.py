"""The annual report as one self-contained HTML page, from the public site's templates (the
same ``_annual_body.html`` the site shows), with the site's styles inline."""

from __future__ import annotations

from markupsafe import Markup

from analytics.reports.annual.data import AnnualReport


def to_html(report: AnnualReport, draft: bool = False) -> str:
    from analytics.site.build import _css_path, environment

    css = _css_path().read_text(encoding="utf-8")
    return (
        environment()
        .get_template("annual_report.html")
        .render(report=report, css=Markup(css), draft=draft, link=lambda kind, slug: None)
    )
