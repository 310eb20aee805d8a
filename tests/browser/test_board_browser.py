"""A Board member's path in a real browser: Overview -> theme group -> indicator."""

import re

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
    trend_chart(page, "NI 151").locator(TRACE).first.wait_for()


TRACE = "svg.main-svg .scatterlayer .trace"


def trend_chart(page, code: str):
    """The indicator's trend: a chart whose accessible name starts "Trend of <code>"."""
    return page.get_by_role("img", name=re.compile(rf"^Trend of {re.escape(code)}:"))


def test__browser__indicator_trend_is_a_plotly_chart_with_its_spc_legend(app_server, page):
    page.goto(f"{app_server}/indicator?indicator=NI%20152")
    sign_in(page)
    page.get_by_role("heading", name="NI 152: Working age people").wait_for()
    chart = trend_chart(page, "NI 152")
    chart.locator(TRACE).first.wait_for()
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
    # no mode bar; as wide as the page's column; a point's hover label in words
    assert chart.locator(".modebar").count() == 0
    assert chart.evaluate("e => e.clientWidth === e.parentElement.clientWidth")
    assert chart.locator("svg.main-svg").first.evaluate("s => s.getAttribute('width')") == str(
        chart.evaluate("e => e.clientWidth")
    )
    point = chart.locator(".scatterlayer .trace .point").nth(2)
    box = point.bounding_box()  # plotly's drag layer is on top: hover where the point is
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = chart.locator(".hoverlayer .hovertext").first
    hover.wait_for()
    assert "Period:" in hover.text_content() and "Status:" in hover.text_content()


def test__browser__another_indicator_redraws_the_same_chart_in_place(app_server, page):
    page.goto(f"{app_server}/indicator?indicator=NI%20152")
    sign_in(page)
    chart = page.locator(".lsp-plotly-chart").first
    trend_chart(page, "NI 152").locator(TRACE).first.wait_for()
    chart.evaluate("e => { e.dataset.seen = 'NI 152'; }")  # marks this element
    page.get_by_role("combobox", name="Indicator", exact=True).click()
    page.keyboard.type("NI 191")  # the list is long: typed, it shows the one option
    page.get_by_role("option", name=re.compile(r"^NI 191: ")).click()
    page.get_by_role("heading", name="NI 191: Residual household waste").wait_for()
    trend_chart(page, "NI 191").locator(TRACE).first.wait_for()
    # Plotly.react drew NI 191 into the element that showed NI 152 (no new chart, no flash)
    assert (
        page.locator(".lsp-plotly-chart[data-seen='NI 152']")
        .first.get_attribute("aria-label")
        .startswith("Trend of NI 191:")
    )
    assert "kg per household" in chart.text_content()  # NI 191's axis, drawn


def test__browser__indicator_deep_link(app_server, page):
    page.goto(f"{app_server}/indicator?indicator=NI%20191")
    sign_in(page)
    page.get_by_role("heading", name="NI 191: Residual household waste").wait_for()
    page.get_by_text("History").first.wait_for()


def test__browser__a_chart_whose_script_cannot_load_says_so_in_words(app_server, page):
    page.route("**/app/static/plotly-basic.min.js", lambda route: route.abort())
    page.goto(f"{app_server}/indicator?indicator=NI%20152")
    sign_in(page)
    page.get_by_text("The chart could not be drawn").first.wait_for()
    assert page.get_by_text("Chart data as a table").first.is_visible()
