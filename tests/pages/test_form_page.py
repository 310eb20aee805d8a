"""AppTest: the Return form. A theme lead sees their own theme group's return for the open
quarter, types values (read as a spreadsheet's are, problems under their field, the status
each would get), saves a draft that survives a new session, is told when someone saved after
them, and submits: a return like an uploaded spreadsheet, kept under raw/."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import Grant, User
from analytics.warehouse import collection, drafts, queries
from analytics.warehouse.connection import close_readers
from tests.conftest import OFFICER
from tests.pages.publication_app import page_app  # noqa: F401  (fixture)
from tests.security.conftest import SAFER, demo_pid, theme_id

NEW = "2011/12 Q1"


@pytest.fixture(autouse=True)
def _summer_2011(monkeypatch):
    monkeypatch.setenv("LSP_TODAY", "2011-07-20")  # 2011/12 Q1 is being collected


@pytest.fixture
def form_app(page_app):  # noqa: F811  (the fixture imported above)
    """``form_app(warehouse, user)``: the Return form alone, run, signed in."""
    return lambda path, user: page_app(path, "pages/form.py", user)


def _lead(path) -> User:
    grant = Grant("theme_lead", demo_pid(path), frozenset({theme_id(path, SAFER)}))
    return User("lead@wyvernvale.example", "Lee Lead", (grant,))


def _field(at: AppTest, label: str):
    return next(t for t in [*at.text_input, *at.text_area] if t.label == label)


def _open(form_app, path, user=None) -> AppTest:
    at = form_app(path, user or _lead(path))
    assert at.title[0].value == "Return form"
    return at


def _type(at: AppTest, values: dict[str, str]) -> AppTest:
    for label, text in values.items():
        _field(at, label).input(text)
    at.run()
    assert not at.exception
    return at


GOOD = {"L-SC-01 value": "2,650", "L-SC-02 value": "3.2", "NI 15 value": "0.7",
        "NI 16 value": "12.9 per 1,000", "NI 20 value": "4.1", "NI 32 value": "19%",
        "NI 32 commentary": "Within the expected range."}  # fmt: skip


def test__form__a_theme_lead_sees_their_own_theme_groups_open_quarters(form_app, demo_warehouse):
    at = _open(form_app, demo_warehouse)
    assert at.selectbox(key="rf_theme").options == [SAFER]
    # 2010/11 Q4 locks on 30 September 2011; every earlier quarter is locked
    assert at.selectbox(key="rf_quarter").options == [NEW, "2010/11 Q4"]
    labels = {t.label for t in at.text_input}
    assert {"L-SC-01 value", "NI 15 value", "NI 32 value"} <= labels
    assert any("due by **Thursday 28 July 2011** (in 6 working days)" in m.value
               for m in at.markdown)  # fmt: skip
    assert any("last period (2010/11 Q4)" in c.value for c in at.caption)
    assert any("Nothing typed yet" in i.value for i in at.info)


def test__form__another_theme_groups_link_opens_the_leads_own(form_app, demo_warehouse):
    other = theme_id(demo_warehouse, "Stronger communities")
    at = form_app(demo_warehouse, _lead(demo_warehouse))
    at.query_params["theme"] = str(other)
    at.run()
    assert at.selectbox(key="rf_theme").value == theme_id(demo_warehouse, SAFER)


def test__form__problems_show_on_their_field_with_the_spreadsheet_paths_words(
    form_app, demo_warehouse
):
    at = _type(_open(form_app, demo_warehouse), {**GOOD, "L-SC-01 value": "45%",
                                                 "NI 15 value": "about 1"})  # fmt: skip
    errors = [e.value for e in at.error]
    assert any("typed in per cent \\(%\\), but L-SC-01 is measured in incidents" in e
               or "typed in per cent (%), but L-SC-01 is measured in incidents" in e
               for e in errors), errors  # fmt: skip
    assert any("text where a number belongs (NI 15)" in e for e in errors)
    assert at.button(key="rf_submit").disabled
    # the others get the status they would have (no 2011/12 targets in the demo: no target)
    assert any("Status if submitted" in m.value and "No target" in m.value for m in at.markdown)


def test__form__draft_saved_survives_a_new_session_and_a_stale_save_is_refused(form_app, demo_copy):
    pid, safer = demo_pid(demo_copy), theme_id(demo_copy, SAFER)
    first = _type(_open(form_app, demo_copy), {"NI 32 value": "19%"})
    second = _open(form_app, demo_copy, User("other@wyvernvale.example", "Other lead",
                                             _lead(demo_copy).grants))  # fmt: skip
    first.button(key="rf_save").click().run()
    assert not first.exception
    assert "Draft saved (version 1)" in first.success[0].value
    assert drafts.latest_draft(demo_copy, pid, safer, NEW).entries[-1]["value"] == "19%"

    close_readers()
    again = _open(form_app, demo_copy)  # a new browser session: the draft is there
    assert _field(again, "NI 32 value").value == "19%"
    assert any("Draft version 1 saved by lead@wyvernvale.example" in c.value
               for c in again.caption)  # fmt: skip

    _type(second, {"NI 20 value": "4.4"}).button(key="rf_save").click().run()
    [conflict] = [e.value for e in second.error if "after you opened this form" in e.value]
    assert conflict.startswith("lead@wyvernvale.example saved a newer draft")
    assert drafts.latest_draft(demo_copy, pid, safer, NEW).version == 1  # nothing overwritten
    second.button(key="rf_reload").click().run()
    assert _field(second, "NI 32 value").value == "19%"


def test__form__submitted_is_a_return_kept_under_raw_and_awaiting_sign_off(form_app, demo_copy):
    pid = demo_pid(demo_copy)
    at = _type(_open(form_app, demo_copy), GOOD)
    assert not at.button(key="rf_submit").disabled
    at.button(key="rf_submit").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Submitted: return ")
    [row] = collection.review_queue(demo_copy, pid, NEW).to_dict("records")
    assert (row["layout"], row["review_state"], row["theme"]) == ("form", "submitted", SAFER)
    kept = list((demo_copy.parent / "raw" / "2011-12" / "Q1").glob("*_form.xlsx"))
    assert len(kept) == 1
    files = queries.return_files(demo_copy, pid, NEW)
    assert files["loaded_by"].tolist() == ["lead@wyvernvale.example"]
    draft = drafts.latest_draft(demo_copy, pid, theme_id(demo_copy, SAFER), NEW)
    assert draft.state == "submitted" and draft.return_id == row["return_id"]
    # the form now shows the return in force, awaiting sign-off
    assert any("awaiting the performance officer" in i.value for i in at.info)
    assert _field(at, "NI 16 value").value == "12.9"


def test__form__the_officer_may_fill_in_any_theme_groups_form(form_app, demo_warehouse):
    at = form_app(demo_warehouse, OFFICER)
    assert len(at.selectbox(key="rf_theme").options) == 6


def test__form__a_percentage_takes_its_numerator_and_denominator_and_keeps_them(
    form_app, demo_copy
):
    labels = {t.label for t in _open(form_app, demo_copy).text_input}
    assert {"NI 32 numerator", "NI 32 denominator"} <= labels  # NI 32 is a percentage
    assert "L-SC-01 numerator" not in labels  # a count: no counts to give
    at = _type(_open(form_app, demo_copy),
               {**GOOD, "NI 32 numerator": "250", "NI 32 denominator": "200"})  # fmt: skip
    assert any("larger than the denominator" in e.value for e in at.error)
    assert at.button(key="rf_submit").disabled
    at = _type(at, {"NI 32 numerator": "38", "NI 32 denominator": "200"})
    at.button(key="rf_submit").click().run()
    assert not at.exception and at.success[0].value.startswith("Submitted: return ")
    counts = (
        duckdb.connect(str(demo_copy), read_only=True)
        .execute(
            "SELECT a.numerator_value, a.denominator_value FROM actual a JOIN indicator i"
            " USING (indicator_id) WHERE i.code = 'NI 32' AND a.period = ? AND a.is_current",
            [NEW],
        )
        .fetchall()
    )
    assert counts == [(38.0, 200.0)]
