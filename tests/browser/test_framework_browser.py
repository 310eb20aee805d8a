"""The app opens in a real browser on the demo partnership's framework."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test__browser__app_opens_on_the_framework_table(app_server, page):
    page.goto(f"{app_server}/framework")
    sign_in(page)
    page.get_by_role("heading", name="Framework").wait_for()
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for()
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("District partnership in Wyvernshire Partnership").wait_for()
    page.get_by_text("45 of 45 indicators").wait_for()


def test__browser__search_narrows_the_framework_table(app_server, page):
    page.goto(f"{app_server}/framework")
    sign_in(page)
    box = page.get_by_label("Search code, title or lead")
    box.fill("NI 191")
    box.press("Enter")
    page.get_by_text("1 of 45 indicators").wait_for()
