"""`lsp backup` and `lsp restore`: the warehouse, the files received and the accounts store.

lsp backup -o /var/backups/lsp/2026-12-07      # while the app serves
lsp restore /var/backups/lsp/2026-12-07 --warehouse /var/lib/lsp/warehouse.duckdb
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.cli.common import Rejected, output_option


def cmd_backup(args: argparse.Namespace) -> int:
    from analytics.warehouse.backup import BackupError, backup

    try:
        done = backup(args.warehouse, args.output)
    except BackupError as exc:
        raise Rejected(str(exc)) from None
    print(done.summary())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from analytics.warehouse.backup import BackupError, restore

    try:
        done = restore(args.backup, args.warehouse)
    except BackupError as exc:
        raise Rejected(str(exc)) from None
    print(done.summary())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """`lsp backup` and `lsp restore` on the `lsp` parser."""
    backup = sub.add_parser(
        "backup",
        help="back up the warehouse, the files received and the accounts store",
        description="Write a backup folder while the app serves: the newest snapshot of the "
        "warehouse (whole commits only; no writer is held up), the files received as they "
        "came (raw/), the accounts store (SQLite's online backup, or pg_dump when it is in "
        "PostgreSQL) and manifest.json with every file's SHA-256 and size, the versions and "
        "the time. The folder must be new or empty.",
    )
    output_option(backup, "the backup folder to write (new or empty)", metavar="DIR")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser(
        "restore",
        help="restore a backup into an empty place, after checking every file",
        description="Restore a folder `lsp backup` wrote: every file is checked against the "
        "manifest's SHA-256 and size first (a changed, missing or added file refuses the whole "
        "backup, and nothing is written); the warehouse, its raw/ folder and its accounts "
        "store must not exist yet (a restore never writes over data).",
    )
    restore.add_argument("backup", type=Path, metavar="DIR", help="the backup folder")
    restore.add_argument(
        "--warehouse", type=Path, metavar="PATH", default=argparse.SUPPRESS,
        help="where to restore the warehouse (default: $LSP_WAREHOUSE or "
        "data/warehouse.duckdb); the raw files and the SQLite accounts store go beside it",
    )  # fmt: skip
    restore.set_defaults(func=cmd_restore)
