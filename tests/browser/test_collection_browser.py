"""A quarter run end to end in a real browser, on the demo, with a real SMTP server on
loopback: the window opens (`lsp reminders send`: opening notices with the template), two
theme leads submit by the web form and one by spreadsheet (the template from his e-mail),
the officer sends one back (the lead is e-mailed and sees the note) and it is corrected, the
officer accepts all three and locks the quarter, the Board sees it, the quarter is published,
and the due-day reminders go only to the theme groups still missing. Screenshots at 1280 px
of the form, the tracker and the sign-off page; axe-core on each."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date

import openpyxl
import pytest

from analytics.access import cli_user
from analytics.authstore import copy_store
from analytics.cli import main as lsp
from analytics.framework.read import read_framework
from analytics.warehouse import collection, publication, queries, views
from analytics.warehouse.connection import close_readers
from analytics.warehouse.load import import_framework
from tests.browser.conftest import serve, sign_in
from tests.browser.test_accessibility import (
    WIDTH,
    full_height_screenshot,
    open_every_expander,
    settle,
    shots_dir,
    violations,
)
from tests.collection.conftest import _start
from tests.security.conftest import SAFER, demo_pid

pytestmark = pytest.mark.browser

NEW = "2011/12 Q1"
TODAY = "2011-07-27"  # the app's date: the day before the returns are due
ENVIRONMENT = "A better environment for today and tomorrow"
STRONGER = "Stronger communities"
LEADS = {
    SAFER: "lead@wyvernvale.example",
    ENVIRONMENT: "environment.lead@wyvernvale.example",
    STRONGER: "stronger.lead@wyvernvale.example",
}


def _targets_for_2011_12(path, tmp_path) -> None:
    """The Board agreed 2011/12 targets in April (the demo stops at 2010/11): the year's
    rows of the framework's Targets sheet, as the 2010/11 ones, loaded as a user would."""
    source = path.parent / "raw" / "demo" / "framework.xlsx"
    book = openpyxl.load_workbook(source)
    sheet = book["Targets"]
    header = [c.value for c in sheet[1]]
    year, set_on, reason = (header.index(h) for h in ("year", "set_on", "reason"))
    code = header.index("code")
    latest = {
        r[code]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[year] == "2010/11"
    }  # the version in force (a refresh comes after)
    for row in latest.values():
        new = list(row)
        new[year], new[set_on], new[reason] = "2011/12", date(2011, 4, 7), "Agreed by Board"
        sheet.append(new)
    out = tmp_path / "framework_2011-12.xlsx"
    book.save(out)
    import_framework(read_framework(out), path, user=cli_user())


@pytest.fixture
def quarter(demo_warehouse, tmp_path):
    """(app URL, warehouse, SMTP server): the demo with 2011/12 targets, served as on
    :data:`TODAY`, sending mail to a server on loopback."""
    close_readers()
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, path)
    copy_store(demo_warehouse, path)
    shutil.copytree(demo_warehouse.parent / "raw", tmp_path / "raw")
    _targets_for_2011_12(path, tmp_path)
    controller, smtp = _start(tmp_path, tls=False)
    env = smtp.env(LSP_TODAY=TODAY, LSP_PUBLIC_URL="https://performance.wyvernvale.example")
    try:
        with serve(path, env) as url:
            yield url, path, smtp
    finally:
        controller.stop()


def _reminders(path, smtp, url, day: str, monkeypatch) -> None:
    for name, value in smtp.env(LSP_PUBLIC_URL=url).items():
        monkeypatch.setenv(name, value)
    close_readers()
    assert lsp(["--warehouse", str(path), "reminders", "send", "--today", day]) == 0


def _message(smtp, subject_words: str, theme: str):
    found = [m for _, m in smtp.received.messages if subject_words in m["Subject"]
             and theme in m["Subject"]]  # fmt: skip
    assert len(found) == 1, [m["Subject"] for _, m in smtp.received.messages]
    return found[0]


def _new_tab(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": 2400},
                                  accept_downloads=True)  # fmt: skip
    tab = context.new_page()
    tab.set_default_timeout(120_000)
    return context, tab


def _type(tab, label: str, text: str) -> None:
    box = tab.get_by_role("textbox", name=label, exact=True)
    box.fill(text)
    box.press("Tab")
    settle(tab)


def _fill_form(tab, values: dict[str, str]) -> None:
    for label, text in values.items():
        _type(tab, label, text)


