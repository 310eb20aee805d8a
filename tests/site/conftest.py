"""A demo warehouse with nothing published but one quarter, and its built site."""

from __future__ import annotations

import shutil

import pytest

from analytics.warehouse.connection import close_readers, writer

FIRST_QUARTER = "2008/09 Q2"
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def unpublish(path) -> None:
    """Forget every publication (a test's starting point: nothing public)."""
    with writer(path) as con:
        for table in ("publication", "published_value", "published_activity",
                      "published_annual_text"):  # fmt: skip
            con.execute(f"DELETE FROM {table}")


@pytest.fixture(scope="session")
def one_quarter(demo_warehouse, tmp_path_factory):
    """(warehouse, site folder): the demo with only 2008/09 Q2 published (and a hostile
    commentary in it), built."""
    from analytics.access import cli_user
    from analytics.site.build import build_site
    from analytics.warehouse.publication import publish_period

    close_readers()
    folder = tmp_path_factory.mktemp("one_quarter")
    path = folder / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, path)
    unpublish(path)
    with writer(path) as con:
        con.execute(
            "UPDATE actual SET commentary = ? WHERE is_current AND period = ? AND indicator_id ="
            " (SELECT indicator_id FROM indicator WHERE code = 'NI 16' AND partnership_id = 2)",
            [HOSTILE, FIRST_QUARTER],
        )
        con.execute(
            "UPDATE actual SET dq_flag = 'concern' WHERE is_current AND period = ?",
            [FIRST_QUARTER],
        )
    publish_period(path, 2 if _pid(path) == 2 else _pid(path), FIRST_QUARTER, user=cli_user())
    site = folder / "site"
    build_site(path, site)
    close_readers()
    return path, site


def _pid(path) -> int:
    from analytics.warehouse import queries

    known = queries.partnerships(path)
    return int(known.query("indicators > 0")["partnership_id"].iloc[0])
