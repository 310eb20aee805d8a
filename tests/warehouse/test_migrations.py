import duckdb

from analytics.warehouse.connection import reader, writer
from analytics.warehouse.migrations import apply_migrations, available_migrations
from tests.conftest import table_counts


def test__migrations__numbered_once_each_and_all_applied_to_a_new_warehouse(empty_warehouse):
    versions = [m.version for m in available_migrations()]
    assert versions[0] == 1 and versions == sorted(set(versions))
    assert len(versions) >= 2
    con = reader(empty_warehouse)
    recorded = [r[0] for r in con.execute("SELECT version FROM _migrations ORDER BY 1").fetchall()]
    assert recorded == versions


def test__migrations__upgrade_from_first_migration_keeps_rows(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    assert apply_migrations(con, up_to=1) == [1]
    con.execute(
        "INSERT INTO partnership (partnership_code, name, tier)"
        " VALUES ('OLD', 'Old LSP', 'district')"
    )
    con.execute(
        "INSERT INTO theme (partnership_id, name) SELECT partnership_id, 'Safer' FROM partnership"
    )
    con.execute(
        "INSERT INTO indicator (partnership_id, code, title, theme_id, polarity)"
        " SELECT 1, 'L-1', 'Local one', theme_id, 'higher' FROM theme"
    )
    con.execute(
        "INSERT INTO actual (indicator_id, period, period_end, actual_value)"
        " VALUES (1, '2008/09 Q1', DATE '2008-06-30', 42.0)"
    )
    tables_before = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert "indicator_status" not in tables_before
    con.close()
    before = table_counts(path)

    with writer(path):  # opening for writing upgrades
        pass

    after = table_counts(path)
    assert {t: after[t] for t in before if t != "_migrations"} == {
        t: n for t, n in before.items() if t != "_migrations"
    }
    assert "indicator_status" in after and "return_mapping" in after
    con = duckdb.connect(str(path), read_only=True)
    recorded = {r[0] for r in con.execute("SELECT version FROM _migrations").fetchall()}
    assert recorded == {m.version for m in available_migrations()}
    assert con.execute("SELECT actual_value FROM actual").fetchall() == [(42.0,)]
    con.close()


def test__migrations__0004_keeps_stored_statuses_and_drops_the_key_indexes(tmp_path):
    path = tmp_path / "v3.duckdb"
    con = duckdb.connect(str(path))
    assert apply_migrations(con, up_to=3) == [1, 2, 3]
    con.execute(
        "INSERT INTO indicator_status (indicator_id, period, period_end, rag_status, rag_reason,"
        " status_rule) VALUES (1, '2008/09 Q1', DATE '2008-06-30', 'red', 'why', 'pct_tolerance')"
    )
    indexes = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert "actual_by_indicator" in indexes
    con.close()

    with writer(path):
        pass

    con = duckdb.connect(str(path), read_only=True)
    assert con.execute(
        "SELECT indicator_id, period, rag_status, persistence_periods FROM indicator_status"
    ).fetchall() == [(1, "2008/09 Q1", "red", 0)]
    indexes = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert "actual_by_indicator" not in indexes
    keys = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'indicator_status'"
        " AND constraint_type = 'PRIMARY KEY'"
    ).fetchall()
    assert keys == [(0,)]
    con.close()


def test__writer__rolls_back_everything_when_the_block_fails(empty_warehouse):
    before = table_counts(empty_warehouse)
    try:
        with writer(empty_warehouse) as con:
            con.execute("INSERT INTO partnership (partnership_code, name) VALUES ('X', 'X')")
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert table_counts(empty_warehouse) == before


def test__migrations__0005_adds_the_green_band_keeping_indicators(tmp_path):
    path = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(path))
    assert apply_migrations(con, up_to=4) == [1, 2, 3, 4]
    con.execute(
        "INSERT INTO partnership (partnership_code, name, tier) VALUES ('OLD', 'Old', 'district')"
    )
    con.execute("INSERT INTO theme (partnership_id, name) VALUES (1, 'Safer')")
    con.execute(
        "INSERT INTO indicator (partnership_id, code, title, theme_id, polarity,"
        " amber_tolerance_pct) VALUES (1, 'L-1', 'Local one', 1, 'lower', 5)"
    )
    con.close()

    with writer(path):
        pass

    con = duckdb.connect(str(path), read_only=True)
    assert con.execute(
        "SELECT code, amber_tolerance_pct, green_tolerance_pct FROM indicator"
    ).fetchall() == [("L-1", 5.0, None)]
    con.close()


