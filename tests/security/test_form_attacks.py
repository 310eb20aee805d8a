"""The Return form tried as an attacker with a theme lead's account would: another theme
group's form (by the link, by the write functions, by a theme name that does not match the
id), a locked quarter (by the link, and with the form left open past the lock date), a
reading role, another theme group's indicator slipped into the entries, and a formula typed
as text. Each is refused where the write happens and leaves the warehouse as it was."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from analytics.access import Grant, PermissionDenied, User
from analytics.collection import form as checks
from analytics.warehouse import collection, drafts, queries
from analytics.warehouse.collection_state import PeriodLocked
from analytics.warehouse.connection import close_readers
from tests.conftest import fingerprint
from tests.pages.publication_app import page_app  # noqa: F401  (fixture)
from tests.security.conftest import HEALTH, SAFER, demo_pid, theme_id

NEW = "2011/12 Q1"  # being collected on 20 July 2011
Q4 = "2010/11 Q4"  # open until it locks on 30 September 2011
LOCKED = "2010/11 Q3"  # locked the day after its Board
STRONGER = "Stronger communities"
GOOD = {"L-SC-01": "2,650", "L-SC-02": "3.2", "NI 15": "0.7", "NI 16": "12.9 per 1,000",
        "NI 20": "4.1", "NI 32": "19%"}  # fmt: skip


@pytest.fixture(autouse=True)
def _summer_2011(monkeypatch):
    monkeypatch.setenv("LSP_TODAY", "2011-07-20")


def _lead(path: Path) -> User:
    grant = Grant("theme_lead", demo_pid(path), frozenset({theme_id(path, SAFER)}))
    return User("lead@wyvernvale.example", "Lee Lead", (grant,))


def _board(path: Path) -> User:
    return User("board@wyvernvale.example", "Bo Board", (Grant("board", demo_pid(path)),))


def _entries(values: dict[str, str], commentary: str = "") -> list[dict]:
    return [{"code": code, "value": value, "dq_flag": "ok", "commentary": commentary,
             "remedial_action": ""} for code, value in values.items()]  # fmt: skip


def _submit(path: Path, user: User, theme_id_: int, theme: str, quarter: str, entries):
    pid = demo_pid(path)
    rows, history, info = queries.template_rows(path, pid, theme, quarter)
    return checks.submit(path, pid, theme_id_, queries.intake_context(path, pid), info, theme,
                         quarter, rows, history, entries, 0, user=user)  # fmt: skip


# --- another theme group ------------------------------------------------------------------


def test__form_attack__a_draft_for_another_theme_group_is_refused_where_it_is_written(demo_copy):
    before = fingerprint(demo_copy)
    with pytest.raises(PermissionDenied):
        drafts.save_draft(demo_copy, demo_pid(demo_copy), theme_id(demo_copy, STRONGER), NEW,
                          _entries({"NI 1": "80%"}), 0, user=_lead(demo_copy))  # fmt: skip
    assert fingerprint(demo_copy) == before


def test__form_attack__submitting_another_theme_groups_return_is_refused(demo_copy):
    stronger = theme_id(demo_copy, STRONGER)
    rows, _, _ = queries.template_rows(demo_copy, demo_pid(demo_copy), STRONGER, NEW)
    values = dict.fromkeys(rows["code"], "50")
    before = fingerprint(demo_copy)
    with pytest.raises(PermissionDenied):
        _submit(demo_copy, _lead(demo_copy), stronger, STRONGER, NEW, _entries(values))
    assert fingerprint(demo_copy) == before
    assert not list((demo_copy.parent / "raw" / "2011-12" / "Q1").glob("*_form.xlsx"))


def test__form_attack__own_theme_id_with_another_theme_groups_name_is_refused(demo_copy):
    """The page sends the theme group's id and name together; a request that pairs the lead's
    own id with another theme group's name must not write the other's values."""
    rows, _, _ = queries.template_rows(demo_copy, demo_pid(demo_copy), STRONGER, NEW)
    before = fingerprint(demo_copy)
    with pytest.raises(PermissionDenied):
        _submit(demo_copy, _lead(demo_copy), theme_id(demo_copy, SAFER), STRONGER, NEW,
                _entries(dict.fromkeys(rows["code"], "50")))  # fmt: skip
    assert fingerprint(demo_copy) == before


def test__form_attack__another_theme_groups_indicator_in_the_entries_is_not_loaded(demo_copy):
    pid = demo_pid(demo_copy)
    health_codes = queries.template_rows(demo_copy, pid, HEALTH, NEW)[0]["code"].tolist()
    sneaked = {**GOOD, health_codes[0]: "99"}
    _, committed = _submit(demo_copy, _lead(demo_copy), theme_id(demo_copy, SAFER), SAFER, NEW,
                           _entries(sneaked, "Within range."))  # fmt: skip
    assert committed is not None
    loaded = collection.return_values(demo_copy, committed.return_id)
    assert set(loaded["code"]) == set(GOOD)  # only the form's own rows


def test__form_attack__another_theme_groups_link_shows_only_the_leads_own(page_app, demo_copy):  # noqa: F811
    at = page_app(demo_copy, "pages/form.py", _lead(demo_copy))
    at.query_params.update({"theme": str(theme_id(demo_copy, HEALTH)), "period": NEW})
    at.run()
    assert at.selectbox(key="rf_theme").options == [SAFER]
    assert at.selectbox(key="rf_theme").value == theme_id(demo_copy, SAFER)
    health = queries.template_rows(demo_copy, demo_pid(demo_copy), HEALTH, NEW)[0]["code"]
    assert not {t.label.removesuffix(" value") for t in at.text_input} & set(health)


# --- a locked quarter ---------------------------------------------------------------------


def test__form_attack__a_locked_quarters_link_is_not_offered(page_app, demo_copy):  # noqa: F811
    at = page_app(demo_copy, "pages/form.py", _lead(demo_copy))
    at.query_params.update({"theme": str(theme_id(demo_copy, SAFER)), "period": LOCKED})
    at.run()
    assert LOCKED not in at.selectbox(key="rf_quarter").options
    assert at.selectbox(key="rf_quarter").value == NEW


def test__form_attack__a_locked_quarters_draft_and_return_are_refused_where_written(demo_copy):
    pid, safer = demo_pid(demo_copy), theme_id(demo_copy, SAFER)
    rows, _, _ = queries.template_rows(demo_copy, pid, SAFER, LOCKED)
    values = dict.fromkeys(rows["code"], "1")
    before = fingerprint(demo_copy)
    with pytest.raises(PeriodLocked):
        drafts.save_draft(demo_copy, pid, safer, LOCKED, _entries(values), 0,
                          user=_lead(demo_copy))  # fmt: skip
    with pytest.raises(PeriodLocked):
        _submit(demo_copy, _lead(demo_copy), safer, SAFER, LOCKED, _entries(values, "x"))
    assert fingerprint(demo_copy) == before


def test__form_attack__a_form_left_open_past_the_lock_date_saves_and_submits_nothing(
    page_app,  # noqa: F811
    demo_copy,
    monkeypatch,
):
    at = page_app(demo_copy, "pages/form.py", _lead(demo_copy))
    at.selectbox(key="rf_quarter").set_value(Q4).run()
    assert not at.exception
    codes = [t.label.removesuffix(" value") for t in at.text_input if t.label.endswith(" value")]
    for code in codes:
        next(t for t in at.text_input if t.label == f"{code} value").input("1")
    at.run()
    monkeypatch.setenv("LSP_TODAY", "2011-10-03")  # the tab stayed open; Q4 locked on 30 Sept
    close_readers()
    before = fingerprint(demo_copy)

    at.button(key="rf_save").click().run()  # the click made on Q4's form
    assert not at.exception
    [said] = [w.value for w in at.warning if "has closed since you opened" in w.value]
    assert said.startswith(f"{Q4} has closed") and "was not done" in said
    assert at.selectbox(key="rf_quarter").value != Q4
    assert not at.success
    assert fingerprint(demo_copy) == before  # no draft, for Q4 or the quarter now shown
    # and were the page fooled, the write itself refuses: Q4 is locked for this lead
    with pytest.raises(PeriodLocked):
        drafts.save_draft(demo_copy, demo_pid(demo_copy), theme_id(demo_copy, SAFER), Q4,
                          _entries(dict.fromkeys(codes, "1")), 0,
                          user=_lead(demo_copy))  # fmt: skip
    assert fingerprint(demo_copy) == before


# --- a reading role -----------------------------------------------------------------------


def test__form_attack__a_board_member_gets_no_form_and_cannot_write_one(page_app, demo_copy):  # noqa: F811
    board = _board(demo_copy)
    at = page_app(demo_copy, "pages/form.py", board)
    assert not at.text_input and not at.button
    assert any("do not lead a theme group" in i.value for i in at.info)
    pid, safer = demo_pid(demo_copy), theme_id(demo_copy, SAFER)
    before = fingerprint(demo_copy)
    with pytest.raises(PermissionDenied):
        drafts.save_draft(demo_copy, pid, safer, NEW, _entries(GOOD), 0, user=board)
    with pytest.raises(PermissionDenied):
        _submit(demo_copy, board, safer, SAFER, NEW, _entries(GOOD, "x"))
    assert fingerprint(demo_copy) == before


# --- what is typed ------------------------------------------------------------------------


def test__form_attack__a_formula_typed_is_kept_as_text_in_the_file_received(demo_copy):
    formula = '=HYPERLINK("https://evil.example","Click")'
    _, committed = _submit(demo_copy, _lead(demo_copy), theme_id(demo_copy, SAFER), SAFER, NEW,
                           _entries(GOOD, formula))  # fmt: skip
    assert committed is not None
    [kept] = (demo_copy.parent / "raw" / "2011-12" / "Q1").glob("*_form.xlsx")
    book = openpyxl.load_workbook(kept)
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value == formula]
    assert cells and all(c.data_type == "s" for c in cells)
