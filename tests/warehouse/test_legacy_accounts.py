"""A warehouse made before the accounts store (accounts, grants, sessions and the access log in
its own tables, migration 0006) is upgraded on first use: the accounts move into the store
(SQLite and PostgreSQL) keeping password hashes, grants, open sessions and the log; the old
password still signs in, the old session still resumes, and the warehouse keeps no hash. An
upgrade cut short between its two steps finishes next time without copying anything twice."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import duckdb
import pytest

from analytics.access import passwords, sessions, signin
from analytics.authstore import forget_stores, open_store
from analytics.cli import main
from analytics.warehouse import accounts, legacy_accounts, queries
from analytics.warehouse.connection import close_readers
from tests.conftest import store_rows

PASSWORD = "an old long passphrase"
OLD_TOKEN = "an-old-session-token-from-before-the-store"
LEAD = "old.lead@wyvernvale.example"


def _old_warehouse(demo_warehouse, tmp_path):
    """The demo's data with accounts written the way the release before the store wrote them
    (into the warehouse's own tables), and no accounts store beside it."""
    close_readers()
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, path)
    found = queries.partnerships(demo_warehouse)
    pid = int(found[found["indicators"] > 0]["partnership_id"].iloc[0])
    safer = int(queries.themes(demo_warehouse, pid)["theme_id"].iloc[0])
    close_readers()
    con = duckdb.connect(str(path))
    try:
        seen = datetime.now().replace(microsecond=0) - timedelta(minutes=5)
        for email, name, role, theme_ids in (
            ("old.admin@wyvernvale.example", "Old Admin", "admin", []),
            (LEAD, "Old Lead", "theme_lead", [safer]),
        ):
            [(account_id,)] = con.execute(
                "INSERT INTO account (email, display_name, password_hash, password_set_at)"
                " VALUES (?, ?, ?, current_localtimestamp()) RETURNING account_id",
                [email, name, passwords.hash_password(PASSWORD)],
            ).fetchall()
            con.execute(
                "INSERT INTO account_grant (account_id, role, partnership_id, theme_ids)"
                " VALUES (?, ?, NULL, ?)",
                [account_id, role, theme_ids],
            )
        con.execute(
            "INSERT INTO account_session (token_sha256, account_id, source, created_at,"
            " last_seen_at) SELECT ?, account_id, 'password', ?, ? FROM account WHERE email = ?",
            [sessions.token_hash(OLD_TOKEN), seen, seen, LEAD],
        )
        con.execute(
            "INSERT INTO account_session (token_sha256, account_id, source, created_at,"
            " last_seen_at, ended_at, ended_reason) SELECT ?, account_id, 'password', ?, ?, ?,"
            " 'signed out' FROM account WHERE email = ?",
            [sessions.token_hash("an ended one"), seen, seen, seen, LEAD],
        )
        con.execute(
            "INSERT INTO access_log (actor, event, detail) VALUES (?, 'sign in', ?)",
            [LEAD, '{"source": "password"}'],
        )
    finally:
        con.close()
    close_readers()
    return path, safer


def _warehouse_rows(path) -> dict[str, int]:
    close_readers()
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("account", "account_grant", "account_session", "access_log")
        }
    finally:
        con.close()


def test__old_warehouse__accounts_move_to_the_store_and_old_password_and_session_work(
    demo_warehouse, tmp_path, store_backend, capsys
):
    path, safer = _old_warehouse(demo_warehouse, tmp_path)
    assert _warehouse_rows(path)["account"] == 2

    user = signin.resume_session(path, OLD_TOKEN)  # the first use moves them
    assert "Moved the accounts" in capsys.readouterr().err
    assert user is not None and user.email == LEAD
    assert user.theme_ids(None) == {safer}
    result = signin.sign_in(path, "Old.Admin@wyvernvale.example", PASSWORD)
    assert result.user is not None and result.user.roles(None) == {"admin"}

    assert _warehouse_rows(path) == dict.fromkeys(
        ("account", "account_grant", "account_session", "access_log"), 0
    )  # no password hash, no session hash left in the warehouse
    moved = store_rows(path, "SELECT token_sha256 FROM account_session ORDER BY created_at")
    assert sessions.token_hash(OLD_TOKEN) in {r[0] for r in moved}
    assert sessions.token_hash("an ended one") not in {r[0] for r in moved}
    assert [r[0] for r in store_rows(path, "SELECT event FROM access_log ORDER BY access_id")][
        :1
    ] == ["sign in"]
    listed = accounts.list_accounts(path).set_index("email")
    assert listed.loc[LEAD, "roles"] == "theme_lead" and listed.loc[LEAD, "has_password"]


def test__old_warehouse__lsp_says_it_moved_the_accounts_once(demo_warehouse, tmp_path, capsys):
    path, _ = _old_warehouse(demo_warehouse, tmp_path)
    assert main(["--warehouse", str(path), "user", "list"]) == 0
    out = capsys.readouterr()
    assert "Moved the accounts" in out.err and "2 account(s)" in out.err
    assert LEAD in out.out
    forget_stores()  # as a new process would
    assert main(["--warehouse", str(path), "user", "list"]) == 0
    assert "Moved" not in capsys.readouterr().err


def test__old_warehouse__an_upgrade_cut_short_finishes_next_time_copying_nothing_twice(
    demo_warehouse, tmp_path, store_backend, monkeypatch
):
    path, _ = _old_warehouse(demo_warehouse, tmp_path)
    real_clear = legacy_accounts.clear

    class CutShort(Exception):
        """The process stopped between the two steps."""

    def cut_short(_path):
        raise CutShort

    monkeypatch.setattr(legacy_accounts, "clear", cut_short)
    with pytest.raises(CutShort):
        signin.sign_in(path, LEAD, PASSWORD)
    assert _warehouse_rows(path)["account"] == 2  # not cleared: the store has committed
    with open_store(path).read() as tx:  # the store itself, without moving anything
        assert len(tx.rows("SELECT email FROM account")) == 2

    monkeypatch.setattr(legacy_accounts, "clear", real_clear)
    forget_stores()  # as a new process would
    assert signin.sign_in(path, LEAD, PASSWORD).user is not None
    assert _warehouse_rows(path)["account"] == 0
    assert len(store_rows(path, "SELECT email FROM account")) == 2
    assert len(store_rows(path, "SELECT token_sha256 FROM account_session")) == 2  # old + new
    logged = [r[0] for r in store_rows(path, "SELECT event FROM access_log ORDER BY access_id")]
    assert logged == ["sign in", "sign in"]  # the moved entry once, then this sign-in
