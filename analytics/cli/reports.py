"""`lsp report board|scrutiny|changes|annual|county`: the reports, as files.

    lsp report board --period "2010/11 Q4" --format docx -o board-pack.docx
    lsp report scrutiny --half "2010/11 H1" -o scrutiny-pack.docx
    lsp report changes --since 2010-11-16 -o update.docx
    lsp report annual --year 2010/11 -o annual-report.docx [--published]
    lsp report county --period "2010/11 Q4" --format xlsx -o county-pack.xlsx

Default partnership: the one with a framework (name it with ``--partnership`` when there are
several); default period: the latest with data; default format: from the suffix of ``-o``.
Exit status: 0 written, 1 nothing to report (no framework, no values for the period), 2 the
command was used wrongly (a period of the wrong grain, a format, a partnership not found or
ambiguous).
"""

from __future__ import annotations

import argparse

from analytics.cli.common import (
    PROSE_FORMATS,
    Rejected,
    UsageError,
    chosen_partnership,
    date_type,
    format_options,
    named_partnership,
    output_format,
    partnership_option,
    period_type,
    write_output,
)


def latest_quarter(path, partnership_id: int, period) -> str:
    """``period`` (a quarter) when it has values, else (None) the latest quarter that has."""
    from analytics.warehouse import queries

    available = queries.periods_with_data(path, partnership_id)
    if period is None:
        if not available:
            raise Rejected("No values have been loaded yet: nothing to report.")
        return available[0]
    code = str(period)
    if code not in available:
        shown = ", ".join(available[:4]) + (", ..." if len(available) > 4 else "")
        raise Rejected(f"No values loaded for {code}. Quarters with data: {shown or 'none'}.")
    return code


def cmd_report_board(args: argparse.Namespace) -> int:
    from analytics.reports.board import board_pack_data, render

    fmt = output_format(args)
    partnership = chosen_partnership(args)
    period = latest_quarter(args.warehouse, partnership.id, args.period)
    pack = board_pack_data(args.warehouse, partnership.id, period)
    data = render(pack, fmt)
    write_output(args.output, data)
    print(
        f"{args.output}: Board pack for {partnership.name}, {period} ({fmt}, "
        f"{len(pack.exceptions)} exceptions of {len(pack.statuses)} indicators, "
        f"{len(data):,} bytes)."
    )
    return 0


def cmd_report_scrutiny(args: argparse.Namespace) -> int:
    from analytics import periods
    from analytics.reports.scrutiny import render, scrutiny_pack_data
    from analytics.scrutiny.review import half_of, half_window, since_window
    from analytics.warehouse import queries

    if args.threshold < 1:
        raise UsageError("--threshold must be 1 or more.")
    fmt = output_format(args)
    partnership = chosen_partnership(args)
    available = queries.periods_with_data(args.warehouse, partnership.id)
    if not available:
        raise Rejected("No values have been loaded yet: nothing to report.")
    if args.since:
        window = since_window(args.since, available[0])
    else:
        half = str(args.half) if args.half else half_of(available[0])
        window = half_window(half)
        if periods.sort_key(window.quarters[0]) > periods.sort_key(available[0]):
            raise Rejected(f"No values loaded for {half} yet (latest: {available[0]}).")
    if window.is_empty:
        raise Rejected(f"No quarter's figures have come in {window.label}.")
    review = scrutiny_pack_data(args.warehouse, partnership.id, window, args.threshold)
    data = render(review, fmt)
    write_output(args.output, data)
    print(
        f"{args.output}: scrutiny pack for {partnership.name}, {window.label} ({fmt}, "
        f"{len(review.persistent)} persistent exceptions, {len(review.tracker)} "
        f"recommendations, {len(data):,} bytes)."
    )
    return 0


def cmd_report_changes(args: argparse.Namespace) -> int:
    from analytics.reports.changes import changes_data, render

    fmt = output_format(args)
    partnership = chosen_partnership(args)
    report = changes_data(args.warehouse, partnership.id, args.since)
    data = render(report, fmt)
    write_output(args.output, data)
    print(
        f"{args.output}: changes since {args.since} for {partnership.name} ({fmt}, "
        f"{len(report.changes)} status changes, {len(report.new_recommendations)} new "
        f"recommendations, {len(data):,} bytes)."
    )
    return 0


def cmd_report_annual(args: argparse.Namespace) -> int:
    from analytics.reports.annual import draft_files

    fmt = output_format(args)
    partnership = chosen_partnership(args)
    year = str(args.year)
    files = draft_files(args.warehouse, partnership.id, year, published_only=args.published)
    write_output(args.output, files[fmt])
    print(f"Annual report {year} for {partnership.name} written to {args.output}.")
    return 0


def county_of(args: argparse.Namespace):
    """The county ``--partnership`` names (a district: its county); none named: the only
    county with districts. Not a county or in one: exit 1; several counties: exit 2."""
    from analytics.warehouse.county import county_for, partnership_tree
    from analytics.warehouse.partnerships import Partnership, some_codes

    tree = partnership_tree(args.warehouse)
    counties = tree[(tree["districts"] > 0) & (tree["indicators"] > 0)]

    def as_partnership(pid: int) -> Partnership:
        row = tree.set_index("partnership_id").loc[pid]
        return Partnership(int(pid), str(row["partnership_code"]), str(row["name"]))

    named = named_partnership(args)
    if named is not None:
        county_id = county_for(args.warehouse, named.id)
        if county_id is None:
            raise Rejected(f"{named} is not a county with districts, nor in one.")
        if county_id not in set(counties["partnership_id"]):
            raise Rejected(f"{as_partnership(county_id)} has no framework yet: load one with "
                           "`lsp framework import`.")  # fmt: skip
        return as_partnership(county_id)
    if len(counties) == 1:
        return as_partnership(int(counties["partnership_id"].iloc[0]))
    if counties.empty:
        raise Rejected(
            "No county with districts yet: load a county's framework workbook (its Districts "
            "sheet), or districts' naming it as parent_name."
        )
    raise UsageError(
        "Several counties have districts: add --partnership CODE "
        f"(one of {some_codes(counties['partnership_code'])})."
    )


