"""A recommendation's life in a real browser: a scrutiny councillor records it, the officer
records the response, the committee closes it.

Sign-in is not part of this branch's app, so the server runs a small router (written to a
temporary folder) that signs each browser session in as the demo account named in the URL
(``?as=scrutiny``), the way AppTests set ``st.session_state["user"]``, then routes the real
pages. The write functions check each user's role as they would behind a sign-in form."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import date

import pytest

from analytics.warehouse import scrutiny
from analytics.warehouse.connection import close_readers
from tests.browser.conftest import ROOT, _free_port, _wait_healthy
from tests.reports.conftest import demo_partnership_id

pytestmark = pytest.mark.browser

ROUTER = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from analytics.access import Grant, User
from ui.context import sidebar

USERS = {{
    "scrutiny": User("scrutiny@wyvernvale.example", "Cllr Norton", (Grant("scrutiny"),)),
    "officer": User("officer@wyvernvale.example", "Partnership Manager", (Grant("officer"),)),
}}
who = st.query_params.get("as")
if who in USERS and "user" not in st.session_state:
    st.session_state["user"] = USERS[who]
st.set_page_config(page_title="lsp-performance", layout="wide")
navigation = st.navigation([
    st.Page({recs!r}, title="Recommendations", url_path="recommendations", default=True),
    st.Page({review!r}, title="Six-monthly review", url_path="scrutiny"),
])
if sidebar():
    navigation.run()
"""


@contextmanager
def serve_router(warehouse, folder):
    script = folder / "scrutiny_router.py"
    script.write_text(ROUTER.format(root=str(ROOT), recs=str(ROOT / "pages/recommendations.py"),
                                    review=str(ROOT / "pages/scrutiny.py")))  # fmt: skip
    port = _free_port()
    env = {**os.environ, "LSP_WAREHOUSE": str(warehouse)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def as_user(browser, url: str, who: str):
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{url}/?as={who}")  # the default page: Recommendations
    page.get_by_role("heading", name="Recommendations").wait_for()
    return context, page


def open_recommendation(page, reference: str) -> None:
    box = page.get_by_role("combobox", name="Open a recommendation")
    box.click()
    page.get_by_role("option", name=reference, exact=True).click()
    page.get_by_role("heading", name=f"{reference}: Six-monthly review, 2011/12 H1").wait_for()


def test__browser__recommend_respond_close(browser, demo_copy, tmp_path):
    with serve_router(demo_copy, tmp_path) as url:
        # the councillor records the committee's recommendation
        context, page = as_user(browser, url, "scrutiny")
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
        context.close()

        # the officer records the response
        context, page = as_user(browser, url, "officer")
        open_recommendation(page, reference)
        assert page.get_by_role("button", name="Record recommendation").count() == 0
        page.get_by_role("textbox", name="Response", exact=True).fill(
            "Agreed: the date goes in Vale Matters."
        )
        page.get_by_role("textbox", name="Lead officer").fill("Partnership Manager")
        page.get_by_role("button", name="Record response").click()
        page.get_by_text(f"Response to {reference} recorded.").wait_for()
        assert page.get_by_role("button", name="Close recommendation").count() == 0
        context.close()

        # the committee closes it
        context, page = as_user(browser, url, "scrutiny")
        open_recommendation(page, reference)
        page.get_by_role("textbox", name="Evidence that it is done").fill(
            "Date published in the May edition."
        )
        page.get_by_role("button", name="Close recommendation").click()
        page.get_by_text(f"{reference} closed by the committee.").wait_for()
        context.close()

    close_readers()
    recs = scrutiny.recommendations(demo_copy, demo_partnership_id(demo_copy))
    rec = recs.set_index("reference").loc[reference]
    assert rec["recorded_by"] == "scrutiny@wyvernvale.example"
    assert rec["response"] == "accepted"
    assert rec["response_by"] == "Cabinet"
    assert rec["closed_by"] == "scrutiny@wyvernvale.example"
    assert rec["closure_evidence"] == "Date published in the May edition."
