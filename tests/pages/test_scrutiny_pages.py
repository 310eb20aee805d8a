"""AppTest: the Six-monthly review and Recommendations pages under each role."""

from __future__ import annotations

import pytest

from analytics.access import Grant, User
from tests.conftest import ADMIN, BOARD, OFFICER, SCRUTINY

THEME_LEAD = User(
    "lead@test.example", "Test theme lead", (Grant("theme_lead", None, frozenset({1})),)
)


def buttons(at) -> set[str]:
    return {b.label for b in at.button} | {b.label for b in at.get("form_submit_button")}


@pytest.mark.parametrize("user", [OFFICER, BOARD, SCRUTINY, ADMIN], ids=lambda u: u.email)
def test__review__every_reader_sees_the_half_year_review(app, demo_warehouse, user):
    at = app(demo_warehouse, page="pages/scrutiny.py", query={"half": "2010/11 H1"}, user=user)
    assert not at.exception
    assert at.title[0].value == "Six-monthly review"
    headings = [h.value for h in at.subheader]
    for wanted in ("The half-year picture", "Movers", "Red flags", "Missing returns"):
        assert wanted in headings
    assert any(h.startswith("Persistent exceptions") for h in headings)
    picture = at.dataframe[0].value
    assert picture["Theme group"].iloc[0] == "Communities that are safe and feel safe"
    assert "✖ Red (now)" in picture.columns
    labels = {b.label for b in at.get("download_button")}
    assert {"Word committee report", "Excel workbook", "Web page"} <= labels


@pytest.mark.parametrize(
    ("user", "manages"), [(OFFICER, True), (ADMIN, True), (SCRUTINY, False), (BOARD, False)],
    ids=lambda v: getattr(v, "email", str(v)),
)  # fmt: skip
def test__review__red_flag_and_meeting_forms_only_for_those_who_manage(
    app, demo_warehouse, user, manages
):
    at = app(demo_warehouse, page="pages/scrutiny.py", user=user)
    assert not at.exception
    assert ("Record red flag" in buttons(at)) == manages
    assert ("Add review meeting" in buttons(at)) == manages


def test__review__refused_to_a_theme_lead_and_to_nobody(app, demo_warehouse):
    for user in (THEME_LEAD, None):
        at = app(demo_warehouse, page="pages/scrutiny.py", user=user)
        assert not at.exception
        assert not at.dataframe  # nothing of the review is shown
        assert "The half-year picture" not in [h.value for h in at.subheader]
    at = app(demo_warehouse, page="pages/scrutiny.py", user=THEME_LEAD)
    assert "not available to your role" in at.warning[0].value or (
        "scrutiny pages are for the committee" in at.warning[0].value
    )


def test__review__since_a_review_meeting(app, demo_warehouse):
    at = app(demo_warehouse, page="pages/scrutiny.py", user=SCRUTINY)
    at.radio(key="sc_kind").set_value("Since a review meeting").run()
    at.selectbox(key="sc_since").select_index(1).run()  # 16 Nov 2010
    assert not at.exception
    assert "2010/11 Q3, 2010/11 Q4" in at.caption[0].value


@pytest.mark.parametrize(
    ("user", "record", "respond", "close"),
    [(SCRUTINY, True, False, True), (OFFICER, False, True, False), (ADMIN, True, True, True),
     (BOARD, False, False, False)],
    ids=lambda v: getattr(v, "email", str(v)),
)  # fmt: skip
def test__recommendations__the_tracker_and_the_forms_each_role_may_use(
    app, demo_warehouse, user, record, respond, close
):
    at = app(demo_warehouse, page="pages/recommendations.py", user=user)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 10
    assert table["Countdown"].str.contains("response overdue").sum() == 1
    assert set(table["RAG"]) >= {"✔ Green: implemented and closed", "◆ Amber: progress acceptable"}
    at.selectbox(key="rec_pick").select("2009/10-05").run()  # responded, implemented, open
    assert not at.exception
    found = buttons(at)
    assert ("Record recommendation" in found) == record
    assert ("Record response" in found) == respond
    assert ("Add progress update" in found) == respond
    assert ("Close recommendation" in found) == close


def test__recommendations__as_at_an_earlier_date_counts_down(app, demo_warehouse):
    from datetime import date

    at = app(demo_warehouse, page="pages/recommendations.py", user=SCRUTINY)
    at.date_input(key="rec_as_of").set_value(date(2011, 3, 1)).run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Reference")
    assert table.at["2010/11-02", "Countdown"] == "45 days left"
    assert table.at["2010/11-02", "Response due"] == "15 Apr 2011"


def test__indicator_and_theme_pages_show_their_linked_recommendations(app, demo_warehouse):
    from analytics.warehouse import queries
    from tests.reports.conftest import demo_partnership_id

    at = app(demo_warehouse, page="pages/indicator.py", query={"indicator": "NI 152"},
             user=BOARD)  # fmt: skip
    assert not at.exception
    table = at.dataframe[-1].value
    assert table["Reference"].tolist() == ["2010/11-01"]
    themes = queries.themes(demo_warehouse, demo_partnership_id(demo_warehouse))
    health = themes.loc[themes["theme"] == "Improving health and well-being", "theme_id"].iloc[0]
    at = app(demo_warehouse, page="pages/theme.py", query={"theme": str(health)}, user=SCRUTINY)
    assert not at.exception
    assert at.dataframe[-1].value["Reference"].tolist() == ["2010/11-02"]
    at = app(demo_warehouse, page="pages/indicator.py", query={"indicator": "NI 191"},
             user=THEME_LEAD)  # fmt: skip
    assert not at.exception
    assert "Scrutiny recommendations" not in [h.value for h in at.subheader]
