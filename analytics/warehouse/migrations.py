"""Schema by numbered migrations: ``migrations/NNNN_name.sql``, applied in order, recorded.

Each file runs inside its own transaction together with its row in ``_migrations``, so a
database is always at a whole migration. A database made by an older release is upgraded
in place the next time it is opened for writing.

Numbers are unique and increasing; a gap is allowed, because branches developed side by side
reserve their numbers (0010 and 0011 on two branches, 0012 on a third): a database applies
every migration it has not recorded, in order, so one that got 0012 first applies 0010 and
0011 when they arrive. Migrations that may arrive out of order therefore touch different
tables or columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

_NAME_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    folder = resources.files("analytics.warehouse") / "migrations"
    found = []
    for entry in folder.iterdir():
        m = _NAME_RE.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda mig: mig.version)
    versions = [mig.version for mig in found]
    if len(set(versions)) != len(versions) or (versions and versions[0] != 1):
        raise RuntimeError(f"migrations must be numbered 0001, 0002, ..., each once: {versions}")
    return found


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS _migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    return {row[0] for row in con.execute("SELECT version FROM _migrations").fetchall()}


def apply_migrations(con: duckdb.DuckDBPyConnection, up_to: int | None = None) -> list[int]:
    """Apply every migration not yet recorded (up to ``up_to``); return those applied."""
    done = applied_versions(con)
    applied = []
    for mig in available_migrations():
        if mig.version in done or (up_to is not None and mig.version > up_to):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(mig.sql)
            con.execute(
                "INSERT INTO _migrations (version, name) VALUES (?, ?)", [mig.version, mig.name]
            )
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        applied.append(mig.version)
    return applied
