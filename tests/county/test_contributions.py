"""Whether the districts' contributions add up to the county target, and who holds the gap."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics.county.contributions import contribution_gaps

Q = "2009/10 Q2"


def _gaps(rule, sign, county_target, cells, mult=100.0):
    frame = pd.DataFrame(
        cells, columns=["district_code", "actual_value", "numerator", "denominator",
                        "contribution_target"],
    ).assign(code="X", period=Q)  # fmt: skip
    rows = pd.DataFrame([{"code": "X", "period": Q, "aggregation_rule": rule, "multiplier": mult,
                          "sign": sign, "county_target": county_target}])  # fmt: skip
    cells_out, summary = contribution_gaps(frame, rows)
    return cells_out.set_index("district_code"), summary.iloc[0]


def test__sum__contributions_short_of_the_county_target_say_by_how_much():
    cells, s = _gaps("sum", 1, 300, [("A", 90, None, None, 100), ("B", 15, None, None, 40),
                                     ("C", 140, None, None, 140)])  # fmt: skip
    assert s["contributions_total"] == 280
    assert s["contributions_add_up"] is False or s["contributions_add_up"] == False  # noqa: E712
    assert s["contributions_short_by"] == 20
    # A is 10 homes behind its share, B 25: B holds 25 / 35 of the gap
    assert s["largest_gap_district"] == "B"
    assert s["largest_gap_share"] == pytest.approx(25 / 35)
    assert cells.at["C", "gap"] == 0


def test__ratio__contributions_are_weighted_by_denominators_and_gaps_are_numerators():
    cells, s = _gaps("ratio", 1, 38.0, [("A", 30.0, 300, 1000, 33.0), ("B", 50.0, 50, 100, 50.0),
                                        ("C", 40.0, 800, 2000, 41.0)])  # fmt: skip
    assert s["contributions_total"] == pytest.approx((330 + 50 + 820) / 3100 * 100)
    assert bool(s["contributions_add_up"])
    # A: 330 - 300 = 30 tonnes behind; C: 820 - 800 = 20: A holds 60% of the gap
    assert (cells.at["A", "gap"], cells.at["C", "gap"]) == (30, 20)
    assert (s["largest_gap_district"], s["largest_gap_share"]) == ("A", pytest.approx(0.6))
    # in county points: A's 30 tonnes are 0.97 of a percentage point of the county's figure
    assert cells.at["A", "gap_county_units"] == pytest.approx(30 / 3100 * 100)


def test__ratio_without_contributions__measures_each_district_against_the_county_target():
    cells, s = _gaps("ratio", 1, 38.0, [("A", 30.0, 300, 1000, None), ("B", 50.0, 50, 100, None)])
    assert math.isnan(s["contributions_total"]) and not s["contributions_complete"]
    assert cells.at["A", "gap"] == pytest.approx(80)  # 38% of 1,000 is 380; it has 300
    assert (s["largest_gap_district"], s["gap_basis"]) == ("A", "the county target")


def test__sum_without_contributions__has_no_gap_to_share():
    cells, s = _gaps("sum", 1, 300, [("A", 90, None, None, None), ("B", 15, None, None, None)])
    assert s["largest_gap_district"] is None or pd.isna(s["largest_gap_district"])
    assert cells["gap"].isna().all()


def test__lower_is_better__a_district_above_its_contribution_is_behind():
    cells, s = _gaps("rate_per_population", -1, 5.0,
                     [("A", 3.8, 190, 50_000, 4.0), ("B", 7.5, 150, 20_000, 6.0)],
                     mult=1000.0)  # fmt: skip
    # B: its 6.0 per 1,000 allows 120 events; it had 150 (30 too many); A is within its share
    assert cells.at["B", "gap"] == pytest.approx(30)
    assert cells.at["A", "gap"] == 0
    assert (s["largest_gap_district"], s["largest_gap_share"]) == ("B", 1.0)
    # contributions: (4.0 x 50,000 + 6.0 x 20,000) / 70,000 = 4.57 per 1,000, within 5.0
    assert bool(s["contributions_add_up"])
