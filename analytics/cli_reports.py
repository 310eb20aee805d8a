"""`lsp report board`: the Board pack as a file (xlsx, docx or html).

    lsp report board --period "2010/11 Q4" --format docx -o board-pack.docx

Default partnership: the one with indicators (name it with ``--partnership`` when there are
several); default period: the latest quarter with data; default format: from the suffix of
``-o``. Exit status: 0 written, 1 nothing to report (unknown partnership, no data), 2 the
command was used wrongly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics.warehouse.connection import WarehouseError

FORMATS = ("xlsx", "docx", "html")


class ReportError(Exception):
    """A report cannot be made from what was asked; ``status`` is the exit status."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def add_report_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lsp report ...` on the `lsp` parser's subcommands."""
    report = sub.add_parser("report", help="the Board pack and other reports, as files")
    rsub = report.add_subparsers(dest="report_command", required=True)
    board = rsub.add_parser(
        "board",
        help="the Board pack: Excel workbook, Word appendix or one HTML page",
        description=__doc__.split("\n\n")[0],
    )
    board.add_argument("--period", help="the quarter, e.g. '2010/11 Q4' (default: latest)")
    board.add_argument("--format", choices=FORMATS, help="default: the suffix of --output")
    board.add_argument("-o", "--output", required=True, type=Path, help="the file to write")
    board.add_argument("--partnership", help="partnership name or code (default: the one)")
    board.set_defaults(func=cmd_report_board)

    scrutiny = rsub.add_parser(
        "scrutiny",
        help="the six-monthly scrutiny pack: Word committee report, Excel workbook or HTML",
    )
    scrutiny.add_argument("--half", help="a half-year, e.g. '2010/11 H1' (default: latest)")
    scrutiny.add_argument("--since", help="instead: since the review meeting of DATE")
    scrutiny.add_argument(
        "--threshold",
        type=int,
        default=2,
        help="quarters red or amber in a row to count as persistent (2)",
    )
    scrutiny.add_argument("--format", choices=FORMATS, help="default: the suffix of --output")
    scrutiny.add_argument("-o", "--output", required=True, type=Path, help="the file to write")
    scrutiny.add_argument("--partnership", help="partnership name or code (default: the one)")
    scrutiny.set_defaults(func=cmd_report_scrutiny)

    changes = rsub.add_parser(
        "changes", help="what changed since a date (the Leader's update to full Council)"
    )
    changes.add_argument("--since", required=True, help="a date, e.g. 2010-11-16")
    changes.add_argument("--format", choices=("docx", "html"), help="default: from --output")
    changes.add_argument("-o", "--output", required=True, type=Path, help="the file to write")
    changes.add_argument("--partnership", help="partnership name or code (default: the one)")
    changes.set_defaults(func=cmd_report_changes)

    from analytics.cli_annual import add_annual_command

    add_annual_command(rsub)


def choose_partnership(path, name: str | None) -> tuple[int, str]:
    """(partnership_id, name): :func:`analytics.cli.choose_partnership`, its refusal as a
    report error (exit 2 when several partnerships could be meant, else 1)."""
    from analytics import cli

    try:
        return cli.choose_partnership(path, name)
    except cli.SeveralPartnerships as exc:
        raise ReportError(str(exc), 2) from exc
    except WarehouseError as exc:
        raise ReportError(str(exc)) from exc


def choose_period(path, partnership_id: int, period: str | None) -> str:
    from analytics import periods
    from analytics.warehouse import queries

    available = queries.periods_with_data(path, partnership_id)
    if not period:
        if not available:
            raise ReportError("No values have been loaded yet: nothing to report.")
        return available[0]
    try:
        code = periods.parse_period(period)
    except periods.PeriodError as exc:
        raise ReportError(f"--period: {exc}", 2) from None
    if periods.parse_code(code).grain != "quarter":
        raise ReportError(
            f"--period must be a quarter, such as '2010/11 Q4' (found {period!r}).", 2
        )
    if code not in available:
        shown = ", ".join(available[:4]) + (", ..." if len(available) > 4 else "")
        raise ReportError(f"No values loaded for {code}. Quarters with data: {shown or 'none'}.")
    return code


