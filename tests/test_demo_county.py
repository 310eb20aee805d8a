"""The demo's county: Wyvernshire and its four districts, loaded through the import path, with
every aggregation rule, numerators and denominators in the districts' returns, the county's
own figures, a reward forecast, and the county's and a district's officers."""

import pandas as pd

from analytics.access import cli_user
from analytics.warehouse.connection import reader
from analytics.warehouse.county import county_view_for, partnership_tree


def q(path, sql):
    cur = reader(path)
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.close()


def test__demo_county__wyvernshire_and_four_districts(demo_warehouse):
    tree = partnership_tree(demo_warehouse).set_index("partnership_code")
    assert tree.at["WSP", "tier"] == "county" and tree.at["WSP", "districts"] == 4
    for code in ("WVP", "AGP", "BCP", "KHP"):
        assert tree.at[code, "parent_id"] == tree.at["WSP", "partnership_id"]
        assert tree.at[code, "indicators"] > 0
    # Wyvern Vale stays the demo partnership: the most indicators, first in every list
    assert tree["indicators"].idxmax() == "WVP"
    rules = {r[0] for r in q(demo_warehouse, "SELECT DISTINCT aggregation_rule FROM indicator"
                                             " WHERE aggregation_rule IS NOT NULL")}  # fmt: skip
    assert rules == {"sum", "ratio", "rate_per_population", "county_only"}


def test__demo_county__districts_return_numerators_and_the_county_reports_figures(
    demo_warehouse,
):
    [(with_parts,)] = q(
        demo_warehouse,
        "SELECT count(*) FROM actual a JOIN indicator i USING (indicator_id)"
        " JOIN partnership p USING (partnership_id) WHERE p.partnership_code = 'BCP'"
        " AND i.code = 'NI 192' AND a.numerator_value IS NOT NULL AND a.is_current",
    )
    assert with_parts == 12
    view = county_view_for(demo_warehouse, cli_user(), 1, "2010/11 Q3")
    rows = view.rows.set_index("code")
    assert rows.loc["NI 192", "county_figure_source"] == "computed"
    # the county typed 0.8 more than its districts' figures make in 2010/11 Q3
    assert abs(rows.loc["NI 192", "reported_difference"] - 0.8) < 0.06
    assert rows.loc["NI 154", "contributions_add_up"] == False  # noqa: E712 (a nullable bool)
    assert "waiting for" not in " ".join(view.reward.targets["to_threshold"])
    q4 = county_view_for(demo_warehouse, cli_user(), 1, "2010/11 Q4")
    assert "Government withdrew this reward on 20 October 2010" in q4.reward.adjustment_words[0]
    # Wyvern Vale's Health and well-being return for 2010/11 Q4 never came: NI 123 has no
    # figure made from the districts (Wyvern Vale named), and its reward is forecast from the
    # figure the county reported
    ni123 = q4.rows.set_index("code").loc["NI 123"]
    assert ni123["missing_districts"] == "WVP" and pd.isna(ni123["county_computed_value"])
    assert ni123["county_figure_source"] == "reported"
    reward = q4.reward.targets.set_index("code").loc["NI 123"]
    assert reward["forecast_value"] == ni123["county_reported_value"]


def test__demo_county__generation_is_deterministic():
    import pandas as pd

    from analytics.demo.build import generate
    from analytics.demo.county import contributions, county_values, district_values

    demo = generate()
    polarity = dict(zip(demo.indicators["code"], demo.indicators["_polarity"], strict=True))
    first, second = district_values(demo, polarity), district_values(generate(), polarity)
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(county_values(demo, first), county_values(demo, second))
    pd.testing.assert_frame_equal(contributions(demo, polarity), contributions(demo, polarity))


def test__demo_county__a_districts_template_asks_for_the_parts_its_county_adds_up(
    demo_warehouse,
):
    """NI 191 is kg per household (not a percentage or a rate), but Wyvernshire makes its
    figure as a ratio of its districts' numerators and denominators: Wyvern Vale's template
    has both as input on that row; a count's row stays locked."""
    from analytics.warehouse import queries

    pid = int(queries.partnerships(demo_warehouse).set_index("partnership_code").at[
        "WVP", "partnership_id"])  # fmt: skip
    rows, _, _ = queries.template_rows(
        demo_warehouse, pid, "A better environment for today and tomorrow", "2010/11 Q4"
    )
    takes = dict(zip(rows["code"], rows["takes_ratio"], strict=True))
    assert takes["NI 191"] and takes["NI 192"]
    assert not takes["NI 186"] and not takes["L-EN-01"]
