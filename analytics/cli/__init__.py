"""The `lsp` command: set up the warehouse, load frameworks and returns, print statuses,
write reports, manage accounts, publish and build the public site.

Every command takes ``--warehouse PATH`` (default ``$LSP_WAREHOUSE`` or
``data/warehouse.duckdb``). Exit status: 0 done, 1 the input was rejected (messages on
stderr), 2 the command was used wrongly (:mod:`analytics.cli.common`). docs/cli.md lists
every command; ``python -m analytics.cli.reference > docs/cli.md`` writes it again.

One module per command group registers its commands; what they share (the partnership, a
period or date, ``-o FILE``/``--format``, errors and exit statuses) is in ``common``.
"""

from __future__ import annotations

import argparse
import os
import sys

from analytics.cli import (
    backup,
    publish,
    recommendations,
    reminders,
    reports,
    returns,
    server,
    setup,
    status,
    users,
)
from analytics.cli.common import USAGE, CommandError, say

# In the order `lsp --help` lists them.
GROUPS = (
    setup,
    returns,
    reminders,
    status,
    reports,
    users,
    recommendations,
    publish,
    server,
    backup,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lsp", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--warehouse",
        metavar="PATH",
        help="the warehouse file (default: $LSP_WAREHOUSE or data/warehouse.duckdb)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one `lsp` command; its exit status (0 done, 1 rejected, 2 used wrongly)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # --help (0), or argparse refused the command line (2)
        return stop.code if isinstance(stop.code, int) else USAGE
    # Imported once the command line is read: `lsp --help` need not load DuckDB.
    import duckdb

    from analytics.authstore import StoreError
    from analytics.warehouse.connection import WarehouseError, is_damage, replace_snapshot
    from analytics.warehouse.partnerships import PartnershipError

    try:
        try:
            code = args.func(args)
        except duckdb.Error as exc:  # a snapshot damaged on disk: replaced, then once more
            if not is_damage(exc) or not replace_snapshot(getattr(args, "warehouse", None)):
                raise
            code = args.func(args)
        sys.stdout.flush()  # a reader that stopped early is found here, not at exit
        return code
    except CommandError as exc:
        say(str(exc))
        return exc.status
    except PartnershipError as exc:  # not found or ambiguous: the same everywhere
        say(str(exc))
        return USAGE
    except (WarehouseError, StoreError) as exc:
        say(str(exc))
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