def cmd_report_county(args: argparse.Namespace) -> int:
    from analytics.reports.county import county_pack_data, render
    from analytics.warehouse.county import county_quarters

    fmt = output_format(args)
    county = county_of(args)
    available = county_quarters(args.warehouse, county.id)
    if not available:
        raise Rejected("No values loaded for the county or its districts yet: nothing to report.")
    period = str(args.period) if args.period else available[0]
    if period not in available:
        shown = ", ".join(available[:4]) + (", ..." if len(available) > 4 else "")
        raise Rejected(f"No values loaded for {period}. Quarters with data: {shown}.")
    pack = county_pack_data(args.warehouse, county.id, period)
    data = render(pack, fmt)
    write_output(args.output, data)
    print(
        f"{args.output}: county LAA pack for {county.name}, {period} ({fmt}, "
        f"{len(pack.view.rows)} LAA indicators, {len(pack.view.districts)} districts, "
        f"{len(data):,} bytes)."
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """`lsp report ...` on the `lsp` parser."""
    report = sub.add_parser(
        "report",
        help="the Board pack and other reports, as files",
        description="The reports, as files: xlsx, docx or html.",
    )
    rsub = report.add_subparsers(dest="report_command", required=True, metavar="REPORT")

    board = rsub.add_parser(
        "board",
        help="the Board pack: Excel workbook, Word appendix or one HTML page",
        description="The Board pack for a quarter: an Excel workbook, a Word appendix or one "
        "HTML page.",
    )
    board.add_argument(
        "--period",
        type=period_type("quarter"),
        metavar="QUARTER",
        help="the quarter, e.g. '2010/11 Q4' (default: the latest with data)",
    )
    format_options(board)
    partnership_option(board)
    board.set_defaults(func=cmd_report_board)

    scrutiny = rsub.add_parser(
        "scrutiny",
        help="the six-monthly scrutiny pack: Word committee report, Excel workbook or HTML",
        description="The six-monthly scrutiny pack: a Word committee report, an Excel workbook "
        "or one HTML page.",
    )
    when = scrutiny.add_mutually_exclusive_group()
    when.add_argument(
        "--half",
        type=period_type("half"),
        metavar="HALF",
        help="a half-year, e.g. '2010/11 H1' (default: the latest with data)",
    )
    when.add_argument(
        "--since",
        type=date_type,
        metavar="DATE",
        help="instead: since the review meeting of this date",
    )
    scrutiny.add_argument(
        "--threshold",
        metavar="QUARTERS",
        type=int,
        default=2,
        help="quarters red or amber in a row to count as persistent (default: 2)",
    )
    format_options(scrutiny)
    partnership_option(scrutiny)
    scrutiny.set_defaults(func=cmd_report_scrutiny)

    changes = rsub.add_parser(
        "changes",
        help="what changed since a date (the Leader's update to full Council)",
        description="What changed since a date (the Leader's update to full Council): new "
        "exceptions, recoveries, achievements, new recommendations and responses.",
    )
    changes.add_argument(
        "--since", required=True, type=date_type, metavar="DATE", help="a date, e.g. 2010-11-16"
    )
    format_options(changes, PROSE_FORMATS)
    partnership_option(changes)
    changes.set_defaults(func=cmd_report_changes)

    annual = rsub.add_parser(
        "annual",
        help="the annual report: Word (Cabinet appendix) or one HTML page",
        description="The partnership's annual report as Word (a Cabinet report appendix) or "
        "one HTML page: from the warehouse's current figures and the latest foreword and "
        "narratives (the draft the officer takes to Cabinet), or with --published from what "
        "has been published.",
    )
    annual.add_argument(
        "--year",
        required=True,
        type=period_type("year"),
        metavar="YEAR",
        help="the financial year, e.g. 2010/11",
    )
    format_options(annual, PROSE_FORMATS)
    partnership_option(annual)
    annual.add_argument("--published", action="store_true", help="only what has been published")
    annual.set_defaults(func=cmd_report_annual)

    county = rsub.add_parser(
        "county",
        help="the county LAA pack: the county's position built from its districts, and the "
        "reward forecast",
        description="The county LAA pack for a quarter (docs/county.md): each LAA indicator's "
        "county figure made from its districts' by its aggregation rule, beside what the "
        "county reported, against the target agreed with government; each district's figure, "
        "contribution target, status and direction; who holds the gap; the reward grant "
        "forecast. An Excel workbook, a Word paper or one HTML page.",
    )
    county.add_argument(
        "--period",
        type=period_type("quarter"),
        metavar="QUARTER",
        help="the quarter, e.g. '2010/11 Q4' (default: the latest with data in the county or "
        "its districts)",
    )
    format_options(county)
    partnership_option(county, "the only county with districts; a district names its county")
    county.set_defaults(func=cmd_report_county)
