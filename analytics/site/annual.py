"""The public site's annual reports: one page and one Word file per published year."""

from __future__ import annotations

from analytics.reports.annual.data import annual_report


def annual_pages(writer) -> None:
    """Write ``annual-reports/`` and ``annual-reports/<year>/`` for every published year."""
    from analytics.reports.annual import render

    site = writer.site
    years = site.annual_years
    writer.page("annual-reports/index.html", "annual_index.html", "Annual reports",
                f"{writer.name}'s annual reports: achievements, year-end figures against "
                "targets and what comes next, year by year.", "annual",
                years=years)  # fmt: skip
    slugs = {i["slug"] for i in site.indicators}
    for year in years:
        report = annual_report(writer.pub, year)
        rel = f"annual-reports/{year.replace('/', '-')}/"

        def link(kind, slug, _root="../../"):
            return f"{_root}indicators/{slug}/" if kind == "indicator" and slug in slugs else None

        writer.page(rel + "index.html", "annual.html", f"Annual report {year}",
                    f"{writer.name}'s annual report for {year}: the foreword, each theme "
                    "group's achievements and year-end figures, the Local Area Agreement and "
                    "targets met by year.", "annual",
                    crumbs=[("Annual reports", "annual-reports/")], report=report,
                    link=link, draft=False)  # fmt: skip
        writer._write(rel + f"annual-report-{year.replace('/', '-')}.docx", render(report, "docx"))
