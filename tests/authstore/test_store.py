"""The accounts store itself, on SQLite and on a real PostgreSQL: its schema by recorded
migrations, whole transactions, writers taking turns, and plain messages when it cannot be
reached."""

from __future__ import annotations

import threading

import pytest

from analytics.authstore import (
    ENV_VAR,
    SUFFIX,
    StoreError,
    forget_stores,
    open_store,
    store_location,
)
from analytics.authstore.schema import MIGRATIONS


def test__store__schema_recorded_once_and_opening_again_applies_nothing(store_backend, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    store = open_store(warehouse)
    assert open_store(warehouse) is store
    with store.read() as tx:
        recorded = [r[0] for r in tx.rows("SELECT version FROM store_migrations ORDER BY 1")]
    assert recorded == [v for v, *_ in MIGRATIONS]
    forget_stores()
    assert open_store(warehouse).migrate() == []
    if store_backend == "sqlite":
        assert store_location(warehouse) == str(warehouse) + SUFFIX
        with open_store(warehouse).read() as tx:
            assert tx.row("PRAGMA journal_mode") == ("wal",)
    else:
        assert store_location(warehouse).startswith("postgresql://lsp_test@")


def test__store__a_write_that_fails_leaves_nothing(store_backend, tmp_path):
    store = open_store(tmp_path / "warehouse.duckdb")
    with pytest.raises(RuntimeError, match="half way"), store.write() as tx:
        tx.run(
            "INSERT INTO access_log (logged_at, actor, event) VALUES (CURRENT_TIMESTAMP, ?, ?)",
            ["someone", "first half"],
        )
        raise RuntimeError("half way")
    with store.read() as tx:
        assert tx.row("SELECT count(*) FROM access_log") == (0,)


def test__store__writers_in_many_threads_take_turns_and_lose_nothing(store_backend, tmp_path):
    store = open_store(tmp_path / "warehouse.duckdb")
    with store.write() as tx:
        tx.run(
            "INSERT INTO account (email, display_name, created_at)"
            " VALUES (?, ?, CURRENT_TIMESTAMP)",
            ["many@example.org", "Many"],
        )
    errors: list[BaseException] = []

    def fail_twenty_times():
        try:
            for _ in range(20):
                with store.write(changes_access=False) as tx:
                    tx.row(
                        "UPDATE account SET failed_attempts = failed_attempts + 1"
                        " WHERE email = ? RETURNING failed_attempts",
                        ["many@example.org"],
                    )
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=fail_twenty_times) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with store.read() as tx:
        assert tx.row("SELECT failed_attempts FROM account") == (120,)


def test__store__a_database_url_that_is_not_postgresql_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, "mysql://someone@db/lsp")
    with pytest.raises(StoreError, match="does not name a PostgreSQL database"):
        open_store(tmp_path / "warehouse.duckdb")


def test__store__an_unreachable_postgresql_is_named_without_its_password(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, f"postgresql://lsp:s3cret-pw@/nowhere?host={tmp_path}")
    with pytest.raises(StoreError) as refused:
        open_store(tmp_path / "warehouse.duckdb")
    message = str(refused.value)
    assert "cannot be opened" in message and ENV_VAR in message
    assert "s3cret-pw" not in message
