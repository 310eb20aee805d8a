"""A return in a layout we did not design, loaded in a real browser: upload, mapping shown,
preview, commit; then the submission tracker shows the theme group as returned."""

from __future__ import annotations

import pytest

from tests.browser.conftest import serve, sign_in

pytestmark = pytest.mark.browser

HEALTH_RETURN = (
    "Improving health and well-being\nQuarterly performance return, Q4 2010/11\n\n"
    "PI ref,Measure,Result,Commentary\n"
    "NI 8,Adult participation in sport,23.5,Up on last year\n"
    "NI 39,Alcohol-harm related hospital admissions,1610,Below profile\n"
)


@pytest.fixture
def writable_server(demo_copy):
    """The app on a private copy of the demo warehouse (this test commits), as in May 2011,
    while 2010/11 Q4's returns are being collected (it locks on 30 September 2011)."""
    with serve(demo_copy, {"LSP_TODAY": "2011-05-20"}) as url:
        yield url


def test__browser__own_layout_return_is_mapped_previewed_committed_and_tracked(
    writable_server, page, tmp_path
):
    file = tmp_path / "health_q4.csv"
    file.write_text(HEALTH_RETURN)
    page.goto(f"{writable_server}/returns")
    sign_in(page)
    page.get_by_role("heading", name="Returns").wait_for()
    page.get_by_role("tab", name="Submission tracker").click()
    page.get_by_text("5 of 6", exact=True).wait_for()
    page.get_by_role("tab", name="Load returns").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(file))
    summary = page.locator("[data-testid='stExpander'] summary").filter(has_text="health_q4.csv")
    summary.wait_for()
    summary.click()
    page.get_by_text("Mapping used").wait_for()  # the columns as read, correctable
    page.get_by_text("Improving health and well-being; period: 2010/11 Q4").wait_for()
    page.get_by_role("heading", name="Preview").wait_for()
    page.get_by_role("button", name="Commit 1 return").click()
    page.get_by_text("Committed: health_q4.csv: 2 new").wait_for()
    page.get_by_role("tab", name="Submission tracker").click()
    page.get_by_text("6 of 6", exact=True).wait_for()
