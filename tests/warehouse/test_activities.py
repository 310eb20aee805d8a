"""Positive activities follow the return in force: nothing is deleted."""

import duckdb

from analytics.access import cli_user
from analytics.warehouse import views
from analytics.warehouse.connection import close_readers
from analytics.warehouse.returns import withdraw_return

ACTING = cli_user()  # the acting user of these writes (`lsp` on the server)

ECONOMIC = "Economic success that is shared by all"


def _ids(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "SELECT r.return_id, r.state, r.file_name FROM return_file r JOIN theme t"
            " USING (theme_id) WHERE t.name = ? AND r.period = '2009/10 Q2'"
            " AND r.partnership_id = 2 ORDER BY return_id",  # Wyvern Vale's (its county's too)
            [ECONOMIC],
        ).fetchall()
    finally:
        con.close()
    return rows


def _economic(path):
    close_readers()
    acts = views.activities(path, 2, "2009/10 Q2")
    return acts[acts["theme"] == ECONOMIC]


def test__activities__withdrawing_a_correction_brings_back_the_earlier_returns(
    demo_copy, monkeypatch
):
    monkeypatch.setenv("LSP_TODAY", "2009-11-20")  # before 2009/10 Q2 locks (after its Board)
    (first, first_state, _), (second, second_state, _) = _ids(demo_copy)
    assert (first_state, second_state) == ("superseded", "loaded")
    before = _economic(demo_copy)
    assert len(before) == 2
    close_readers()
    withdraw_return(second, demo_copy, user=ACTING, reason="test")
    after = _economic(demo_copy)
    assert len(after) == 2  # the first submission's activities are in view again
    con = duckdb.connect(str(demo_copy), read_only=True)
    kept = con.execute(
        "SELECT count(*) FROM positive_activity WHERE return_id = ?", [second]
    ).fetchall()[0][0]
    con.close()
    assert kept == 2  # on record, not deleted


def test__activities__one_set_per_theme_and_period(demo_warehouse):
    close_readers()
    acts = views.activities(demo_warehouse, 2, "2009/10 Q2")
    assert acts.groupby("theme").size().max() == 2
    assert acts["theme"].nunique() == 6
