"""The app through `lsp serve --workers 2` (two app processes behind Caddy) in a real browser:
sign-in, upload and commit, a download, a chart; and a browser whose app process is killed
reconnects by itself and carries on signed in (uploads still pass the XSRF check) while the
dead one is started again."""

from __future__ import annotations

import io
import os
import re
import signal

import openpyxl
import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import settle
from tests.serving import alive, lsp_serve

pytestmark = pytest.mark.browser

RETURN = (
    "Improving health and well-being\nQuarterly performance return, Q4 2010/11\n\n"
    "PI ref,Measure,Result,Commentary\n"
    "NI 8,Adult participation in sport,23.5,Up on last year\n"
    "NI 39,Alcohol-harm related hospital admissions,1610,Below profile\n"
)

# as in May 2011, while 2010/11 Q4's returns are collected (the quarter locks on 30 September)
COLLECTING = {"LSP_TODAY": "2011-05-20"}


def _commit(tab, file) -> None:
    tab.get_by_role("tab", name="Load returns").click()
    tab.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(file))
    tab.get_by_role("heading", name="Preview").wait_for(timeout=90_000)
    tab.get_by_role("button", name="Commit 1 return").click()
    tab.get_by_text(f"Committed: {file.name}").wait_for(timeout=90_000)


def _affinity(tab) -> str:
    return next(c["value"] for c in tab.context.cookies() if c["name"] == "lsp_worker")


# Streamlit keeps the last page on screen while it reconnects, so a heading or a settled page
# says nothing about the new connection (an upload made on it before then is lost with the old
# one). This notes when the app's connection drops and when it is back.
WATCH_THE_CONNECTION = """() => {
  window.lspDropped = false;
  window.lspBack = false;
  new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.dataset.testConnectionState;
    if (state && state !== 'CONNECTED') window.lspDropped = true;
    if (window.lspDropped && state === 'CONNECTED') window.lspBack = true;
  }).observe(document.body, {attributes: true, subtree: true,
                             attributeFilter: ['data-test-connection-state']});
}"""


def test__browser__through_lsp_serve_sign_in_commit_a_return_and_download_the_pack(
    demo_copy, page, tmp_path
):
    file = tmp_path / "health_q4.csv"
    file.write_text(RETURN)
    with lsp_serve(demo_copy, workers=2, env=COLLECTING) as served:
        page.goto(f"{served.url}/returns")
        sign_in(page)
        page.get_by_role("heading", name="Returns").wait_for()
        _commit(page, file)
        [cookie] = [c for c in page.context.cookies() if c["name"] == "lsp_worker"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        # the sign-in cookie was handed over through the proxy: another tab is signed in
        other = page.context.new_page()
        other.goto(f"{served.url}/exceptions")
        other.get_by_role("button", name="Sign out").wait_for(timeout=90_000)
        other.get_by_role("heading", name="Board pack").wait_for()
        with other.expect_download(timeout=90_000) as info:
            other.get_by_role("button", name="Excel workbook").click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
        assert "Summary" in book.sheetnames
        # a chart drawn through the proxy (plotly.js from /app/static/, as the app serves it)
        other.goto(f"{served.url}/indicator?indicator=NI%20191")
        trend = other.get_by_role("img", name=re.compile(r"^Trend of NI 191:"))
        trend.locator("svg.main-svg .scatterlayer .trace").first.wait_for()
    from analytics.warehouse.connection import close_readers, reader

    close_readers()
    rows = (
        reader(demo_copy)
        .execute(
            "SELECT count(*) FROM actual a JOIN return_file r USING (return_id)"
            " WHERE r.file_name = 'health_q4.csv' AND a.is_current"
        )
        .fetchall()
    )
    assert rows == [(2,)]


def test__browser__a_browser_whose_app_process_dies_carries_on_signed_in(demo_copy, page, tmp_path):
    file = tmp_path / "health_q4.csv"
    file.write_text(RETURN)
    with lsp_serve(demo_copy, workers=2, env=COLLECTING) as served:
        page.goto(f"{served.url}/returns")
        sign_in(page)
        page.get_by_role("heading", name="Returns").wait_for()
        settle(page)
        page.evaluate(WATCH_THE_CONNECTION)
        number = served.number_for_cookie(_affinity(page))
        pid, _port = served.app_processes()[number]
        seen = len(served.lines)
        os.kill(pid, signal.SIGKILL)
        served.wait_for(rf"app process {number} \(process {pid}\) exited", after=seen)
        # The page reconnects by itself, still signed in: to the other process, or to the one
        # started in place of the dead one if that is up first (Caddy sends the browser to
        # whichever of its upstreams answers)
        page.wait_for_function("() => window.lspBack", timeout=90_000)
        settle(page)
        page.get_by_role("heading", name="Returns").wait_for()
        page.get_by_role("button", name="Sign out").wait_for()
        # an upload there passes its XSRF check (the processes share the cookie secret)
        _commit(page, file)
        served.wait_for(rf"app process {number} is process \d+ on .* \(restart 1\)")
        assert not alive(pid)
        now_on, _port = served.app_processes()[served.number_for_cookie(_affinity(page))]
        assert now_on != pid and alive(now_on)
