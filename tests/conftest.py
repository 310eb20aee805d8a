"""Shared fixtures: warehouses built once per session, and AppTest pointed at them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings
from streamlit.testing.v1 import AppTest

from analytics.access import (
    Grant,
    User,
    cli_user,  # noqa: E402
)
from analytics.warehouse.connection import ENV_VAR, close_readers

ACTING = cli_user()  # the acting user of these writes (`lsp` on the server)

ROOT = Path(__file__).resolve().parents[1]

# Property tests: under CI one commit gives one answer on every machine (derandomised: the
# examples come from a fixed seed, no example database); locally they keep exploring, and a
# failing example found there is added to its test as an explicit @example. No deadline
# anywhere: a test never depends on timing.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "dev")


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The demo partnership, built once from its own workbooks (read-only for tests)."""
    from analytics.demo.build import build_demo

    path = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    build_demo(path)
    close_readers()
    return path


@pytest.fixture(scope="session")
def county_warehouse(tmp_path_factory) -> Path:
    """A small county and its three districts (tests/county/build.py; read-only for tests)."""
    from tests.county.build import build_county

    return build_county(tmp_path_factory.mktemp("county") / "warehouse.duckdb")


@pytest.fixture
def county_copy(county_warehouse, tmp_path) -> Path:
    """A private copy of the small county that a test may write to."""
    close_readers()
    target = tmp_path / "county.duckdb"
    shutil.copyfile(county_warehouse, target)
    return target


@pytest.fixture(autouse=True)
def _close_account_stores():
    """Each test's accounts stores are closed after it (their connections, not their data)."""
    yield
    from analytics.authstore import forget_stores

    forget_stores()


@pytest.fixture
def demo_copy(demo_warehouse, tmp_path) -> Path:
    """A private copy of the demo warehouse, with its accounts store, that a test may write to."""
    from analytics.authstore import copy_store

    close_readers()
    target = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, target)
    copy_store(demo_warehouse, target)
    return target


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the session (tests/postgres.py), stopped afterwards."""
    from tests.postgres import Server

    server = Server()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_backend(request, monkeypatch) -> str:
    """Runs a test twice: accounts in the SQLite file beside the warehouse, then in a fresh
    database of the real PostgreSQL server (``LSP_AUTH_DATABASE_URL``)."""
    from analytics.authstore import ENV_VAR as AUTH_ENV_VAR
    from analytics.authstore import forget_stores

    forget_stores()
    if request.param == "postgresql":
        monkeypatch.setenv(AUTH_ENV_VAR, request.getfixturevalue("postgres_server").new_database())
    else:
        monkeypatch.delenv(AUTH_ENV_VAR, raising=False)
    return request.param


@pytest.fixture
def accounts_copy(demo_warehouse, tmp_path, store_backend) -> Path:
    """A private copy of the demo warehouse whose demo accounts are in the store under test
    (``store_backend``): the same accounts, password hashes and grants as the demo's own."""
    from analytics.authstore import open_store

    close_readers()
    target = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, target)
    source = _sqlite_store(demo_warehouse)
    with source.read() as tx:
        accounts = tx.rows(
            "SELECT account_id, email, display_name, password_hash, created_at FROM account"
        )
        grants = tx.rows("SELECT account_id, role, partnership_id, theme_ids FROM account_grant")
    with open_store(target).write() as tx:
        ids = {}
        for old_id, *row in accounts:
            [ids[old_id]] = tx.row(
                "INSERT INTO account (email, display_name, password_hash, created_at)"
                " VALUES (?, ?, ?, ?) RETURNING account_id",
                row,
            )
        for old_id, *row in grants:
            tx.run(
                "INSERT INTO account_grant (account_id, role, partnership_id, theme_ids)"
                " VALUES (?, ?, ?, ?)",
                [ids[old_id], *row],
            )
    return target


def _sqlite_store(warehouse: Path):
    from analytics.authstore import SUFFIX, Store
    from analytics.authstore.backends import SQLiteBackend

    return Store(SQLiteBackend(warehouse.with_name(warehouse.name + SUFFIX)))


def store_counts(path: Path) -> dict[str, int]:
    """Rows in every table of the warehouse's accounts store (with :func:`table_counts`: the
    fingerprint that nothing changed)."""
    from analytics.authstore.backends import STORE_TABLES
    from analytics.warehouse.accounts import store_for

    with store_for(path).read() as tx:
        return {t: tx.row(f"SELECT count(*) FROM {t}")[0] for t in STORE_TABLES}  # noqa: S608


def store_rows(path: Path, sql: str, params=None) -> list[tuple]:
    """A query on the warehouse's accounts store (whichever back-end it is)."""
    from analytics.warehouse.accounts import store_for

    with store_for(path).read() as tx:
        return tx.rows(sql, params)


@pytest.fixture
def empty_warehouse(tmp_path) -> Path:
    from analytics.warehouse.load import init_warehouse

    path = tmp_path / "warehouse.duckdb"
    init_warehouse(path, user=ACTING)
    return path


# Signed-in users for AppTests, one per role (every partnership; the theme lead's theme
# groups are set by the test that needs them).
OFFICER = User("officer@test.example", "Test officer", (Grant("officer"),))
ADMIN = User("admin@test.example", "Test admin", (Grant("admin"),))
BOARD = User("board@test.example", "Test Board member", (Grant("board"),))
SCRUTINY = User("scrutiny@test.example", "Test councillor", (Grant("scrutiny"),))


@pytest.fixture
def app(monkeypatch):
    """``app(warehouse, page=None, query=None, user=OFFICER)``: an AppTest of app.py, run,
    on that warehouse, signed in as ``user`` (None: nobody signed in)."""

    def run(
        warehouse: Path,
        page: str | None = None,
        query: dict | None = None,
        user: User | None = OFFICER,
    ) -> AppTest:
        monkeypatch.setenv(ENV_VAR, str(warehouse))
        close_readers()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if user is not None:
            at.session_state["user"] = user
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        return at

    return run


def fingerprint(path: Path) -> dict[str, tuple[int, int]]:
    """(rows, order-free sum of row hashes) of every table of the main file: "unchanged"
    means every row unchanged, not only the same counts."""
    import duckdb

    close_readers()
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
                " AND table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        return {
            t: tuple(
                con.sql(
                    f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM "{t}" t'
                ).fetchall()[0]
            )  # fmt: skip
            for t in tables
        }
    finally:
        con.close()


def table_counts(path: Path) -> dict[str, int]:
    """Rows in every table: the fingerprint used to prove a rejected file changed nothing."""
    import duckdb

    close_readers()
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        ]
        return {t: con.sql(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}
    finally:
        con.close()