def test__migrations__0009_adds_reward_forecast_and_logo_columns_keeping_rows(tmp_path):
    path = tmp_path / "v8.duckdb"
    con = duckdb.connect(str(path))
    assert apply_migrations(con, up_to=8)[-1] == 8
    con.execute(
        "INSERT INTO partnership (partnership_code, name, tier) VALUES ('OLD', 'Old', 'district')"
    )
    con.execute(
        "INSERT INTO partnership_profile (partnership_id, council_name, brand_colour, updated_by)"
        " VALUES (1, 'Old Council', '#1d5f8a', 'cli:x')"
    )
    con.execute(
        "INSERT INTO target (indicator_id, financial_year, version, target_value, set_on)"
        " VALUES (1, '2009/10', 1, 40.0, DATE '2009-04-01')"
    )
    con.execute(
        "INSERT INTO published_value (publication_id, partnership_id, indicator_id, period,"
        " period_end, actual_value, rag_status, rag_reason) VALUES (1, 1, 1, '2009/10 Q4',"
        " DATE '2010-03-31', 41.0, 'green', 'met')"
    )
    con.close()

    with writer(path):
        pass

    con = duckdb.connect(str(path), read_only=True)
    assert con.execute(
        "SELECT council_name, brand_colour, logo_type, logo_file FROM partnership_profile"
    ).fetchall() == [("Old Council", "#1d5f8a", None, None)]
    assert con.execute("SELECT target_value, target_without_stretch FROM target").fetchall() == [
        (40.0, None)
    ]
    assert con.execute("SELECT actual_value, forecast_value FROM published_value").fetchall() == [
        (41.0, None)
    ]
    assert con.execute("SELECT reward_grant_total FROM partnership").fetchall() == [(None,)]
    con.close()


def test__migrations__0010_adds_spc_and_counts_keeping_every_row(tmp_path):
    path = tmp_path / "v9.duckdb"
    con = duckdb.connect(str(path))
    assert apply_migrations(con, up_to=9)[-1] == 9
    con.execute(
        "INSERT INTO partnership (partnership_code, name, tier) VALUES ('OLD', 'Old', 'district')"
    )
    con.execute("INSERT INTO theme (partnership_id, name) VALUES (1, 'Safer')")
    con.execute(
        "INSERT INTO indicator (partnership_id, code, title, theme_id, polarity)"
        " VALUES (1, 'L-1', 'Local one', 1, 'higher')"
    )
    con.execute(
        "INSERT INTO actual (indicator_id, period, period_end, actual_value)"
        " VALUES (1, '2008/09 Q1', DATE '2008-06-30', 42.0)"
    )
    con.execute(
        "INSERT INTO indicator_status (indicator_id, period, period_end, rag_status, rag_reason,"
        " status_rule) VALUES (1, '2008/09 Q1', DATE '2008-06-30', 'red', 'why', 'pct_tolerance')"
    )
    con.close()
    before = table_counts(path)

    with writer(path):
        pass

    after = table_counts(path)
    assert {t: after[t] for t in before if t != "_migrations"} == {
        t: n for t, n in before.items() if t != "_migrations"
    }
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute(
        "SELECT actual_value, numerator_value, denominator_value FROM actual"
    ).fetchall() == [(42.0, None, None)]
    assert con.execute(
        "SELECT rag_status, spc_point, spc_mean FROM indicator_status"
    ).fetchall() == [("red", None, None)]
    assert con.execute("SELECT spc_run_length, ratio_type FROM indicator").fetchall() == [
        (None, None)
    ]
    assert con.execute("SELECT count(*) FROM spc_rebase").fetchall() == [(0,)]
    con.close()


def test__migrations__0012_keeps_returns_and_values_and_counts_earlier_returns_accepted(tmp_path):
    path = tmp_path / "v9.duckdb"
    con = duckdb.connect(str(path))
    assert apply_migrations(con, up_to=9) == list(range(1, 10))
    con.execute("INSERT INTO partnership (partnership_code, name) VALUES ('OLD', 'Old LSP')")
    con.execute("INSERT INTO theme (partnership_id, name, chair) VALUES (1, 'Safer', 'Police')")
    con.execute(
        "INSERT INTO indicator (partnership_id, code, title, theme_id, polarity)"
        " VALUES (1, 'L-1', 'Local one', 1, 'higher')"
    )
    con.execute(
        "INSERT INTO return_file (partnership_id, theme_id, period, file_name, stored_path,"
        " sha256, size_bytes, loaded_by, state) VALUES"
        " (1, 1, '2010/11 Q4', 'first.xlsx', 'raw/first.xlsx', 'aa', 10, 'officer', 'superseded'),"
        " (1, 1, '2010/11 Q4', 'second.xlsx', 'raw/second.xlsx', 'bb', 10, 'officer', 'loaded')"
    )
    con.execute(
        "INSERT INTO actual (indicator_id, period, period_end, actual_value, return_id,"
        " is_current) VALUES (1, '2010/11 Q4', DATE '2011-03-31', 41.0, 1, false),"
        " (1, '2010/11 Q4', DATE '2011-03-31', 42.0, 2, true)"
    )
    con.close()
    before = table_counts(path)

    with writer(path):
        pass

    after = table_counts(path)
    assert {t: after[t] for t in before if t != "_migrations"} == {
        t: n for t, n in before.items() if t != "_migrations"
    }
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute(
        "SELECT file_name, state, review_state FROM return_file ORDER BY return_id"
    ).fetchall() == [("first.xlsx", "superseded", "accepted"), ("second.xlsx", "loaded",
                                                                "accepted")]  # fmt: skip
    assert con.execute("SELECT name, chair, chair_email FROM theme").fetchall() == [
        ("Safer", "Police", None)
    ]
    # no setting: the Board sees the value in force, as before
    assert con.execute(
        "SELECT actual_value, numerator_value, denominator_value FROM board_actual"
    ).fetchall() == [(42.0, None, None)]  # 0010's counts, for the Indicator page's intervals
    assert {"period_lock", "period_reopening", "return_draft", "reminder"} <= set(after)
    con.close()
