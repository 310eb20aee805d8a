"""Backing up and restoring the accounts store, whichever back-end holds it.

- **SQLite** (the file beside the warehouse): SQLite's online backup API, a consistent copy
  while the app signs people in (it reads through the write-ahead log); restored by copying it
  back beside the restored warehouse.
- **PostgreSQL** (``$LSP_AUTH_DATABASE_URL``): ``pg_dump`` of the store's tables only
  (custom format, without owners or privileges, so it restores into a database the council's
  user owns), restored with ``pg_restore`` in one transaction. The password never goes on a
  command line (other users can read those): it is passed in ``PGPASSWORD``.

A restore goes only into an empty place: no SQLite file there, or none of the store's tables
in the PostgreSQL database.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from analytics.authstore import StoreError, _backend, forget_stores
from analytics.authstore.backends import STORE_TABLES, PostgresBackend, SQLiteBackend

SQLITE_FILE = "accounts.sqlite"
PG_FILE = "accounts.pgdump"


@dataclass(frozen=True)
class StoreBackup:
    """What a backup holds of the store: its file in the backup folder (None: no store yet)."""

    kind: str  # "sqlite" or "postgresql"
    file: str | None
    source: str  # where it came from, without a password
    tool: str  # what wrote it (SQLite's version, or pg_dump's)


def _pg_tool(name: str) -> str:
    """The newest installed PostgreSQL client program (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    tool = found[-1] if found else shutil.which(name)
    if tool is None:
        raise StoreError(
            f"{name} was not found: the accounts store is in PostgreSQL, and {name} "
            "(Debian's postgresql-client package) is needed to back it up or restore it."
        )
    return tool


def _pg_connection(backend: PostgresBackend) -> tuple[str, dict[str, str]]:
    """(connection string without the password, environment with PGPASSWORD)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    parts = conninfo_to_dict(backend.conninfo)
    env = dict(os.environ)
    password = parts.pop("password", None)
    if password:
        env["PGPASSWORD"] = str(password)
    return make_conninfo(**{k: str(v) for k, v in parts.items()}), env


def _run(argv: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        said = " ".join(done.stderr.split())[-400:]
        raise StoreError(f"{what} failed ({Path(argv[0]).name} said: {said or 'nothing'}).")
    return done.stdout


def _version(tool: str) -> str:
    done = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def backup_store(warehouse: Path, folder: Path) -> StoreBackup:
    """Write the accounts store of ``warehouse`` into ``folder``."""
    backend = _backend(Path(warehouse))
    if isinstance(backend, SQLiteBackend):
        tool = f"SQLite {sqlite3.sqlite_version} online backup"
        if not backend.file.exists():
            return StoreBackup("sqlite", None, backend.label, tool)
        source = sqlite3.connect(f"file:{backend.file}?mode=ro", uri=True)
        target = sqlite3.connect(folder / SQLITE_FILE)
        try:
            source.backup(target)  # one step: a consistent copy, the write-ahead log included
        finally:
            target.close()
            source.close()
        return StoreBackup("sqlite", SQLITE_FILE, backend.label, tool)
    dump = _pg_tool("pg_dump")
    dbname, env = _pg_connection(backend)
    tables = [f"--table={table}" for table in STORE_TABLES]
    _run(
        [dump, f"--dbname={dbname}", "--format=custom", "--no-owner", "--no-privileges",
         *tables, f"--file={folder / PG_FILE}"],
        env, f"Backing up the accounts store {backend.label} with pg_dump",
    )  # fmt: skip
    return StoreBackup("postgresql", PG_FILE, backend.label, _version(dump))


def store_in_the_way(warehouse: Path) -> str | None:
    """What already holds accounts for ``warehouse`` (a restore would overwrite it), or None."""
    backend = _backend(Path(warehouse))
    if isinstance(backend, SQLiteBackend):
        return f"the accounts store {backend.file}" if backend.file.exists() else None
    con = backend.connect()
    try:
        found = con.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename = ANY(%s)",
            [list(STORE_TABLES)],
        ).fetchall()
    finally:
        con.close()
    return f"the accounts store's tables in {backend.label}" if found else None


def check_store_kind(warehouse: Path, kind: str) -> None:
    """Refuse when the backup's store cannot go where this warehouse keeps its accounts."""
    backend = _backend(Path(warehouse))
    if backend.name == kind:
        return
    if kind == "sqlite":
        raise StoreError(
            "The backup's accounts are a SQLite store, but LSP_AUTH_DATABASE_URL names a "
            "PostgreSQL database: unset it to restore them beside the warehouse (then move "
            "them as the operations guide says), or restore a backup made from PostgreSQL."
        )
    raise StoreError(
        "The backup's accounts were dumped from PostgreSQL: set LSP_AUTH_DATABASE_URL to an "
        "empty PostgreSQL database to restore them into."
    )


def restore_store(warehouse: Path, folder: Path, backup: StoreBackup) -> str:
    """Put the store of a checked backup back for ``warehouse``; where ("" when the backup
    had none)."""
    backend = _backend(Path(warehouse))
    forget_stores()
    if backup.file is None:
        return ""  # the backup had none (no account had been made)
    if isinstance(backend, SQLiteBackend):
        backend.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = backend.file.with_name(backend.file.name + ".restoring")
        shutil.copyfile(folder / backup.file, tmp)
        os.replace(tmp, backend.file)
        return str(backend.file)
    restore = _pg_tool("pg_restore")
    dbname, env = _pg_connection(backend)
    _run(
        [restore, f"--dbname={dbname}", "--no-owner", "--no-privileges", "--exit-on-error",
         "--single-transaction", str(folder / backup.file)],
        env, f"Restoring the accounts store into {backend.label} with pg_restore",
    )  # fmt: skip
    return backend.label
