"""`lsp init`, `lsp framework template|import` and `lsp partnerships`: setting up the
warehouse and what it measures.

    lsp init [--demo] [--force]
    lsp framework template -o framework.xlsx
    lsp framework import framework.xlsx      # all or nothing
    lsp partnerships
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.cli.common import Rejected, output_option, print_messages


def cmd_init(args: argparse.Namespace) -> int:
    from analytics.access import cli_user
    from analytics.warehouse.connection import remove_warehouse, warehouse_path
    from analytics.warehouse.load import init_warehouse

    file = warehouse_path(args.warehouse)
    if file.exists():
        if not args.force:
            raise Rejected(
                f"{file} already exists; add --force to replace it (its data will be lost)."
            )
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
    from analytics.access import cli_user
    from analytics.framework.read import read_framework
    from analytics.messages import FileRejected
    from analytics.warehouse.load import import_framework

    try:
        framework = read_framework(args.file)
        counts = import_framework(framework, args.warehouse, user=cli_user())
    except FileRejected as rejected:
        print_messages(rejected.messages)
        raise Rejected(f"{args.file}: not loaded; the warehouse is unchanged.") from None
    print_messages([m for m in framework.messages if m.severity == "warning"])
    summary = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in counts.items())
    print(f"{args.file}: loaded ({summary}).")
    return 0


def cmd_partnerships(args: argparse.Namespace) -> int:
    from analytics.warehouse import queries

    frame = queries.partnerships(args.warehouse).sort_values("partnership_code")
    if frame.empty:
        raise Rejected("No partnerships yet: `lsp framework import` first.")
    for row in frame.itertuples():
        county = f"\tin {row.parent_name}" if isinstance(row.parent_name, str) else ""
        print(f"{row.partnership_code}\t{row.name}\t{row.tier}\t{row.indicators} indicators"
              + county)  # fmt: skip
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """`lsp init`, `lsp framework ...` and `lsp partnerships` on the `lsp` parser."""
    init = sub.add_parser(
        "init",
        help="create the warehouse (empty, or the demo partnership)",
        description="Create the warehouse: empty (with the National Indicator catalogue), or "
        "holding the demo partnership and its accounts.",
    )
    init.add_argument("--demo", action="store_true", help="build the demo partnership")
    init.add_argument("--force", action="store_true", help="replace an existing warehouse")
    init.set_defaults(func=cmd_init)

    framework = sub.add_parser(
        "framework",
        help="the framework workbook",
        description="The framework workbook: the partnership, its theme groups, indicators "
        "and targets.",
    )
    fsub = framework.add_subparsers(dest="framework_command", required=True, metavar="COMMAND")
    template = fsub.add_parser(
        "template",
        help="write a blank framework workbook",
        description="Write a blank framework workbook, with instructions and drop-downs.",
    )
    output_option(template, "the workbook to write (.xlsx)")
    template.set_defaults(func=cmd_framework_template)
    load = fsub.add_parser(
        "import",
        help="load a framework workbook (all or nothing)",
        description="Load a framework workbook: all of it, or (with every problem's sheet and "
        "cell on standard error) none of it.",
    )
    load.add_argument("file", type=Path, metavar="FILE", help="the framework workbook (.xlsx)")
    load.set_defaults(func=cmd_framework_import)

    partnerships = sub.add_parser(
        "partnerships",
        help="list every partnership (code, name)",
        description="List every partnership: code, name, tier, how many indicators, and the "
        "county a district is in.",
    )
    partnerships.set_defaults(func=cmd_partnerships)
