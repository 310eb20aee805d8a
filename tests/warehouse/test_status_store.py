"""Stored SPC readings after a commit of values: kept before the first period a commit
changes, read again from there; the same as reading the whole partnership again."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd

from analytics.access import cli_user
from analytics.ingest.intake import intake_file
from analytics.status.spc_readings import READING_COLUMNS
from analytics.warehouse import collection, queries
from analytics.warehouse.connection import close_readers, writer
from analytics.warehouse.returns import commit_returns, withdraw_return
from analytics.warehouse.status_store import store_statuses
from tests.conftest import OFFICER
from tests.security.conftest import SAFER, demo_pid, theme_id

ACTING = cli_user()


def _stored(path) -> pd.DataFrame:
    close_readers()
    con = duckdb.connect(str(path), read_only=True)
    try:
        cols = ", ".join(("indicator_id", "period", "rag_status", *READING_COLUMNS))
        return con.execute(
            f"SELECT {cols} FROM indicator_status ORDER BY indicator_id, period"  # noqa: S608
        ).df()
    finally:
        con.close()


def _read_whole(path, tmp_path) -> pd.DataFrame:
    """The same warehouse with every partnership's statuses and readings computed whole."""
    copy = tmp_path / "whole.duckdb"
    close_readers()
    shutil.copyfile(path, copy)
    with writer(copy) as con:
        for (pid,) in con.execute("SELECT partnership_id FROM partnership").fetchall():
            store_statuses(con, pid)
    return _stored(copy)


def test__commit__a_correction_mid_history_gives_the_readings_a_whole_read_gives(
    demo_copy, tmp_path
):
    pid = demo_pid(demo_copy)
    # the demo's quarters are locked once their Board has met: reopened for the correction
    collection.reopen(demo_copy, pid, theme_id(demo_copy, SAFER), "2009/10 Q2",
                      "A miscount found by the audit.", user=OFFICER)  # fmt: skip
    before = _stored(demo_copy)
    file = tmp_path / "safer_q2.csv"
    file.write_text("Period,Ref,Actual,Comments\n2009/10 Q2,NI 32,99,Corrected\n")
    intake = intake_file(file, queries.intake_context(demo_copy, pid), theme=SAFER)
    assert intake.ok, [m.format() for m in intake.errors]
    [result] = commit_returns([intake], demo_copy, user=ACTING, accept=True)  # as loaded
    after = _stored(demo_copy)
    pd.testing.assert_frame_equal(after, _read_whole(demo_copy, tmp_path))
    moved = after.compare(before)
    assert len(moved), "the correction moved some reading"

    withdraw_return(result.return_id, demo_copy, user=ACTING, reason="sent in error")
    pd.testing.assert_frame_equal(_stored(demo_copy), _read_whole(demo_copy, tmp_path))
    pd.testing.assert_frame_equal(_stored(demo_copy), before)
