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


@pytest.fixture
def demo_copy(demo_warehouse, tmp_path) -> Path:
    """A private copy of the demo warehouse that a test may write to."""
    close_readers()
    target = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, target)
    return target


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
