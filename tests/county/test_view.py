"""The county view read for a person: checked where the read happens, another district's
unpublished data withheld from a district's reader; reported beside computed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics.access import Grant, PermissionDenied, User
from analytics.county.present import filtered, sorted_rows, view_rows
from analytics.warehouse.county import county_for, county_view_for
from tests.county.build import Q1, Q2, pid_of


def _user(role: str, code: str | None, path) -> User:
    return User(f"{role}@x.example", role, (Grant(role, None if code is None else
                                                   pid_of(path, code)),))  # fmt: skip


def test__county_figure__computed_from_the_districts_beside_what_the_county_reported(
    county_warehouse,
):
    tsc = pid_of(county_warehouse, "TSC")
    view = county_view_for(county_warehouse, _user("officer", "TSC", county_warehouse), tsc, Q2)
    rows = view.rows.set_index("code")
    ratio = rows.loc["NI 192"]
    assert ratio["county_computed_value"] == pytest.approx(100 * 1150 / 3100)  # not the 40% mean
    assert ratio["county_reported_value"] == 37.5
    assert ratio["reported_difference"] == pytest.approx(37.5 - 100 * 1150 / 3100)
    assert ratio["county_figure_source"] == "computed"
    assert rows.loc["NI 1", "county_figure_source"] == "reported"  # county only
    assert rows.loc["NI 154", "county_figure"] == 245  # cumulative homes, added up
    assert (rows.loc["NI 154", "contributions_add_up"], rows.loc["NI 154", "largest_gap_district"]
            ) == (False, "BXM")  # fmt: skip
    words = {r.code: r for r in view_rows(view)}
    assert words["NI 192"].reported == "reported 37.5%: 0.4 percentage points above"
    assert "Bexmoor Partnership holds 100% of the districts' gap" in words["NI 154"].gap
    # every district of a county-only indicator shows the county's figure, marked
    county_only = view.cells[view.cells["code"] == "NI 1"]
    assert county_only["shows_county_figure"].all() and (county_only["actual_value"] == 72).all()


def test__county_figure__direction_of_travel_from_the_previous_quarter(county_warehouse):
    tsc = pid_of(county_warehouse, "TSC")
    view = county_view_for(county_warehouse, _user("board", "TSC", county_warehouse), tsc, Q2)
    rows = view.rows.set_index("code")
    assert rows.loc["NI 192", "previous_value"] == pytest.approx(100 * 1090 / 3100)
    assert rows.loc["NI 192", "dot_previous"] == "improving"
    first = county_view_for(county_warehouse, _user("board", "TSC", county_warehouse), tsc, Q1)
    assert first.rows.set_index("code").loc["NI 192", "dot_previous"] is None


def test__read__a_district_reader_sees_the_county_figures_and_only_its_own_districts_data(
    county_warehouse,
):
    tsc = pid_of(county_warehouse, "TSC")
    reader = _user("officer", "BXM", county_warehouse)
    assert county_for(county_warehouse, pid_of(county_warehouse, "BXM")) == tsc
    view = county_view_for(county_warehouse, reader, tsc, Q2)
    cells = view.cells.set_index(["code", "district_code"])
    assert cells.loc[("NI 192", "BXM"), "actual_value"] == 50.0  # its own
    for other in ("AYF", "CLD"):  # nothing published: nothing shown
        cell = cells.loc[("NI 192", other)]
        assert math.isnan(cell["actual_value"]) and cell["published_only"]
        assert pd.isna(cell["numerator"]) and pd.isna(cell["status"])
    rows = view.rows.set_index("code")
    assert rows.loc["NI 192", "county_figure"] == pytest.approx(100 * 1150 / 3100)
    # the largest gap of NI 192 is Ayford's: not named to Bexmoor's reader
    assert pd.isna(rows.loc["NI 192", "largest_gap_district"])
    assert set(view.districts["access"]) == {"full", "published"}


def test__read__refused_to_someone_with_no_role_in_the_county_or_its_districts(
    county_warehouse,
):
    stranger = User("s@x.example", "Stranger", (Grant("officer", 999),))
    with pytest.raises(PermissionDenied):
        county_view_for(county_warehouse, stranger, pid_of(county_warehouse, "TSC"), Q2)


def test__filters_and_sorts__by_theme_and_status(county_warehouse):
    tsc = pid_of(county_warehouse, "TSC")
    rows = view_rows(county_view_for(county_warehouse, _user("admin", None, county_warehouse),
                                     tsc, Q2))  # fmt: skip
    assert {r.theme for r in filtered(rows, ["Safety"], [])} == {"Safety"}
    amber = filtered(rows, [], ["amber"])
    assert amber and all(r.status == "amber" for r in amber)
    by_status = [r.sort_status for r in sorted_rows(rows, "status")]
    assert by_status == sorted(by_status)
    by_gap = [r.sort_gap for r in sorted_rows(rows, "gap")]
    assert by_gap == sorted(by_gap, reverse=True)
    link = next(c.link for r in rows if r.code == "NI 192" for c in r.cells
                if c.district_code == "CLD")  # fmt: skip
    assert link == "indicator?indicator=NI+192&partnership=CLD"


def test__write__a_county_officer_reads_a_district_but_cannot_load_its_returns(county_copy,
                                                                            tmp_path):  # fmt: skip
    from analytics.access import PermissionDenied, with_tiers
    from analytics.ingest.intake import intake_file
    from analytics.warehouse import queries
    from analytics.warehouse.connection import close_readers
    from analytics.warehouse.county import parent_map
    from analytics.warehouse.returns import commit_returns
    from tests.conftest import fingerprint
    from tests.county.build import write_return

    county = with_tiers(_user("officer", "TSC", county_copy), parent_map(county_copy))
    ayford = pid_of(county_copy, "AYF")
    file = write_return(tmp_path / "ayford.csv", [("NI 154", "2009/10 Q3", 120, None, None)])
    context = queries.intake_context(county_copy, ayford)
    close_readers(county_copy)
    intake = intake_file(file, context, theme="Place", period="2009/10 Q3")
    assert intake.ok
    before = fingerprint(county_copy)
    with pytest.raises(PermissionDenied):
        commit_returns([intake], county_copy, user=county)
    assert fingerprint(county_copy) == before
