"""`lsp template` and `lsp import`: quarterly returns from the command line.

    lsp template --theme "Stronger communities" --period "2009/10 Q2" -o return.xlsx [--due-days 20]
    lsp import returns/*.xlsx [--period "2009/10 Q2"] [--theme T] [--dry-run] [--add-unknown]
               [--accept]

Exit status: 0 written or loaded (or, with --dry-run, would load); 1 rejected, with every
message on stderr, and the warehouse unchanged; 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.cli.common import (
    Rejected,
    UsageError,
    chosen_partnership,
    output_option,
    partnership_option,
    period_type,
    print_messages,
    say,
)

if TYPE_CHECKING:
    from analytics.warehouse.partnerships import Partnership


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


def _partnership(args: argparse.Namespace, files: list[Path] | None = None) -> Partnership:
    """The partnership asked for, else the one our templates name (``files``), else the only
    one with a framework (:func:`analytics.cli.common.chosen_partnership`)."""
    named = _templates_partnership(files) if files and args.partnership is None else None
    if named:  # our templates say whose they are
        from analytics.warehouse.partnerships import all_partnerships

        for partnership in all_partnerships(args.warehouse):
            if partnership.code == named:
                return partnership
        # (a template of a partnership not in this warehouse is refused, with why, by intake)
    return chosen_partnership(args)


def cmd_template(args: argparse.Namespace) -> int:
    from analytics.warehouse import queries
    from analytics.warehouse.returns import write_template

    partnership = chosen_partnership(args)
    quarter = str(args.period)
    themes = queries.themes(args.warehouse, partnership.id)["theme"].tolist()
    if args.theme not in themes:
        raise UsageError(
            "\n".join([f"--theme: no theme group {args.theme!r}. Choose one of:"]
                      + [f"  {name}" for name in themes])
        )  # fmt: skip
    out = write_template(
        partnership.id, args.theme, quarter, args.output, args.warehouse, args.due_days
    )
    rows = queries.template_rows(args.warehouse, partnership.id, args.theme, quarter)[0]
    print(
        f"Return template for {args.theme}, {quarter} written to {out} ({len(rows)} indicators "
        f"due). Send it to the theme group; load what comes back with `lsp import {out.name}`."
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from analytics.access import cli_user
    from analytics.ingest.intake import intake_file
    from analytics.messages import FileRejected
    from analytics.warehouse import queries
    from analytics.warehouse.returns import commit_returns, preview_returns

    partnership = _partnership(args, args.files)
    context = queries.intake_context(args.warehouse, partnership.id)
    period = None if args.period is None else str(args.period)
    intakes = [
        intake_file(file, context, theme=args.theme, period=period, add_unknown=args.add_unknown)
        for file in args.files
    ]
    for intake in intakes:
        for note in intake.notes:
            print(f"{intake.file}: {note}")
        print_messages(intake.messages)
    rejected = [i for i in intakes if not i.ok]
    if rejected:
        say(*(f"{i.file}: not loaded ({len(i.errors)} errors)." for i in rejected))
        raise Rejected("Nothing was loaded; the warehouse is unchanged.")
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
        results = commit_returns(intakes, args.warehouse, user=cli_user(), accept=args.accept)
    except FileRejected as rejected_error:
        print_messages(rejected_error.messages)
        raise Rejected("Nothing was loaded; the warehouse is unchanged.") from None
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
            f"{result.rows_unchanged} unchanged{extra}; "
            f"{'accepted' if args.accept else 'awaiting sign-off'}. Kept at {result.stored_path}."
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """`lsp template` and `lsp import` on the `lsp` parser."""
    template = sub.add_parser(
        "template",
        help="write a theme group's quarterly return template (.xlsx)",
        description="Write a theme group's return template for a quarter: the indicators due, "
        "their targets and last values, and cells to fill in.",
    )
    template.add_argument(
        "--theme", required=True, help="the theme group's name, as in the framework"
    )
    template.add_argument(
        "--period",
        required=True,
        type=period_type("quarter"),
        metavar="QUARTER",
        help="the quarter, e.g. '2009/10 Q2'",
    )
    output_option(template, "the workbook to write (.xlsx)")
    partnership_option(template)
    template.add_argument(
        "--due-days",
        metavar="DAYS",
        type=int,
        default=None,
        help="working days after the quarter ends that it is due (default: the collection's "
        "setting, 20 unless the officer changed it)",
    )
    template.set_defaults(func=cmd_template)

    load = sub.add_parser(
        "import",
        help="check and load returns (.xlsx .xlsm .xls .ods .csv), all or nothing",
        description="Check returns in any layout and load them: all of them, or (with every "
        "problem's file, sheet and cell on standard error) none.",
    )
    load.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="returns: our templates or any layout"
    )
    load.add_argument(
        "--period",
        type=period_type("quarter"),
        metavar="QUARTER",
        help="the quarter the returns are for, e.g. '2009/10 Q2' (default: from each file)",
    )
    load.add_argument("--theme", help="the theme group that sent them (default: from each file)")
    partnership_option(load, "the one our templates name, else the one with a framework")
    load.add_argument(
        "--dry-run", action="store_true", help="check and preview only; write nothing"
    )
    load.add_argument(
        "--accept",
        action="store_true",
        help="accept them as checked (the officer loading returns for the theme groups); "
        "otherwise they wait for sign-off",
    )
    load.add_argument(
        "--add-unknown",
        action="store_true",
        help="add unknown indicator codes as local data-only indicators of the theme group",
    )
    load.set_defaults(func=cmd_import)
