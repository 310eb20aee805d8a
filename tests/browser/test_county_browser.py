"""The County LAA page in a real browser: the county's officer sees every district's figure
beside the county's, passes axe at 1280 px, and a district's figure opens that district's
Indicator page; a district's officer sees the other districts as published figures only."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import WIDTH, settle, violations

pytestmark = pytest.mark.browser

COUNTY_OFFICER = "officer@wyvernshire.example"
DISTRICT_OFFICER = "officer@brindlecombe.example"


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": 1600})
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    context.close()


def _open_county(tab, base: str, email: str):
    tab.goto(f"{base}/county")
    sign_in(tab, email)
    tab.get_by_role("heading", name="Wyvernshire Partnership: Local Area Agreement").wait_for()
    settle(tab)
    return tab.locator("table[data-table='county-view']")


def test__browser__the_county_officer_reads_every_district_and_opens_one(app_server, tab):
    table = _open_county(tab, app_server, COUNTY_OFFICER)
    header = table.locator("thead").inner_text()
    for name in ("Ashgrove", "Brindlecombe", "Kestrel Heath", "Wyvern Vale"):
        assert name in header
    assert "published figures only" not in header
    assert violations(tab) == []
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    link = table.locator("a[href*='indicator=NI+192'][href*='partnership=BCP']")
    figure = link.inner_text().strip()  # Brindlecombe's NI 192 as at 2010/11 Q4
    link.click()
    tab.get_by_role("heading", name="NI 192", exact=False).first.wait_for()
    settle(tab)
    # that district in view: the sidebar says it is a district, the page shows its figure
    sidebar = tab.locator("[data-testid='stSidebar']").inner_text()
    assert "District partnership in Wyvernshire Partnership" in sidebar
    assert f"latest, 2010/11 Q4: {figure} against" in tab.locator("body").inner_text()
    assert "partnership=" not in tab.url  # the link's choice is taken, then dropped


def test__browser__a_district_officer_sees_the_others_as_published_only(app_server, tab):
    table = _open_county(tab, app_server, DISTRICT_OFFICER)
    header = table.locator("thead").inner_text()
    assert header.count("published figures only") == 3  # every district but its own
    assert table.locator("a[href*='partnership=BCP']").count() > 0
    assert table.locator("a[href*='partnership=AGP']").count() == 0
    assert violations(tab) == []