# year-to-date figures for the cumulative ones (their 2011/12 Q1 targets are profiles)
SAFER_VALUES = {"L-SC-01 value": "690", "L-SC-02 value": "3.4", "NI 15 value": "0.18",
                "NI 16 value": "3.2 per 1,000", "NI 20 value": "1.5", "NI 32 value": "19%",
                "NI 20 commentary": "Night-time economy incidents up over the summer.",
                "NI 20 remedial action": "Extra patrols agreed with the police; review in "
                "September.", "NI 32 commentary": "Back within the target range."}  # fmt: skip


def test__browser__a_quarter_collected_signed_off_locked_seen_and_published(
    quarter, browser, tmp_path, monkeypatch
):
    url, path, smtp = quarter
    pid, folder = demo_pid(path), shots_dir(tmp_path)

    # 1 July: the window opens; every theme group is sent the template
    _reminders(path, smtp, url, "2011-07-01", monkeypatch)
    opening = _message(smtp, ": due Thursday 28 July 2011", SAFER)
    link = re.search(r"(http\S+/form\?\S+)", opening.get_body(("plain",)).get_content())[1]
    assert (
        len([m for _, m in smtp.received.messages if "due Thursday 28 July" in m["Subject"]]) == 6
    )

    # Safer communities: the lead follows the e-mail's link, types the return, submits
    context, tab = _new_tab(browser)
    tab.goto(link)
    sign_in(tab, LEADS[SAFER])
    tab.get_by_role("heading", name="Return form").wait_for()
    settle(tab)
    _fill_form(tab, {**SAFER_VALUES, "NI 32 value": "45 days"})  # a unit that does not fit
    tab.get_by_text("typed in days, but NI 32 is measured in %").wait_for()
    assert tab.get_by_role("button", name="Submit return").is_disabled()
    tab.get_by_text("Status if submitted").first.wait_for()
    assert violations(tab) == []
    full_height_screenshot(tab, folder / "collection-form-lead.png")
    tab.set_viewport_size({"width": WIDTH, "height": 2400})
    _type(tab, "NI 32 value", "19%")
    tab.get_by_role("button", name="Submit return").click()
    tab.get_by_text(re.compile(r"^Submitted: return \d+")).wait_for()
    context.close()

    # A better environment: saves a draft, comes back in a new browser, submits
    context, tab = _new_tab(browser)
    tab.goto(f"{url}/form")
    sign_in(tab, LEADS[ENVIRONMENT])
    tab.get_by_role("heading", name="Return form").wait_for()
    settle(tab)
    env_rows = queries.template_rows(path, pid, ENVIRONMENT, NEW)[0]
    env_values = {f"{code} value": "30" for code in env_rows["code"]}
    for code in env_rows.loc[env_rows["takes_ratio"], "code"]:  # its county adds up counts
        env_values |= {f"{code} numerator": "30", f"{code} denominator": "100"}
    _fill_form(tab, dict(list(env_values.items())[:2]))
    tab.get_by_role("button", name="Save draft").click()
    tab.get_by_text("Draft saved (version 1)").wait_for()
    context.close()
    context, tab = _new_tab(browser)
    tab.goto(f"{url}/form")
    sign_in(tab, LEADS[ENVIRONMENT])
    settle(tab)
    tab.get_by_text("Draft version 1 saved by environment.lead@wyvernvale.example").wait_for()
    _fill_form(tab, dict(list(env_values.items())[2:]))
    tab.get_by_role("button", name="Submit return").click()
    tab.get_by_text(re.compile(r"^Submitted: return \d+")).wait_for()
    context.close()

    # Stronger communities: the spreadsheet attached to his e-mail, filled in and uploaded
    stronger = _message(smtp, ": due Thursday 28 July 2011", STRONGER)
    [attachment] = list(stronger.iter_attachments())
    book = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    for row in range(5, book["Return"].max_row + 1):
        book["Return"].cell(row, 11, 60)
    file = tmp_path / attachment.get_filename()
    book.save(file)
    context, tab = _new_tab(browser)
    tab.goto(f"{url}/returns")
    sign_in(tab, LEADS[STRONGER])
    tab.get_by_role("heading", name="Returns").wait_for()
    tab.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(file))
    tab.get_by_role("button", name="Commit 1 return").click()
    tab.get_by_text(f"Committed: {file.name}").wait_for()
    context.close()

    # The officer: tracker, then sends Environment's back with a note
    context, tab = _new_tab(browser)
    tab.goto(f"{url}/returns")
    sign_in(tab, "officer@wyvernvale.example")
    tab.get_by_role("tab", name="Submission tracker").click()
    tab.get_by_text("3 of 6", exact=True).wait_for()
    settle(tab)
    assert violations(tab) == []
    full_height_screenshot(tab, folder / "collection-tracker-officer.png")
    tab.set_viewport_size({"width": WIDTH, "height": 2400})
    tab.goto(f"{url}/signoff?period=2011/12%20Q1")
    tab.get_by_role("heading", name="Sign-off").wait_for()
    settle(tab)
    open_every_expander(tab)
    assert violations(tab) == []
    full_height_screenshot(tab, folder / "collection-signoff-officer.png")
    tab.set_viewport_size({"width": WIDTH, "height": 2400})
    box = tab.locator("[data-testid='stExpander']").filter(has_text=ENVIRONMENT)
    box.get_by_role("textbox").fill("Every value is 30: please check them against your data.")
    box.get_by_role("textbox").press("Tab")
    settle(tab)
    box.get_by_role("button", name="Send back").click()
    tab.get_by_text("The theme lead was e-mailed (1 message)").wait_for()
    notice = _message(smtp, "Sent back for correction", ENVIRONMENT)
    assert "environment.lead@wyvernvale.example" in notice["To"]
    context.close()

    # Environment's lead sees the note and corrects the return
    context, tab = _new_tab(browser)
    tab.goto(f"{url}/form")
    sign_in(tab, LEADS[ENVIRONMENT])
    tab.get_by_text("please check them against your data").wait_for()
    settle(tab)
    first = next(iter(env_values))
    _type(tab, first, "31.5")
    tab.get_by_role("button", name="Submit return").click()
    tab.get_by_text(re.compile(r"^Submitted: return \d+")).wait_for()
    context.close()

    # 28 July (the scheduler runs the day after the app's date): the due-day message goes
    # only to the theme groups still missing
    before = len(smtp.received.messages)
    _reminders(path, smtp, url, "2011-07-28", monkeypatch)
    due = [m["Subject"].strip() for _, m in smtp.received.messages[before:]]
    assert len(due) == 3 and all(s.startswith("Due today") for s in due)
    assert not any(t in s for s in due for t in (SAFER, ENVIRONMENT, STRONGER))
    # The officer accepts the three, locks the quarter, publishes it
    context, tab = _new_tab(browser)
    tab.goto(f"{url}/signoff?period=2011/12%20Q1")
    sign_in(tab, "officer@wyvernvale.example")
    tab.get_by_role("heading", name="Sign-off").wait_for()
    for theme in (SAFER, ENVIRONMENT, STRONGER):
        settle(tab)
        box = tab.locator("[data-testid='stExpander']").filter(has_text=theme)
        box.get_by_role("button", name="Accept").click()
        tab.get_by_text(f"Accepted: {theme}, {NEW}.").wait_for()
    queue = collection.review_queue(path, pid, NEW)
    assert sorted(queue["review_state"]) == ["accepted"] * 3
    assert sorted(queue["layout"]) == ["form", "form", "template"]
    settle(tab)
    tab.get_by_role("tab", name="Lock and reopen").click()
    tab.get_by_role("button", name="Set lock date").click()
    tab.get_by_text(f"{NEW} locks on 27 July 2011.").wait_for()
    tab.goto(f"{url}/publish")
    settle(tab)
    tab.get_by_role("button", name=f"Publish {NEW}").click()
    tab.get_by_text(f"{NEW} published").wait_for()
    context.close()
    assert publication.publications(path, pid)["period"].iloc[0] == NEW

    # The Board sees the quarter's accepted figures
    context, tab = _new_tab(browser)
    tab.goto(url)
    sign_in(tab, "board@wyvernvale.example")
    tab.get_by_role("heading", name="Overview", exact=True).wait_for()
    settle(tab)
    assert tab.get_by_role("combobox", name="Period in view").input_value() == NEW
    tab.goto(f"{url}/indicator?indicator=NI%2032")
    settle(tab)
    tab.get_by_text("19.0%").first.wait_for()  # Safer's figure, typed as 19% on the form
    context.close()
    board = views.statuses_as_at(path, pid, NEW).set_index("code")
    assert board.at["NI 32", "period"] == NEW and board.at["NI 32", "actual_value"] == 19.0

    with pytest.raises(Exception, match="locked"):  # locked: nobody changes it now
        collection.review_return(path, int(queue["return_id"].iloc[0]), "sent_back",
                                 user=cli_user(), note="Too late to change.")  # fmt: skip
