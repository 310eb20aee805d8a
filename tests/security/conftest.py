"""What the security tests share: a fingerprint of the whole warehouse (every row of every
table, so "unchanged" means unchanged, not only the same counts) and users of the demo."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.access import Grant, User
from analytics.warehouse import queries
from analytics.warehouse.connection import close_readers

SAFER = "Communities that are safe and feel safe"
HEALTH = "Improving health and well-being"


def fingerprint(path: Path) -> dict[str, tuple[int, int]]:
    """(rows, order-free sum of row hashes) of every table of the main file."""
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


def demo_pid(path: Path) -> int:
    found = queries.partnerships(path)
    return int(found[found["indicators"] > 0]["partnership_id"].iloc[0])


def theme_id(path: Path, name: str) -> int:
    themes = queries.themes(path, demo_pid(path))
    return int(themes.loc[themes["theme"] == name, "theme_id"].iloc[0])


@pytest.fixture
def safer_lead(demo_copy) -> User:
    """A theme lead of the demo's safer-communities theme group only."""
    pid = demo_pid(demo_copy)
    grant = Grant("theme_lead", pid, frozenset({theme_id(demo_copy, SAFER)}))
    return User("lead@test.example", "Test lead", (grant,))
