"""AppTest: Trends, Theme group, Indicator (deep link) and Actions pages."""

from tests.pages.reading import plotly_charts, status_summary


def test__trends__one_indicator_then_a_whole_theme(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/trends.py")
    assert not at.exception
    assert at.title[0].value == "Trends"
    at.multiselect(key="tr_codes").set_value(["NI 152", "NI 191"]).run()
    assert not at.exception
    assert [c["alt"][:15] for c in plotly_charts(at)] == ["Trend of NI 152", "Trend of NI 191"]
    at.radio(key="tr_mode").set_value("A whole theme group").run()
    at.selectbox(key="tr_theme").select("Stronger communities").run()
    assert not at.exception
    assert len(plotly_charts(at)) == 7


def test__indicator__deep_link_opens_its_history_targets_and_returns(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/indicator.py", query={"indicator": "NI 152"})
    assert not at.exception
    at.session_state["ind_trend_data_open"] = True  # the chart's table: built when opened
    at.run()
    assert at.title[0].value.startswith("NI 152: Working age people")
    [chart] = plotly_charts(at)  # drawn by plotly, with the process limits
    figure = chart["figure"]
    names = {t.get("name") for t in figure["data"]}
    assert {"Mean", "Upper process limit", "Lower process limit"} <= names
    assert "Special cause, concerning: beyond a process limit" in names  # legend in words
    assert chart["alt"].startswith("Trend of NI 152")
    # (with numerators in its returns, as Wyvern Vale's county asks, NI 152 has a table of
    # confidence intervals too, after the chart's data)
    frames = [d.value for d in at.dataframe]
    chart_data, targets, history, loads, recommendations = frames[0], *frames[-4:]
    assert {"Mean", "Process limits", "SPC"} <= set(chart_data.columns)
    panel = [m.value for m in at.markdown if m.value.startswith("**As at 2010/11 Q4:**")]
    assert panel and "a real change, not noise" in panel[0]
    assert len(history) == 12
    assert "Reference" in recommendations.columns  # the scrutiny block at the end
    assert history["Period"].iloc[0] == "2010/11 Q4"
    assert (targets["Version"] == 2).any()
    assert loads["Return"].str.endswith(".xlsx").all()


def test__indicator__deep_link_in_another_spelling_opens_the_indicator(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/indicator.py", query={"indicator": "ni-152"})
    assert not at.exception and not at.error
    assert at.title[0].value.startswith("NI 152: Working age people")


def test__indicator__unknown_code_says_so(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/indicator.py", query={"indicator": "NI 999"})
    assert not at.exception
    assert "no indicator 'NI 999'" in at.error[0].value


def test__theme__shows_its_indicators_actions_and_activities(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/theme.py")
    assert not at.exception
    theme = at.title[0].value
    indicators, actions = (d.value for d in at.dataframe)  # the grid's data: when opened
    assert len(indicators) >= 5
    assert "Status" in indicators.columns
    assert len(actions) > 0
    assert theme == "Communities that are safe and feel safe"
    summary = status_summary(at)  # the tiles count the table's statuses
    for word, n in summary.items():
        assert n == int((indicators["Status"] == word).sum()), word
    assert sum(summary.values()) > 0


def test__actions__overdue_and_lead_filters(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/actions.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 76
    assert "↻ Reprogrammed with approval" in set(table["Status"])
    summary = status_summary(at)  # every milestone of the plan, by status
    assert sum(summary.values()) == 76
    assert summary["↻ Reprogrammed with approval"] == int(
        (table["Status"] == "↻ Reprogrammed with approval").sum()
    )
    at.toggle(key="ac_overdue").set_value(True).run()
    overdue = at.dataframe[0].value
    assert set(overdue["Status"]) <= {"✖ More than a month behind", "◆ Up to a month behind"}
    lead = "Jobcentre Plus"
    at.toggle(key="ac_overdue").set_value(False).run()
    at.multiselect(key="ac_leads").set_value([lead]).run()
    assert set(at.dataframe[0].value["Lead partner"]) == {lead}


def test__actions__percent_complete_rule_can_be_chosen(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/actions.py")
    by_days = at.dataframe[0].value["Why"].tolist()
    at.radio(key="ac_rule").set_value("percent").run()
    assert not at.exception
    by_percent = at.dataframe[0].value["Why"].tolist()
    assert by_days != by_percent
    assert any("expected" in why for why in by_percent)


def test__rules_panel_explains_the_default(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/exceptions.py")
    panel = next(e for e in at.expander if e.label == "How status is decided")
    assert "Percentage tolerance (the default)" in panel.markdown[0].value


def test__indicator__chart_has_a_sentence_and_its_data_as_a_table(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/indicator.py", query={"indicator": "NI 191"})
    assert not at.exception
    sentence = next(c.value for c in at.caption if c.value.startswith("NI 191 (lower is better)"))
    assert "full-year total fell from 622 kg per household in 2008/09" in sentence
    assert "green in 6 of 12 quarters" in sentence
    assert any(e.label == "Chart data as a table" for e in at.expander)
    # intervals, targets, history, loads; the chart's own table is built when opened
    assert not any(list(d.value.columns[:2]) == ["Code", "Period"] for d in at.dataframe)
    at.session_state["ind_trend_data_open"] = True
    at.run()
    chart_data = at.dataframe[0].value
    assert list(chart_data.columns[:5]) == ["Code", "Period", "Actual", "Target", "Status"]
    assert len(chart_data) == 12 and {"County", "England", "Commentary"} <= set(chart_data)
    # commentary, which the chart shows only on hover, is within the first screen width
    frames = [d.value for d in at.dataframe]
    targets = next(i for i, f in enumerate(frames) if "Version" in f.columns)
    history = frames[targets + 1]  # (after the confidence intervals, where there are some)
    assert list(history.columns).index("Commentary") == 4


def test__theme__trend_grid_in_words_and_commentary_early_in_the_table(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/theme.py")
    assert not at.exception
    sentence = next(c.value for c in at.caption if "indicators, each its actual" in c.value)
    assert sentence.startswith("9 indicators") and "At their latest period" in sentence
    at.session_state["th_trend_data_open"] = True  # the grid's data, opened
    at.run()
    per_indicator = [m.value for m in at.markdown if m.value.startswith("- NI 20")]
    assert per_indicator and "(lower is better)" in per_indicator[0]
    indicators, chart_data, _ = (d.value for d in at.dataframe)
    assert set(chart_data["Code"]) == set(indicators["Code"])
    assert list(indicators.columns).index("Commentary") <= 4
    [chart] = plotly_charts(at)  # the grid: one plotly figure, a panel an indicator
    figure = chart["figure"]
    titles = [a["text"].split("</b>")[0].removeprefix("<b>") for a in
              figure["layout"]["annotations"]]  # fmt: skip
    statuses = dict(zip(indicators["Code"], indicators["Status"], strict=True))
    assert titles == [f"{code}  {statuses[code]}" for code in indicators["Code"]]


def test__trends__every_chart_has_a_sentence_and_a_table(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/trends.py")
    at.multiselect(key="tr_codes").set_value(["NI 152", "NI 191"]).run()
    assert not at.exception
    sentences = [c.value for c in at.caption if c.value.startswith(("NI 152 (", "NI 191 ("))]
    assert len(sentences) == 2
    assert [e.label for e in at.expander].count("Chart data as a table") == 2
    for code in ("NI 152", "NI 191"):
        at.session_state[f"tr_data_{code}_open"] = True
    at.run()
    assert {d.value["Code"].iloc[0] for d in at.dataframe} == {"NI 152", "NI 191"}


def test__indicator__confidence_intervals_at_the_level_picked(app, demo_copy):
    import duckdb

    con = duckdb.connect(str(demo_copy))
    con.execute(
        "UPDATE actual SET numerator_value = round(actual_value * 4), denominator_value = 400"
        " WHERE is_current AND indicator_id = (SELECT indicator_id FROM indicator"
        " WHERE code = 'NI 152' AND partnership_id = 2)"  # Wyvern Vale's (not its county's)
    )
    con.close()
    at = app(demo_copy, page="pages/indicator.py", query={"indicator": "NI 152"})
    assert not at.exception
    assert any(s.value == "Confidence intervals" for s in at.subheader)
    table = next(d.value for d in at.dataframe if "95% interval" in d.value.columns)
    assert set(table["Method"]) == {"Wilson score"}
    assert table["Against target"].str.contains("Better|Similar|Worse").all()
    at.radio(key="ind_ci_level").set_value("99.8%").run()
    assert not at.exception
    wider = next(d.value for d in at.dataframe if "99.8% interval" in d.value.columns)
    assert len(wider) == len(table)
