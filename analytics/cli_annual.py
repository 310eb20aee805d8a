"""`lsp report annual`: the partnership's annual report as Word (a Cabinet report appendix)
or one HTML page.

    lsp report annual --year 2010/11 --format docx -o annual-report.docx

From the warehouse's current figures and the latest foreword and narratives (the draft the
officer takes to Cabinet), or with ``--published`` from what has been published.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_annual_command(rsub: argparse._SubParsersAction) -> None:
    annual = rsub.add_parser(
        "annual",
        help="the annual report: Word (Cabinet appendix) or one HTML page",
        description=__doc__.split("\n\n")[0],
    )
    annual.add_argument("--year", required=True, help="the financial year, e.g. 2010/11")
    annual.add_argument("--format", choices=("docx", "html"), help="default: suffix of -o")
    annual.add_argument("-o", "--output", required=True, type=Path)
    annual.add_argument("--partnership", help="name or code (default: the one)")
    annual.add_argument("--published", action="store_true", help="only what has been published")
    annual.set_defaults(func=cmd_report_annual)


def cmd_report_annual(args: argparse.Namespace) -> int:
    from analytics import periods
    from analytics.cli import choose_partnership
    from analytics.cli_reports import write_output
    from analytics.reports.annual import draft_files

    fmt = args.format or args.output.suffix.lstrip(".").lower()
    if fmt not in ("docx", "html"):
        print("--format: give docx or html (or an -o ending .docx or .html).", file=sys.stderr)
        return 2
    try:
        year = periods.parse_period(args.year)
        if periods.parse_code(year).grain != "year":
            raise periods.PeriodError(f"{args.year!r} is not a year; write it as 2010/11")
    except periods.PeriodError as exc:
        print(f"--year: {exc}", file=sys.stderr)
        return 2
    pid, name = choose_partnership(args.warehouse, args.partnership)
    files = draft_files(args.warehouse, pid, year, published_only=args.published)
    write_output(args.output, files[fmt])
    print(f"Annual report {year} for {name} written to {args.output}.")
    return 0
