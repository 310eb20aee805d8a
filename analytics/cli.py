"""The `lsp` command: set up the warehouse, the framework workbook, returns and status.

Every command takes ``--warehouse PATH`` (default ``$LSP_WAREHOUSE`` or
``data/warehouse.duckdb``). Exit status: 0 done, 1 the input was rejected (messages on
stderr), 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analytics.access import cli_user
from analytics.authstore import StoreError
from analytics.messages import FileRejected
from analytics.warehouse.connection import WarehouseError, warehouse_path


def _print_messages(messages, stream=None) -> None:
    for message in messages:
        print(message.format(), file=stream or sys.stderr)


def cmd_init(args: argparse.Namespace) -> int:
    from analytics.warehouse.connection import remove_warehouse
    from analytics.warehouse.load import init_warehouse

    file = warehouse_path(args.warehouse)
    if file.exists():
        if not args.force:
            print(
                f"{file} already exists; add --force to replace it (its data will be lost).",
                file=sys.stderr,
            )
            return 1
        remove_warehouse(file)  # in a writer's turn: a write under way finishes first
        from analytics.authstore import remove_store

        print(f"Accounts of the old warehouse: {remove_store(file)}.")
    if args.demo:
        from analytics.demo.build import build_demo
        from analytics.demo.spec import DEMO_ACCOUNTS, DEMO_PASSWORD

        counts = build_demo(file)
        print(
            f"Demo partnership built in {file}: {counts['indicators']} indicators, "
            f"{counts['themes']} theme groups, {counts['actions']} actions, "
            f"{counts['returns']} returns ({counts['values']} values)."
        )
        print(f"Demo accounts (password {DEMO_PASSWORD}):")
        for email, _name, role, themes in DEMO_ACCOUNTS:
            print(f"  {email:<30} {role}" + (f" ({', '.join(themes)})" if themes else ""))
    else:
        loaded = init_warehouse(file, user=cli_user())
        print(
            f"Empty warehouse created at {file} with {loaded} catalogue indicators. "
            "Next: `lsp user add EMAIL --name NAME --role admin --password-stdin`, then "
            "`lsp framework template -o framework.xlsx`."
        )
    return 0


def cmd_framework_template(args: argparse.Namespace) -> int:
    from analytics.framework.workbook import write_framework

    out = write_framework(args.output)
    print(f"Framework template written to {out}. Fill it in, then `lsp framework import {out}`.")
    return 0


def cmd_framework_import(args: argparse.Namespace) -> int:
    from analytics.framework.read import read_framework
    from analytics.warehouse.load import import_framework

    try:
        framework = read_framework(args.file)
        counts = import_framework(framework, args.warehouse, user=cli_user())
    except FileRejected as rejected:
        _print_messages(rejected.messages)
        print(f"{args.file}: not loaded; the warehouse is unchanged.", file=sys.stderr)
        return 1
    _print_messages([m for m in framework.messages if m.severity == "warning"])
    summary = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in counts.items())
    print(f"{args.file}: loaded ({summary}).")
    return 0


STATUS_COLUMNS = (
    "theme", "indicator_code", "title", "period", "actual_value", "period_value", "ytd_value",
    "target_value", "annual_target_value", "rag_status", "rag_reason", "dot_previous",
    "dot_last_year", "persistence_periods", "forecast_value", "forecast_status", "is_laa",
)  # fmt: skip


SHOWN_CODES = 10


def some_codes(codes) -> str:
    """At most ten partnership codes, sorted, and how to list them all when there are more."""
    ordered = sorted(str(c) for c in codes)
    shown = ", ".join(ordered[:SHOWN_CODES])
    if len(ordered) <= SHOWN_CODES:
        return shown
    return f"{shown} and {len(ordered) - SHOWN_CODES} more (`lsp partnerships` lists them all)"


class SeveralPartnerships(WarehouseError):
    """More than one partnership could be meant: the command must be told which."""


def choose_partnership(path, name: str | None) -> tuple[int, str]:
    """The partnership named (name or code, any case), or the only one with a framework."""
    from analytics.warehouse import queries

    frame = queries.partnerships(path)
    frame = frame[frame["indicators"] > 0]
    if name:
        wanted = name.strip().casefold()
        hit = frame[
            (frame["name"].str.casefold() == wanted)
            | (frame["partnership_code"].astype(str).str.casefold() == wanted)
        ]
        if hit.empty:
            raise WarehouseError(
                f"No partnership called {name!r}; give one of these codes: "
                f"{some_codes(frame['partnership_code'])}."
            )
        frame = hit
    if frame.empty:
        raise WarehouseError("No framework loaded yet: `lsp framework import` first.")
    if len(frame) != 1:
        raise SeveralPartnerships(
            "Several partnerships have a framework; say which with --partnership CODE "
            f"({some_codes(frame['partnership_code'])})."
        )
    return int(frame["partnership_id"].iloc[0]), str(frame["name"].iloc[0])


def cmd_partnerships(args: argparse.Namespace) -> int:
    from analytics.warehouse import queries

    frame = queries.partnerships(args.warehouse).sort_values("partnership_code")
    if frame.empty:
        print("No partnerships yet: `lsp framework import` first.", file=sys.stderr)
        return 1
    for row in frame.itertuples():
        print(f"{row.partnership_code}\t{row.name}\t{row.tier}\t{row.indicators} indicators")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from analytics import board, periods
    from analytics.warehouse import queries, views

    pid, _ = choose_partnership(args.warehouse, args.partnership)
    available = queries.periods_with_data(args.warehouse, pid)
    if not available:
        print("No values loaded yet: nothing to report.", file=sys.stderr)
        return 1
    period = args.period
    if period is None:
        period = available[0]
    else:
        try:
            period = periods.parse_period(period)
        except periods.PeriodError as exc:
            print(f"--period: {exc}", file=sys.stderr)
            return 2
    statuses = views.statuses_as_at(args.warehouse, pid, period)
    if args.theme:
        keep = statuses["theme"].str.lower().eq(args.theme.lower()) | statuses[
            "theme_short"
        ].str.lower().eq(args.theme.lower())
        if not keep.any():
            print(
                f"--theme: no theme group {args.theme!r}; there are: "
                f"{', '.join(statuses['theme'].unique())}",
                file=sys.stderr,
            )
            return 2
        statuses = statuses[keep]
    if args.exceptions:
        statuses = board.exceptions(statuses)
    out = statuses.rename(columns={"code": "indicator_code"}).reindex(columns=list(STATUS_COLUMNS))
    out = out.assign(period=out["period"].astype(str))
    if args.format == "csv":
        from analytics.reports.writers.csv_file import frame_to_csv

        frame_to_csv(out, sys.stdout)
    elif args.format == "json":
        print(out.to_json(orient="records", indent=1, date_format="iso"))
    else:
        shown = out.assign(theme=statuses["theme_short"].to_numpy()).drop(
            columns=[
                "title",
                "rag_reason",
                "forecast_value",
                "forecast_status",
                "is_laa",
                "annual_target_value",
                "ytd_value",
                "period_value",
            ]
        )
        print(f"Status as at {period} ({len(out)} indicators)")
        print(shown.to_string(index=False, na_rep="–", max_colwidth=28))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lsp", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--warehouse", help="warehouse file (default: $LSP_WAREHOUSE or data/warehouse.duckdb)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="create the warehouse (empty, or the demo partnership)")
    init.add_argument("--demo", action="store_true", help="build the demo partnership")
    init.add_argument("--force", action="store_true", help="replace an existing warehouse")
    init.set_defaults(func=cmd_init)

    framework = sub.add_parser("framework", help="the framework workbook")
    fsub = framework.add_subparsers(dest="framework_command", required=True)
    template = fsub.add_parser("template", help="write a blank framework workbook")
    template.add_argument("-o", "--output", required=True, type=Path)
    template.set_defaults(func=cmd_framework_template)
    load = fsub.add_parser("import", help="load a framework workbook (all or nothing)")
    load.add_argument("file", type=Path)
    load.set_defaults(func=cmd_framework_import)

    status = sub.add_parser("status", help="print the stored statuses as at a period")
    status.add_argument("--period", help="e.g. 2009/10 Q2 (default: the latest with data)")
    status.add_argument("--theme", help="a theme group's name or short name")
    status.add_argument("--exceptions", action="store_true", help="amber, red and missing only")
    status.add_argument("--format", choices=("table", "csv", "json"), default="table")
    status.add_argument("--partnership", help="name or code (default: the one with a framework)")
    status.set_defaults(func=cmd_status)

    partnerships = sub.add_parser("partnerships", help="list every partnership (code, name)")
    partnerships.set_defaults(func=cmd_partnerships)

    from analytics.cli_returns import add_return_commands

    add_return_commands(sub)

    from analytics.cli_reports import add_report_commands

    add_report_commands(sub)

    from analytics.cli_users import add_user_commands

    add_user_commands(sub)

    from analytics.cli_scrutiny import add_scrutiny_commands

    add_scrutiny_commands(sub)

    from analytics.cli_publish import add_publish_commands

    add_publish_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a reader that stopped early is found here, not at exit
        return code
    except (WarehouseError, StoreError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """Output piped into a reader that stopped early (``lsp status | head``): end quietly.

    Python would report the broken pipe again when it flushes stdout at exit, so stdout is
    pointed at /dev/null first (as the Python documentation advises for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests capture it)
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
