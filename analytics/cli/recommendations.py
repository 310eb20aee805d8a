"""`lsp recommendations ...`: the scrutiny recommendation tracker as a workbook and a list.

    lsp recommendations template -o tracker.xlsx      # blank, or --filled with the tracker
    lsp recommendations import tracker.xlsx           # all or nothing; updates by reference
    lsp recommendations list [--as-of 2011-06-14] [--format table|csv|json]

Exit status: 0 done, 1 the workbook was rejected (every problem on stderr, nothing loaded),
2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from analytics.cli.common import (
    Rejected,
    chosen_partnership,
    date_type,
    named_partnership,
    output_option,
    partnership_option,
    print_messages,
)

LIST_COLUMNS = (
    "reference", "made_on", "review", "addressed_to", "theme", "indicator_codes", "sent_on",
    "response_due_on", "days_to_response", "response_overdue", "response", "response_on",
    "lead_officer", "due_on", "status", "closed_on", "rag", "rag_reason", "progress_note",
    "text",
)  # fmt: skip


def _context(path, pid: int):
    from analytics.warehouse import queries

    themes = queries.themes(path, pid)
    names = {}
    for theme_id, name, short in zip(
        themes["theme_id"], themes["theme"], themes["short_name"], strict=True
    ):
        names[str(name).strip().lower()] = int(theme_id)
        if isinstance(short, str) and short.strip():
            names[short.strip().lower()] = int(theme_id)
    codes = set(queries.framework_indicators(path, pid)["code"])
    return names, codes


def cmd_template(args: argparse.Namespace) -> int:
    from analytics.scrutiny.workbook import COLUMNS, write_template
    from analytics.warehouse import scrutiny

    rows = None
    if args.filled:
        pid = chosen_partnership(args).id
        rows = scrutiny.recommendations(args.warehouse, pid).reindex(columns=COLUMNS)
        rows["response"] = rows["response"].where(rows["response"].notna(), None)
    else:
        named_partnership(args)  # a blank workbook is everyone's; a partnership named is found
    out = write_template(args.output, rows)
    print(f"Tracker workbook written to {out}. Fill it in, then "
          f"`lsp recommendations import {out}`.")  # fmt: skip
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from analytics.access import cli_user
    from analytics.messages import FileRejected
    from analytics.scrutiny.tracker import TrackerError
    from analytics.scrutiny.workbook import read_tracker
    from analytics.warehouse import scrutiny
    from analytics.warehouse.connection import close_readers

    pid = chosen_partnership(args).id
    themes, codes = _context(args.warehouse, pid)
    close_readers(args.warehouse)
    try:
        rows = read_tracker(args.file, themes, codes)
        counts = scrutiny.import_recommendations(args.warehouse, pid, rows, user=cli_user())
    except FileRejected as rejected:
        print_messages(rejected.messages)
        raise Rejected(f"{args.file}: not loaded; the warehouse is unchanged.") from None
    except TrackerError as exc:
        raise Rejected(
            f"ERROR: {args.file}: {exc}. Nothing was loaded; the warehouse is unchanged."
        ) from None
    print_messages(rows.attrs.get("warnings", []))
    print(
        f"{args.file}: loaded ({counts['added']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['progress_updates']} progress updates)."
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    import pandas as pd

    from analytics.scrutiny.tracker import tracker
    from analytics.warehouse import scrutiny

    as_of = args.as_of or date.today()
    pid = chosen_partnership(args).id
    table = tracker(scrutiny.recommendations(args.warehouse, pid), as_of)
    out = table.reindex(columns=list(LIST_COLUMNS))
    out["days_to_response"] = out["days_to_response"].astype("Int64")
    for column in ("made_on", "sent_on", "response_due_on", "response_on", "due_on", "closed_on"):
        out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")
    if args.format == "csv":
        from analytics.reports.writers.csv_file import frame_to_csv

        frame_to_csv(out, sys.stdout)
    elif args.format == "json":
        records = json.loads(out.to_json(orient="records"))
        print(json.dumps(records, indent=1, ensure_ascii=False))
    else:
        print(f"Recommendations as at {as_of:%-d %b %Y} ({len(out)})")
        shown = out[["reference", "addressed_to", "sent_on", "response_due_on",
                     "response_overdue", "response", "status", "rag"]]  # fmt: skip
        print(shown.to_string(index=False, na_rep="–", max_colwidth=30))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """`lsp recommendations ...` on the `lsp` parser."""
    recs = sub.add_parser(
        "recommendations",
        help="the scrutiny recommendation tracker",
        description="The scrutiny committee's recommendation tracker, as a workbook and a list.",
    )
    rsub = recs.add_subparsers(dest="recommendations_command", required=True, metavar="COMMAND")
    template = rsub.add_parser(
        "template",
        help="write the tracker workbook",
        description="Write the tracker workbook: blank, or with --filled holding every "
        "recommendation in the tracker.",
    )
    output_option(template, "the workbook to write (.xlsx)")
    template.add_argument(
        "--filled", action="store_true", help="with every recommendation in the tracker"
    )
    partnership_option(template)
    template.set_defaults(func=cmd_template)
    load = rsub.add_parser(
        "import",
        help="load a tracker workbook (all or nothing)",
        description="Load a tracker workbook: recommendations are added or updated by "
        "reference, all or nothing.",
    )
    load.add_argument("file", type=Path, metavar="FILE", help="the tracker workbook (.xlsx)")
    partnership_option(load)
    load.set_defaults(func=cmd_import)
    show = rsub.add_parser(
        "list",
        help="print the tracker as at a date",
        description="Print the tracker as at a date: responses due and overdue, status, RAG.",
    )
    show.add_argument(
        "--as-of", type=date_type, metavar="DATE", help="a date, e.g. 2011-06-14 (default: today)"
    )
    show.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="a table to read, or CSV or JSON with every column (default: table)",
    )
    partnership_option(show)
    show.set_defaults(func=cmd_list)
