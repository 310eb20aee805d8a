"""The demo partnership is realistic, deterministic and loaded through the import path.

The demo warehouse also holds its county and three more districts (tests/test_demo_county.py):
what is said here of the demo partnership is said of Wyvern Vale (WVP)."""

from datetime import timedelta

import pandas as pd

from analytics.demo.build import generate
from analytics.warehouse.connection import reader


def q(path, sql):
    cur = reader(path)
    return cur.sql(sql).to_arrow_table().to_pandas()


def test__demo__generation_is_deterministic():
    first, second = generate(), generate()
    pd.testing.assert_frame_equal(first.values, second.values)
    pd.testing.assert_frame_equal(first.milestones, second.milestones)


WVP = "(SELECT partnership_id FROM partnership WHERE partnership_code = 'WVP')"


def test__demo__framework_has_the_variety_a_real_one_has(demo_warehouse):
    ind = q(demo_warehouse, f"SELECT * FROM indicator WHERE partnership_id = {WVP}")
    assert len(ind) >= 40
    assert set(ind["polarity"]) == {"higher", "lower", "none"}
    assert set(ind["measure_type"]) == {"snapshot", "cumulative"}
    assert {"quarterly", "annual", "biennial"} <= set(ind["frequency"])
    assert (ind["code"].str.startswith("NI ") & ind["frequency"].eq("biennial")).any()
    assert (ind["status_rule"] == "data_only").any()
    assert (~ind["code"].str.startswith("NI ")).sum() >= 5
    themes = q(demo_warehouse, f"SELECT name FROM theme WHERE partnership_id = {WVP}")["name"]
    themes = themes.tolist()
    assert len(themes) == 6
    assert "Communities that are safe and feel safe" in themes
    parent = q(
        demo_warehouse,
        "SELECT p.tier, parent.tier AS parent_tier FROM partnership p"
        " JOIN partnership parent ON p.parent_id = parent.partnership_id"
        f" WHERE p.partnership_id = {WVP}",
    )
    assert parent.values.tolist() == [["district", "county"]]


def test__demo__targets_for_three_years_with_a_refresh(demo_warehouse):
    targets = q(demo_warehouse, "SELECT * FROM target")
    assert set(targets["financial_year"]) == {"2008/09", "2009/10", "2010/11"}
    refreshed = targets[targets["version"] > 1]
    assert len(refreshed) >= 1
    assert refreshed["reason"].str.contains("recession").any()
    assert targets["is_placeholder"].any()


def test__demo__twelve_quarters_a_missing_return_and_a_correction(demo_warehouse):
    quarters = q(demo_warehouse, "SELECT DISTINCT period FROM actual WHERE period LIKE '%Q_'")
    assert len(quarters) == 12
    returns = q(
        demo_warehouse,
        "SELECT r.period, t.name, r.state FROM return_file r JOIN theme t USING (theme_id)"
        f" WHERE r.partnership_id = {WVP}",
    )
    health_q4 = returns[
        (returns["name"] == "Improving health and well-being") & (returns["period"] == "2010/11 Q4")
    ]
    assert health_q4.empty
    assert (returns["state"] == "superseded").sum() == 1
    history = q(demo_warehouse, "SELECT count(*) AS n FROM actual WHERE NOT is_current")
    assert history["n"][0] >= 1
    assert (
        q(demo_warehouse, "SELECT count(*) AS n FROM actual WHERE commentary IS NOT NULL")["n"][0]
        > 300
    )


def test__demo__actions_milestones_activities_comparators_and_boards(demo_warehouse):
    ms = q(demo_warehouse, "SELECT * FROM milestone")
    assert q(demo_warehouse, "SELECT count(*) AS n FROM action")["n"][0] >= 30
    assert ms["completed_on"].notna().any()
    late = ms["completed_on"].isna() & (pd.to_datetime(ms["due_date"]) < "2011-03-31")
    assert late.any()
    assert (ms["completed_on"] > ms["due_date"]).any()  # some finished late
    assert ms["is_reprogrammed"].sum() == 1
    assert q(demo_warehouse, "SELECT count(*) AS n FROM positive_activity")["n"][0] >= 100
    comparators = q(demo_warehouse, "SELECT DISTINCT comparator FROM comparator")
    assert set(comparators["comparator"]) == {"county", "england"}
    boards = q(demo_warehouse, "SELECT meeting_date FROM board_meeting"
               f" WHERE partnership_id = {WVP} ORDER BY 1")  # fmt: skip
    gaps = pd.to_datetime(boards["meeting_date"]).diff().dropna().unique()
    assert list(gaps) == [pd.Timedelta(timedelta(weeks=8))]


def test__demo__statuses_are_stored_with_a_realistic_mix(demo_warehouse):
    counts = q(
        demo_warehouse, "SELECT rag_status, count(*) AS n FROM indicator_status GROUP BY 1"
    ).set_index("rag_status")["n"]
    for status in ("green", "amber", "red", "missing", "no_target", "no_new_data"):
        assert counts.get(status, 0) > 0, status


def test__demo__files_are_kept_as_received_under_raw(demo_warehouse):
    raw = demo_warehouse.parent / "raw"
    assert (raw / "demo" / "framework.xlsx").exists()
    kept = list((raw / "2009-10" / "Q2").glob("*.xlsx"))
    assert len(kept) == 7  # six theme groups and one first submission, later corrected
