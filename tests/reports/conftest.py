"""Fixtures for the report tests: the demo partnership's id, latest quarter and Board pack."""

from __future__ import annotations

import duckdb
import pytest

from analytics.warehouse import queries
from analytics.warehouse.connection import close_readers

DEMO_NAME = "Wyvern Vale Partnership"


def demo_partnership_id(path) -> int:
    known = queries.partnerships(path)
    return int(known.loc[known["name"] == DEMO_NAME, "partnership_id"].iloc[0])


@pytest.fixture(scope="session")
def demo_pid(demo_warehouse) -> int:
    return demo_partnership_id(demo_warehouse)


@pytest.fixture(scope="session")
def demo_period(demo_warehouse, demo_pid) -> str:
    return queries.periods_with_data(demo_warehouse, demo_pid)[0]


@pytest.fixture(scope="session")
def demo_pack(demo_warehouse, demo_pid, demo_period):
    from analytics.reports.board import board_pack_data

    return board_pack_data(demo_warehouse, demo_pid, demo_period)


def execute(path, sql: str, params: list | None = None) -> None:
    """Write straight into a test warehouse (closing the cached readers first)."""
    close_readers()
    con = duckdb.connect(str(path))
    try:
        con.execute(sql, params or [])
    finally:
        con.close()
    close_readers()
