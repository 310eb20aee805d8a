"""Sign-in in a real browser: anonymous sees only sign-in; the cookie keeps a session across
a reload and a new tab; a Board member has no Returns page; a theme lead's upload of another
theme's return is refused; five wrong passwords lock an account, and the right one is then
refused with the same words as a wrong one; sign-out ends the session."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD, serve, sign_in

pytestmark = pytest.mark.browser

HEALTH_RETURN = (
    "Improving health and well-being\nQuarterly performance return, Q4 2010/11\n\n"
    "PI ref,Measure,Result,Commentary\n"
    "NI 8,Adult participation in sport,23.5,Up on last year\n"
)


def test__browser__anonymous_sees_only_the_sign_in_page(app_server, page):
    for path in ("", "/exceptions", "/returns", "/users"):
        page.goto(f"{app_server}{path}")
        page.get_by_role("heading", name="Sign in").wait_for()
        page.get_by_label("Email").wait_for()
        body = page.locator("body").inner_text()
        assert "Wyvern Vale Partnership" not in body and "Overview" not in body
        assert page.get_by_role("link", name="Exceptions").count() == 0


def test__browser__a_deep_link_as_a_fresh_servers_first_request_goes_through_the_app(
    demo_warehouse, tmp_path, page
):
    """Streamlit runs a pages/ script on its own when it is a fresh server's first request
    (ui.context.route_through_app): the page still opens behind the sign-in form, with the
    app's sidebar, as on any other request."""
    import shutil

    from analytics.authstore import copy_store

    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    copy_store(demo_warehouse, copy)
    with serve(copy) as url:  # a server of its own: this is its first request
        page.goto(f"{url}/exceptions")
        page.get_by_role("heading", name="Sign in").wait_for()
        sign_in(page, "board@wyvernvale.example")
        page.get_by_role("heading", name="Exceptions").wait_for()
        nav = page.locator("[data-testid='stSidebar']")
        nav.get_by_role("link", name="Overview").wait_for()


def test__browser__signing_in_lasts_across_a_reload_and_a_new_tab(app_server, page):
    page.goto(f"{app_server}/exceptions")
    sign_in(page, "board@wyvernvale.example")
    page.get_by_role("heading", name="Exceptions").wait_for()
    [cookie] = [c for c in page.context.cookies() if c["name"] == "lsp_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert "lsp_session" not in page.evaluate("document.cookie")  # no script can read it
    page.reload()
    page.get_by_role("heading", name="Exceptions").wait_for()
    tab = page.context.new_page()
    tab.goto(f"{app_server}/trends")
    tab.get_by_role("heading", name="Trends").wait_for()
    tab.get_by_text("Bea Board").wait_for()


def test__browser__a_board_member_has_no_returns_page_and_its_url_refuses(app_server, page):
    page.goto(app_server)
    sign_in(page, "board@wyvernvale.example")
    page.get_by_role("heading", name="Overview").wait_for()
    nav = page.locator("[data-testid='stSidebar']")  # the page links (ui.navigation)
    nav.get_by_role("link", name="Exceptions").wait_for()
    assert nav.get_by_role("link", name="Returns").count() == 0
    page.goto(f"{app_server}/returns")
    page.get_by_text("Returns is not available to your role (Board member)").wait_for()
    assert page.locator("[data-testid='stFileUploaderDropzoneInput']").count() == 0


def test__browser__a_theme_leads_upload_of_another_themes_return_is_refused(
    app_server, page, tmp_path
):
    file = tmp_path / "health_q4.csv"
    file.write_text(HEALTH_RETURN)
    page.goto(f"{app_server}/returns")
    sign_in(page, "lead@wyvernvale.example")
    page.get_by_role("heading", name="Returns").wait_for()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(file))
    page.get_by_text(
        "health_q4.csv is the return of Improving health and well-being, not of a theme group "
        "you lead (Communities that are safe and feel safe)"
    ).wait_for()
    assert page.get_by_role("button", name="Commit 0 returns").is_disabled()


def test__browser__five_wrong_passwords_lock_the_account_saying_nothing_more(app_server, page):
    page.goto(app_server)
    for attempt, password in enumerate(["not the password"] * 5 + [DEMO_PASSWORD], start=1):
        page.get_by_label("Email").fill("scrutiny@wyvernvale.example")
        page.get_by_label("Password", exact=True).fill(password)  # the last: right, too late
        page.get_by_role("button", name="Sign in").click()
        answer = page.locator(f".st-key-signin_failed_{attempt}")  # this attempt's answer
        answer.get_by_text("Email or password not recognised.").wait_for()
    assert not re.search("locked", page.locator("body").inner_text(), re.IGNORECASE)
    assert page.get_by_role("button", name="Sign out").count() == 0


def test__browser__sign_out_ends_the_session(app_server, page):
    page.goto(f"{app_server}/framework")
    sign_in(page)
    page.get_by_role("heading", name="Framework").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out.").wait_for()
    page.reload()
    page.get_by_role("heading", name="Sign in").wait_for()
    page.goto(f"{app_server}/framework")
    page.get_by_role("heading", name="Sign in").wait_for()
