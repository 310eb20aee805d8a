"""AppTest: the Sign-off page. The officer sees a submitted return with the status each value
gets once accepted, sends it back with a note (the theme lead sees the note on the form),
accepts the correction, sets the lock date, reopens a locked quarter for one theme group with
a reason, and saves the collection settings; a theme lead or a Board member cannot."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import Grant, User
from analytics.ingest.intake import intake_file
from analytics.warehouse import collection, queries, returns
from tests.conftest import BOARD, OFFICER
from tests.pages.publication_app import page_app  # noqa: F401  (fixture)
from tests.security.conftest import SAFER, demo_pid, theme_id

NEW = "2011/12 Q1"


@pytest.fixture(autouse=True)
def _summer_2011(monkeypatch):
    monkeypatch.setenv("LSP_TODAY", "2011-07-29")


@pytest.fixture
def signoff_app(page_app):  # noqa: F811  (the fixture imported above)
    """``signoff_app(warehouse, user, page)``: one page alone, run, signed in."""
    return lambda path, user=OFFICER, page="pages/signoff.py": page_app(path, page, user)


def _lead(path) -> User:
    grant = Grant("theme_lead", demo_pid(path), frozenset({theme_id(path, SAFER)}))
    return User("lead@wyvernvale.example", "Lee Lead", (grant,))


def _submitted(path, tmp_path, value=12.5) -> int:
    pid = demo_pid(path)
    out = returns.write_template(pid, SAFER, NEW, tmp_path / f"safer{value}.xlsx", path)
    book = openpyxl.load_workbook(out)
    for row in range(5, book["Return"].max_row + 1):
        book["Return"].cell(row, 11, value)
    book.save(out)
    intake = intake_file(out, queries.intake_context(path, pid))
    [result] = returns.commit_returns([intake], path, user=_lead(path))
    return result.return_id


def _table(at: AppTest, column: str):
    """The table with that column (AppTest does not give a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _clicked(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def test__signoff__send_back_with_a_note_then_accept_the_correction(
    signoff_app, demo_copy, tmp_path
):
    first = _submitted(demo_copy, tmp_path)
    at = signoff_app(demo_copy)
    assert at.title[0].value == "Sign-off" and at.selectbox(key="so_quarter").value == NEW
    queue = _table(at, "Sign-off")
    assert queue["Sign-off"].tolist() == ["… awaiting sign-off"]
    assert queue["Came by"].tolist() == ["spreadsheet"]
    values = _table(at, "Why")
    assert set(values["Status"]) == {"– No target"}  # no 2011/12 targets in the demo
    shown = dict(zip(values["Code"], values["Value"], strict=True))
    assert shown["NI 32"] == "12.5%"  # in the indicator's unit and decimals, as it is read
    assert any("Not returned yet" in w.value for w in at.warning)

    _clicked(at, f"so_back_{first}")
    assert "Say what needs correcting" in at.error[0].value
    at.text_area(key=f"so_note_{first}").input("NI 32 looks high: please check it.")
    _clicked(at, f"so_back_{first}")
    assert at.success[0].value.startswith(f"Sent back: {SAFER}, {NEW}.")
    assert "Not e-mailed yet" in at.success[0].value  # no relay set up in this test

    form = signoff_app(demo_copy, _lead(demo_copy), "pages/form.py")
    [note] = [w.value for w in form.warning if "The officer's note" in w.value]
    assert "NI 32 looks high" in note

    second = _submitted(demo_copy, tmp_path, value=11.0)
    at = signoff_app(demo_copy)
    _clicked(at, f"so_accept_{second}")
    assert at.success[0].value == f"Accepted: {SAFER}, {NEW}."
    review = collection.latest_review(demo_copy, demo_pid(demo_copy),
                                      theme_id(demo_copy, SAFER), NEW)  # fmt: skip
    assert review["review_state"] == "accepted" and review["return_id"] == second


def test__signoff__lock_then_reopen_for_one_theme_group(signoff_app, demo_copy):
    at = signoff_app(demo_copy)
    assert any("has no lock date yet" in m.value for m in at.markdown)
    at.date_input(key="so_lock_on").set_value(date(2011, 7, 29))
    _clicked(at, "so_lock")
    assert at.success[0].value == f"{NEW} locks on 29 July 2011."
    assert any(f"{NEW} has been locked since 29 July 2011" in m.value for m in at.markdown)
    at.selectbox(key="so_reopen_theme").set_value(theme_id(demo_copy, SAFER))
    at.text_input(key="so_reopen_reason").input("Police figures revised after the audit.")
    _clicked(at, "so_reopen")
    assert at.success[0].value == f"{NEW} reopened for {SAFER}."
    table = _table(at, "Reopened by")
    assert table["State"].tolist() == ["open"] and "revised" in table["Reason"].iloc[0]
    [relock] = [b for b in at.button if b.label == f"Lock {NEW} again for {SAFER}"]
    relock.click().run()
    assert _table(at, "Reopened by")["State"].tolist() == ["locked again"]


def test__signoff__settings_saved_and_the_board_view_switched(signoff_app, demo_copy):
    at = signoff_app(demo_copy)
    assert at.checkbox(key="so_accepted").value  # the demo's Board sees accepted figures only
    at.number_input(key="so_due").set_value(15)
    at.checkbox(key="so_accepted").uncheck()
    at.text_input(key="so_email").input("performance@wyvernvale.example")
    [save] = [b for b in at.button if b.label == "Save settings"]
    save.click().run()
    assert not at.exception and at.success[0].value == "Settings saved."
    chosen = collection.settings(demo_copy, demo_pid(demo_copy))
    assert (chosen.due_working_days, chosen.board_accepted_only) == (15, False)
    assert chosen.officer_email == "performance@wyvernvale.example"


def test__signoff__not_for_a_theme_lead_or_a_board_member(app, demo_warehouse):
    for user in (_lead(demo_warehouse), BOARD):
        at = app(demo_warehouse, page="pages/signoff.py", user=user)
        assert not at.exception
        assert any("not available to your role" in w.value for w in at.warning)
