"""Framework import across the tiers: a county lists its districts, a district names its
county; cycles, a district in two counties, a stretch with no stretch and contributions of a
partnership that is not a district are refused, and nothing partial loads."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.messages import FileRejected
from analytics.warehouse.connection import reader
from tests.conftest import fingerprint
from tests.county.build import ACTING, COUNTY, county_sheets, district_sheets, load


def _rows(path, sql):
    cur = reader(path)
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.close()


def _refused(path, sheets, name="framework.xlsx") -> list:
    before = fingerprint(path)
    with pytest.raises(FileRejected) as caught:
        load(path, sheets, name)
    assert fingerprint(path) == before  # nothing partial loads
    return [m.format() for m in caught.value.messages]


def test__hierarchy__the_county_lists_its_districts_and_each_names_its_county(county_warehouse):
    rows = _rows(county_warehouse, "SELECT p.partnership_code, p.tier, c.partnership_code"
                 " FROM partnership p LEFT JOIN partnership c ON c.partnership_id = p.parent_id"
                 " ORDER BY 1")  # fmt: skip
    assert rows == [("AYF", "district", "TSC"), ("BXM", "district", "TSC"),
                    ("CLD", "district", "TSC"), ("TSC", "county", None)]  # fmt: skip
    assert _rows(county_warehouse, "SELECT count(*) FROM population")[0][0] == 3
    assert _rows(county_warehouse, "SELECT count(*) FROM contribution_target")[0][0] == 6


def test__hierarchy__a_county_named_before_its_workbook_is_taken_over_by_it(tmp_path):
    from analytics.warehouse.load import init_warehouse

    path = tmp_path / "warehouse.duckdb"
    init_warehouse(path, user=ACTING)
    load(path, district_sheets("AYF"), "ayf.xlsx")  # names Testshire: a stub county
    [(code,)] = _rows(path, f"SELECT partnership_code FROM partnership WHERE name = '{COUNTY}'")
    assert code == "TESTSHIRE-PARTNERSHIP"
    load(path, county_sheets(), "tsc.xlsx")
    assert _rows(path, f"SELECT partnership_code FROM partnership WHERE name = '{COUNTY}'") == [
        ("TSC",)
    ]  # the same partnership, now with its code; the district is still its
    assert _rows(path, "SELECT count(*) FROM partnership")[0][0] == 4


def test__refused__a_cycle_in_the_parent_chain(county_copy):
    # the county names one of its own districts as its parent
    sheets = county_sheets()
    sheets["Partnership"] = sheets["Partnership"].assign(parent_name="Ayford Partnership")
    messages = _refused(county_copy, sheets)
    assert any("is a district partnership: a district's parent is its county" in m
               for m in messages)  # fmt: skip
    # a county above another, and back again: Upshire over Testshire, Testshire over Upshire
    up = county_sheets(
        Partnership=pd.DataFrame([{"partnership_code": "UPS", "name": "Upshire Partnership",
                                   "tier": "county", "parent_name": COUNTY}]),
        Districts=None, Populations=None, Contributions=None, Targets=None,
        **{"Reward allocations": None, "Reward adjustments": None},
    )  # fmt: skip
    load(county_copy, up, "ups.xlsx")
    sheets = county_sheets()
    sheets["Partnership"] = sheets["Partnership"].assign(parent_name="Upshire Partnership")
    messages = _refused(county_copy, sheets)
    assert any("the parent chain would be a cycle (Testshire Partnership → Upshire "
               "Partnership → Testshire Partnership)" in m for m in messages)  # fmt: skip
    assert any("sheet 'Partnership', cell D2" in m for m in messages)


def test__refused__a_district_under_two_counties(county_copy):
    other = county_sheets(
        Partnership=pd.DataFrame([{"partnership_code": "OTH", "name": "Othershire Partnership",
                                   "tier": "county"}]),
        Districts=pd.DataFrame([{"district_code": "BXM", "name": "Bexmoor Partnership"}]),
        Populations=None, Contributions=None,
        **{"Reward allocations": None, "Reward adjustments": None},
    )  # fmt: skip
    messages = _refused(county_copy, other)
    assert any("Bexmoor Partnership is a district of Testshire Partnership: a district is in "
               "one county" in m and "sheet 'Districts', cell A2" in m
               for m in messages)  # fmt: skip
    # the district's own workbook cannot name another county while Testshire lists it
    moved = district_sheets("BXM", parent="Othershire Partnership")
    messages = _refused(county_copy, moved)
    assert any("is already a district of Testshire Partnership (its Districts sheet lists it)"
               in m for m in messages)  # fmt: skip


def test__refused__a_reward_target_whose_stretch_is_no_stretch(county_copy):
    sheets = county_sheets()
    sheets["Targets"] = pd.DataFrame([{"code": "NI 192", "year": "2009/10", "target_value": 38.0,
                                       "target_without_stretch": 38.0,
                                       "set_on": date(2009, 4, 1)}])  # fmt: skip
    messages = _refused(county_copy, sheets)
    assert any("sheet 'Targets', cell I2" in m and "the level expected without the stretch "
               "equals the stretch target (38)" in m for m in messages)  # fmt: skip


def test__refused__contributions_of_a_partnership_that_is_not_a_district(county_copy):
    sheets = county_sheets()
    sheets["Contributions"] = pd.concat([
        sheets["Contributions"],
        pd.DataFrame([{"code": "NI 1", "district_code": "AYF", "year": "2009/10",
                       "contribution_target": 70},
                      {"code": "NI 154", "district_code": "ZZZ", "year": "2009/10",
                       "contribution_target": 10}]),
    ])  # fmt: skip
    messages = _refused(county_copy, sheets)
    assert any("NI 1 is county only: a district cannot contribute to it" in m for m in messages)
    assert any("cell B9" in m and "this district is not on the Districts sheet" in m
               for m in messages)  # fmt: skip


def test__refused__allocations_that_do_not_add_up(county_copy):
    sheets = county_sheets()
    sheets["Reward allocations"] = pd.DataFrame([
        {"code": "NI 192", "partner": "County council", "share_pct": 60},
        {"code": "NI 192", "partner": "Districts", "share_pct": 30},
        {"code": "NI 154", "partner": "Districts", "share_pct": 100}])  # fmt: skip
    messages = _refused(county_copy, sheets)
    assert any("the partners' shares of NI 192 add up to 90%, not 100%" in m for m in messages)
    assert any("this is not a reward target" in m for m in messages)
