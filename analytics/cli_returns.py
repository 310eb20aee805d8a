"""`lsp template` and `lsp import`: quarterly returns from the command line.

    lsp template --theme "Stronger communities" --period "2009/10 Q2" -o return.xlsx
    lsp import returns/*.xlsx [--period "2009/10 Q2"] [--theme T] [--dry-run] [--add-unknown]

Exit status: 0 written or loaded (or, with --dry-run, would load); 1 rejected, with every
message on stderr, and the warehouse unchanged; 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics.access import cli_user
from analytics.messages import FileRejected


def _templates_partnership(files: list[Path]) -> str | None:
    """The partnership code our own templates name, when every file is one of them and they
    all name the same partnership (None otherwise)."""
    from analytics.ingest.template import template_meta

    codes = set()
    for file in files:
        meta = template_meta(file) if Path(file).is_file() else None
        if meta is None or not meta.get("partnership_code"):
            return None
        codes.add(meta["partnership_code"])
    return codes.pop() if len(codes) == 1 else None


def _partnership(args: argparse.Namespace, files: list[Path] | None = None) -> int | None:
    """The partnership asked for, else the one our templates name (``files``), else the only
    one with a framework (None: say why, listing at most ten codes)."""
    from analytics.cli import some_codes
    from analytics.warehouse import queries

    found = queries.partnerships(args.warehouse)
    wanted = args.partnership or (_templates_partnership(files) if files else None)
    if wanted:
        rows = found[found["partnership_code"] == wanted]
        if rows.empty:
            codes = some_codes(found["partnership_code"])
            source = "" if args.partnership else " (named by the template)"
            print(f"No partnership {wanted!r}{source}; choose one of: {codes}", file=sys.stderr)
            return None
        return int(rows["partnership_id"].iloc[0])
    with_framework = found[found["indicators"] > 0]
    if len(with_framework) == 1:
        return int(with_framework["partnership_id"].iloc[0])
    if with_framework.empty:
        print("No framework loaded yet: `lsp framework import` first.", file=sys.stderr)
    else:
        codes = some_codes(with_framework["partnership_code"])
        print(f"Several partnerships: add --partnership CODE (one of {codes}).", file=sys.stderr)
    return None


def cmd_template(args: argparse.Namespace) -> int:
    from analytics import periods
    from analytics.warehouse import queries
    from analytics.warehouse.returns import write_template

    pid = _partnership(args)
    if pid is None:
        return 1
    try:
        quarter = periods.parse_period(args.period)
    except periods.PeriodError as exc:
        print(f"--period: {exc}", file=sys.stderr)
        return 2
    if periods.parse_code(quarter).grain != "quarter":
        print(f"--period: a return is for a quarter, e.g. {quarter} Q2", file=sys.stderr)
        return 2
    themes = queries.themes(args.warehouse, pid)["theme"].tolist()
    if args.theme not in themes:
        print(f"--theme: no theme group {args.theme!r}. Choose one of:", file=sys.stderr)
        for name in themes:
            print(f"  {name}", file=sys.stderr)
        return 2
    out = write_template(pid, args.theme, quarter, args.output, args.warehouse, args.due_days)
    rows = queries.template_rows(args.warehouse, pid, args.theme, quarter)[0]
    print(
        f"Return template for {args.theme}, {quarter} written to {out} ({len(rows)} indicators "
        f"due). Send it to the theme group; load what comes back with `lsp import {out.name}`."
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from analytics.ingest.intake import intake_file
    from analytics.warehouse import queries
    from analytics.warehouse.returns import commit_returns, preview_returns

    pid = _partnership(args, args.files)
    if pid is None:
        return 1
    context = queries.intake_context(args.warehouse, pid)
    intakes = [
        intake_file(
            file, context, theme=args.theme, period=args.period, add_unknown=args.add_unknown
        )
        for file in args.files
    ]
    for intake in intakes:
        for note in intake.notes:
            print(f"{intake.file}: {note}")
        for message in intake.messages:
            print(message.format(), file=sys.stderr)
    rejected = [i for i in intakes if not i.ok]
    if rejected:
        for intake in rejected:
            print(f"{intake.file}: not loaded ({len(intake.errors)} errors).", file=sys.stderr)
        print("Nothing was loaded; the warehouse is unchanged.", file=sys.stderr)
        return 1
    if args.dry_run:
        preview = preview_returns(intakes, args.warehouse)
        for intake in intakes:
            mine = preview[preview["file"] == intake.file]
            counts = {k: n for k, n in mine["change"].value_counts().items() if n}
            statuses = {k: n for k, n in mine["status"].astype(str).value_counts().items() if n}
            if not counts:
                print(f"{intake.file}: {intake.theme}, {intake.period}: no values to load.")
                continue
            print(
                f"{intake.file}: {intake.theme}, {intake.period}: would load "
                + ", ".join(f"{n} {k}" for k, n in counts.items())
                + " (statuses: "
                + ", ".join(f"{n} {k}" for k, n in statuses.items())
                + ")"
            )
        print("Dry run: nothing was written.")
        return 0
    try:
        results = commit_returns(intakes, args.warehouse, user=cli_user())
    except FileRejected as rejected_error:
        for message in rejected_error.messages:
            print(message.format(), file=sys.stderr)
        print("Nothing was loaded; the warehouse is unchanged.", file=sys.stderr)
        return 1
    for intake, result in zip(intakes, results, strict=True):
        if result.already_loaded:
            print(f"{result.file_name}: already loaded (return {result.return_id}); no change.")
            continue
        extra = ""
        if result.superseded_id:
            extra += f"; supersedes return {result.superseded_id}"
        if result.indicators_added:
            extra += f"; {result.indicators_added} indicators added"
        if result.targets_added:
            extra += f"; {result.targets_added} targets from the return"
        print(
            f"{result.file_name}: loaded as return {result.return_id} ({intake.theme}, "
            f"{intake.period}): {result.rows_new} new, {result.rows_changed} changed, "
            f"{result.rows_unchanged} unchanged{extra}. Kept at {result.stored_path}."
        )
    return 0


def add_return_commands(sub: argparse._SubParsersAction) -> None:
    """Register the return commands on the `lsp` parser."""
    template = sub.add_parser(
        "template", help="write a theme group's quarterly return template (.xlsx)"
    )
    template.add_argument("--theme", required=True, help="theme group name, as in the framework")
    template.add_argument("--period", required=True, help='the quarter, e.g. "2009/10 Q2"')
    template.add_argument("-o", "--output", required=True, type=Path)
    template.add_argument("--partnership", help="partnership code (when there are several)")
    template.add_argument(
        "--due-days", type=int, default=42, help="days after the quarter end it is due (42)"
    )
    template.set_defaults(func=cmd_template)

    load = sub.add_parser(
        "import", help="check and load returns (.xlsx .xlsm .xls .ods .csv), all or nothing"
    )
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    load.add_argument("--period", help='the quarter the returns are for, e.g. "2009/10 Q2"')
    load.add_argument("--theme", help="the theme group that sent them")
    load.add_argument("--partnership", help="partnership code (when there are several)")
    load.add_argument(
        "--dry-run", action="store_true", help="check and preview only; write nothing"
    )
    load.add_argument(
        "--add-unknown",
        action="store_true",
        help="add unknown indicator codes as local data-only indicators of the theme group",
    )
    load.set_defaults(func=cmd_import)