def choose_format(fmt: str | None, output: Path) -> str:
    if fmt:
        return fmt
    suffix = output.suffix.lower().lstrip(".")
    suffix = "html" if suffix == "htm" else suffix
    if suffix not in FORMATS:
        raise ReportError(f"Say --format {'|'.join(FORMATS)} (the output has no such suffix).", 2)
    return suffix


def _must_exist(path: Path) -> None:
    if not path.exists():
        raise ReportError(f"{path} does not exist. Create it with `lsp init`.")


def write_output(output: Path, data: bytes) -> None:
    """Write a report file, making its folder if need be."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)


def cmd_report_board(args: argparse.Namespace) -> int:
    from analytics.reports.board import board_pack_data, render
    from analytics.warehouse.connection import warehouse_path

    path = warehouse_path(getattr(args, "warehouse", None))
    try:
        fmt = choose_format(args.format, args.output)
        _must_exist(path)
        partnership_id, name = choose_partnership(path, args.partnership)
        period = choose_period(path, partnership_id, args.period)
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return exc.status
    pack = board_pack_data(path, partnership_id, period)
    data = render(pack, fmt)
    write_output(args.output, data)
    print(
        f"{args.output}: Board pack for {name}, {period} ({fmt}, {len(pack.exceptions)} "
        f"exceptions of {len(pack.statuses)} indicators, {len(data):,} bytes)."
    )
    return 0


def _date(text: str, option: str):
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(f"{option}: not a date such as 2010-11-16 (found {text!r}).", 2) from None


def cmd_report_scrutiny(args: argparse.Namespace) -> int:
    from analytics import periods
    from analytics.reports.scrutiny import render, scrutiny_pack_data
    from analytics.scrutiny.review import half_of, half_window, since_window
    from analytics.warehouse import queries
    from analytics.warehouse.connection import warehouse_path

    path = warehouse_path(getattr(args, "warehouse", None))
    try:
        fmt = choose_format(args.format, args.output)
        _must_exist(path)
        partnership_id, name = choose_partnership(path, args.partnership)
        available = queries.periods_with_data(path, partnership_id)
        if not available:
            raise ReportError("No values have been loaded yet: nothing to report.")
        if args.threshold < 1:
            raise ReportError("--threshold must be 1 or more.", 2)
        if args.since:
            window = since_window(_date(args.since, "--since"), available[0])
        else:
            half = half_of(available[0])
            if args.half:
                try:
                    half = periods.parse_period(args.half)
                    window = half_window(half)
                except periods.PeriodError as exc:
                    raise ReportError(f"--half: {exc}", 2) from None
            else:
                window = half_window(half)
            if periods.sort_key(window.quarters[0]) > periods.sort_key(available[0]):
                raise ReportError(f"No values loaded for {half} yet (latest: {available[0]}).")
        if window.is_empty:
            raise ReportError(f"No quarter's figures have come in {window.label}.")
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return exc.status
    review = scrutiny_pack_data(path, partnership_id, window, args.threshold)
    data = render(review, fmt)
    write_output(args.output, data)
    print(
        f"{args.output}: scrutiny pack for {name}, {window.label} ({fmt}, "
        f"{len(review.persistent)} persistent exceptions, {len(review.tracker)} "
        f"recommendations, {len(data):,} bytes)."
    )
    return 0


def cmd_report_changes(args: argparse.Namespace) -> int:
    from analytics.reports.changes import changes_data, render
    from analytics.warehouse.connection import warehouse_path

    path = warehouse_path(getattr(args, "warehouse", None))
    try:
        fmt = args.format or choose_format(None, args.output)
        if fmt not in ("docx", "html"):
            raise ReportError("The update is written as docx or html.", 2)
        _must_exist(path)
        partnership_id, name = choose_partnership(path, args.partnership)
        since = _date(args.since, "--since")
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return exc.status
    report = changes_data(path, partnership_id, since)
    data = render(report, fmt)
    write_output(args.output, data)
    print(
        f"{args.output}: changes since {since} for {name} ({fmt}, {len(report.changes)} status "
        f"changes, {len(report.new_recommendations)} new recommendations, {len(data):,} bytes)."
    )
    return 0
