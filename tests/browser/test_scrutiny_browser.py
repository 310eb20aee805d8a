"""A recommendation's life in a real browser: a scrutiny councillor records it, the officer
records the response, the committee closes it. Each signs in on the real sign-in page (the
demo accounts) and signs out before the next; the write functions check each one's role."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.warehouse import scrutiny
from analytics.warehouse.connection import close_readers
from tests.browser.conftest import serve, sign_in
from tests.reports.conftest import demo_partnership_id

pytestmark = pytest.mark.browser

SCRUTINY_EMAIL = "scrutiny@wyvernvale.example"
OFFICER_EMAIL = "officer@wyvernvale.example"


def signed_in(page, url: str, email: str) -> None:
    """Open the tracker, sign in there as ``email``, and wait for the tracker."""
    page.goto(f"{url}/recommendations")
    page.get_by_role("heading", name="Sign in").wait_for()
    sign_in(page, email)
    page.get_by_role("heading", name="Recommendations").wait_for()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out.").wait_for()


def open_recommendation(page, reference: str) -> None:
    box = page.get_by_role("combobox", name="Open a recommendation")
    box.click()
    page.get_by_role("option", name=reference, exact=True).click()
    page.get_by_role("heading", name=f"{reference}: Six-monthly review, 2011/12 H1").wait_for()


def test__browser__recommend_respond_close(browser, demo_copy):
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    with serve(demo_copy) as url:
        # the councillor records the committee's recommendation
        signed_in(page, url, SCRUTINY_EMAIL)
        page.get_by_text("Record a recommendation").first.click()
        page.get_by_role("textbox", name="Review or meeting").fill("Six-monthly review, 2011/12 H1")
        page.get_by_role("textbox", name="Recommendation", exact=True).fill(
            "Publish the Annual Meeting's date by May."
        )
        page.get_by_role("button", name="Record recommendation").click()
        page.get_by_text("Recommendation recorded.").wait_for()
        reference = f"{date.today().year}/{(date.today().year + 1) % 100:02d}-01"
        if date.today().month < 4:
            reference = f"{date.today().year - 1}/{date.today().year % 100:02d}-01"
        page.get_by_role("heading", name=f"{reference}: Six-monthly review, 2011/12 H1").wait_for()
        assert page.get_by_role("button", name="Record response").count() == 0  # not theirs
        sign_out(page)

        # the officer records the response
        signed_in(page, url, OFFICER_EMAIL)
        open_recommendation(page, reference)
        assert page.get_by_role("button", name="Record recommendation").count() == 0
        page.get_by_role("textbox", name="Response", exact=True).fill(
            "Agreed: the date goes in Vale Matters."
        )
        page.get_by_role("textbox", name="Lead officer").fill("Partnership Manager")
        page.get_by_role("button", name="Record response").click()
        page.get_by_text(f"Response to {reference} recorded.").wait_for()
        assert page.get_by_role("button", name="Close recommendation").count() == 0
        sign_out(page)

        # the committee closes it
        signed_in(page, url, SCRUTINY_EMAIL)
        open_recommendation(page, reference)
        page.get_by_role("textbox", name="Evidence that it is done").fill(
            "Date published in the May edition."
        )
        page.get_by_role("button", name="Close recommendation").click()
        page.get_by_text(f"{reference} closed by the committee.").wait_for()
        sign_out(page)
        context.close()  # before the server stops: an open session holds its shutdown up

    close_readers()
    recs = scrutiny.recommendations(demo_copy, demo_partnership_id(demo_copy))
    rec = recs.set_index("reference").loc[reference]
    assert rec["recorded_by"] == SCRUTINY_EMAIL
    assert rec["response"] == "accepted"
    assert rec["response_by"] == "Cabinet"
    assert rec["closed_by"] == SCRUTINY_EMAIL
    assert rec["closure_evidence"] == "Date published in the May edition."
