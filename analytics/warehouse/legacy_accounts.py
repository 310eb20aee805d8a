"""Moving a warehouse's accounts into the accounts store, once.

Until this release accounts, grants, sessions and the access log were tables of the warehouse
(migration 0006). The first time a process uses the accounts of such a warehouse
(``analytics.warehouse.accounts.store_for``: a sign-in page, ``lsp user``, ``lsp audit``) they
move, in two steps:

1. **Copy** into the store, in one store transaction: every account (password hash, lock-out,
   dates), its grants, its open sessions (so nobody is signed out by the upgrade) and the
   access log. An account whose email the store already has is left as the store has it.
   Copying again copies nothing twice (sessions by token hash, log entries by their content).
2. **Clear** the warehouse's account tables, in one writer transaction, only after step 1 has
   committed. Afterwards the warehouse holds no password hash and no session hash.

Interrupted between the two, the next use finds rows still in the warehouse and runs both
steps again: the copy adds nothing, the clearing finishes. The audit of data changes
(``audit_log``, including the account changes made before the move) stays in the warehouse.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from analytics.warehouse.connection import reader, writer

_TABLES = ("account", "account_grant", "account_session", "access_log")


@dataclass
class Legacy:
    """What a warehouse still holds of accounts (rows as tuples, in the old tables' order)."""

    accounts: list[tuple] = field(default_factory=list)
    grants: list[tuple] = field(default_factory=list)
    sessions: list[tuple] = field(default_factory=list)  # open ones only
    access: list[tuple] = field(default_factory=list)
    rows: int = 0  # every row of the four tables, open or not: what clearing removes

    @property
    def empty(self) -> bool:
        return self.rows == 0


def read_legacy(path: Path) -> Legacy:
    """The warehouse's account tables (empty when it has none, or never had them)."""
    cur = reader(path)
    try:
        present = {
            r[0]
            for r in cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
                " AND table_name IN (SELECT unnest(?))",
                [list(_TABLES)],
            ).fetchall()
        }
        if present != set(_TABLES):
            return Legacy()
        count = cur.execute(
            "SELECT (SELECT count(*) FROM account) + (SELECT count(*) FROM account_grant)"
            " + (SELECT count(*) FROM account_session) + (SELECT count(*) FROM access_log)"
        ).fetchall()[0][0]
        if not count:
            return Legacy()
        return Legacy(
            accounts=cur.execute(
                "SELECT account_id, email, display_name, password_hash, is_disabled,"
                " failed_attempts, locked_until, created_at, last_signed_in_at, password_set_at"
                " FROM account ORDER BY account_id"
            ).fetchall(),
            grants=cur.execute(
                "SELECT account_id, role, partnership_id, theme_ids FROM account_grant"
            ).fetchall(),
            sessions=cur.execute(
                "SELECT token_sha256, account_id, source, created_at, last_seen_at"
                " FROM account_session WHERE ended_at IS NULL"
            ).fetchall(),
            access=cur.execute(
                "SELECT logged_at, actor, event, detail FROM access_log ORDER BY access_id"
            ).fetchall(),
            rows=int(count),
        )
    finally:
        cur.close()


@dataclass(frozen=True)
class Copied:
    accounts: int
    sessions: int
    access: int


def copy_into(store, legacy: Legacy) -> Copied:
    """Step 1: the legacy rows into the store, in one transaction (idempotent)."""
    now = datetime.now().replace(microsecond=0)
    added = sessions = access = 0
    with store.write() as tx:
        new_ids: dict[int, int] = {}
        for (
            old_id,
            email,
            name,
            hashed,
            disabled,
            failures,
            locked,
            created,
            signed,
            set_at,
        ) in legacy.accounts:
            if tx.row("SELECT 1 FROM account WHERE email = ?", [email]):
                continue  # the store's own account wins
            [new_id] = tx.row(
                "INSERT INTO account (email, display_name, password_hash, is_disabled,"
                " failed_attempts, locked_until, created_at, last_signed_in_at, password_set_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING account_id",
                [email, name, hashed, bool(disabled), int(failures or 0), locked,
                 created or now, signed, set_at],
            )  # fmt: skip
            new_ids[old_id] = int(new_id)
            added += 1
        for old_id, role, partnership_id, theme_ids in legacy.grants:
            if old_id in new_ids:
                tx.run(
                    "INSERT INTO account_grant (account_id, role, partnership_id, theme_ids)"
                    " VALUES (?, ?, ?, ?)",
                    [new_ids[old_id], role, partnership_id, json.dumps(sorted(theme_ids or []))],
                )
        for token_sha256, old_id, source, created, seen in legacy.sessions:
            if old_id in new_ids:
                sessions += tx.run(
                    "INSERT INTO account_session (token_sha256, account_id, source, created_at,"
                    " last_seen_at) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (token_sha256) DO NOTHING",
                    [token_sha256, new_ids[old_id], source, created, seen],
                )
        for logged_at, actor, event, detail in legacy.access:
            if not tx.row(
                "SELECT 1 FROM access_log WHERE logged_at = ? AND actor = ? AND event = ?"
                " AND coalesce(detail, '') = ?",
                [logged_at, actor, event, detail or ""],
            ):
                tx.run(
                    "INSERT INTO access_log (logged_at, actor, event, detail) VALUES (?, ?, ?, ?)",
                    [logged_at, actor, event, detail],
                )
                access += 1
    return Copied(added, sessions, access)


def clear(path: Path) -> None:
    """Step 2: empty the warehouse's account tables, in one writer transaction."""
    with writer(path) as con:
        for table in ("account_session", "access_log", "account_grant", "account"):
            con.execute(f"DELETE FROM {table}")  # noqa: S608 (a name from the list above)


def move(store, path: Path) -> Copied | None:
    """Both steps, when the warehouse still holds accounts; None when it holds none."""
    legacy = read_legacy(path)
    if legacy.empty:
        return None
    copied = copy_into(store, legacy)
    clear(path)
    print(
        f"Moved the accounts of {path} into the accounts store {store.label}: "
        f"{copied.accounts} account(s) with their roles and password hashes, "
        f"{copied.sessions} open session(s) and {copied.access} access-log entries. "
        "The warehouse no longer holds password or session hashes.",
        file=sys.stderr,
        flush=True,
    )
    return copied
