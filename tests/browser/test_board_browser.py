"""A Board member's path in a real browser: Overview -> theme group -> indicator."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test__browser__overview_to_theme_to_indicator(app_server, page):
    page.goto(app_server)
    sign_in(page)
    page.get_by_role("heading", name="Overview").wait_for()
    page.get_by_text("Status by theme group").wait_for()
    page.get_by_role("link", name="Economic success that is shared by all").click()
    page.get_by_role("heading", name="Economic success that is shared by all").wait_for()
    assert "theme=" in page.url
    page.get_by_role("link", name="Open NI 151").click()
    page.get_by_role("heading", name="NI 151: Overall employment rate").wait_for()
    assert "indicator=NI" in page.url
    page.locator("[data-testid='stPlotlyChart']").first.wait_for()


def test__browser__indicator_trend_is_a_plotly_chart_with_its_spc_legend(app_server, page):
    page.goto(f"{app_server}/indicator?indicator=NI%20152")
    sign_in(page)
    page.get_by_role("heading", name="NI 152: Working age people").wait_for()
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator("svg.main-svg .scatterlayer .trace").first.wait_for()
    legend = chart.locator("g.legend").first.text_content()
    for words in (
        "Mean",
        "Upper process limit",
        "Lower process limit",
        "Special cause, concerning: beyond a process limit",
        "Amber",
        "Red",
    ):
        assert words in legend, words
    assert page.get_by_text("Is the change real? Statistical process control").count() == 1
    assert page.get_by_text("a real change, not noise").first.is_visible()


def test__browser__indicator_deep_link(app_server, page):
    page.goto(f"{app_server}/indicator?indicator=NI%20191")
    sign_in(page)
    page.get_by_role("heading", name="NI 191: Residual household waste").wait_for()
    page.get_by_text("History").first.wait_for()
