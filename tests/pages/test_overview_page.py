"""AppTest: the Overview page is the app's front page."""

from analytics import labels
from tests.pages.reading import plotly_charts, status_summary


def test__overview__is_the_front_page_with_counts_chart_and_missing_return(app, demo_warehouse):
    at = app(demo_warehouse)
    assert not at.exception
    assert at.title[0].value == "Overview"
    summary = status_summary(at)
    assert list(summary) == [
        labels.STATUS[s] for s in ("red", "amber", "missing", "green", "no_target")
    ]
    assert sum(summary.values()) >= 40
    assert summary[labels.STATUS["missing"]] == 7  # health's missing return, 2010/11 Q4
    warnings = [w.value for w in at.warning]
    assert any("Improving health and well-being" in w for w in warnings)
    counts = at.dataframe[0].value
    assert "✖ Red" in counts.columns and "Total" in counts.columns
    assert len(counts) == 6


def test__overview__changes_since_last_board_follow_the_period(app, demo_warehouse):
    at = app(demo_warehouse)
    at.sidebar.selectbox[1].select("2009/10 Q3").run()
    assert not at.exception
    headers = [h.value for h in at.subheader]
    assert any(h.startswith("What changed since the last Board") for h in headers)
    assert "2009/10 Q3" in at.caption[0].value


def test__overview__empty_quarter_shows_every_theme_returned(app, demo_warehouse):
    at = app(demo_warehouse)
    at.sidebar.selectbox[1].select("2010/11 Q3").run()
    assert not at.exception
    assert any("Every theme group has returned" in s.value for s in at.success)


def test__overview__status_bars_in_words_and_changed_indicators_open_by_keyboard(
    app, demo_warehouse
):
    at = app(demo_warehouse)
    assert not at.exception
    sentence = next(c.value for c in at.caption if c.value.startswith("Indicators by status"))
    assert "as at 2010/11 Q4" in sentence and "Health and well-being 7 missing" in sentence
    assert "In all 45 indicators: 12 red, 13 amber, 7 missing, 12 green, 1 no target" in sentence
    # a row action without the mouse: choose the indicator, then follow its link
    box = at.selectbox(key="overview_open")
    changes = at.dataframe[1].value
    assert box.options == [f"{c}: {t}" for c, t in zip(changes["Code"], changes["Indicator"],
                                                       strict=True)]  # fmt: skip
    links = [link.proto for link in at.get("page_link")]
    assert any(
        p.label == f"Open {changes['Code'].iloc[0]}" and "indicator=" in p.query_string
        for p in links
    )


def test__overview__spc_counts_in_symbol_and_words_and_the_status_chart_in_plotly(
    app, demo_warehouse
):
    at = app(demo_warehouse)
    assert not at.exception
    assert any(s.value == "Is the change real? Statistical process control" for s in at.subheader)
    text = "\n".join(m.value for m in at.markdown)
    assert "**~ Common cause: no significant change**:" in text
    assert "**? Hit and miss: the target is within normal variation**:" in text
    [chart] = plotly_charts(at)
    figure = chart["figure"]
    assert figure["layout"]["barmode"] == "stack"
    assert {t["type"] for t in figure["data"]} == {"bar"}
    assert chart["alt"].startswith("Status counts per theme group")
    assert chart["config"] == {"displayModeBar": False, "scrollZoom": False}
